"""Every district page prints on one A4 sheet: the paper handout of the district's centers and clusters."""

from __future__ import annotations

import re

import pytest
from browser import ARTIFACTS, close, launch, new_page, serve
from seatlas.model.records import read_yaml

playwright_api = pytest.importorskip("playwright.sync_api")


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def test_every_district_page_prints_on_one_a4_sheet(real_site):
    slugs = [d["slug"] for d in read_yaml(real_site.root / "data" / "districts.yml")]
    pages = {}
    out = ARTIFACTS / "print"
    out.mkdir(parents=True, exist_ok=True)
    with serve(real_site.site) as base, playwright_api.sync_playwright() as p:
        browser = launch(p)
        page, _log = new_page(browser)
        page.emulate_media(media="print")
        for slug in slugs:
            page.goto(f"{base}districts/{slug}/")
            # The printed map image is on the sheet; the live map, snippets and long lists are not.
            assert page.locator("img.atlas-print-map").is_visible(), slug
            assert not page.locator("iframe").first.is_visible(), slug
            pdf = page.pdf(format="A4")
            (out / f"{slug}.pdf").write_bytes(pdf)
            pages[slug] = pdf_pages(pdf)
        close(page)
        browser.close()
    assert {slug: n for slug, n in pages.items() if n != 1} == {}
    assert len(pages) == len(slugs)
