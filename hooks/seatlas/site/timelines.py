"""Timeline pages (GSEF, the center's history, cluster openings) and their CSS and JS."""

from __future__ import annotations

from collections import Counter
from importlib import resources
from itertools import groupby

from ..model import timeline
from ..model.labels import CATEGORY_LABELS, GSEF_KIND_LABELS
from ..model.records import Record
from ..model.types import PartialDate
from ..render.context import Context, Output
from ..render.markdown import front_matter
from ..render.templates import page_vars, render

# Hand-written static files shipped in the package, served by the site itself (no third party).
ASSETS = {
    "assets/atlas-timeline.css": "timeline.css",
    "assets/atlas-timeline.js": "timeline.js",
}


def _truncated(d: PartialDate, precision: str) -> tuple[int, ...]:
    key = d.sort_key()
    return key[: {"year": 1, "month": 2, "day": 3}[precision]]


def not_before(a: PartialDate, b: PartialDate) -> bool:
    """Whether `a` is not known to lie before `b`, compared at the coarser of their precisions."""
    coarse = min((a.precision, b.precision), key=("year", "month", "day").index)
    return _truncated(a, coarse) >= _truncated(b, coarse)


def next_host(atlas) -> Record | None:
    """The latest announcement made at or after the latest forum or assembly: the next host city."""
    events = timeline.gsef_events(atlas)
    meetings = [e for e in events if e.record["kind"] in ("forum", "assembly")]
    if not meetings:
        return None
    last = meetings[-1].date
    later = [e for e in events if e.record["kind"] == "announcement" and not_before(e.date, last)]
    return later[-1].record if later else None


class TimelinePages:
    """Builds the timeline pages of one atlas."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.atlas = ctx.atlas

    def helpers(self, page: str) -> dict:
        return page_vars(page, self.atlas)

    def index(self) -> Output:
        page = "timelines/index.md"
        counts = {
            "gsef": len(self.atlas.all("gsef")),
            "history": len(self.atlas.all("history")),
            "openings": len(timeline.opening_events(self.atlas)),
            "clusters": len(self.atlas.all("clusters")),
        }
        body = render("timeline_index.md.j2", counts=counts, **self.helpers(page))
        desc = "GSEF, 서울시사회적경제지원센터 연혁, 자치구 클러스터 개관을 날짜순으로 봅니다."
        return Output(page, front_matter("연표", desc) + body)

    def gsef(self) -> Output:
        page = "timelines/gsef.md"
        events = timeline.gsef_events(self.atlas)
        body = render(
            "timeline_gsef.md.j2",
            events=events,
            next_host=next_host(self.atlas),
            kind_labels=GSEF_KIND_LABELS,
            **self.helpers(page),
        )
        years = sorted({e.date.year for e in events})
        span = f"{years[0]}~{years[-1]}" if years else ""
        desc = f"국제사회적경제협의체(GSEF)의 주요 사건 {span}: 개최 도시, 채택된 선언, 참가 규모."
        return Output(page, front_matter("GSEF 연표", desc) + body)

    def history(self) -> Output:
        page = "timelines/history.md"
        events = timeline.history_events(self.atlas)
        years = [(year, list(items)) for year, items in groupby(events, key=lambda e: e.date.year)]
        counts = Counter(e.category for e in events)
        categories = [(c, label, counts[c]) for c, label in CATEGORY_LABELS.items() if counts[c]]
        categories += [(c, c, n) for c, n in sorted(counts.items()) if c not in CATEGORY_LABELS]
        body = render(
            "timeline_history.md.j2",
            years=years,
            categories=categories,
            total=len(events),
            **self.helpers(page),
        )
        desc = "서울시사회적경제지원센터와 지역 사회적경제의 연혁을 연도별로, 분류별로 봅니다."
        return Output(page, front_matter("서울시사회적경제지원센터 연혁", desc) + body)

    def openings(self) -> Output:
        page = "timelines/openings.md"
        events = timeline.opening_events(self.atlas)
        undated = sorted(
            (c for c in self.atlas.all("clusters") if c.get("opened") is None), key=lambda c: (c["district"], c.id)
        )
        total = len(self.atlas.all("clusters"))
        body = render("timeline_openings.md.j2", events=events, undated=undated, total=total, **self.helpers(page))
        desc = f"클러스터와 공유공간 {total}곳 가운데 개관 시기가 알려진 {len(events)}곳의 개관 순서 (예정 포함)."
        return Output(page, front_matter("클러스터 개관", desc) + body)


def assets() -> list[Output]:
    folder = resources.files("seatlas") / "assets" / "timeline"
    return [Output(path, (folder / name).read_text(encoding="utf-8")) for path, name in ASSETS.items()]


def generate(ctx: Context) -> list[Output]:
    tp = TimelinePages(ctx)
    return [tp.index(), tp.gsef(), tp.history(), tp.openings(), *assets()]
