"""The generated pages of the real atlas, read from the built HTML."""

from __future__ import annotations

import json
import re
from html import unescape
from html.parser import HTMLParser

from seatlas.model.records import read_yaml
from variants import MARKUP_NAME, TENANTS_AFTER, TENANTS_BEFORE


def text_of(html: str) -> str:
    """The visible text of a page, whitespace folded."""

    class Collect(HTMLParser):
        def __init__(self):
            super().__init__()
            self.parts, self.skip = [], 0

        def handle_starttag(self, tag, attrs):
            self.skip += tag in ("script", "style")

        def handle_endtag(self, tag):
            self.skip -= tag in ("script", "style") and self.skip > 0

        def handle_data(self, data):
            if not self.skip:
                self.parts.append(data)

    parser = Collect()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def test_every_district_has_a_page(real_site):
    districts = read_yaml(real_site.root / "data" / "districts.yml")
    assert districts
    for d in districts:
        html = real_site.html(f"districts/{d['slug']}/")
        assert d["name_ko"] in html and d["name_en"] in html
    # One page per district and no other: a district page names its code.
    codes = {}
    for page in sorted((real_site.site / "districts").glob("*/index.html")):
        found = re.search(r"자치구 코드 (\d+)", text_of(page.read_text(encoding="utf-8")))
        if found:
            codes[page.parent.name] = found.group(1)
    assert codes == {d["slug"]: d["id"] for d in districts}


def test_eunpyeong_page_field_by_field(real_site):
    html = real_site.html("districts/eunpyeong-gu/")
    text = text_of(html)
    assert "은평구 Eunpyeong-gu" in text
    assert "도시재생" in text  # 2018 special-zone theme
    # The district center, with a phone link.
    assert "은평구사회적경제허브센터" in text
    assert '<a href="tel:023557913">02-355-7913</a>' in html
    # The cluster, figures with their unit in ㎡ and 평, opening month and tenants.
    assert "은평구 은평로 245" in text
    assert "녹번동" in text
    assert "1,100㎡ (약 332.8평)" in text
    assert "2014년 3월" in text
    assert "21개 조직 (기업, 중간지원조직, NPO)" in text
    assert "사무실, 코워킹룸, 교육실, 회의실" in text
    # Each record cites its own as_of: the center the 2018 report (2018-12-31), the cluster the 2018
    # article (2018-05-31); the other record of each section must not lend it its date.
    center = text_of(section(html, "은평구사회적경제허브센터"))
    cluster = text_of(section(html, "은평구 사회적경제허브센터"))
    assert "2018-12-31 기준" in center and "2018-05-31" not in center
    assert "2018-05-31 기준" in cluster and "2018-12-31" not in cluster
    # Search links for the road address.
    assert 'href="https://map.kakao.com/?q=%EC%84%9C%EC%9A%B8%ED%8A%B9%EB%B3%84%EC%8B%9C%20' in html
    assert "카카오맵에서 보기" in text and "네이버 지도에서 보기" in text
    # Source links resolve to the sources page.
    assert 'href="../../sources/#report-2018"' in html


def section(html: str, heading: str) -> str:
    """The HTML from the h3 heading with this text up to the next h2 or h3."""
    found = re.search(rf"<h3 [^>]*>{re.escape(heading)}<.*?(?=<h[23][ >])", html, re.S)
    assert found, heading
    return found.group(0)


def test_gwanak_records_administrative_and_legal_dong(real_site):
    text = text_of(real_site.html("districts/gwanak-gu/"))
    assert "신림동 (행정동 난향동)" in text
    assert "355.96㎡" in text


def test_planned_cluster_is_marked(real_site):
    text = text_of(real_site.html("districts/dongdaemun-gu/"))
    assert "2018년 7월 개관 예정" in text


def test_district_without_data_says_so(real_site):
    text = text_of(real_site.html("districts/jungnang-gu/"))
    assert "중랑구의 사회적경제 지원센터가 없습니다" in text
    assert "중랑구의 사회적경제 클러스터가 없습니다" in text


