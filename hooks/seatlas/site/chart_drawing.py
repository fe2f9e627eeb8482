"""Drawing charts as static, byte-reproducible SVG: fonts, Matplotlib settings, shared pieces.

Text is drawn as paths with the NanumGothic font shipped in koreanize-matplotlib, so the
SVG needs no font on the reader's device.
"""

from __future__ import annotations

import functools
import io
import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from .. import cache
from ..model.records import Record

CHART_DIR = "assets/charts"
COLORS = ("#00897b", "#ef6c00", "#5e35b1", "#90a4ae")
# Matplotlib names clip paths from a hash salted with this; fixed so that builds are identical.
HASH_SALT = "seoul-social-economy-atlas"


@dataclass
class Chart:
    """One chart: its SVG, its description and the rows of its accessible table."""

    slug: str
    title: str
    alt: str
    headers: tuple[str, ...]
    rows: list[tuple] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    svg: str = ""
    note: str = ""
    # Everything the figure shows, as plain data: the SVG is looked up by it and drawn from it alone.
    drawing: dict | None = None
    # One letter per column of the table: l(eft) for text, r(ight) for numbers.
    align: str = ""

    @property
    def path(self) -> str:
        return f"{CHART_DIR}/{self.slug}.svg"


@functools.cache
def font_name() -> str:
    """Register the font file once and return its family name."""
    from matplotlib import font_manager

    font = str(cache.fingerprints.font_file())
    font_manager.fontManager.addfont(font)
    return font_manager.FontProperties(fname=font).get_name()


def _rc() -> dict:
    return {
        "svg.fonttype": "path",
        "svg.hashsalt": HASH_SALT,
        "svg.image_inline": True,
        "font.family": [font_name()],
        "font.size": 10,
        "axes.unicode_minus": False,
        # Labels come from the data: a '$' must stay a dollar sign, not start a formula.
        "text.parse_math": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "path.simplify": True,
    }


def svg_job(chart: Chart) -> tuple[str, dict[str, str], functools.partial]:
    """The chart's SVG as a cache job, found by its drawing (plus fonts, engine, libraries) before anything is drawn."""
    # A drawing function sees only the drawing, so the key holds everything it can show.
    inputs = cache.fingerprints.drawing_inputs([chart.slug, chart.title], chart.drawing, with_fonts=True)
    return chart.path, inputs, functools.partial(draw_svg, chart.slug, chart.drawing, chart.title)


def draw_svg(slug: str, drawing: dict, title: str) -> str:
    return with_rc(lambda: _svg(DRAW[slug](drawing), title))


def _svg(fig, title: str) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None, "Title": title})
    # Matplotlib repeats every label in a comment; the <title> and the table carry the text instead.
    svg = re.sub(r"<!--.*?-->", "", buf.getvalue(), flags=re.S)
    # Matplotlib writes the Title metadata as the <title> element; role="img" makes the drawing one image.
    if "<title>" not in svg:
        svg = re.sub(r"(<svg\b[^>]*>)", lambda m: f"{m.group(1)}<title>{escape(title)}</title>", svg, count=1)
    svg = re.sub(r"<svg\b", '<svg role="img"', svg, count=1)
    return svg


