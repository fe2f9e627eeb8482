"""The built map files: self-hosted, complete, escaped; the map page and the district map sections."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import run_build
from seatlas.maps import folium_html, folium_map
from seatlas.model import geography
from seatlas.model.load import load_data
from seatlas.render.context import Context
from variants import EMBED_BASE_URL, HOSTILE_ADDRESS, HOSTILE_NAME

PLACE_BUDGET = 100  # bytes of map data a place, on average


def map_config(page: str) -> dict:
    """The data the build hands to the map script, with its places unpacked to one dict each."""
    m = re.search(r"atlasMap\.start\((\{.*\})\);", page)
    assert m, "no atlasMap.start(...) call"
    config = json.loads(m.group(1))
    config["packed"] = config["places"]
    config["places"] = unpack(config["places"])
    return config


def unpack(data: dict) -> list[dict]:
    """The compact place columns (maps.places) as one dict per place, strings looked up."""
    strings, out = data["strings"], []
    assert strings[0] == ""
    for kind in ("clusters", "centers", "organisations"):
        columns = data["kinds"][kind]
        assert len({len(v) for v in columns.values()}) == 1, f"{kind}: columns of unequal length"
        for i in range(len(columns["id"])):
            row = {name: values[i] for name, values in columns.items()}
            for name in ("label", "name", "address", "detail", "phone", "dong", "host", "opened", "area"):
                if name in row:
                    row[name] = strings[row[name]]
            if "facilities" in row:
                row["facilities"] = [strings[i] for i in row["facilities"]]
            row["district"], row["href"], row["city"], row["code"] = data["districts"][row["district"]]
            row["approx"] = row["approx"] == 1
            row["reviewed"] = row["reviewed"] == 1
            if "planned" in row:
                row["planned"] = row["planned"] == 1
            out.append({"kind": kind, **row})
    return out


def placed(data_dir: Path, kind: str) -> list:
    atlas, problems = load_data(data_dir)
    assert not problems
    return [r for r in atlas.all(kind) if geography.place_of(atlas, r)], atlas


def map_files(site: Path) -> list[Path]:
    return sorted([site / "map" / "atlas.html", *(site / "embed").glob("*/index.html")])


def test_map_page_shows_the_map_and_the_same_places_as_text(real_site):
    page = real_site.html("map/")
    assert '<iframe data-src="atlas.html"' in page
    assert (real_site.site / "map" / "atlas.html").is_file()
    clusters, atlas = placed(real_site.root / "data", "clusters")
    assert clusters
    for c in clusters:
        d = atlas.get("districts", c["district"])
        row = re.search(rf"<td>{re.escape(html.escape(c['name'], quote=False))}</td>\s*<td>(.*?)</td>", page)
        assert row, c.id
        assert f'href="../districts/{d["slug"]}/"' in row.group(1)
    assert "대략적 위치 (동 중심)" in page
    assert '<img alt="서울 사회적경제 지도 이미지" src="../maps/seoul.png"' in page


def test_every_map_file_is_self_hosted_and_stable(real_site):
    site = real_site.site
    files = map_files(site)
    assert len(files) >= 1 + len(list((site / "districts").glob("*/")))
    for f in files:
        text = f.read_text(encoding="utf-8")
        base = "http://127.0.0.1/" + f.relative_to(site).as_posix()
        refs = re.findall(r'<(?:script|link)\b[^>]*?(?:src|href)="([^"]+)"', text)
        assert refs, f
        for ref in refs:
            assert not urlsplit(ref).netloc, f"{f}: {ref} is not self-hosted"
            local = site / urlsplit(urljoin(base, ref)).path.lstrip("/")
            assert local.is_file(), f"{f}: {ref} is missing"
        for word in ("jquery", "bootstrap", "font-awesome", "fontawesome", "cdn.", "awesome-markers"):
            assert word not in text.lower(), f"{f}: {word}"
        assert not re.search(r"\b[0-9a-f]{32}\b", text), f"{f}: a random Folium id is left"
        assert '"referrerPolicy": "strict-origin-when-cross-origin"' in text
        assert "https://tile.openstreetmap.org/{z}/{x}/{y}.png" in text
        assert "OpenStreetMap" in text
        assert 'lang="ko"' in text
        assert "X-Frame-Options" not in text and "frame-ancestors" not in text
    for lic in ("leaflet/LICENSE", "leaflet.markercluster/MIT-LICENCE.txt", "leaflet.fullscreen/LICENSE.txt"):
        assert (site / "assets/map/vendor" / lic).is_file()


def test_every_district_has_its_own_embed(real_site):
    site = real_site.site
    atlas, _ = load_data(real_site.root / "data")
    for d in atlas.all("districts"):
        config = map_config((site / "embed" / d["slug"] / "index.html").read_text(encoding="utf-8"))
        assert config["layers"].keys() == {"clusters", "centers", "organisations", "boundaries"}
        records = [r for kind in ("clusters", "centers", "organisations") for r in atlas.in_district(kind, d.id)]
        # Every record of the district is listed; those without a place have no coordinates.
        assert {p["id"] for p in config["places"]} == {r.id for r in records}, d["slug"]
        placed = {p["id"] for p in config["places"] if p["lat"] is not None}
        assert placed == {r.id for r in records if geography.place_of(atlas, r)}, d["slug"]
    seoul = map_config((site / "embed" / "seoul" / "index.html").read_text(encoding="utf-8"))
    assert {p["id"] for p in seoul["places"]} <= {
        p["id"] for p in map_config(real_site.html("map/atlas.html"))["places"]
    }


def test_cluster_years_for_the_filter(real_site):
    config = map_config(real_site.html("map/atlas.html"))
    atlas, _ = load_data(real_site.root / "data")
    for p in config["places"]:
        if p["kind"] != "clusters":
            continue
        c = atlas.get("clusters", p["id"])
        assert p["year"] == (c["opened"].year if c.get("opened") else None)
        assert p["planned"] == (c["status"] == "planned")


def test_district_page_embeds_its_map_and_offers_snippets(real_site):
    page = real_site.html("districts/eunpyeong-gu/")
    frame = re.search(r'<iframe\b[^>]*\bdata-src="([^"]+)"[^>]*>', page)
    src = frame.group(1)
    assert src == "../../embed/eunpyeong-gu/index.html"
    # Below the district's centers: fetched when it comes near the screen, not with the page.
    assert 'loading="lazy"' in frame.group(0)
    assert 'loading="lazy"' not in re.search(r"<iframe\b[^>]*>", real_site.html("map/")).group(0)
    assert (real_site.site / "districts/eunpyeong-gu" / src).resolve().is_file()
    assert (
        "<pre><code>&lt;iframe src=&quot;https://atlas.example.org/embed/eunpyeong-gu/&quot; "
        "title=&quot;은평구 사회적경제 지도&quot;"
    ) in page
    assert re.search(
        r'<a href="\./"><img alt="은평구 사회적경제 지도"(?: class="[^"]*")? src="\.\./\.\./maps/eunpyeong-gu\.png" /></a>',
        page,
    )
    assert (
        "&lt;a href=&quot;https://atlas.example.org/districts/eunpyeong-gu/&quot;&gt;"
        "&lt;img src=&quot;https://atlas.example.org/maps/eunpyeong-gu.png&quot;"
    ) in page


def test_embed_base_url_setting_is_used_in_snippets(edited_site):
    page = edited_site.html("districts/eunpyeong-gu/")
    assert f"{EMBED_BASE_URL}/embed/eunpyeong-gu/" in page


def test_data_values_are_escaped_in_popups_tooltips_and_script(hostile_site):
    result = hostile_site
    for f in (result.site / "map" / "atlas.html", result.site / "embed" / "eunpyeong-gu" / "index.html"):
        text = f.read_text(encoding="utf-8")
        assert "</script><script>alert" not in text
        assert "<img src=x" not in text
        # The values travel as plain text inside the script's JSON (with <, >, & as \u escapes);
        # the browser test checks that the popup shows them as text, not markup.
        hostile = next(p for p in map_config(text)["places"] if p["id"] == "cluster-hostile")
        assert hostile["name"] == HOSTILE_NAME
        assert hostile["address"] == HOSTILE_ADDRESS
        assert "\\u003cimg src=x onerror=alert(1)\\u003e" in text
        assert "\\u003c/script\\u003e\\u003cscript\\u003ealert" in text
        assert "popup" not in hostile, "no prebuilt popup HTML: popups are built from text in the browser"
    assert "<img src=x" not in result.html("map/")
    assert "<script>alert" not in result.html("map/")


def test_a_coordinate_outside_its_district_fails_the_build(project):
    gangnam = geography.districts()["11680"].geometry.representative_point()
    (project / "data" / "coordinates.yml").write_text(
        "# 시험용 좌표\n\n"
        "- id: cluster-eunpyeong\n"
        f"  lat: {gangnam.y:.6f}\n"
        f"  lon: {gangnam.x:.6f}\n"
        "  precision: rooftop\n"
        "  method: manual\n"
        "  reviewed: true\n"
        "  as_of: 2024-01-01\n",
        encoding="utf-8",
    )
    result = run_build(project)
    assert result.returncode != 0
    assert re.search(r"data/coordinates\.yml:4: record cluster-eunpyeong: lat/lon: .*not inside 은평구", result.output)
    assert "강남구" in result.output


def test_a_reviewed_coordinate_is_drawn_exactly(edited_site):
    lat, lon = edited_site.notes["reviewed_coordinate"]
    place = next(p for p in map_config(edited_site.html("map/atlas.html"))["places"] if p["id"] == "cluster-eunpyeong")
    assert (place["lat"], place["lon"], place["approx"]) == (lat, lon, False)
    # The popup shows the approximate-location note only for approx places (atlas-map.js).
    row = re.search(r"<td>은평구 사회적경제허브센터</td>.*?</tr>", edited_site.html("map/"), re.S).group(0)
    assert "확인된 좌표" in row


def test_iframes_follow_use_directory_urls(flat_site):
    site = flat_site.site
    for page, frame in (
        ("districts/eunpyeong-gu.html", "embed/eunpyeong-gu/index.html"),
        ("map.html", "map/atlas.html"),
    ):
        text = (site / page).read_text(encoding="utf-8")
        src = re.search(r'<iframe\b[^>]*\bdata-src="([^"]+)"', text).group(1)
        assert (site / page).parent.joinpath(src).resolve() == (site / frame).resolve()
    place = next(p for p in map_config((site / "map/atlas.html").read_text(encoding="utf-8"))["places"])
    assert place["href"].startswith("../districts/") and place["href"].endswith(".html")
    assert 'link.target = "_top"' in (site / "assets/map/atlas-map.js").read_text(encoding="utf-8")


@pytest.mark.slow
def test_national_map_stays_within_its_byte_budget(national_site):
    """The national view carries ~60 bytes a place (30,000 places: under 3 MB with the assets)."""
    result, counts = national_site, national_site.notes["counts"]
    page = (result.site / "map" / "atlas.html").read_text(encoding="utf-8")
    config = map_config(page)
    n = len(config["places"])
    assert n == sum(counts[f"{kind}.yml"] for kind in ("organisations", "clusters", "centers"))
    packed = len(folium_html.js_value(config["packed"]).encode())
    print(f"\nnational view: {n} places, {packed / n:.1f} bytes a place, {len(page.encode())} bytes")
    assert packed / n <= PLACE_BUDGET, f"{packed / n:.0f} bytes a place"
    # Boundaries of 251 districts, Folium's page and the script call: a fixed part.
    assert len(page.encode()) - packed <= 1_000_000
    # A district's embed holds only its own places: small even for an island county's coastline.
    for f in (result.site / "embed").glob("*/index.html"):
        text = f.read_text(encoding="utf-8")
        if len(map_config(text)["packed"]["districts"]) == 1:
            assert len(text.encode()) <= 150_000, f
    # The map page's text alternative counts places per district when they are thousands.
    listing = result.html("map/")
    assert "곳이 많아 자치구별 수만 보입니다" in listing
    assert len(listing.encode()) <= 400_000


AREA_CLUSTERS = """
- id: cluster-big-area
  name: 넓은 시험 공간
  kind: workshop
  district: "11380"
  legal_dong: 녹번동
  floor_area_m2: 1234567.5
  status: opened
  sources: [article-clusters-2018]
  as_of: 2018-05-31

