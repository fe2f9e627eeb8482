"""Freshness: records whose `as_of` is old, listed for editors and summarised in the build log.

Stale data is information, not an error: it is logged at INFO so `mkdocs build --strict` still passes.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from ..model.records import Atlas, Record
from ..model.schema import BY_NAME
from ..render.context import Context, Output
from ..render.markdown import front_matter
from ..render.templates import render

log = logging.getLogger("mkdocs.hooks.atlas")
PAGE = "guide/stale.md"


@dataclass(frozen=True)
class Stale:
    record: Record
    age_days: int


def reference_day(atlas: Atlas, today: str | None) -> dt.date | None:
    """The day ages are measured from: the `today` setting, else the newest `as_of` (deterministic)."""
    if today:
        return dt.date.fromisoformat(today)
    return max((r["as_of"] for r in atlas if r.get("as_of")), default=None)


def stale_records(atlas: Atlas, day: dt.date | None, limit_days: int) -> list[Stale]:
    """Records older than the limit, oldest first, then by file and line."""
    if day is None:
        return []
    found = [Stale(r, (day - r["as_of"]).days) for r in atlas if r.get("as_of")]
    found = [s for s in found if s.age_days > limit_days]
    return sorted(found, key=lambda s: (-s.age_days, s.record.file, s.record.line, s.record.id))


def generate(ctx: Context) -> list[Output]:
    today, limit = ctx.settings.today, ctx.settings.stale_after_days
    day = reference_day(ctx.atlas, today)
    stale = stale_records(ctx.atlas, day, limit)
    if stale:
        log.info(
            "atlas: %d of %d records are older than %d days (measured on %s); list: %s",
            len(stale),
            sum(1 for r in ctx.atlas if r.get("as_of")),
            limit,
            day.isoformat(),
            PAGE,
        )
    body = render(
        "stale.md.j2",
        stale=stale,
        day=day,
        limit=limit,
        from_setting=bool(today),
        titles={name: t.title for name, t in BY_NAME.items()},
    )
    desc = "확인한 지 오래된 기록의 목록 (편집자용)."
    return [Output(PAGE, front_matter("오래된 기록", desc) + body)]
