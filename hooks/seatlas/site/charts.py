"""The figures page: charts drawn at build time as static, byte-reproducible SVG.

Text is drawn as paths with the NanumGothic font shipped in koreanize-matplotlib, so the
SVG needs no font on the reader's device; the numbers are also given as tables below.
"""

from __future__ import annotations

from collections import defaultdict

from markupsafe import Markup

from .. import cache
from ..model.labels import CLUSTER_KIND_LABELS
from ..model.records import Atlas, Record
from ..render.context import Context, Output
from ..render.formatting import M2_PER_PYEONG
from ..render.helpers import sources_line
from ..render.markdown import front_matter
from ..render.paths import rel
from ..render.templates import page_vars, render
from .chart_drawing import Chart, _wrap, fmt, svg_job

PAGE = "figures.md"


# -- the charts ------------------------------------------------------------------------------


def growth_chart(atlas: Atlas) -> Chart:
    recs = [f for f in atlas.all("figures") if f["group"] == "growth" and f.get("baseline") is not None]
    chart = Chart(
        "growth",
        "서울 사회적경제의 성장: 기업, 일자리, 공공구매",
        "",
        ("항목", "기준 시점", "기준값", "시점", "값", "단위", "배수"),
        records=recs,
        align="llrlrlr",
    )
    if not recs:
        return chart
    panels = []
    for r in recs:
        base_when = r.get("baseline_date")
        panels.append(
            {
                "labels": [base_when.korean() if base_when else "기준", r["date"].korean()],
                "values": [r["baseline"], r["value"]],
                "title": _wrap(f"{r['label']} ({r['unit']})", 16),
            }
        )
        chart.rows.append(
            (
                r["label"],
                base_when.korean() if base_when else "–",
                fmt(r["baseline"]),
                r["date"].korean(),
                fmt(r["value"]),
                r["unit"],
                f"{r['value'] / r['baseline']:.1f}배" if r["baseline"] else "–",
            )
        )
    chart.drawing = {"panels": panels}
    chart.alt = "막대그래프: " + "; ".join(
        f"{row[0]} {row[1]} {row[2]}{row[5]} → {row[3]} {row[4]}{row[5]}" for row in chart.rows
    )
    return chart


def _cluster_area(c: Record) -> float | None:
    if c.get("floor_area_m2") is not None:
        return c["floor_area_m2"]
    if c.get("floor_area_pyeong") is not None:
        return c["floor_area_pyeong"] * M2_PER_PYEONG
    return None


def clusters_chart(atlas: Atlas) -> Chart:
    districts = {d.id: d for d in atlas.all("districts")}
    by_district: dict[str, list[Record]] = defaultdict(list)
    for c in atlas.all("clusters"):
        if c["kind"] == "district-cluster" and (_cluster_area(c) is not None or c.get("tenant_count") is not None):
            by_district[c["district"]].append(c)
    chart = Chart(
        "clusters",
        "자치구 클러스터의 연면적과 입주 조직 수",
        "",
        ("자치구", "클러스터", "개관", "연면적(㎡)", "입주 조직"),
        align="lllrr",
        records=[c for cs in by_district.values() for c in cs],
    )
    if not by_district:
        return chart
    rows = []
    for code, cs in by_district.items():
        name = districts[code]["name_ko"] if code in districts else code
        planned = all(c["status"] == "planned" for c in cs)
        areas = [a for a in (_cluster_area(c) for c in cs) if a is not None]
        tenants = [c["tenant_count"] for c in cs if c.get("tenant_count") is not None]
        rows.append(
            (
                name + (" (예정)" if planned else ""),
                sum(areas) if areas else None,
                sum(tenants) if tenants else None,
                cs,
            )
        )
    rows.sort(key=lambda row: (-(row[1] or 0), row[0]))
    chart.drawing = {
        "names": [row[0] for row in rows],
        "areas": [row[1] for row in rows],
        "tenants": [row[2] for row in rows],
    }
    for name, _area, _tenants, cs in rows:
        for c in cs:
            opened = c.get("opened")
            chart.rows.append(
                (
                    name,
                    c["name"],
                    (opened.korean() if opened else "–") + (" 예정" if c["status"] == "planned" else ""),
                    fmt(round(_cluster_area(c), 2), 2) if _cluster_area(c) is not None else "–",
                    fmt(c["tenant_count"]) if c.get("tenant_count") is not None else "–",
                )
            )
    chart.alt = "가로 막대그래프, 자치구별 연면적과 입주 조직 수: " + "; ".join(
        f"{n} {fmt(round(a)) if a is not None else '면적 자료 없음'}㎡, {t if t is not None else '자료 없음'}개 조직"
        for n, a, t, _ in rows
    )
    chart.note = f"{CLUSTER_KIND_LABELS['district-cluster']}만 그렸습니다. 예정인 곳의 수치는 예정 값입니다."
    return chart


