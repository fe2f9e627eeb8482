"""Every district page prints on one A4 sheet: the paper handout of the district's centers and clusters."""

from __future__ import annotations

import re

import pytest
from browser import ARTIFACTS, close, new_page
from seatlas.model.records import read_yaml

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

# Screen furniture and the screen-only parts of a district page (live map, snippets, long lists).
SCREEN_ONLY = [
    ".md-header",
    ".md-sidebar--primary",
    ".md-sidebar--secondary",
    ".md-footer",
    ".headerlink",
    ".atlas-map-frame",
    ".atlas-screen-only",
]
PRINT_MAP = "img.atlas-print-map"
SHOWN = (
    "sels => Object.fromEntries(sels.map(s => [s, [...document.querySelectorAll(s)].map(e => e.checkVisibility())]))"
)

TYPE_SIZE = "() => parseFloat(getComputedStyle(document.querySelector('article.md-typeset')).fontSize)"


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def pdf_sheets_mm(pdf: bytes) -> list[tuple[int, int]]:
    """The size of each page of a PDF in whole millimetres."""
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    return [(round(float(w) / 72 * 25.4), round(float(h) / 72 * 25.4)) for w, h in boxes]


def test_screen_only_parts_are_left_off_the_sheet(base_url, browser):
    page, log = new_page(browser)
    page.goto(base_url + "districts/eunpyeong-gu/")
    # Each part is on the page and shown on screen, so it is the print style that takes it off the sheet.
    on_screen = page.evaluate(SHOWN, SCREEN_ONLY)
    assert [s for s, shown in on_screen.items() if not any(shown)] == []
    screen_type = page.evaluate(TYPE_SIZE)
    page.emulate_media(media="print")
    printed = page.evaluate(SHOWN, [*SCREEN_ONLY, PRINT_MAP])
    assert [s for s in SCREEN_ONLY if any(printed[s])] == []
    assert printed[PRINT_MAP] == [True]
    assert page.evaluate("() => document.querySelector('img.atlas-print-map').naturalWidth") > 0
    # Smaller type on paper, so that a district fits on one sheet.
    assert page.evaluate(TYPE_SIZE) < screen_type
    assert log.real_errors() == []
    close(page)


@pytest.mark.slow
def test_every_district_page_prints_on_one_a4_sheet(real_site, base_url, browser):
    slugs = [d["slug"] for d in read_yaml(real_site.root / "data" / "districts.yml")]
    sheets = {}
    out = ARTIFACTS / "print"
    out.mkdir(parents=True, exist_ok=True)
    page, _log = new_page(browser)
    page.emulate_media(media="print")
    for slug in slugs:
        page.goto(f"{base_url}districts/{slug}/")
        # The printed map image is on the sheet; the live map, snippets and long lists are not.
        shown = page.evaluate(SHOWN, [*SCREEN_ONLY, PRINT_MAP, "iframe"])
        assert shown[PRINT_MAP] == [True], slug
        assert [s for s in [*SCREEN_ONLY, "iframe"] if any(shown[s])] == [], slug
        # The sheet size comes from the style sheet's @page rule, not from the printer's default (Letter).
        pdf = page.pdf(prefer_css_page_size=True)
        (out / f"{slug}.pdf").write_bytes(pdf)
        sheets[slug] = pdf_sheets_mm(pdf)
        assert pdf_pages(pdf) == len(sheets[slug]), slug
    close(page)
    assert {slug: s for slug, s in sheets.items() if s != [(210, 297)]} == {}
    assert len(sheets) == len(slugs)
