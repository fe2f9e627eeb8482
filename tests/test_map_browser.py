"""The maps in a real browser: every marker and district, popups, year filter, shared views, no outside hosts."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from browser import serve
from conftest import run_build
from seatlas.model import geography
from seatlas.model.load import load_data
from test_map import HOSTILE_ADDRESS, HOSTILE_CLUSTER, HOSTILE_NAME

playwright_api = pytest.importorskip("playwright.sync_api")

TILE = re.compile(r"^https://tile\.openstreetmap\.org/\d+/\d+/\d+\.png$")
KINDS = ("clusters", "centers", "organisations")


class Traffic:
    """Requests of one browser context: local ones, tiles (answered empty) and anything else (refused)."""

    def __init__(self):
        self.local: list[str] = []
        self.tiles: list[tuple[str, str | None]] = []
        self.foreign: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []

    def route(self, route):
        url = route.request.url
        if urlsplit(url).hostname == "127.0.0.1":
            self.local.append(url)
            route.continue_()
        elif TILE.match(url):
            self.tiles.append((url, route.request.headers.get("referer")))
            route.fulfill(status=204, body=b"")
        else:
            self.foreign.append(url)
            route.abort()


@pytest.fixture
def open_page(browser):
    contexts = []

    def _open(url: str):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")
        contexts.append(context)
        traffic = Traffic()
        context.route("**/*", traffic.route)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("pageerror", lambda e: traffic.errors.append(str(e)))
        page.on("console", lambda m: m.type == "error" and "ERR_FAILED" not in m.text and traffic.errors.append(m.text))

        def dialog(d):
            traffic.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", dialog)
        page.goto(url)
        return page, traffic

    yield _open
    for c in contexts:
        c.close()


def _expected(data_dir: Path, codes: set[str] | None = None) -> tuple[dict[str, list], object]:
    atlas, problems = load_data(data_dir)
    assert not problems
    out = {}
    for kind in KINDS:
        out[kind] = [
            r for r in atlas.all(kind) if geography.place_of(atlas, r) and (codes is None or r.get("district") in codes)
        ]
    return out, atlas


def _map_frame(page, name: str):
    page.wait_for_selector("iframe")
    frame = next(f for f in page.frames if name in f.url)
    frame.wait_for_function("window.atlasMapState !== undefined")
    return frame


COUNTS = """() => {
  const s = window.atlasMapState;
  const out = {};
  for (const k of Object.keys(s.layers)) out[k] = s.layers[k].getLayers().length;
  // Every marker is either drawn itself or inside a drawn cluster bubble, whose count adds up.
  const parents = new Set();
  for (const k of ['clusters', 'centers', 'organisations']) {
    s.layers[k].getLayers().forEach((m) => parents.add(s.layers[k].getVisibleParent(m) || m));
  }
  out.shown = [...parents].reduce((n, p) => n + (p.getChildCount ? p.getChildCount() : 1), 0);
  out.hidden = ['clusters', 'centers', 'organisations']
    .map((k) => s.layers[k].getLayers().filter((m) => !s.layers[k].getVisibleParent(m)).length)
    .reduce((a, b) => a + b, 0);
  out.polygons = document.querySelectorAll('path.leaflet-interactive').length;
  return out;
}"""


def _open_popup(frame, record_id: str) -> None:
    frame.evaluate(
        """(id) => new Promise((done) => {
          const s = window.atlasMapState;
          const m = s.markers.find((x) => x.atlasPlace.id === id);
          s.layers[m.atlasPlace.kind].zoomToShowLayer(m, () => { m.openPopup(); done(); });
        })""",
        record_id,
    )
    frame.wait_for_selector(".leaflet-popup-content")


def test_map_page_shows_every_marker_and_district_and_links_to_pages(real_site, open_page):
    expected, atlas = _expected(real_site.root / "data")
    with serve(real_site.site) as base:
        page, traffic = open_page(base + "map/")
        frame = _map_frame(page, "map/atlas.html")
        counts = frame.evaluate(COUNTS)
        for kind in KINDS:
            assert counts[kind] == len(expected[kind]), kind
        assert counts["shown"] == sum(len(v) for v in expected.values())
        assert counts["hidden"] == 0
        assert counts["boundaries"] == len(atlas.all("districts"))
        assert counts["polygons"] >= len(atlas.all("districts"))
        legend = frame.inner_text(".atlas-legend")
        assert "대략적 위치 (동 중심)" in legend
        assert frame.locator(".leaflet-control-zoom-fullscreen").count() == 1
        assert frame.locator(".leaflet-control-layers-overlays label").count() == 4

        cluster = expected["clusters"][0]
        slug = atlas.get("districts", cluster["district"])["slug"]
        _open_popup(frame, cluster.id)
        popup = frame.inner_text(".leaflet-popup-content")
        assert cluster["name"] in popup
        link = frame.locator(".leaflet-popup-content a")
        assert link.get_attribute("target") == "_top"
        assert link.evaluate("a => a.href") == f"{base}districts/{slug}/"
        link.click()
        page.wait_for_url(f"{base}districts/{slug}/")
        assert page.locator("h1").first.inner_text().startswith(atlas.get("districts", cluster["district"])["name_ko"])

        assert traffic.foreign == [], "requests to hosts other than 127.0.0.1 and the tile server"
        assert traffic.errors == []
        assert traffic.tiles, "the tile layer asked for no tiles"
        for _url, referer in traffic.tiles:
            assert referer == base, "tiles must be asked for with the site's origin as referrer"


def test_district_embed_shows_its_district(real_site, open_page):
    expected_all, atlas = _expected(real_site.root / "data")
    d = atlas.get("districts", expected_all["clusters"][0]["district"])
    expected, _ = _expected(real_site.root / "data", {d.id})
    with serve(real_site.site) as base:
        page, traffic = open_page(f"{base}embed/{d['slug']}/index.html")
        page.wait_for_function("window.atlasMapState !== undefined")
        counts = page.evaluate(COUNTS)
        for kind in KINDS:
            assert counts[kind] == len(expected[kind]), kind
        assert counts["shown"] == sum(len(v) for v in expected.values())
        assert counts["boundaries"] == 1
        assert counts["polygons"] >= 1
        size = page.evaluate(
            "() => { const r = document.querySelector('.folium-map').getBoundingClientRect(); "
            "return [r.width, r.height]; }"
        )
        assert size == [1280, 900], "the embed fills its frame"
        tooltip = page.evaluate(
            "() => { let t; window.atlasMapState.layers.boundaries.eachLayer(l => t = l.getTooltip().getContent()); "
            "return t; }"
        )
        assert tooltip == d["name_ko"]
        assert traffic.foreign == [] and traffic.errors == []

        # The district page shows this embed in an iframe.
        page.goto(f"{base}districts/{d['slug']}/")
        frame = _map_frame(page, f"embed/{d['slug']}/")
        assert frame.evaluate(COUNTS)["clusters"] == len(expected["clusters"])
        assert traffic.foreign == []


def test_year_filter_and_shared_view(real_site, open_page):
    expected, _ = _expected(real_site.root / "data")
    years = sorted({c["opened"].year for c in expected["clusters"] if c.get("opened")})
    assert len(years) >= 2
    year = years[len(years) // 2]
    existing = [c for c in expected["clusters"] if c.get("opened") and c["opened"].year <= year]
    assert 0 < len(existing) < len(expected["clusters"])
    with serve(real_site.site) as base:
        page, traffic = open_page(f"{base}map/atlas.html")
        page.wait_for_function("window.atlasMapState !== undefined")
        page.select_option(".atlas-year select", str(year))
        assert page.evaluate(COUNTS)["clusters"] == len(existing)
        assert f"y={year}" in page.url
        page.select_option(".atlas-year select", "")
        assert page.evaluate(COUNTS)["clusters"] == len(expected["clusters"])

        shared = f"{base}map/atlas.html#z=14&c=37.60000,126.93000&l=clusters,boundaries&y={year}"
        page2, traffic2 = open_page(shared)
        page2.wait_for_function("window.atlasMapState !== undefined")
        state = page2.evaluate(
            """() => { const s = window.atlasMapState; const c = s.map.getCenter();
              return {z: s.map.getZoom(), lat: c.lat, lon: c.lng,
                      centers: s.map.hasLayer(s.layers.centers), clusters: s.map.hasLayer(s.layers.clusters)}; }"""
        )
        assert state["z"] == 14 and abs(state["lat"] - 37.6) < 1e-6 and abs(state["lon"] - 126.93) < 1e-6
        assert state["clusters"] and not state["centers"]
        assert page2.input_value(".atlas-year select") == str(year)
        assert page2.evaluate(COUNTS)["clusters"] == len(existing)
        assert "z=14" in unquote(page2.locator(".atlas-share").get_attribute("href"))
        assert traffic.foreign == traffic2.foreign == []


def test_hostile_values_show_as_text(project, open_page):
    with (project / "data" / "clusters.yml").open("a", encoding="utf-8") as f:
        f.write(HOSTILE_CLUSTER)
    result = run_build(project)
    assert result.returncode == 0, result.output
    with serve(result.site) as base:
        page, traffic = open_page(f"{base}embed/eunpyeong-gu/index.html")
        page.wait_for_function("window.atlasMapState !== undefined")
        _open_popup(page, "cluster-hostile")
        content = page.locator(".leaflet-popup-content")
        text = content.inner_text()
        assert HOSTILE_NAME in text and HOSTILE_ADDRESS in text
        assert content.locator("img, script").count() == 0
        tip = page.evaluate(
            "() => window.atlasMapState.markers.find(m => m.atlasPlace.id === 'cluster-hostile').getTooltip().getContent()"
        )
        assert "<script>" not in tip
        # Popups are built from text: the approximate-location note and the opening month too.
        assert "대략적 위치 (동 중심)" in text and "개관: 2016년 5월" in text
        marker = "window.atlasMapState.markers.find(m => m.atlasPlace.id === 'cluster-hostile')"
        assert page.evaluate(f"() => {marker}.options.title") == HOSTILE_NAME + " (대략적 위치 (동 중심))"
        page.evaluate(f"() => {marker}.openTooltip()")
        assert HOSTILE_NAME in page.locator(".leaflet-tooltip").inner_text()
        assert page.locator(".leaflet-tooltip script, .leaflet-tooltip img").count() == 0
        assert traffic.dialogs == [] and traffic.errors == []


def test_popup_shows_address_phone_and_district_link(real_site, open_page):
    expected, atlas = _expected(real_site.root / "data")
    center = next(c for c in expected["centers"] if c.get("phone") and c.get("road_address"))
    d = atlas.get("districts", center["district"])
    with serve(real_site.site) as base:
        page, traffic = open_page(f"{base}embed/{d['slug']}/index.html")
        page.wait_for_function("window.atlasMapState !== undefined")
        _open_popup(page, center.id)
        content = page.locator(".leaflet-popup-content")
        text = content.inner_text()
        assert center["name"] in text and f"주소: {center['road_address']}" in text
        tel = content.locator("a[href^='tel:']")
        assert tel.inner_text() == center["phone"]
        assert tel.get_attribute("href") == "tel:" + re.sub(r"[^0-9+]", "", center["phone"])
        link = content.locator("a[target='_top']")
        assert link.inner_text() == f"{d['name_ko']} 페이지 보기"
        assert link.evaluate("a => a.href") == f"{base}districts/{d['slug']}/"
        assert traffic.errors == []


def test_map_page_weight(real_site, open_page):
    """Bytes a visitor loads for the map page, tiles excluded (printed for the record)."""
    with serve(real_site.site) as base:
        page, traffic = open_page(base + "map/")
        _map_frame(page, "map/atlas.html")
        page.wait_for_load_state("networkidle")
    files = {real_site.site / unquote(urlsplit(u).path).lstrip("/") for u in traffic.local}
    files = {f / "index.html" if f.is_dir() else f for f in files}
    total = sum(f.stat().st_size for f in files if f.is_file())
    map_only = sum(
        f.stat().st_size
        for f in files
        if f.is_file() and ("assets/map" in f.as_posix() or f.as_posix().endswith("map/atlas.html"))
    )
    print(f"\nmap page weight without tiles: {total} bytes in {len(files)} files; map frame and its assets: {map_only}")
    assert traffic.foreign == []
    assert map_only < 400_000
