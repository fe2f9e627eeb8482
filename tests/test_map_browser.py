"""The maps in a real browser: every marker and district, popups, year filter, shared views, no outside hosts."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from browser import serve
from seatlas.model import geography
from seatlas.model.load import load_data
from variants import HOSTILE_ADDRESS, HOSTILE_NAME

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

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

    def _open(url: str, viewport: dict | None = None, init_script: str | None = None, **options):
        context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900}, locale="ko-KR", **options)
        contexts.append(context)
        if init_script:
            context.add_init_script(init_script)
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
        legend = frame.inner_text(".atlas-kinds")
        assert "대략적 위치 (동 중심)" in legend
        assert frame.locator(".leaflet-control-zoom-fullscreen").count() == 1
        # The kinds and the boundaries are switched in the panel, which is also the legend.
        assert frame.locator(".atlas-kinds input[type=checkbox]").count() == 4

        cluster = expected["clusters"][0]
        slug = atlas.get("districts", cluster["district"])["slug"]
        _open_popup(frame, cluster.id)
        popup = frame.inner_text(".leaflet-popup-content")
        assert cluster["name"] in popup
        link = frame.locator(".leaflet-popup-content a[target='_top']")
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
            "() => ['.atlas', '.atlas-panel', '.folium-map'].map(s => { "
            "const r = document.querySelector(s).getBoundingClientRect(); return [r.width, r.height]; })"
        )
        whole, panel, map_ = size
        assert whole == [1280, 900], "the embed fills its frame"
        assert panel[0] + map_[0] == 1280 and map_[1] == 900, "the list beside the map, the map takes the rest"
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
        page.select_option("select[name=y]", str(year))
        assert page.evaluate(COUNTS)["clusters"] == len(existing)
        assert f"y={year}" in page.url
        page.select_option("select[name=y]", "")
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
        assert page2.input_value("select[name=y]") == str(year)
        assert page2.evaluate(COUNTS)["clusters"] == len(existing)
        assert "z=14" in unquote(page2.locator(".atlas-share").get_attribute("href"))
        assert traffic.foreign == traffic2.foreign == []


def test_hostile_values_show_as_text(hostile_url, open_page):
    page, traffic = open_page(f"{hostile_url}embed/eunpyeong-gu/index.html")
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


# Every change of an iframe's src, with the value before: set once from nothing, or set again.
_SRC_CHANGES = """
window.atlasSrcChanges = [];
new MutationObserver((changes) => changes.forEach((m) => {
  if (m.target.tagName === 'IFRAME') window.atlasSrcChanges.push([m.oldValue, m.target.getAttribute('src')]);
})).observe(document, {subtree: true, attributes: true, attributeFilter: ['src'], attributeOldValue: true});
"""


@pytest.mark.parametrize(
    "path, frame", [("map/", "map/atlas.html"), ("districts/eunpyeong-gu/", "embed/eunpyeong-gu/")]
)
def test_map_frames_are_addressed_once_and_fetched_once(real_site, open_page, path, frame):
    """The theme's instant navigation re-sets every relative src when it starts; re-setting an
    iframe's src navigates it again, so a frame whose load had begun was fetched twice."""
    with serve(real_site.site) as base:
        page, traffic = open_page(base + path, init_script=_SRC_CHANGES)
        _map_frame(page, frame)
        page.wait_for_load_state("load")
        changes = page.evaluate("window.atlasSrcChanges")
    assert changes == [[None, base + frame + ("index.html" if frame.endswith("/") else "")]]
    assert [u for u in traffic.local if urlsplit(u).path.startswith("/" + frame)].count(changes[0][1]) == 1
    assert traffic.errors == []


# -- the list beside the map -------------------------------------------------------------------

ROWS = "() => [...document.querySelectorAll('.atlas-item')].map(li => li.dataset.id)"
ALL_ROWS = "() => window.atlasMapState.rows().map(p => p.id)"
PHONE = {"width": 390, "height": 844}
NEAR_SEONGSU = {"latitude": 37.5446, "longitude": 127.0560}  # 성수역


def _atlas(open_page, base: str, hash_: str = "", **options):
    page, traffic = open_page(f"{base}map/atlas.html{hash_}", **options)
    page.wait_for_function("window.atlasMapState !== undefined")
    return page, traffic