def kpi_chart(atlas: Atlas, year: int = 2018) -> Chart:
    recs = [
        f
        for f in atlas.all("figures")
        if f["group"] == "kpi" and f["date"].year == year and f.get("target") and f.get("target") > 0
    ]
    chart = Chart(
        "kpi",
        f"{year} 성과지표: 목표 대비 실적 (달성률)",
        "",
        ("사업", "지표", "목표", "실적", "단위", "달성률"),
        records=recs,
        align="llrrlr",
    )
    if not recs:
        return chart
    pct = [r["value"] / r["target"] * 100 for r in recs]
    chart.drawing = {"labels": [_wrap(f"{r['label']}", 22) for r in recs], "pct": pct}
    for r, p in zip(recs, pct, strict=True):
        chart.rows.append(
            (r.get("program") or "–", r["label"], fmt(r["target"]), fmt(r["value"]), r["unit"], f"{p:.0f}%")
        )
    met = sum(1 for p in pct if p >= 100)
    chart.alt = f"가로 막대그래프: 목표가 있는 성과지표 {len(recs)}개 중 {met}개가 목표를 달성했습니다. " + "; ".join(
        f"{r['label']} {p:.0f}%" for r, p in zip(recs, pct, strict=True)
    )
    chart.note = "목표가 없는 지표는 달성률을 셀 수 없어 빠졌습니다."
    return chart


def is_budget_line(r: Record, year: int, flow: str = "spending") -> bool:
    """A line of one year's budget and settlement in one direction: has a budget (target) and is no total."""
    # Lines written before `flow` existed were all spending lines.
    return (
        r["group"] == "budget"
        and r["date"].year == year
        and r.get("target") is not None
        and r["unit"] == "원"
        and "합계" not in (r.get("program") or "")
        and (r.get("flow") or "spending") == flow
    )


def _budget_totals(atlas: Atlas, year: int) -> list[Record]:
    return [
        f
        for f in atlas.all("figures")
        if f["group"] == "budget"
        and f["date"].year == year
        and f.get("target") is not None
        and f["unit"] == "원"
        and "합계" in (f.get("program") or "")
    ]


def budget_chart(atlas: Atlas, year: int = 2018) -> Chart:
    recs = [f for f in atlas.all("figures") if is_budget_line(f, year)]
    chart = Chart(
        "budget",
        f"{year} 서울시사회적경제지원센터 세출: 사업별 예산과 집행액",
        "",
        ("사업", "예산(원)", "집행액(원)", "집행률"),
        records=recs,
        align="lrrr",
    )
    if not recs:
        return chart
    chart.drawing = {
        "names": [_wrap(r["program"].split(" > ")[-1], 14) for r in recs],
        "targets": [r["target"] for r in recs],
        "values": [r["value"] for r in recs],
    }
    for r in recs:
        rate = f"{r['value'] / r['target'] * 100:.1f}%" if r["target"] else "–"
        chart.rows.append((r["program"], fmt(r["target"]), fmt(r["value"]), rate))
    chart.alt = "가로 막대그래프, 사업별 예산과 집행액(억 원): " + "; ".join(
        f"{r['program'].split(' > ')[-1]} 예산 {r['target'] / 1e8:.2f}억, 집행 {r['value'] / 1e8:.2f}억" for r in recs
    )
    chart.note = "합계와 세입 항목은 빼고, 세출의 사업별 줄만 그렸습니다. 세입은 바로 아래 그래프와 표에 있습니다."
    return chart


