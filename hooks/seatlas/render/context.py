"""One build: load and check the data, then produce every generated file in memory."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import geography, validation
from .records import Atlas


def load_data(data_dir: Path) -> tuple[Atlas, list[validation.Problem]]:
    """Records of a data folder and every problem in them, boundary checks included."""
    return validation.load(data_dir, extra_checks=(geography.check_places,))


@dataclass(frozen=True)
class Output:
    """A generated file: its path in the site sources and its content."""

    path: str
    content: str | bytes


@dataclass
class Context:
    """What every generator may use."""

    atlas: Atlas
    settings: object
    site_url: str = ""
    use_directory_urls: bool = True
    extra: dict = field(default_factory=dict)


Generator = Callable[[Context], Iterable[Output]]


def generators() -> list[Generator]:
    """The generators, in order; each feature module contributes one."""
    from . import charts, export, freshness, guide, maps, pages, staticmap, timeline_pages

    return [
        maps.generate,
        staticmap.generate,
        pages.generate,
        guide.generate,
        freshness.generate,
        export.generate,
        timeline_pages.generate,
        charts.generate,
    ]


def generate(ctx: Context) -> list[Output]:
    """Every generated file of the site, sorted by path so builds are deterministic."""
    outputs = [out for gen in generators() for out in gen(ctx)]
    seen: set[str] = set()
    for out in outputs:
        if out.path in seen:
            raise ValueError(f"two generators produced {out.path}")
        seen.add(out.path)
    return sorted(outputs, key=lambda o: o.path)