def _search(page, text: str) -> list[str]:
    page.fill(".atlas-q", text)
    return page.evaluate(ALL_ROWS)


@pytest.mark.browser
def test_search_matches_any_part_ignoring_spaces_and_normalisation(real_site, open_page):
    import unicodedata

    with serve(real_site.site) as base:
        page, traffic = _atlas(open_page, base)
        assert "center-eunpyeong" in _search(page, "허브센터")
        assert "cluster-seongdong" in _search(page, "성수")  # its dong is 성수동1가
        assert _search(page, "02-355") == ["center-eunpyeong"]
        assert "center-eunpyeong" in _search(page, "은평구 사회적경제 허브 센터")
        assert "center-eunpyeong" in _search(page, unicodedata.normalize("NFD", "허브센터"))
        assert _search(page, "없는이름xyz") == []
        assert page.inner_text(".atlas-count") == "0곳"
        # The rows on screen are the matches: name, kind, district, address and phone as text.
        page.fill(".atlas-q", "02-355-7913")
        row = page.locator(".atlas-item").first
        text = row.inner_text()
        assert "은평구사회적경제허브센터" in text and "지원센터 · 은평구" in text and "은평구 은평로 245" in text
        assert row.locator("a[href='tel:023557913']").inner_text() == "02-355-7913"
        assert "대략적 위치" in text
        # A Korean IME may end a syllable with `compositionend` and no `input` event.
        page.evaluate(
            """() => { const q = document.querySelector('.atlas-q'); q.value = '성수';
              q.dispatchEvent(new CompositionEvent('compositionend', {data: '수'})); }"""
        )
        assert page.evaluate(ROWS) == ["center-seongdong", "cluster-seongdong"]
        assert traffic.errors == [] and traffic.foreign == []


@pytest.mark.browser
def test_each_filter_narrows_the_list_and_the_markers(real_site, open_page):
    expected, atlas = _expected(real_site.root / "data")
    clusters = {c.id: c for c in atlas.all("clusters")}
    placed_clusters = {c.id for c in expected["clusters"]}
    with serve(real_site.site) as base:
        page, traffic = _atlas(open_page, base, "#a=1")
        everything = set(page.evaluate(ALL_ROWS))
        # Show-all lists every record of the map's districts, placed or not (some organisations name no district).
        assert everything == {r.id for kind in KINDS for r in atlas.all(kind) if r.get("district")}

        page.uncheck(".atlas-kinds input[value=centers]")
        rows = set(page.evaluate(ALL_ROWS))
        assert rows == everything - {c.id for c in atlas.all("centers")}
        assert page.evaluate(COUNTS)["centers"] == 0 or not page.evaluate(
            "() => window.atlasMapState.map.hasLayer(window.atlasMapState.layers.centers)"
        )
        page.check(".atlas-kinds input[value=centers]")

        page.select_option("select[name=d]", "11200")
        assert set(page.evaluate(ALL_ROWS)) == {
            r.id for kind in KINDS for r in atlas.all(kind) if r.get("district") == "11200"
        }
        assert "d=11200" in page.url
        page.select_option("select[name=d]", "")

        page.select_option("select[name=f]", "회의실")
        want = {i for i, c in clusters.items() if "회의실" in (c.get("facilities") or ())}
        assert want and set(page.evaluate(ALL_ROWS)) == want
        assert page.evaluate(COUNTS)["clusters"] == len(want & placed_clusters)
        page.select_option("select[name=f]", "")

        page.select_option("select[name=s]", "planned")
        assert set(page.evaluate(ALL_ROWS)) == {i for i, c in clusters.items() if c["status"] == "planned"}
        page.select_option("select[name=s]", "opened")
        assert set(page.evaluate(ALL_ROWS)) == {i for i, c in clusters.items() if c["status"] == "opened"}
        page.select_option("select[name=s]", "")

        page.select_option("select[name=y]", "2015")
        assert set(page.evaluate(ALL_ROWS)) == {
            i for i, c in clusters.items() if c.get("opened") and c["opened"].year <= 2015
        }
        page.click(".atlas-clear")
        assert set(page.evaluate(ALL_ROWS)) == everything
        # Places without a location are listed, marked, and have no button that would move the map.
        unplaced = next(r for r in atlas.all("clusters") if not geography.place_of(atlas, r))
        page.fill(".atlas-q", unplaced["name"])
        row = page.locator(f".atlas-item[data-id='{unplaced.id}']")
        assert "위치 정보 없음" in row.inner_text()
        assert row.locator("button").count() == 0
        assert traffic.errors == []


