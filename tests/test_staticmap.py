"""Static PNG maps: one per district and city, Hangul drawn with NanumGothic, identical across builds."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import run_build
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from PIL import Image, ImageChops
from seatlas.maps import staticmap
from seatlas.model.load import load_data

TITLE_ROWS = 45  # the band above the map where only the title is drawn


def _image(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data)).convert("RGB")


def _darkest(img: Image.Image) -> int:
    return min(low for low, _high in img.getextrema())


def _title_alone(title: str, font: FontProperties) -> Image.Image:
    """The title drawn as the static map draws it, on an otherwise empty canvas."""
    fig = Figure(
        figsize=(staticmap.SIZE_PX[0] / staticmap.DPI, staticmap.SIZE_PX[1] / staticmap.DPI), dpi=staticmap.DPI
    )
    fig.text(0.02, 0.95, title, fontproperties=font, va="center")
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
    font_file = staticmap.font_file()
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


def test_attribution_and_legend_are_drawn(real_site):
    png = _image((real_site.site / "maps" / "seoul.png").read_bytes())
    w, h = staticmap.SIZE_PX
    bottom = png.crop((w // 2, h - 20, w, h))
    assert _darkest(bottom) < 160, "no attribution text in the bottom-right corner"


def test_rebuilds_are_byte_identical(real_site, project: Path):
    again = run_build(project)
    assert again.returncode == 0, again.output
    first, second = real_site.site, again.site
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