- id: cluster-pyeong-area
  name: 평으로만 잰 시험 공간
  kind: workshop
  district: "11380"
  legal_dong: 녹번동
  floor_area_pyeong: 300
  status: opened
  sources: [article-clusters-2018]
  as_of: 2018-05-31
"""


def test_popup_areas_are_formatted_as_on_the_pages(project):
    """Popups show ㎡ and 평 like the district pages, never exponent notation, pyeong-only areas too."""
    with (project / "data" / "clusters.yml").open("a", encoding="utf-8") as f:
        f.write(AREA_CLUSTERS)
    atlas, problems = load_data(project / "data")
    assert not problems
    ctx = Context(atlas=atlas, settings=None)
    places = {p["id"]: p for p in unpack(folium_map.places(ctx, ("11380",), "../"))}
    assert places["cluster-big-area"]["area"] == "1,234,567.5㎡ (약 373,456.7평)"
    assert places["cluster-pyeong-area"]["area"] == "약 991.7㎡ (300평)"
    assert places["cluster-eunpyeong"]["area"] == "1,100㎡ (약 332.8평)"


def _located_data(tmp_path: Path, center: str, coordinates: str | None = None) -> Path:
    from test_validation import make_data

    files = {"centers": center}
    if coordinates is not None:
        files["coordinates"] = coordinates
    return make_data(tmp_path, **files)


CENTER_IN_CLUSTER = """\
- id: center-eunpyeong
  name: 은평구사회적경제허브센터
  kind: district-center
  district: "11380"
  located_in: cluster-eunpyeong
  sources: [report-2018]
  as_of: 2018-12-31
