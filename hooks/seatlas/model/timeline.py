"""Dated events from history, GSEF milestones and cluster openings, in one order."""

from __future__ import annotations

from dataclasses import dataclass

from .labels import CATEGORY_LABELS
from .records import Atlas, Record
from .types import PartialDate


@dataclass(frozen=True)
class Event:
    """One item of a timeline."""

    field: str
    """The record's field the date is read from (what its `estimated` names)."""
    end: PartialDate | None
    title: str
    category: str
    districts: tuple[str, ...]
    record: Record
    planned: bool = False

    @property
    def date(self) -> PartialDate:
        return self.record[self.field]

    @property
    def category_label(self) -> str:
        return CATEGORY_LABELS.get(self.category, self.category)

    def sort_key(self) -> tuple:
        return (*self.date.sort_key(), self.record.record_type, self.record.id)


def _history_event(r: Record) -> Event:
    return Event("date", r.get("end"), r["title"], r["category"], tuple(r.get("districts", ())), r)


def _opening_event(r: Record) -> Event:
    planned = r["status"] == "planned"
    title = f"{r['name']} 개관{' 예정' if planned else ''}"
    return Event("opened", None, title, "opening", (r["district"],), r, planned)


def history_events(atlas: Atlas) -> list[Event]:
    return sorted(map(_history_event, atlas.all("history")), key=Event.sort_key)


def gsef_events(atlas: Atlas) -> list[Event]:
    return sorted(
        (Event("start", r.get("end"), r["title"], "gsef", (), r) for r in atlas.all("gsef")),
        key=Event.sort_key,
    )


def opening_events(atlas: Atlas) -> list[Event]:
    """Clusters in opening order; planned ones marked as such."""
    dated = [r for r in atlas.all("clusters") if r.get("opened") is not None]
    return sorted(map(_opening_event, dated), key=Event.sort_key)


def district_events(atlas: Atlas, code: str) -> list[Event]:
    """The slice of the timelines that concerns one district (read from the district index, not a full scan)."""
    mine = [_history_event(r) for r in atlas.in_district("history", code)]
    # A history opening stands for its cluster's opening; other events about a cluster (a festival held in it) do not.
    covered = {c for e in mine if e.record["category"] == "opening" for c in e.record.get("clusters", ())}
    mine += [
        _opening_event(r)
        for r in atlas.in_district("clusters", code)
        if r.get("opened") is not None and r["district"] == code and r.id not in covered
    ]
    return sorted(mine, key=Event.sort_key)
