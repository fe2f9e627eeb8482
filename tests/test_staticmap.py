"""Static PNG maps: one per district and city, Hangul drawn with NanumGothic, identical across builds."""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
import pytest
import shapely
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from PIL import Image, ImageChops
from seatlas.cache import fingerprints
from seatlas.maps import staticmap
from seatlas.model import geography
from seatlas.model.load import load_data

TITLE_ROWS = 45  # the band above the map where only the title is drawn


def _image(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data)).convert("RGB")


def _darkest(img: Image.Image) -> int:
    return min(low for low, _high in img.getextrema())


def _title_alone(title: str, font: FontProperties) -> Image.Image:
    """The title drawn as the static map draws it, on an otherwise empty canvas."""
    return _text_alone(0.02, 0.95, title, fontproperties=font, va="center")


def _text_alone(x: float, y: float, text: str, **style) -> Image.Image:
    """One text drawn where the static map draws it, on an otherwise empty canvas."""
    fig = Figure(
        figsize=(staticmap.SIZE_PX[0] / staticmap.DPI, staticmap.SIZE_PX[1] / staticmap.DPI), dpi=staticmap.DPI
    )
    fig.text(x, y, text, **style)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=staticmap.DPI, metadata={"Software": None}, facecolor="white")
    return _image(buf.getvalue())


def test_a_png_for_every_district_and_city(real_site):
    atlas, _ = load_data(real_site.root / "data")
    for name in [d["slug"] for d in atlas.all("districts")] + ["seoul"]:
        path = real_site.site / staticmap.png_path(name)
        assert path.is_file(), name
        with Image.open(path) as img:
            assert img.size == staticmap.SIZE_PX
            assert img.format == "PNG"
            assert "Software" not in img.info


@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")
def test_hangul_is_drawn_with_the_bundled_nanumgothic(real_site):
    font_file = fingerprints.font_file()
    assert font_file.name == "NanumGothic.ttf" and font_file.is_file()
    assert "koreanize_matplotlib" in font_file.parts
    png = _image((real_site.site / "maps" / "eunpyeong-gu.png").read_bytes())
    band = (0, 0, staticmap.SIZE_PX[0], TITLE_ROWS)
    title = png.crop(band)
    # Ink in the title band: the title is there.
    assert _darkest(title) < 80
    expected = _title_alone("은평구 사회적경제 지도", staticmap.font(15, bold=True)).crop(band)
    assert ImageChops.difference(title, expected).getbbox() is None, "the title is not NanumGothic Hangul"
    # The same text in a Latin-only font (missing glyphs) gives other pixels: the check can fail.
    latin = _title_alone("은평구 사회적경제 지도", FontProperties(family="DejaVu Sans", size=15)).crop(band)
    assert ImageChops.difference(title, latin).getbbox() is not None


def _pixels_of(img: Image.Image, colour: str, tolerance: int) -> np.ndarray:
    """A mask of the pixels within `tolerance` of a '#rrggbb' colour in every channel."""
    rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])
    return (np.abs(np.asarray(img, dtype=int) - rgb) <= tolerance).all(axis=2)


def _seoul(atlas) -> tuple[str, ...]:
    return tuple(d.id for d in atlas.all("districts") if d["city"] == "서울특별시" and d.id in geography.districts())