"""


def test_a_center_located_in_a_cluster_is_drawn_at_the_cluster(tmp_path):
    atlas, problems = load_data(_located_data(tmp_path, CENTER_IN_CLUSTER))
    assert problems == []
    center, cluster = atlas.get("centers", "center-eunpyeong"), atlas.get("clusters", "cluster-eunpyeong")
    assert center.get("road_address") is None, "the address is not copied into the center"
    assert geography.place_of(atlas, center) == geography.place_of(atlas, cluster) is not None


def test_located_in_is_checked_like_every_reference(tmp_path):
    bad = CENTER_IN_CLUSTER.replace("located_in: cluster-eunpyeong", "located_in: cluster-nowhere")
    _, problems = load_data(_located_data(tmp_path, bad))
    assert [str(p) for p in problems] == [
        "data/centers.yml:5: record center-eunpyeong: located_in: unknown clusters id 'cluster-nowhere'"
    ]


def test_located_in_a_cluster_of_another_district_or_with_its_own_coordinate_is_reported(tmp_path):
    elsewhere = CENTER_IN_CLUSTER.replace('district: "11380"', 'district: "11290"')
    coordinate = (
        "- id: center-eunpyeong\n  lat: 37.6\n  lon: 126.93\n  precision: rooftop\n"
        "  method: manual\n  reviewed: true\n  as_of: 2024-01-01\n"
    )
    district = '\n- id: "11290"\n  city: 서울특별시\n  name_ko: 성북구\n  name_en: Seongbuk-gu\n  slug: seongbuk-gu\n'
    district += "  sources: [report-2018]\n  as_of: 2018-12-31\n"
    data = _located_data(tmp_path, elsewhere, coordinate)
    with (data / "districts.yml").open("a", encoding="utf-8") as f:
        f.write(district)
    _, problems = load_data(data)
    text = [str(p) for p in problems]
    assert (
        "data/centers.yml:5: record center-eunpyeong: located_in: cluster 'cluster-eunpyeong' is in district 11380, "
        "not in the center's district 11290"
    ) in text
    assert any(
        t.startswith("data/coordinates.yml:1: record center-eunpyeong: id: center 'center-eunpyeong' is drawn where")
        for t in text
    ), text


def test_real_centers_housed_in_clusters(real_site):
    """성동, 은평, 서대문, 양천, 동작 are drawn at their cluster; 도봉 and 용산 stay unplaced, with the reason noted."""
    atlas, _ = load_data(real_site.root / "data")
    housed = {"center-seongdong", "center-eunpyeong", "center-seodaemun", "center-yangcheon", "center-dongjak"}
    for c in atlas.all("centers"):
        if c.id in housed:
            assert c["located_in"] == c.id.replace("center-", "cluster-")
            assert "article-clusters-2018" in c["sources"] and "located_in" in c["note"]
        else:
            assert c.get("located_in") is None, c.id
    for c in ("center-dobong", "center-yongsan"):
        assert "located_in은 비움" in atlas.get("centers", c)["note"]
    places = {p["id"]: p for p in map_config(real_site.html("map/atlas.html"))["places"]}
    for cid in housed:
        center, cluster = places[cid], places[cid.replace("center-", "cluster-")]
        assert (center["lat"], center["lon"]) == (cluster["lat"], cluster["lon"])


def test_every_map_file_is_valid_html(real_site):
    """No parse error in strict HTML5 parsing (Folium's stock page puts its <script> after </body>)."""
    html5lib = pytest.importorskip("html5lib")
    for f in map_files(real_site.site):
        text = f.read_text(encoding="utf-8")
        try:
            html5lib.HTMLParser(strict=True).parse(text)
        except html5lib.html5parser.ParseError as err:
            raise AssertionError(f"{f.relative_to(real_site.site)}: {err}") from None
        assert text.rstrip().endswith("</script>\n</body>\n</html>"), f
        assert text.count("</body>") == 1 and text.index("</body>") > text.rindex("<script"), f


def test_district_page_shows_its_map_right_after_its_own_center(real_site):
    page = real_site.html("districts/eunpyeong-gu/").split('class="md-content"')[1]  # not the table of contents
    own_center = page.index(">은평구사회적경제허브센터<")
    iframe = page.index("<iframe")
    assert own_center < iframe < page.index(">클러스터와 공유공간<") < page.index(">광역 지원센터<")
    assert 'allow="geolocation"' in page[iframe : page.index(">", iframe)]
    # The housed center says where it is, from its cluster's record.
    assert "있는 곳: 은평구 사회적경제허브센터 건물" in page
    # The snippets come after the long lists, wrap, and the image snippet shrinks on a phone.
    assert page.index("지도 퍼가기") > page.index(">클러스터와 공유공간<")
    assert 'class="atlas-snippet"' in page
    assert "allow=&quot;geolocation&quot;" in page
    assert "style=&quot;max-width:100%;height:auto;border:0&quot;" in page


def test_home_invites_to_the_map_and_to_each_district(real_site):
    home = real_site.html("")
    content = home.split('class="md-content"')[1]
    assert re.search(
        r'<a href="map/"><img alt="지도에서 찾기[^"]*" class="atlas-home-map" src="maps/seoul.png"', content
    )
    atlas, _ = load_data(real_site.root / "data")
    for d in atlas.all("districts"):
        assert f'href="districts/{d["slug"]}/"' in content, d["slug"]


def test_map_page_lists_places_without_location_as_such(real_site):
    page = real_site.html("map/")
    atlas, _ = load_data(real_site.root / "data")
    unplaced = next(r for r in atlas.all("clusters") if not geography.place_of(atlas, r))
    row = re.search(rf"<td>{re.escape(html.escape(unplaced['name'], quote=False))}</td>.*?</tr>", page, re.S).group(0)
    assert "위치 정보 없음" in row
