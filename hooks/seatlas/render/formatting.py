"""How numbers, floor areas (㎡ and 평) and opening dates read on the site."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from ..model.records import Record
from .markdown import md

M2_PER_PYEONG = 400 / 121


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


def opened(record: Record) -> Markup:
    """When a place opened, or '<date> 개관 예정' for a planned one."""
    when = record.get("opened")
    if record["status"] == "planned":
        return Markup(f"{md(when.korean())} 개관 예정" if when else "개관 예정")
    return md(when.korean()) if when else Markup("")
