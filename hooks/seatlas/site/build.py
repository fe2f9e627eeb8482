"""One build: every generator of the site, in order, and the files they produce."""

from __future__ import annotations

from .. import cache
from ..maps import embeds, staticmap
from ..render.context import Context, Generator, Output
from . import charts, export, freshness, guide, pages, timelines

# Each feature module contributes one generator. Map views, images and charts keep each drawing in
# the cache; the map files, pages and downloads are also kept whole while the data and settings are
# unchanged (a build that changes nothing imports no drawing library).
GENERATORS: tuple[Generator, ...] = (
    cache.kept(embeds.generate),
    staticmap.generate,
    cache.kept(pages.generate),
    cache.kept(guide.generate),
    cache.kept(freshness.generate),
    cache.kept(export.generate),
    cache.kept(timelines.generate),
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
    cache.store().finish()
    return sorted(outputs, key=lambda o: o.path)
