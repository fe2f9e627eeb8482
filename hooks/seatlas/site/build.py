"""One build: every generator of the site, in order, and the files they produce."""

from __future__ import annotations

import importlib

from .. import cache
from ..maps import embeds, staticmap
from ..render.context import Context, Generator, Output
from . import charts, export, freshness, guide, pages, timelines

# Each feature module contributes one generator. Map views, images and charts keep each drawing in
# the cache; the map files, pages and downloads are also kept whole while the data and settings are
# unchanged (a build that changes nothing imports no drawing library).
#
# The generators whose files take long to make come first: those files are started in worker
# processes (when the build may use them) and made while the other generators, and the site
# generator itself, go on. Their outputs' contents are Pending until then (see finish).
IN_WORKERS: tuple[Generator, ...] = (
    staticmap.generate,
    cache.kept(embeds.generate),
    charts.generate,
    cache.kept(export.generate),
)
HERE: tuple[Generator, ...] = (
    cache.kept(pages.generate),
    cache.kept(guide.generate),
    cache.kept(freshness.generate),
    cache.kept(timelines.generate),
)


# What drawing imports (Folium's own templates, matplotlib's backends): a few tenths of a second
# that a preview spends ahead, not at the editor's first save. The maps are drawn in the preview's
# process; the charts in its helper process (see cache.parallel).
DRAWING_MODULES = (
    "shapely",
    "PIL.Image",
    "matplotlib.figure",
    "matplotlib.backends.backend_agg",
    "seatlas.maps.folium_html",
)
CHART_MODULES = (
    "matplotlib.figure",
    "matplotlib.backends.backend_svg",
    "seatlas.site.chart_drawing",
)


def import_drawing_libraries() -> None:
    for name in DRAWING_MODULES:
        importlib.import_module(name)


def start_helper() -> None:
    """Start the preview's helper process, which draws the charts while MkDocs renders the pages."""
    cache.start_helper(CHART_MODULES)


def generators() -> list[Generator]:
    """The generators, in order."""
    return [*IN_WORKERS, *HERE]


def start(ctx: Context) -> list[Output]:
    """Every generated file, sorted by path so builds are deterministic; drawings may still be made.

    An output whose drawing is still being made is not `ready`; reading its content waits for it.
    finish() waits for all of them; the cache's manifest is written then.
    """
    store = cache.store()
    try:
        outputs: list[Output] = []
        started = False
        for gen in generators():
            if not started and gen not in IN_WORKERS:
                store.draw()  # what the generators before queued is made while the others write
                started = True
            outputs.extend(gen(ctx))
        seen: set[str] = set()
        for out in outputs:
            if out.path in seen:
                raise ValueError(f"two generators produced {out.path}")
            seen.add(out.path)
        store.close()  # starts what the later generators queued (one set up by a test)
    except BaseException:
        store.cancel()
        raise
    return sorted(outputs, key=lambda o: o.path)


def finish() -> None:
    """Wait for the drawings of the build started last."""
    cache.store().wait()


def cancel() -> None:
    """Give up the drawings of a build that failed."""
    cache.store().cancel()