def test_clusters_directory_and_totals(real_site):
    clusters = read_yaml(real_site.root / "data" / "clusters.yml")
    html = real_site.html("clusters/")
    text = text_of(html)
    assert f"공간: {len(clusters)}곳" in text
    total_tenants = sum(c.get("tenant_count") or 0 for c in clusters)
    assert f"입주 조직 합계: {total_tenants}개" in text
    total_area = sum(c.get("floor_area_m2") or 0 for c in clusters)
    assert f"연면적 합계: {total_area:,.2f}".rstrip("0").rstrip(".") in text
    # Every row links to its district page.
    assert html.count('href="../districts/eunpyeong-gu/"') >= 1
    rows = re.findall(r"<tr>", html)
    assert len(rows) == len(clusters) + 1


def test_centers_directory_grouped_by_city(real_site):
    text = text_of(real_site.html("centers/"))
    assert text.index("서울특별시") < text.index("인천광역시")
    assert "02-355-7913" in text and "02-353-3553" in text


def test_home_shows_headline_figures_and_update_date(real_site):
    text = text_of(real_site.html(""))
    for kind, unit in (("districts", "개 구"), ("centers", "곳"), ("clusters", "곳")):
        assert f": {len(read_yaml(real_site.root / 'data' / f'{kind}.yml'))}{unit}" in text, kind
    # Every growth and finance figure, with its baseline first where it has one.
    inline = " ".join(unescape(re.sub(r"<[^>]+>", "", real_site.html(""))).split())
    figures = read_yaml(real_site.root / "data" / "figures.yml")
    headline = [f for f in figures if f["group"] in ("growth", "finance")]
    assert headline
    for f in headline:
        # An estimated number reads "약 …", an estimated year "… 추정".
        estimated = f.get("estimated") or ()
        value = f"{'약 ' * ('value' in estimated)}{f['value']:,}{f['unit']}"
        if "baseline" in f:
            year = f"{f['baseline_date']}년{' 추정' * ('baseline_date' in estimated)}"
            value = f"{'약 ' * ('baseline' in estimated)}{f['baseline']:,}{f['unit']} ({year}) → {value}"
        assert f"{f['label']}: {value}" in inline, f["id"]
    facts = ("centers", "clusters", "organisations", "gsef", "history", "figures")
    newest = max(r["as_of"] for kind in facts for r in read_yaml(real_site.root / "data" / f"{kind}.yml"))
    assert f"자료 기준일: {newest.year}년 {newest.month}월 {newest.day}일" in text
    # A figure whose years are the editors' estimate says so next to it, in plain words (not the note).
    assert "882개 (2012년 추정) → 3,832개 (2017년 추정)" in text
    assert "메모: " not in text


def test_pages_carry_description_and_open_graph(real_site):
    for path in ("", "districts/eunpyeong-gu/", "clusters/", "centers/"):
        html = real_site.html(path)
        assert re.search(r'<meta name="description" content="[^"]+"', html), path
        for prop in ("og:title", "og:description", "og:url"):
            assert f'<meta property="{prop}" content="' in html, (path, prop)
    eun = real_site.html("districts/eunpyeong-gu/")
    assert '<meta property="og:url" content="https://atlas.example.org/districts/eunpyeong-gu/">' in eun


def test_nav_groups_districts_by_city(real_site):
    # The header and the navigation come before the page's content (whose district picker links them all).
    html = real_site.html("").split('class="md-content"')[0]
    assert 'href="districts/seoul/"' in html and 'href="districts/incheon/"' in html
    # District pages are linked from city pages, not listed in the navigation (keeps builds linear).
    assert 'href="districts/eunpyeong-gu/"' not in html
    assert 'href="../eunpyeong-gu/"' in real_site.html("districts/seoul/")


