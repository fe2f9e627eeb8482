"""One build: every generator of the site, in order, and the files they produce."""

from __future__ import annotations

from ..maps import embeds, staticmap
from ..render.context import Context, Generator, Output
from . import charts, export, freshness, guide, pages, timelines

# Each feature module contributes one generator.
GENERATORS: tuple[Generator, ...] = (
    embeds.generate,
    staticmap.generate,
    pages.generate,
    guide.generate,
    freshness.generate,
    export.generate,
    timelines.generate,
    charts.generate,
)


def generators() -> list[Generator]:
    """The generators, in order."""
    return list(GENERATORS)


def generate(ctx: Context) -> list[Output]:
    """Every generated file of the site, sorted by path so builds are deterministic."""
    outputs = [out for gen in generators() for out in gen(ctx)]
    seen: set[str] = set()
    for out in outputs:
        if out.path in seen:
            raise ValueError(f"two generators produced {out.path}")
        seen.add(out.path)
    return sorted(outputs, key=lambda o: o.path)
