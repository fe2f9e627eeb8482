"""axe-core on the main page types: no serious or critical WCAG 2.1 A/AA violations."""

from __future__ import annotations

import pytest
from browser import close, html_pages, new_page

playwright_api = pytest.importorskip("playwright.sync_api")
axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
pytestmark = [pytest.mark.browser, pytest.mark.slow]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# One page of each kind; new kinds are found by their folder.
PAGE_KINDS = ["", "districts/", "districts/seoul/", "districts/eunpyeong-gu/", "clusters/", "centers/", "sources/"]


def pages_to_check(site) -> list[str]:
    built = html_pages(site)
    assert set(PAGE_KINDS) <= set(built)
    chosen = list(PAGE_KINDS)
    # The first page of every other top-level folder (map, embeds, timelines, downloads, guide...).
    for path in built:
        top = path.split("/")[0]
        if path.endswith("/") and top not in {p.split("/")[0] for p in chosen}:
            chosen.append(path)
    return chosen


def serious_violations(page) -> list[str]:
    results = axe_module.Axe().run(
        page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    )
    found = []
    for v in results.response["violations"]:
        if v["impact"] not in ("serious", "critical"):
            continue
        for node in v["nodes"]:
            found.append(f"{v['id']} ({v['impact']}): {node['target']} {node['failureSummary'][:200]}")
    return found


def test_main_page_types_have_no_serious_violations(real_site, base_url, browser):
    problems = {}
    checked = pages_to_check(real_site.site)
    assert "districts/eunpyeong-gu/" in checked
    page, _ = new_page(browser)
    for path in checked:
        page.goto(base_url + path, wait_until="load")
        found = serious_violations(page)
        if found:
            problems[path] = found
    close(page)
    assert problems == {}