def test_attribution_and_legend_are_drawn(real_site):
    atlas, _ = load_data(real_site.root / "data")
    png = _image((real_site.site / "maps" / "seoul.png").read_bytes())
    w, h = staticmap.SIZE_PX
    # Below the map and right of the legend only the attribution is drawn: exactly this text, there.
    band = (w // 2, h - 30, w, h)
    attribution = f"○ 대략적 위치 (동 중심) · {staticmap.ATTRIBUTION}"
    expected = _text_alone(0.98, 0.02, attribution, fontproperties=staticmap.font(8), ha="right", color="#555")
    assert ImageChops.difference(png.crop(band), expected.crop(band)).getbbox() is None, "attribution"
    assert "국토지리정보원" in staticmap.ATTRIBUTION
    # The legend (bottom left) names, in their colours, the kinds drawn on the map and no other.
    for slug, codes in (("seoul", _seoul(atlas)), ("jungnang-gu", ("11260",)), ("eunpyeong-gu", ("11380",))):
        png = _image((real_site.site / "maps" / f"{slug}.png").read_bytes())
        legend = png.crop((0, h - 70, w // 4, h))
        drawn = {kind for kind, _r, _place in geography.placed(atlas, tuple(staticmap.COLOURS), codes)}
        shown = {kind for kind, colour in staticmap.COLOURS.items() if _pixels_of(legend, colour, 6).sum() > 20}
        assert shown == drawn, slug
    assert drawn, "Eunpyeong has places to draw"


def test_markers_are_drawn_where_their_places_are(real_site):
    """Each place's marker at its coordinates, in its kind's colour (hollow when approximate), and none elsewhere."""
    atlas, _ = load_data(real_site.root / "data")
    codes = _seoul(atlas)
    png = _image((real_site.site / "maps" / "seoul.png").read_bytes())
    w, h = staticmap.SIZE_PX
    # The boundary lines (#00695c) reach the edges of the boundaries' bounding box, which gives the scale.
    ys, xs = np.nonzero(_pixels_of(png, "#00695c", 12))
    shapes = [shapely.simplify(geography.districts()[c].geometry, 0.0002, preserve_topology=True) for c in codes]
    west, south, east, north = shapely.bounds(shapely.union_all(shapes))
    # The map keeps distances true at Seoul's latitude: one degree of longitude is cos(lat) of one of latitude.
    x_scale, y_scale = (xs.max() - xs.min()) / (east - west), (ys.max() - ys.min()) / (north - south)
    assert y_scale / x_scale == pytest.approx(1 / math.cos(math.radians((south + north) / 2)), rel=0.01)

    places: dict[tuple[float, float], list] = {}
    for kind, _r, place in geography.placed(atlas, tuple(staticmap.COLOURS), codes):
        xy = (xs.min() + (place.lon - west) * x_scale, ys.max() - (place.lat - south) * y_scale)
        places.setdefault(xy, []).append((kind, place.approximate))
    assert {kind for drawn in places.values() for kind, _ in drawn} == set(staticmap.COLOURS)
    white = _pixels_of(png, "#ffffff", 0)
    for (x, y), drawn in places.items():
        c, r = round(x), round(y)
        near = png.crop((c - 6, r - 6, c + 7, r + 7))
        assert any(_pixels_of(near, staticmap.COLOURS[kind], 6).any() for kind, _ in drawn), (x, y, drawn)
        if all(approximate for _, approximate in drawn):
            assert white[r - 1 : r + 2, c - 1 : c + 2].any(), f"approximate places are hollow: {(x, y, drawn)}"
    # No marker colour away from the places, outside the legend.
    centres = np.array(list(places))
    for kind, colour in staticmap.COLOURS.items():
        mask = _pixels_of(png, colour, 6)
        mask[h - 70 :, : w // 4] = False
        for y, x in zip(*np.nonzero(mask), strict=True):
            assert np.hypot(*(centres - (x, y)).T).min() <= 8, f"{kind} colour at {(x, y)}, far from every place"


def test_rebuilds_are_byte_identical(real_site, rebuilt_site):
    first, second = real_site.site, rebuilt_site.site
    groups = ["maps/*.png", "map/*.html", "map/index.html", "embed/**/*.html", "assets/map/**/*", "districts/**/*.html"]
    compared = 0
    for pattern in groups:
        names = sorted(p.relative_to(first) for p in first.glob(pattern) if p.is_file())
        assert names, pattern
        assert names == sorted(p.relative_to(second) for p in second.glob(pattern) if p.is_file())
        for name in names:
            assert (first / name).read_bytes() == (second / name).read_bytes(), f"{name} differs between builds"
            compared += 1
    assert compared > 50


def test_place_labels_each_on_their_own_and_never_overlapping():
    """은평구 has four places on one dong centre: four labels, no two of them touching."""
    from matplotlib.text import Text
    from seatlas.model import geography
    from seatlas.render.context import Context

    atlas, _ = load_data(Path(__file__).resolve().parent.parent / "data")
    ctx = Context(atlas=atlas, settings=None)
    for code in ("11380", "11200", "11410"):
        names = [
            r["name"]
            for kind, r, _place in geography.placed(atlas, ("clusters", "centers"), (code,))
            if kind in ("clusters", "centers")
        ]
        assert names, code
        fig = staticmap.figure(ctx, "시험", (code,), label_places=True)
        renderer = fig.canvas.get_renderer()
        labels = [t for t in fig.findobj(Text) if t.get_text() in names]
        assert sorted(t.get_text() for t in labels) == sorted(names), "one label per place"
        boxes = [t.get_window_extent(renderer) for t in labels]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                assert not a.overlaps(b), (code, a, b)


def test_label_grid_finds_every_overlapping_box_in_placing_order():
    """The grid of placed labels gives the same overlap sum as checking every box placed before."""
    import random

    from matplotlib.transforms import Bbox

    rng = random.Random(7)
    grid = staticmap._Boxes()
    placed = []
    for _ in range(400):
        x, y = rng.uniform(-50, 800), rng.uniform(-50, 600)
        box = Bbox.from_bounds(x, y, rng.uniform(1, 200), rng.choice([11.0, 22.0, 64.0, 128.0]))
        near = grid.near(box)
        assert [b for b in placed if staticmap._overlap(box, b)] == [b for b in near if staticmap._overlap(box, b)]
        assert sum(staticmap._overlap(box, b) for b in near) == sum(staticmap._overlap(box, b) for b in placed)
        grid.add(box)
        placed.append(box)