@pytest.mark.browser
def test_list_follows_the_map_and_the_map_follows_the_list(real_site, open_page):
    with serve(real_site.site) as base:
        page, traffic = _atlas(open_page, base)
        # Zoomed onto 성동구: the list holds exactly the places inside the map's bounds.
        page.evaluate("() => window.atlasMapState.map.setView([37.545, 127.045], 15, {animate: false})")
        page.wait_for_function("document.querySelector('.atlas-count').textContent !== ''")
        inside = page.evaluate(
            """() => { const s = window.atlasMapState, b = s.map.getBounds();
              return s.places.filter(p => p.placed && b.contains([p.lat, p.lon])).map(p => p.id); }"""
        )
        assert "center-seongdong" in inside
        assert sorted(page.evaluate(ALL_ROWS)) == sorted(inside)
        page.uncheck(".atlas-all input")
        assert len(page.evaluate(ALL_ROWS)) > len(inside)
        assert "a=1" in page.url
        page.check(".atlas-all input")

        # Choosing a row centres the map on the place and opens its popup.
        page.evaluate("() => window.atlasMapState.map.setView([37.56, 126.98], 11, {animate: false})")
        page.click(".atlas-item[data-id='center-eunpyeong'] button")
        page.wait_for_selector(".leaflet-popup-content")
        assert "은평구사회적경제허브센터" in page.inner_text(".leaflet-popup-content")
        centre = page.evaluate("() => { const c = window.atlasMapState.map.getCenter(); return [c.lat, c.lng]; }")
        place = page.evaluate("() => window.atlasMapState.places.find(p => p.id === 'center-eunpyeong')")
        assert abs(centre[0] - place["lat"]) < 0.01 and abs(centre[1] - place["lon"]) < 0.01
        assert page.get_attribute(".atlas-item.is-selected", "data-id") == "center-eunpyeong"
        assert "p=center-eunpyeong" in page.url

        # Opening a marker's popup on the map highlights its row.
        _open_popup(page, "cluster-eunpyeong")
        page.wait_for_selector(".atlas-item.is-selected[data-id='cluster-eunpyeong']")
        assert page.locator(".atlas-item.is-selected").count() == 1
        assert traffic.errors == []


@pytest.mark.browser
def test_the_whole_state_round_trips_through_the_address(real_site, open_page):
    with serve(real_site.site) as base:
        page, _ = _atlas(open_page, base)
        page.fill(".atlas-q", "센터")
        page.uncheck(".atlas-kinds input[value=organisations]")
        page.select_option("select[name=d]", "11380")
        page.click(".atlas-item[data-id='center-eunpyeong'] button")
        page.wait_for_selector(".leaflet-popup-content")
        url = page.url
        assert "q=%EC%84%BC%ED%84%B0" in url and "d=11380" in url and "p=center-eunpyeong" in url
        view = page.evaluate("() => { const m = window.atlasMapState.map; return [m.getZoom(), m.getCenter()]; }")

        again, traffic = open_page(url)
        again.wait_for_function("window.atlasMapState !== undefined")
        again.wait_for_selector(".leaflet-popup-content")
        assert again.input_value(".atlas-q") == "센터"
        assert again.input_value("select[name=d]") == "11380"
        assert not again.is_checked(".atlas-kinds input[value=organisations]")
        assert "은평구사회적경제허브센터" in again.inner_text(".leaflet-popup-content")
        assert again.evaluate(ALL_ROWS) == page.evaluate(ALL_ROWS)
        got = again.evaluate("() => { const m = window.atlasMapState.map; return [m.getZoom(), m.getCenter()]; }")
        assert got[0] == view[0] and abs(got[1]["lat"] - view[1]["lat"]) < 1e-4
        assert traffic.errors == []

        # On the map page the page's own address carries the state, and a shared address restores it.
        page3, traffic3 = open_page(base + "map/#q=%EC%84%B1%EC%88%98")
        frame = _map_frame(page3, "map/atlas.html")
        assert frame.input_value(".atlas-q") == "성수"
        frame.fill(".atlas-q", "허브센터")
        page3.wait_for_function("location.hash.includes('q=%ED%97%88%EB%B8%8C')")
        assert traffic3.errors == []


