"""How numbers, floor areas (㎡ and 평) and opening dates read on the site."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from ..model.records import Record
from .markdown import md

M2_PER_PYEONG = 400 / 121
# How a value listed in a record's `estimated` is named in the plain statement under a chart.
ESTIMATE_WORDS = {
    "date": "시점",
    "baseline_date": "기준 시점",
    "value": "값",
    "baseline": "기준값",
    "target": "목표",
    "start": "날짜",
    "end": "끝 날짜",
    "published": "발행일",
    "countries": "참가국 수",
    "participants": "참가자 수",
    "opened": "개관 시기",
}


def number(value: Any, digits: int = 0) -> Markup:
    """A number with thousands separators, e.g. 1,100 or 2,096.8."""
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer() and digits == 0):
        return Markup(f"{int(value):,}")
    text = f"{value:,.{digits or 2}f}".rstrip("0").rstrip(".")
    return Markup(text)


def pyeong(m2: float) -> float:
    return m2 / M2_PER_PYEONG


def area(record: Record) -> Markup:
    """The floor area in ㎡ and 평, whichever of the two the record gives."""
    m2 = record.get("floor_area_m2")
    if m2 is not None:
        return Markup(f"{number(m2, 2)}㎡ (약 {number(round(pyeong(m2), 1), 1)}평)")
    py = record.get("floor_area_pyeong")
    if py is not None:
        return Markup(f"약 {number(round(py * M2_PER_PYEONG, 1), 1)}㎡ ({number(py, 1)}평)")
    return Markup("")


def date_text(record: Record, name: str) -> str:
    """A date of a record in Korean, with '추정' after it when the record marks it as an estimate."""
    text = record[name].korean()
    return f"{text} 추정" if is_estimated(record, name) else text


def opened_text(record: Record) -> str:
    """When a place opened ('추정' after an estimated date), or '<date> 개관 예정' for a planned one."""
    text = date_text(record, "opened") if record.get("opened") else ""
    return f"{text} 개관 예정".strip() if record["status"] == "planned" else text


def opened(record: Record) -> Markup:
    """opened_text for a Markdown page."""
    return md(opened_text(record))


def is_estimated(record: Record, name: str) -> bool:
    return name in (record.get("estimated") or ())


def about(record: Record, name: str, digits: int = 0) -> Markup:
    """A number of a record, with '약' before it when the record marks it as an estimate."""
    text = number(record[name], digits)
    return Markup(f"약 {text}") if is_estimated(record, name) else text


def when(record: Record, name: str) -> Markup:
    """date_text for a Markdown page."""
    return md(date_text(record, name))


def estimate_statement(records: list[Record]) -> Markup:
    """'추정하거나 어림한 값: <what> (<which>), …' for the records that mark estimates, or nothing."""
    parts = []
    for r in records:
        names = [ESTIMATE_WORDS.get(n, n) for n in r.get("estimated") or ()]
        if names:
            label = r.get("label") or r.get("title") or r.get("name") or ""
            parts.append(f"{md(label)} ({md('·'.join(names))})")
    return Markup("추정하거나 어림한 값: " + ", ".join(parts)) if parts else Markup("")
