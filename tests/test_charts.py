"""Figures page: static SVG charts that need no font, are byte-identical across builds and have text alternatives."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import html5lib
from conftest import ROOT
from seatlas import cache
from seatlas.model.load import load_data
from seatlas.model.records import Atlas
from seatlas.render.context import Context
from seatlas.site import charts
from variants import HOSTILE_FIGURE_LABEL

SVG = "{http://www.w3.org/2000/svg}"
CHARTS = ("growth", "clusters", "kpi", "budget", "revenue")


def parse(html: str):
    return html5lib.parse(html, namespaceHTMLElements=False)


def text(el) -> str:
    return " ".join("".join(el.itertext()).split())


def test_charts_are_byte_identical_across_two_builds(real_site, rebuilt_site):
    a, b = real_site.site, rebuilt_site.site
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
    tables = {fig.find(".//img").get("src").split("/")[-1][: -len(".svg")]: rows_after(article, fig) for fig in figures}
    assert sorted(tables) == sorted(CHARTS)
    # Each table holds the chart's numbers, as the data gives them.
    assert [row[0] for row in tables["growth"]] == [r["label"] for r in growth]
    for row, r in zip(tables["growth"], growth, strict=True):
        assert (row[2], row[4], row[5]) == (f"{r['baseline']:,}", f"{r['value']:,}", r["unit"]), r.id
        assert row[6] == f"{r['value'] / r['baseline']:.1f}배", r.id
    clusters = [c for c in atlas.all("clusters") if c["kind"] == "district-cluster"]
    clusters = [c for c in clusters if area_of(c) is not None or c.get("tenant_count") is not None]
    assert sorted(row[1] for row in tables["clusters"]) == sorted(c["name"] for c in clusters)
    for c in clusters:
        row = next(row for row in tables["clusters"] if row[1] == c["name"])
        tenants = f"{c['tenant_count']:,}" if c.get("tenant_count") is not None else "–"
        assert (row[3], row[4]) == (area_text(area_of(c)), tenants), c.id
    kpi = [f for f in atlas.all("figures") if f["group"] == "kpi" and f["date"].year == 2018 and f.get("target")]
    assert tables["kpi"] == [
        (f.get("program") or "–", f["label"], f"{f['target']:,}", f"{f['value']:,}", f["unit"], percent(f, 0))
        for f in kpi
    ]
    # The budget chart draws the 2018 spending lines: no totals, no revenue (its note says so).
    budget = [
        f
        for f in atlas.all("figures")
        if f["group"] == "budget" and f["date"].year == 2018 and f.get("target") is not None and f["unit"] == "원"
    ]
    lines = [f for f in budget if "합계" not in f["program"] and (f.get("flow") or "spending") == "spending"]
    assert 0 < len(lines) < len(budget)
    assert tables["budget"] == [(f["program"], f"{f['target']:,}", f"{f['value']:,}", percent(f, 1)) for f in lines]


def rows_after(article, fig) -> list[tuple[str, ...]]:
    """The body rows of the table that follows a figure, as cell texts."""
    children = list(article)
    follower = children[children.index(fig) + 1]
    table = follower if follower.tag == "table" else follower.find(".//table")
    return [tuple(text(td) for td in tr if td.tag == "td") for tr in table.iter("tr") if tr.find("td") is not None]


def area_of(cluster) -> float | None:
    if cluster.get("floor_area_m2") is not None:
        return cluster["floor_area_m2"]
    if cluster.get("floor_area_pyeong") is not None:
        return cluster["floor_area_pyeong"] * 400 / 121  # 1 평 = 400/121 ㎡
    return None


def area_text(area: float | None) -> str:
    if area is None:
        return "–"
    return f"{area:,}" if isinstance(area, int) else f"{round(area, 2):,.2f}"


def percent(figure, digits: int) -> str:
    return f"{figure['value'] / figure['target'] * 100:.{digits}f}%"


def section(article, slug: str) -> list:
    """The elements under the heading with this id, up to the next heading of the same level."""
    children = list(article)
    start = next(i for i, el in enumerate(children) if el.tag == "h2" and el.get("id") == slug)
    end = next((i for i in range(start + 1, len(children)) if children[i].tag == "h2"), len(children))
    return children[start + 1 : end]


def table_rows(elements) -> list[list[str]]:
    return [[text(cell) for cell in tr] for el in elements for tr in el.iter("tr")]


def test_figures_page_shows_revenue_beside_spending(real_site):
    atlas, _ = load_data(ROOT / "data")
    revenue = [f for f in atlas.all("figures") if charts.is_budget_line(f, 2018, "revenue")]
    # Each revenue line of the 2018 settlement is in the data, with its budget and actual amount.
    for name in (
        "민간위탁금",
        "시요청사업비",
        "입주기관사용료",
        "대관사용료",
        "마포작업장",
        "기술혁신랩",
        "이자수입",
        "기타수입",
    ):
        assert any(name in r["program"] for r in revenue), name
    assert any("보증금반납" in r["program"] for r in revenue)
    doc = parse(real_site.html("figures/"))
    article = doc.find(".//article")
    headings = [h.get("id") for h in article.iter("h2")]
    assert headings.index("revenue") == headings.index("budget") + 1, "revenue follows spending"
    spending_rows = table_rows(section(article, "budget"))
    assert ["민간위탁금 > 인건비", "1,214,856,746", "1,067,228,015", "87.8%"] in spending_rows
    elements = section(article, "revenue")
    rows = table_rows(elements)
    assert rows[0] == ["구분", "항목", "예산(원)", "집행액(원)", "집행률"]
    for r in revenue:
        assert ["세입", r["program"], f"{r['target']:,}", f"{r['value']:,}"] in [row[:4] for row in rows], r.id
    assert ["세입", "운영수입 > 기술혁신랩", "3,840,000", "5,218,000", "135.9%"] in rows
    assert ["세입", "세입 합계", "5,012,934,847", "5,010,282,975", "99.9%"] in rows
    assert ["세출", "세출 합계", "4,986,310,678", "4,838,190,018", "97.0%"] in rows
    figure = next(el for el in elements if el.tag == "figure")
    caption = text(figure.find("figcaption"))
    assert caption.startswith("출처: 2018 서울특별시 사회적경제지원센터 성과보고서") and "2018-12-31 기준" in caption
    alt = figure.find(".//img").get("alt")
    assert "민간위탁금 세입 49.23억, 세출 47.75억" in alt and "반납금 세입 없음, 세출 0.25억" in alt
    assert (real_site.site / "assets" / "charts" / "revenue.svg").exists()


def test_chart_without_data_is_left_out_with_a_note():
    empty = Atlas({})
    made = charts.charts(empty)
    assert [c.svg for c in made] == [""] * len(CHARTS)
    outputs = charts.generate(Context(atlas=empty, settings=None))
    assert [o.path for o in outputs] == ["figures.md"]
    page = outputs[0].content
    assert page.count("자료 없음") == len(CHARTS)


def test_missing_group_in_real_build_shows_note_and_other_charts(edited_site):
    # variants.without_kpi: no figure of the kpi group.
    assert not (edited_site.site / "assets" / "charts" / "kpi.svg").exists()
    assert (edited_site.site / "assets" / "charts" / "growth.svg").exists()
    article = parse(edited_site.html("figures/")).find(".//article")
    assert "이 그래프를 그릴 수치가 자료에 없어" in text(article)
    assert len([f for f in article.iter("figure") if "atlas-chart" in (f.get("class") or "")]) == len(CHARTS) - 1


def test_hostile_label_is_text_in_the_table_and_the_svg(hostile_site):
    # variants.hostile_figure_label: markup and a table pipe in a growth figure's label.
    html = hostile_site.html("figures/")
    assert "<script>alert(1)" not in html
    article = parse(html).find(".//article")
    assert HOSTILE_FIGURE_LABEL in " ".join(text(t) for t in article.iter("table"))
    svg = (hostile_site.site / "assets" / "charts" / "growth.svg").read_text(encoding="utf-8")
    ET.fromstring(svg.encode("utf-8"))  # still well-formed XML
    assert "<script" not in svg


def test_same_atlas_gives_same_svg_in_one_process(tmp_path, monkeypatch):
    atlas, problems = load_data(ROOT / "data")
    assert not problems
    monkeypatch.setenv("ATLAS_JOBS", "1")  # drawn here, twice, by the same process

    def svgs(n: int):
        # Each time with a cache of its own: the second drawing is drawn, not read back from the first.
        cache.open_project(tmp_path / str(n))
        made = [c.svg.get() if isinstance(c.svg, cache.Pending) else c.svg for c in charts.charts(atlas)]
        assert len(cache.store().made) == len(made)
        return made

    first = svgs(1)
    second = svgs(2)
    assert first == second and all(first)