def _figure(width: float, height: float):
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def _label_bars(ax, bars, texts, horizontal: bool) -> None:
    for bar, text in zip(bars, texts, strict=True):
        if horizontal:
            ax.annotate(
                text,
                (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize=8,
            )
        else:
            ax.annotate(
                text,
                (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                fontsize=8,
            )


def thousands():
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _pos: f"{v:,.0f}")


def fmt(value: float, digits: int = 0) -> str:
    if isinstance(value, int) or (float(value).is_integer() and digits == 0):
        return f"{int(value):,}"
    return f"{value:,.{digits or 1}f}"


def _wrap(text: str, width: int = 14) -> str:
    """Break a long Korean label on spaces so tick labels stay narrow."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)


def with_rc(draw):
    import matplotlib

    with matplotlib.rc_context(_rc()):
        return draw()


# -- the figures, each drawn from its drawing alone -----------------------------------------


def draw_growth(drawing: dict):
    panels = drawing["panels"]
    fig = _figure(max(3.0 * len(panels), 6.0), 3.6)
    axes = fig.subplots(1, len(panels), squeeze=False)[0]
    for ax, panel in zip(axes, panels, strict=True):
        baseline, value = panel["values"]
        bars = ax.bar(panel["labels"], [baseline, value], color=[COLORS[3], COLORS[0]], width=0.6)
        _label_bars(ax, bars, [fmt(baseline), fmt(value)], horizontal=False)
        ax.set_title(panel["title"], fontsize=10)
        ax.yaxis.set_major_formatter(thousands())
        ax.set_ylim(0, max(baseline, value) * 1.18)
        ax.tick_params(axis="x", labelsize=9)
    return fig


def draw_clusters(drawing: dict):
    names, areas, tenants = (drawing[k] for k in ("names", "areas", "tenants"))
    fig = _figure(7.5, 0.42 * len(names) + 1.4)
    ax_area, ax_tenants = fig.subplots(1, 2, sharey=True)
    ys = list(range(len(names)))
    bars = ax_area.barh(ys, [a or 0 for a in areas], color=COLORS[0], height=0.65)
    _label_bars(ax_area, bars, [fmt(round(a)) if a is not None else "자료 없음" for a in areas], True)
    bars = ax_tenants.barh(ys, [t or 0 for t in tenants], color=COLORS[1], height=0.65)
    _label_bars(ax_tenants, bars, [fmt(t) if t is not None else "자료 없음" for t in tenants], True)
    ax_area.set_yticks(ys, names)
    ax_area.invert_yaxis()
    ax_area.margins(y=0.01)
    ax_area.xaxis.set_major_formatter(thousands())
    ax_area.set_title("연면적 (㎡)", fontsize=10)
    ax_tenants.set_title("입주 조직 (개)", fontsize=10)
    ax_area.set_xlim(0, max(a or 0 for a in areas) * 1.25 or 1)
    ax_tenants.set_xlim(0, max(t or 0 for t in tenants) * 1.3 or 1)
    return fig


def draw_kpi(drawing: dict):
    labels, pct = drawing["labels"], drawing["pct"]
    fig = _figure(7.5, 0.36 * len(pct) + 1.4)
    ax = fig.subplots()
    ys = list(range(len(pct)))
    colors = [COLORS[0] if p >= 100 else COLORS[1] for p in pct]
    bars = ax.barh(ys, pct, color=colors, height=0.65)
    _label_bars(ax, bars, [f"{p:.0f}%" for p in pct], True)
    ax.margins(y=0.01)
    ax.axvline(100, color="#37474f", linewidth=1, linestyle="--")
    ax.set_yticks(ys, labels, fontsize=7.5)
    ax.invert_yaxis()
    ax.set_xlabel("달성률 (%) — 점선이 목표(100%)")
    ax.set_xlim(0, max(pct) * 1.12)
    return fig


def draw_budget(drawing: dict):
    names, targets, values = (drawing[k] for k in ("names", "targets", "values"))
    ys = list(range(len(names)))
    fig = _figure(7.5, 0.5 * len(names) + 1.5)
    ax = fig.subplots()
    h = 0.38
    ax.barh([y - h / 2 for y in ys], [t / 1e8 for t in targets], height=h, color=COLORS[3], label="예산")
    bars = ax.barh([y + h / 2 for y in ys], [v / 1e8 for v in values], height=h, color=COLORS[0], label="집행")
    _label_bars(ax, bars, [f"{v / 1e8:.2f}억" for v in values], True)
    ax.set_yticks(ys, names, fontsize=8.5)
    ax.invert_yaxis()
    ax.margins(y=0.02)
    ax.set_xlabel("억 원")
    ax.set_xlim(0, max(max(t, v) for t, v in zip(targets, values, strict=True)) / 1e8 * 1.2)
    ax.legend(loc="lower right", frameon=False)
    return fig


def draw_revenue(drawing: dict):
    names, sides = drawing["names"], (drawing["revenue"], drawing["spending"])
    ys = list(range(len(names)))
    fig = _figure(7.5, 0.62 * len(names) + 1.5)
    ax = fig.subplots()
    h = 0.38
    for side, (label, color, offset) in enumerate((("세입", COLORS[0], -h / 2), ("세출", COLORS[1], h / 2))):
        values = [v / 1e8 for v in sides[side]]
        bars = ax.barh([y + offset for y in ys], values, height=h, color=color, label=label)
        _label_bars(ax, bars, [f"{v:.2f}억" if v else "" for v in values], True)
    ax.set_yticks(ys, [_wrap(n, 10) for n in names], fontsize=8.5)
    ax.invert_yaxis()
    ax.margins(y=0.02)
    ax.set_xlabel("억 원 (집행액)")
    ax.set_xlim(0, max(max(r, s) for r, s in zip(*sides, strict=True)) / 1e8 * 1.2)
    ax.legend(loc="lower right", frameon=False)
    return fig


DRAW = {
    "growth": draw_growth,
    "clusters": draw_clusters,
    "kpi": draw_kpi,
    "budget": draw_budget,
    "revenue": draw_revenue,
}