@pytest.mark.browser
def test_near_me_lists_the_nearest_places_with_distances(real_site, open_page):
    with serve(real_site.site) as base:
        page, traffic = _atlas(open_page, base, geolocation=NEAR_SEONGSU, permissions=["geolocation"])
        page.click(".atlas-near")
        page.wait_for_function("document.querySelector('.atlas-count').textContent.startsWith('가까운 순')")
        rows = page.evaluate(ALL_ROWS)
        assert rows[0] == "center-seongdong"
        kinds = page.evaluate("() => window.atlasMapState.rows().map(p => p.kind)")
        assert set(kinds) <= {"centers", "clusters"}
        distances = page.evaluate("() => window.atlasMapState.rows().map(p => p.distance)")
        assert distances == sorted(distances) and distances[0] < 2000
        assert "직선거리" in page.locator(".atlas-item").first.inner_text()
        assert "가까운 지원센터와 클러스터" in page.inner_text(".atlas-status")
        page.click(".atlas-near-end")
        assert not page.inner_text(".atlas-count").startswith("가까운 순")
        assert traffic.errors == []

        far, _ = _atlas(
            open_page, base, geolocation={"latitude": 35.1, "longitude": 129.04}, permissions=["geolocation"]
        )
        far.click(".atlas-near")
        far.wait_for_function("document.querySelector('.atlas-status').textContent.includes('지역 밖')")


@pytest.mark.browser
def test_near_me_when_the_location_is_refused(real_site, open_page):
    with serve(real_site.site) as base:
        page, traffic = _atlas(open_page, base)
        page.context.clear_permissions()
        page.click(".atlas-near")
        page.wait_for_function("document.querySelector('.atlas-status').textContent.includes('위치 권한이 거부되어')")
        assert not page.inner_text(".atlas-count").startswith("가까운 순")
        assert traffic.errors == []


@pytest.mark.browser
def test_directions_links_search_the_address_of_approximate_places(real_site, open_page):
    from urllib.parse import quote

    page_html = real_site.html("districts/eunpyeong-gu/")
    query = quote("서울특별시 은평구 은평로 245")
    kakao, naver = f"https://map.kakao.com/?q={query}", f"https://map.naver.com/p/search/{query}"
    # The district page's own links for the same address: the map uses the same form.
    assert kakao in page_html and naver in page_html
    with serve(real_site.site) as base:
        page, traffic = _atlas(open_page, base)
        _open_popup(page, "cluster-eunpyeong")
        popup = page.locator(".leaflet-popup-content")
        assert popup.locator("a.atlas-kakao").get_attribute("href") == kakao
        assert popup.locator("a.atlas-naver").get_attribute("href") == naver
        assert popup.locator("a.atlas-kakao").get_attribute("target") == "_blank"
        row = page.locator(".atlas-item[data-id='center-eunpyeong']")
        # The center has no address of its own: its building's (the cluster's) is searched.
        assert row.locator("a.atlas-kakao").get_attribute("href") == kakao
        assert traffic.errors == []


@pytest.mark.browser
@pytest.mark.slow
def test_directions_go_to_the_point_once_the_coordinate_is_reviewed(edited_site, open_page):
    # variants.reviewed_coordinate: Eunpyeong's cluster at its dong centre, reviewed.
    lat, lon = edited_site.notes["reviewed_coordinate"]
    with serve(edited_site.site) as base:
        page, traffic = _atlas(open_page, base)
        _open_popup(page, "cluster-eunpyeong")
        href = page.locator(".leaflet-popup-content a.atlas-kakao").get_attribute("href")
        name = "은평구 사회적경제허브센터".replace(" ", "%20")
        assert unquote(href) == unquote(f"https://map.kakao.com/link/to/{name},{lat},{lon}")
        # The center in that building goes to the same point.
        row = page.locator(".atlas-item[data-id='center-eunpyeong'] a.atlas-kakao")
        assert unquote(row.get_attribute("href")).endswith(f",{lat},{lon}")
        assert traffic.errors == []


