"""Hostile text in every record type stays text on every page, in the map data and in the downloads."""

from __future__ import annotations

import csv
import io
import json

import html5lib
import pytest
from browser import close, html_pages, load_frames, new_page
from seatlas.model import schema
from seatlas.model.types import Url
from test_validation import make_data
from variants import HOSTILE

# What a hostile string must never become in HTML: markup that a browser would run.
RAW = ["<script>alert(1)", "<img src=x"]


def test_no_page_contains_runnable_hostile_markup(hostile_site):
    result, changed = hostile_site, hostile_site.notes["poisoned"]
    assert {"centers", "clusters", "districts", "history"} <= set(changed)
    site = result.site
    found = {}
    for f in sorted(site.rglob("*")):
        if f.suffix not in (".html", ".js", ".svg", ".xml"):
            continue
        text = f.read_text(encoding="utf-8", errors="replace")
        hits = [raw for raw in RAW if raw in text]
        if hits:
            found[f.relative_to(site).as_posix()] = hits
    assert found == {}


def article_text(html: str) -> str:
    """The text a reader sees in a page's article, as the browser's parser reads it."""
    article = html5lib.parse(html, namespaceHTMLElements=False).find(".//article")
    return "".join(article.itertext())


def test_hostile_text_is_shown_as_text(hostile_site):
    result = hostile_site
    district = result.html("districts/eunpyeong-gu/")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in district
    shown = article_text(district)
    for field in ["centers.name", "centers.description", "clusters.name", "districts.name_en"]:
        assert f"{HOSTILE} {field}" in shown, field
    for page, field in [("clusters/", "clusters.name"), ("centers/", "centers.name")]:
        assert "&lt;img src=x onerror=alert(1)&gt;" in result.html(page), page
        assert f"{HOSTILE} {field}" in article_text(result.html(page)), page


def test_downloads_keep_the_text_verbatim(hostile_site):
    result, changed = hostile_site, hostile_site.notes["poisoned"]
    downloads = result.site / "downloads"
    csv_files = sorted(downloads.glob("*.csv"))
    assert csv_files
    cells = [c for f in csv_files for row in csv.reader(io.StringIO(f.read_text(encoding="utf-8-sig"))) for c in row]
    assert f"{HOSTILE} clusters.name" in cells
    # The full export holds every record, so every poisoned field comes back exactly.
    found = strings(json.loads((downloads / "atlas.json").read_text(encoding="utf-8")))
    for record_type, fields in changed.items():
        for name in fields:
            assert f"{HOSTILE} {record_type}.{name}" in found, f"{record_type}.{name}"


def strings(value) -> set[str]:
    """Every string inside a JSON value."""
    if isinstance(value, str):
        return {value}
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    return set().union(*(strings(v) for v in items))


@pytest.mark.browser
@pytest.mark.slow
def test_no_script_runs_in_the_browser(hostile_site, hostile_url, browser):
    built = html_pages(hostile_site.site)
    paths = [
        p for p in built if p.split("/")[0] in ("", "districts", "clusters", "centers", "map", "embed", "timelines")
    ]
    paths = [p for p in paths if not p.startswith("districts/") or "eunpyeong" in p or p.count("/") == 1]
    # One page for all: a dialog is what running script would show, and it is told apart by the page open.
    page, _ = new_page(browser)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append((page.url, d.message)), d.dismiss()))
    for path in paths:
        page.goto(hostile_url + path, wait_until="load")
        # Map frames load lazily: without this their script would never run.
        load_frames(page)
        # The theme's content.tooltips renders title attributes as HTML when the pointer rests on them.
        # Every element with a title is hovered on the pages that hold hostile text (all of it calls alert).
        # Hovered before the popups open: an opening popup pans the map under the pointer.
        hovered = 0
        for frame in (frame for frame in page.frames if "alert(" in frame.content()):
            for element in frame.query_selector_all("[title]"):
                if element.is_visible():
                    element.hover(force=True, timeout=2000)
                    page.wait_for_timeout(50)
                    hovered += 1
        # Open every marker popup so the popup HTML is put into the page too.
        maps = 0
        for frame in page.frames:
            maps += frame.evaluate(
                "() => { if (!window.L) return 0;"
                " document.querySelectorAll('.leaflet-marker-icon').forEach(m => m.click()); return 1; }"
            )
        if path in ("map/", "districts/eunpyeong-gu/") or path.startswith("embed/"):
            assert maps == 1, f"{path}: the map did not start"
        injected = sum(f.evaluate("document.querySelectorAll('img[src=\"x\"]').length") for f in page.frames)
        assert dialogs == [] and injected == 0, f"{path}: {dialogs}, {injected} injected after {hovered} hovers"
    close(page)


@pytest.mark.parametrize(
    "record_type", sorted({t.name for t in schema.RECORD_TYPES for f in t.fields if isinstance(f.type, Url)})
)
def test_javascript_urls_are_rejected(tmp_path, record_type):
    t = next(t for t in schema.RECORD_TYPES if t.name == record_type)
    for f in (f for f in t.fields if isinstance(f.type, Url)):
        for bad in ("javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "data:text/html,<script>"):
            with pytest.raises(Exception, match="http"):
                f.type.check(bad)
    assert make_data(tmp_path)  # the minimal data the validation tests start from still loads
