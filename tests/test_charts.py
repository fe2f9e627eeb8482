"""Figures page: static SVG charts that need no font, are byte-identical across builds and have text alternatives."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import html5lib
import yaml
from conftest import ROOT, run_build
from seatlas.model.load import load_data
from seatlas.model.records import Atlas
from seatlas.render.context import Context
from seatlas.site import charts

SVG = "{http://www.w3.org/2000/svg}"
CHARTS = ("growth", "clusters", "kpi", "budget")


def parse(html: str):
    return html5lib.parse(html, namespaceHTMLElements=False)


def text(el) -> str:
    return " ".join("".join(el.itertext()).split())


def test_charts_are_byte_identical_across_two_builds(project: Path):
    first = run_build(project, "-d", str(project / "site-a"))
    second = run_build(project, "-d", str(project / "site-b"))
    assert first.returncode == 0, first.output
    assert second.returncode == 0, second.output
    a, b = project / "site-a", project / "site-b"
    names = sorted(p.name for p in (a / "assets" / "charts").glob("*.svg"))
    assert names == sorted(f"{c}.svg" for c in CHARTS)
    for name in names:
        assert (a / "assets" / "charts" / name).read_bytes() == (b / "assets" / "charts" / name).read_bytes(), name
    assert (a / "figures" / "index.html").read_bytes() == (b / "figures" / "index.html").read_bytes()


def test_svgs_draw_text_as_paths_and_have_a_title(real_site):
    for name in CHARTS:
        raw = (real_site.site / "assets" / "charts" / f"{name}.svg").read_text(encoding="utf-8")
        root = ET.fromstring(raw.encode("utf-8"))
        assert root.tag == f"{SVG}svg"
        assert root.get("role") == "img"
        assert not list(root.iter(f"{SVG}text")), f"{name}: <text> needs a font on the reader's device"
        assert "font-family" not in raw and "@font-face" not in raw
        titles = [t for t in root if t.tag == f"{SVG}title"]
        assert len(titles) == 1 and titles[0].text.strip(), name
        # Hangul glyphs are drawn from NanumGothic outlines.
        assert any((p.get("id") or "").startswith("NanumGothic-") for p in root.iter(f"{SVG}path")), name
        assert "Date" not in raw and "<dc:date>" not in raw


def test_figures_page_has_alt_text_tables_and_sources(real_site):
    doc = parse(real_site.html("figures/"))
    article = doc.find(".//article")
    figures = [f for f in article.iter("figure") if "atlas-chart" in (f.get("class") or "")]
    assert len(figures) == len(CHARTS)
    atlas, _ = load_data(ROOT / "data")
    growth = [f for f in atlas.all("figures") if f["group"] == "growth" and f.get("baseline") is not None]
    for fig in figures:
        img = fig.find(".//img")
        assert img.get("alt") and len(img.get("alt")) > 20
        assert img.get("src").startswith("../assets/charts/")
        caption = text(fig.find("figcaption"))
        assert caption.startswith("출처:") and "기준" in caption
        assert fig.find("figcaption//a[@href]").get("href").startswith("../sources/#")
    # The numbers are repeated in a table right after each figure.
    children = list(article)
    for fig in figures:
        following = children[children.index(fig) + 1 :]
        assert following and following[0].tag in ("table", "div"), "a table follows each chart"
    tables_text = " ".join(text(t) for t in article.iter("table"))
    for r in growth:
        assert f"{r['value']:,}" in tables_text and f"{r['baseline']:,}" in tables_text
    assert "2,096.8" in tables_text  # a cluster's floor area
    assert "470%" in tables_text  # an achievement rate (47 of a target of 10)
    assert "1,214,856,746" in tables_text  # a budget line


def test_chart_without_data_is_left_out_with_a_note():
    empty = Atlas({})
    made = charts.charts(empty)
    assert [c.svg for c in made] == ["", "", "", ""]
    outputs = charts.generate(Context(atlas=empty, settings=None))
    assert [o.path for o in outputs] == ["figures.md"]
    page = outputs[0].content
    assert page.count("자료 없음") == len(CHARTS)


def test_missing_group_in_real_build_shows_note_and_other_charts(project: Path):
    path = project / "data" / "figures.yml"
    records = [r for r in yaml.safe_load(path.read_text(encoding="utf-8")) if r["group"] != "kpi"]
    # A hostile label must reach the SVG and the page only as escaped text.
    records[0]["label"] = '<script>alert(1)</script> & "따옴표" | 표'
    path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = run_build(project)
    assert result.returncode == 0, result.output
    assert not (result.site / "assets" / "charts" / "kpi.svg").exists()
    assert (result.site / "assets" / "charts" / "growth.svg").exists()
    html = result.html("figures/")
    assert "<script>alert(1)" not in html
    doc = parse(html)
    article = doc.find(".//article")
    assert "이 그래프를 그릴 수치가 자료에 없어" in text(article)
    assert '<script>alert(1)</script> & "따옴표" | 표' in " ".join(text(t) for t in article.iter("table"))
    svg = (result.site / "assets" / "charts" / "growth.svg").read_text(encoding="utf-8")
    ET.fromstring(svg.encode("utf-8"))  # still well-formed XML
    assert "<script" not in svg


def test_same_atlas_gives_same_svg_in_one_process():
    atlas, problems = load_data(ROOT / "data")
    assert not problems
    first = [c.svg for c in charts.charts(atlas)]
    second = [c.svg for c in charts.charts(atlas)]
    assert first == second and all(first)