@pytest.mark.browser
def test_csv_of_the_filtered_list(real_site, open_page):
    import csv
    import io

    with serve(real_site.site) as base:
        page, traffic = _atlas(open_page, base, accept_downloads=True)
        page.fill(".atlas-q", "센터")
        shown = page.evaluate("() => window.atlasMapState.rows().map(p => p.name)")
        assert len(shown) > 3
        with page.expect_download() as info:
            page.click(".atlas-csv")
        raw = Path(info.value.path()).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte order mark"
        table = list(csv.reader(io.StringIO(raw[3:].decode("utf-8"))))
        assert table[0][:6] == ["이름", "종류", "자치구", "주소", "전화", "위치"]
        assert [r[0] for r in table[1:]] == shown
        row = next(r for r in table if r[0] == "은평구사회적경제허브센터")
        assert row[1:6] == ["지원센터", "은평구", "은평구 은평로 245", "02-355-7913", "대략적 위치 (동 중심)"]
        assert info.value.suggested_filename.endswith(".csv")
        assert traffic.errors == []


@pytest.mark.browser
def test_phone_list_and_map_take_turns_and_controls_never_cover_a_popup(real_site, open_page):
    with serve(real_site.site) as base:
        page, traffic = _atlas(open_page, base, viewport=PHONE, is_mobile=True, has_touch=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert not page.is_visible(".atlas-list")
        page.click(".atlas-view-toggle")
        assert page.is_visible(".atlas-list") and not page.is_visible(".folium-map")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.uncheck(".atlas-all input")  # every place, wherever the map has moved
        for pid in ("center-seoul", "cluster-dongjak", "center-seongdong"):
            if not page.is_visible(".atlas-list"):
                page.click(".atlas-view-toggle")
            page.click(f".atlas-item[data-id='{pid}'] button")
            page.wait_for_selector(".leaflet-popup-content")
            page.wait_for_timeout(400)  # the popup's pan into view
            overlaps = page.evaluate(
                """() => {
                  const box = (e) => e.getBoundingClientRect();
                  const hit = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
                  const pop = box(document.querySelector('.leaflet-popup-content-wrapper'));
                  const map = box(document.querySelector('.folium-map'));
                  const out = [...document.querySelectorAll('.leaflet-control, .atlas-panel')]
                    .filter((c) => c.offsetParent && hit(box(c), pop)).map((c) => c.className);
                  if (pop.left < map.left || pop.right > map.right || pop.top < map.top) out.push('outside the map');
                  return out;
                }"""
            )
            assert overlaps == [], (pid, overlaps)
            page.keyboard.press("Escape")
        # Markers, approximate ones too, are at least 20 px wide on a phone.
        sizes = page.evaluate(
            "() => [...document.querySelectorAll('.leaflet-marker-icon.atlas-pin')].map(m => m.offsetWidth)"
        )
        assert sizes and min(sizes) >= 20
        assert traffic.errors == []


@pytest.mark.browser
def test_map_page_with_the_list_open_has_no_serious_accessibility_violation(real_site, open_page):
    from test_accessibility import serious_violations

    with serve(real_site.site) as base:
        for viewport in ({"width": 1280, "height": 900}, PHONE):
            page, _ = _atlas(open_page, base, viewport=viewport)
            if viewport is PHONE:
                page.click(".atlas-view-toggle")
            page.fill(".atlas-q", "센터")
            assert page.locator(".atlas-item").count() > 0
            assert serious_violations(page) == [], viewport


@pytest.mark.browser
def test_snippets_wrap_on_a_phone_and_have_a_copy_button(real_site, open_page):
    with serve(real_site.site) as base:
        page, traffic = open_page(
            f"{base}districts/eunpyeong-gu/", viewport=PHONE, permissions=["clipboard-read", "clipboard-write"]
        )
        snippets = page.locator(".atlas-snippet")
        assert snippets.count() == 2
        for i in range(2):
            snippet = snippets.nth(i)
            snippet.scroll_into_view_if_needed()
            code = snippet.locator("code")
            assert code.evaluate("c => c.scrollWidth <= c.clientWidth + 1"), "the snippet wraps"
            # The theme's copy button puts the snippet on the clipboard.
            button = snippet.locator("button[data-md-type=copy]")
            assert button.count() == 1
            button.click()
            assert page.evaluate("navigator.clipboard.readText()") == code.inner_text().strip()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert traffic.errors == []
