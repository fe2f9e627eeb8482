"""Hostile text in every record type stays text on every page, in the map data and in the downloads."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml
from browser import close, html_pages, launch, new_page, serve
from conftest import run_build
from seatlas.model import schema
from seatlas.model.types import Text, Url
from test_validation import make_data

HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(1)> \'q\' "qq"'
# What a hostile string must never become in HTML: markup that a browser would run.
RAW = ["<script>alert(1)", "<img src=x"]
# Fields whose values the validator checks against a pattern, or that other records point at.
KEEP = {"id", "slug", "district", "legal_dong", "admin_dong", "phone", "fax", "email", "road_address", "postal_code"}
RECORD_TYPES = ["districts", "centers", "clusters", "organisations", "history", "gsef", "sources", "figures"]


def text_fields(record_type: str) -> set[str]:
    t = next(t for t in schema.RECORD_TYPES if t.name == record_type)
    return {f.name for f in t.fields if type(f.type) is Text and f.name not in KEEP}


def poison(data: Path) -> dict[str, list[str]]:
    """Put the hostile text into every plain text field of one record per type (Eunpyeong's where possible)."""
    changed = {}
    for record_type in RECORD_TYPES:
        path = data / f"{record_type}.yml"
        records = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not records:
            continue
        target = next((r for r in records if "11380" in (r.get("district"), r.get("id"))), records[0])
        fields = sorted(text_fields(record_type))
        for name in fields:
            target[name] = f"{HOSTILE} {record_type}.{name}"
        changed[record_type] = fields
        path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return changed


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    from conftest import copy_project

    root = copy_project(tmp_path_factory.mktemp("hostile"))
    changed = poison(root / "data")
    result = run_build(root)
    assert result.returncode == 0, result.output
    return result, changed


def test_no_page_contains_runnable_hostile_markup(hostile_site):
    result, changed = hostile_site
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


def test_hostile_text_is_shown_as_text(hostile_site):
    result, _ = hostile_site
    district = result.html("districts/eunpyeong-gu/")
    for marker in ["centers.name", "centers.description", "clusters.name", "districts.name_en"]:
        assert "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in district
        assert marker.split(".")[1] in district
    for page in ["clusters/", "centers/"]:
        assert "&lt;img src=x onerror=alert(1)&gt;" in result.html(page), page


def test_downloads_keep_the_text_verbatim(hostile_site):
    result, changed = hostile_site
    downloads = result.site / "downloads"
    if not downloads.is_dir():
        pytest.skip("downloads are not built yet")
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
def test_no_script_runs_in_the_browser(hostile_site):
    result, _ = hostile_site
    playwright_api = pytest.importorskip("playwright.sync_api")
    built = html_pages(result.site)
    paths = [
        p for p in built if p.split("/")[0] in ("", "districts", "clusters", "centers", "map", "embed", "timelines")
    ]
    paths = [p for p in paths if not p.startswith("districts/") or "eunpyeong" in p or p.count("/") == 1]
    with serve(result.site) as base, playwright_api.sync_playwright() as p:
        browser = launch(p)
        for path in paths:
            page, _ = new_page(browser)
            dialogs = []
            page.on("dialog", lambda d, dialogs=dialogs: (dialogs.append(d.message), d.dismiss()))
            page.goto(base + path, wait_until="load")
            # The theme's content.tooltips renders title attributes as HTML when the pointer rests on them.
            # Hovered before the popups open: an opening popup pans the map under the pointer.
            hovered = 0
            for frame in page.frames:
                for element in frame.query_selector_all("[title]"):
                    if element.is_visible():
                        element.hover(force=True, timeout=2000)
                        page.wait_for_timeout(50)
                        hovered += 1
            # Open every marker popup so the popup HTML is put into the page too.
            for frame in page.frames:
                frame.evaluate(
                    "() => { if (window.L) document.querySelectorAll('.leaflet-marker-icon').forEach(m => m.click()); }"
                )
            injected = sum(f.evaluate("document.querySelectorAll('img[src=\"x\"]').length") for f in page.frames)
            assert dialogs == [] and injected == 0, f"{path}: {dialogs}, {injected} injected after {hovered} hovers"
            close(page)
        browser.close()


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
