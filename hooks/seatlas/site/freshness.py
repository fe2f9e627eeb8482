"""Freshness: records whose `as_of` is old, listed for editors; the glue prints the summary.

Stale data is information, not an error: it never fails `mkdocs build --strict`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..model.records import Atlas, Record
from ..model.schema import BY_NAME
from ..render.context import Context, Output
from ..render.markdown import front_matter
from ..render.templates import render

PAGE = "guide/stale.md"


@dataclass(frozen=True)
class Stale:
    record: Record
    age_days: int


def reference_day(atlas: Atlas, today: dt.date | str | None) -> dt.date | None:
    """The day ages are measured from: the `today` setting, else the data date (deterministic)."""
    if isinstance(today, str):
        return dt.date.fromisoformat(today)
    return today or atlas.data_date()


def stale_records(atlas: Atlas, day: dt.date | None, limit_days: int) -> list[Stale]:
    """Records older than the limit, oldest first, then by file and line."""
    if day is None:
        return []
    found = [Stale(r, (day - r["as_of"]).days) for r in atlas if r.get("as_of")]
    found = [s for s in found if s.age_days > limit_days]
    return sorted(found, key=lambda s: (-s.age_days, s.record.file, s.record.line, s.record.id))


def summary(ctx: Context) -> str | None:
    """One line for the terminal about stale records, or None when there are none."""
    limit = ctx.settings.stale_after_days
    day = reference_day(ctx.atlas, ctx.settings.today)
    stale = stale_records(ctx.atlas, day, limit)
    if not stale:
        return None
    dated = sum(1 for r in ctx.atlas if r.get("as_of"))
    return (
        f"atlas: {len(stale)} of {dated} records are older than {limit} days (measured on {day.isoformat()}); "
        f"list: {PAGE}"
    )


def generate(ctx: Context) -> list[Output]:
    today, limit = ctx.settings.today, ctx.settings.stale_after_days
    day = reference_day(ctx.atlas, today)
    stale = stale_records(ctx.atlas, day, limit)
    body = render(
        "stale.md.j2",
        stale=stale,
        day=day,
        limit=limit,
        from_setting=bool(today),
        titles={name: t.title for name, t in BY_NAME.items()},
    )
    desc = "확인한 지 오래된 기록의 목록 (편집자용)."
    return [Output(PAGE, front_matter("오래된 기록", desc, search={"exclude": True}) + body)]
