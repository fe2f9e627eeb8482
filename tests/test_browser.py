"""The real site in a real browser: no JavaScript errors, instant navigation, phone layout, search."""

from __future__ import annotations

import re

import pytest
from browser import DESKTOP, PHONE, close, html_pages, load_frames, new_page, screenshot

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

# Page types worth a look in a browser, and every timeline.
MAIN_PAGES = ["", "districts/eunpyeong-gu/", "map/", "embed/eunpyeong-gu/"]


def main_pages(real_site) -> list[str]:
    built = html_pages(real_site.site)
    assert set(MAIN_PAGES) <= set(built)
    timelines = [p for p in built if p.startswith("timelines/")]
    assert timelines
    return MAIN_PAGES + timelines


def artifact_name(path: str, suffix: str) -> str:
    return (path.strip("/").replace("/", "_") or "home") + f"-{suffix}"


def wait_for_map(frame) -> None:
    """Wait until a Leaflet map in this frame has drawn its markers or marker clusters."""
    frame.wait_for_selector(".leaflet-container", state="attached")
    frame.wait_for_selector(".leaflet-marker-icon, .leaflet-interactive", state="attached")


@pytest.mark.slow
def test_main_pages_render_without_javascript_errors(real_site, base_url, browser):
    checked = []
    for path in main_pages(real_site):
        page, log = new_page(browser)
        page.goto(base_url + path, wait_until="load")
        if page.locator(".leaflet-container").count():
            wait_for_map(page)
        # The map frames load lazily: each is brought into view, so that errors inside it count too.
        load_frames(page)
        for frame in page.frames[1:]:
            assert frame.url.startswith(base_url), f"{path}: a frame from elsewhere: {frame.url}"
            wait_for_map(frame)
        page.wait_for_load_state("networkidle")
        screenshot(page, artifact_name(path, "desktop"))
        assert log.real_errors() == [], f"{path}: {log.real_errors()}"
        checked.append(path)
        close(page)
    assert checked == main_pages(real_site)


def test_instant_navigation_keeps_the_map_working(base_url, browser):
    page, log = new_page(browser)
    page.goto(base_url, wait_until="load")
    # Each click goes through the theme's instant navigation: the window, and this mark, survive.
    page.evaluate("window.atlasNoReload = true")
    for link, url in [
        ("districts/", r"/districts/$"),
        ("seoul/", r"/districts/seoul/$"),
        ("eunpyeong-gu/", r"/districts/eunpyeong-gu/$"),
        # The map page keeps the map's state in its address (#z=..&c=..).
        ("map/", r"/map/(#.*)?$"),
    ]:
        page.locator(f".md-content a[href$='{link}'], .md-nav a[href$='{link}']").locator("visible=true").first.click()
        page.wait_for_url(re.compile(url))
    check_map_page(page)
    page.go_back()
    page.wait_for_url(re.compile(r"/districts/eunpyeong-gu/$"))
    page.go_forward()
    page.wait_for_url(re.compile(r"/map/(#.*)?$"))
    check_map_page(page)
    assert page.evaluate("window.atlasNoReload") is True
    assert log.real_errors() == []
    close(page)


def check_map_page(page) -> None:
    """The map works in the page itself or in the iframe that holds it."""
    if page.locator("article iframe").count():
        # A frame locator finds the iframe again if instant navigation has just replaced it.
        frame = page.frame_locator("article iframe").first
        frame.locator(".leaflet-container").wait_for(state="attached")
        frame.locator(".leaflet-marker-icon, .leaflet-interactive").first.wait_for(state="attached")
    else:
        wait_for_map(page)


@pytest.mark.slow
def test_phone_viewport_never_scrolls_sideways(real_site, base_url, browser):
    page, log = new_page(browser, PHONE)
    too_wide = {}
    for path in html_pages(real_site.site):
        page.goto(base_url + path, wait_until="load")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[path] = width
    for path in main_pages(real_site):
        page.goto(base_url + path, wait_until="load")
        screenshot(page, artifact_name(path, "phone"))
    assert too_wide == {}, f"pages wider than {PHONE['width']} px: {too_wide}"
    assert log.real_errors() == []
    close(page)


def search(page, base_url: str, query: str) -> list[str]:
    """The pages the site's own search lists for a query, best first, each once."""
    box = page.locator("input.md-search__input")
    box.click()
    meta = page.locator(".md-search-result__meta")
    placeholder = meta.inner_text()
    # The theme reads the query on keyup, which typing Hangul through an input method (and fill)
    # does not send, so a key is pressed after it. A query sent before the search worker has read
    # its index is dropped: it is typed again until the result count replaces the placeholder.
    for _ in range(20):
        box.fill(query)
        box.press("End")
        try:
            page.wait_for_function(
                "p => document.querySelector('.md-search-result__meta').innerText !== p", arg=placeholder, timeout=1000
            )
            break
        except playwright_api.TimeoutError:
            continue
    results = page.locator(".md-search-result__item > a.md-search-result__link")
    results.first.wait_for(state="attached")
    hrefs = results.evaluate_all("els => els.map(e => e.href)")
    page.keyboard.press("Escape")
    pages = [h.removeprefix(base_url).split("?")[0].split("#")[0] for h in hrefs]
    return list(dict.fromkeys(pages))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("은평", "districts/eunpyeong-gu/"),
        ("은평구", "districts/eunpyeong-gu/"),
        ("은평로", "districts/eunpyeong-gu/"),
        # Any district page with a center, not only the directory of all centers.
        ("지원센터", r"districts/[a-z-]+-gu/"),
        ("허브센터", "districts/eunpyeong-gu/"),
        ("은평구사회적경제허브센터", "districts/eunpyeong-gu/"),
        ("성북구마을사회적경제센터", "districts/seongbuk-gu/"),
        ("마포구사회적경제통합지원센터", "districts/mapo-gu/"),
        ("통합지원센터", r"districts/[a-z-]+-gu/"),
    ],
)
def test_korean_search_finds_the_page(real_site, base_url, browser, query, expected):
    page, log = new_page(browser, DESKTOP)
    page.goto(base_url, wait_until="load")
    top = search(page, base_url, query)[:5]
    assert any(re.fullmatch(expected, h) for h in top), f"{query!r}: first results {top}"
    assert log.real_errors() == []
    close(page)