def _eok(won: float) -> str:
    return f"{won / 1e8:.2f}억" if won else "없음"


def _heading(r: Record) -> str:
    """The top heading (관) of a settlement line, the first part of its program path."""
    return (r.get("program") or r["label"]).split(" > ")[0]


def revenue_chart(atlas: Atlas, year: int = 2018) -> Chart:
    revenue = [f for f in atlas.all("figures") if is_budget_line(f, year, "revenue")]
    spending = [f for f in atlas.all("figures") if is_budget_line(f, year, "spending")]
    totals = sorted(_budget_totals(atlas, year), key=lambda r: r.get("flow") != "revenue")
    chart = Chart(
        "revenue",
        f"{year} 서울시사회적경제지원센터 세입과 세출: 들어온 돈과 쓴 돈",
        "",
        ("구분", "항목", "예산(원)", "집행액(원)", "집행률"),
        records=revenue + spending + totals,
        align="llrrr",
    )
    if not revenue:
        return chart
    sums: dict[str, list[float]] = {}
    for side, recs in ((0, revenue), (1, spending)):
        for r in recs:
            sums.setdefault(_heading(r), [0, 0])[side] += r["value"]
    names = list(sums)
    chart.drawing = {
        "names": names,
        "revenue": [sums[n][0] for n in names],
        "spending": [sums[n][1] for n in names],
    }
    side_name = {"revenue": "세입", "spending": "세출"}
    for r in revenue + totals:
        rate = f"{r['value'] / r['target'] * 100:.1f}%" if r["target"] else "–"
        side = side_name[r.get("flow") or "spending"]
        chart.rows.append((side, r.get("program") or r["label"], fmt(r["target"]), fmt(r["value"]), rate))
    chart.alt = "가로 막대그래프, 관별 세입과 세출 집행액(억 원): " + "; ".join(
        f"{n} 세입 {_eok(sums[n][0])}, 세출 {_eok(sums[n][1])}" for n in names
    )
    chart.note = (
        "그래프는 세입과 세출을 관(큰 항목)별로 더해 나란히 그렸습니다. "
        "표에는 세입의 항목별 예산과 집행액, 세입·세출 합계를 적었고, 세출의 사업별 줄은 위 표에 있습니다."
    )
    return chart


CHARTS = (growth_chart, clusters_chart, kpi_chart, budget_chart, revenue_chart)


def charts(atlas: Atlas) -> list[Chart]:
    """Every chart with its table; the SVGs kept from an earlier build or drawn (in parallel where allowed)."""
    made = [make(atlas) for make in CHARTS]
    drawn = [c for c in made if c.drawing is not None]
    # A chart is drawn from its plain `drawing` alone, so the preview's helper process may draw it.
    jobs = [svg_job(c) for c in drawn]
    svgs = cache.store().files("charts", jobs, text=True, portable=True, library="matplotlib")
    for chart, svg in zip(drawn, svgs, strict=True):
        chart.svg = svg
    return made


def generate(ctx: Context) -> list[Output]:
    made = charts(ctx.atlas)
    cites = {c.slug: sources_line(ctx.atlas, c.records, PAGE) for c in made}
    images = {c.slug: Markup(rel(PAGE, c.path)) for c in made}
    body = render("figures.md.j2", charts=made, cites=cites, images=images, **page_vars(PAGE, ctx.atlas))
    desc = "서울 사회적경제의 성장, 자치구 클러스터, 2018 성과지표와 세입·세출을 그래프와 표로 봅니다."
    outputs = [Output(PAGE, front_matter("숫자로 보기", desc) + body)]
    outputs += [Output(c.path, c.svg) for c in made if c.svg]
    return outputs
