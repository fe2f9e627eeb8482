"""Drawing charts as static, byte-reproducible SVG: fonts, Matplotlib settings, shared pieces.

Text is drawn as paths with the NanumGothic font shipped in koreanize-matplotlib, so the
SVG needs no font on the reader's device.
"""

from __future__ import annotations

import importlib.util
import io
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from ..model import memo
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
    # One letter per column of the table: l(eft) for text, r(ight) for numbers.
    align: str = ""

    @property
    def path(self) -> str:
        return f"{CHART_DIR}/{self.slug}.svg"


@cache
def font_file() -> Path:
    """NanumGothic from the koreanize-matplotlib package (not imported: importing it changes rcParams)."""
    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec is None or spec.origin is None:
        raise RuntimeError("the koreanize-matplotlib package is needed to draw the charts (pip install it)")
    return Path(spec.origin).parent / "fonts" / "NanumGothic.ttf"


@cache
def font_name() -> str:
    """Register the font file once and return its family name."""
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(font_file()))
    return font_manager.FontProperties(fname=str(font_file())).get_name()


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


def to_svg(fig, chart: Chart) -> str:
    """The figure as SVG text with a <title> for screen readers and no date or version."""
    # A chart is drawn from its records alone, so equal records give the same SVG.
    key = (chart.slug, chart.title, [sorted(r.values.items()) for r in chart.records])
    return memo.cached("chart", key, lambda: _svg(fig, chart.title))


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