def test_editing_tenant_count_changes_page_table_and_totals(real_site, edited_site):
    # The edit is made to Eunpyeong's cluster only (variants.more_tenants).
    assert f"{TENANTS_BEFORE}개 조직" in text_of(
        section(real_site.html("districts/eunpyeong-gu/"), "은평구 사회적경제허브센터")
    )
    assert f"{TENANTS_AFTER}개 조직" in text_of(
        section(edited_site.html("districts/eunpyeong-gu/"), "은평구 사회적경제허브센터")
    )
    before = sum(c.get("tenant_count") or 0 for c in read_yaml(real_site.root / "data" / "clusters.yml"))
    after = sum(c.get("tenant_count") or 0 for c in read_yaml(edited_site.root / "data" / "clusters.yml"))
    assert after == before + TENANTS_AFTER - TENANTS_BEFORE
    assert f"입주 조직 합계: {after}개" in text_of(edited_site.html("clusters/"))


def test_hostile_text_is_shown_as_text(hostile_site):
    # variants.markup_cluster: a cluster in Eunpyeong named with HTML and Markdown.
    for page in ("districts/eunpyeong-gu/", "clusters/"):
        html = hostile_site.html(page)
        assert "<script>alert(1)</script>" not in html
        assert "<img src=x onerror" not in html
        assert 'href="javascript:' not in html
        assert "<strong>bold</strong>" not in html and "<em>bold</em>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert MARKUP_NAME in text_of(html), page


def test_clusters_with_year_only_and_month_openings_sort_together(edited_site):
    # Nowon opened 2016-04; Yangcheon (2016-07) is known only to the year (variants.yangcheon_opened_year_only).
    html = edited_site.html("clusters/")
    # A year-only date sorts before the months of that year: Yangcheon (2016), Dongjak (2016-03), Nowon (2016-04).
    rows = [html.index(f'href="../districts/{slug}/"') for slug in ("yangcheon-gu", "dongjak-gu", "nowon-gu")]
    assert rows == sorted(rows)
    assert "2016년" in text_of(html)


def test_district_center_comes_before_the_city_center(real_site):
    text = text_of(real_site.html("districts/eunpyeong-gu/"))
    assert text.index("은평구사회적경제허브센터") < text.index("서울특별시 사회적경제지원센터")


def test_district_timelines_are_indexed_once_on_the_history_page(real_site):
    docs = json.loads((real_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    district = " ".join(d["text"] for d in docs if d["location"].startswith("districts/eunpyeong-gu/"))
    history = " ".join(d["text"] for d in docs if d["location"].startswith("timelines/history/"))
    assert "서울혁신파크 입주 및 개소식" in history
    assert "서울혁신파크 입주 및 개소식" not in district
    assert "서울혁신파크 입주 및 개소식" in real_site.html("districts/eunpyeong-gu/")  # shown, just not indexed
    assert "은평로 245" in district


def _org_table(html: str) -> tuple[list[str], str]:
    """The header cells of a district page's organisations table, and the HTML after the table."""
    section = html[html.index(">사회적경제 조직<") :]
    table = section[section.index("<table>") : section.index("</table>")]
    after = section[section.index("</table>") : section.index("<h2")]
    return re.findall(r"<th[^>]*>(.*?)</th>", table), after


def test_organisations_cite_one_shared_source_once_and_mixed_sources_per_row(real_site):
    from seatlas.model.load import load_data

    atlas, _problems = load_data(real_site.root / "data")
    by_district: dict[str, set] = {}
    for o in atlas.all("organisations"):
        if o.get("district"):
            by_district.setdefault(o["district"], set()).add((tuple(o["sources"]), o["as_of"]))
    shared = [code for code, cites in by_district.items() if len(cites) == 1]
    mixed = [code for code, cites in by_district.items() if len(cites) > 1]
    assert shared and mixed  # the real data has both kinds of district
    for code in shared + mixed:
        d = atlas.get("districts", code)
        headers, after = _org_table(real_site.html(f"districts/{d['slug']}/"))
        if code in shared:
            # Narrow enough for a phone; the one source and date said once, under the table.
            assert headers == ["이름", "종류", "하는 일"], d["slug"]
            ((sources, as_of),) = by_district[code]
            assert "출처:" in after and as_of.isoformat() in after, d["slug"]
            for sid in sources:
                assert f"sources/#{sid}" in after, d["slug"]
        else:
            assert headers == ["이름", "종류", "하는 일", "출처"], d["slug"]
            assert "출처:" not in after, d["slug"]
