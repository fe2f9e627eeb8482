"""Freshness: stale records are listed for editors and logged at INFO, never failing the build."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

from seatlas.model.load import load_data
from seatlas.site import freshness
from variants import STALE_AFTER_DAYS, STALE_TODAY

ROOT = Path(__file__).resolve().parent.parent


def stale_rows(page: str) -> list[list[str]]:
    body = page[page.index("<tbody>") : page.index("</tbody>")] if "<tbody>" in page else ""
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [
        [html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td.*?>(.*?)</td>", r, re.S)]
        for r in rows
    ]


def test_boundary_is_exclusive():
    atlas, problems = load_data(ROOT / "data")
    assert not problems
    newest = freshness.reference_day(atlas, None)
    # The data date: the newest as_of of the facts (the boundary data of the districts has its own date).
    facts = ("centers", "clusters", "organisations", "gsef", "history", "figures")
    assert newest == max(r["as_of"] for kind in facts for r in atlas.all(kind))
    oldest = min(r["as_of"] for r in atlas if r.get("as_of"))
    age = (newest - oldest).days
    # A record exactly `limit` days old is not stale; one day more is.
    assert not [s for s in freshness.stale_records(atlas, newest, age) if s.age_days == age]
    assert [s for s in freshness.stale_records(atlas, newest, age - 1) if s.age_days == age]


def test_stale_records_are_listed_oldest_first_and_the_build_passes(edited_site):
    # variants.stale_in_2031: measured on 2031-01-01 against ten years.
    result = edited_site
    summary = [ln for ln in result.output.splitlines() if f"records are older than {STALE_AFTER_DAYS} days" in ln]
    assert len(summary) == 1 and summary[0].startswith("INFO"), result.output
    assert f"measured on {STALE_TODAY}" in summary[0]
    assert not [ln for ln in result.output.splitlines() if ln.startswith("WARNING") and "older than" in ln]

    atlas, _ = load_data(result.root / "data")
    today = dt.date.fromisoformat(STALE_TODAY)
    expected = {r.id for r in atlas if r.get("as_of") and (today - r["as_of"]).days > STALE_AFTER_DAYS}
    assert expected, "the test needs records older than ten years in 2031"
    rows = stale_rows(result.html("guide/stale/"))
    assert {r[3] for r in rows} == expected
    ages = [int(r[0]) for r in rows]
    assert ages == sorted(ages, reverse=True)
    for age, as_of, _title, record_id, where in rows:
        record = next(r for r in atlas if r.id == record_id and r.get("as_of") and r["as_of"].isoformat() == as_of)
        assert where == f"{record.file}:{record.line}"
        assert int(age) == (today - record["as_of"]).days
        # The file:line really is the record's first line in the data file.
        line = (result.root / record.file).read_text(encoding="utf-8").splitlines()[record.line - 1]
        assert record_id in line


def test_nothing_stale_says_so(flat_site):
    # variants.nothing_stale: a limit of 100000 days (the flat site's pages end in .html).
    assert "records are older than" not in flat_site.output
    assert "오래된 기록이 없습니다" in (flat_site.site / "guide" / "stale.html").read_text(encoding="utf-8")


def test_default_measures_against_the_data_date(real_site):
    page = real_site.html("guide/stale/")
    atlas, _ = load_data(real_site.root / "data")
    newest = atlas.data_date()
    assert newest.isoformat() in page
    # The same date as the home page gives, not the later date of the boundary data.
    assert f"자료 기준일: {newest.year}년 {newest.month}월 {newest.day}일" in re.sub(r"<[^>]+>", "", real_site.html(""))
    rows = stale_rows(page)
    assert all(int(r[0]) > 5 * 365 for r in rows)
