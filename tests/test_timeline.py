"""Timeline pages: every record in order with its datetime, district slices, the category filter."""

from __future__ import annotations

import html5lib
import pytest
from browser import serve
from conftest import ROOT
from seatlas.model import timeline
from seatlas.model.load import load_data
from seatlas.model.types import PartialDate
from seatlas.site.timelines import not_before
from variants import HOSTILE_HISTORY


@pytest.fixture(scope="module")
def atlas():
    atlas, problems = load_data(ROOT / "data")
    assert not problems, problems
    return atlas


def parse(html: str):
    return html5lib.parse(html, namespaceHTMLElements=False)


def classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def items(doc) -> list:
    """The timeline items of a page, in document order (nested fact lists excluded)."""
    return [li for li in doc.iter("li") if "atlas-event" in classes(li)]


def times(li) -> list[str]:
    """The datetime attributes of an item's date line."""
    meta = next(p for p in li.iter("p") if "atlas-event__meta" in classes(p))
    return [t.get("datetime") for t in meta.iter("time")]


def text(el) -> str:
    return " ".join("".join(el.itertext()).split())


def test_gsef_page_lists_every_milestone_in_order(real_site, atlas):
    doc = parse(real_site.html("timelines/gsef/"))
    lis = items(doc)
    expected = timeline.gsef_events(atlas)
    assert [li.get("data-record") for li in lis] == [e.record.id for e in expected]
    assert len(expected) == len(atlas.all("gsef")) > 0
    for li, e in zip(lis, expected, strict=True):
        r = e.record
        assert times(li) == [r["start"].iso()] + ([r["end"].iso()] if r.get("end") else [])
        body = text(li)
        assert r["city"] in body
        assert f"{r['as_of'].isoformat()} 기준" in body
        assert li.find(".//small/a[@href]") is not None, "each milestone links to its source"
        if r.get("participants") is not None:
            assert f"{r['participants']:,}명" in body
        if r.get("countries") is not None:
            assert f"{r['countries']}개국" in body
        for adopted in r.get("adopted", ()):
            assert " ".join(adopted.split()) in body
    years = [li.get("data-year") for li in lis]
    assert years == sorted(years)


def test_gsef_page_names_the_announced_next_host(real_site, atlas):
    doc = parse(real_site.html("timelines/gsef/"))
    nxt = [li for li in items(doc) if "atlas-event--next" in classes(li)]
    assert [li.get("data-record") for li in nxt] == ["gsef-2018-next-host-mexico-city"]
    page = text(doc.find(".//article"))
    assert "차기 개최 도시: 멕시코시티 (멕시코)" in page


def test_history_page_has_every_record_in_order_under_its_year(real_site, atlas):
    doc = parse(real_site.html("timelines/history/"))
    expected = timeline.history_events(atlas)
    assert len(expected) == len(atlas.all("history")) > 0
    sections = [s for s in doc.iter("section") if "atlas-year" in classes(s)]
    seen = []
    for section in sections:
        year = section.get("data-year")
        heading = section.find("h2")
        assert heading is not None and heading.get("id") == f"y{year}"
        assert text(heading).startswith(f"{year}년")
        for li in items(section):
            assert li.get("data-year") == year
            seen.append(li)
    assert [li.get("data-record") for li in seen] == [e.record.id for e in expected]
    districts = {d.id: d for d in atlas.all("districts")}
    for li, e in zip(seen, expected, strict=True):
        assert times(li) == [e.date.iso()] + ([e.end.iso()] if e.end else [])
        assert times(li)[0] == e.record["date"].iso()
        label = next(s for s in li.iter("span") if "atlas-category" in classes(s))
        assert text(label) == timeline.CATEGORY_LABELS[e.category]
        assert li.get("data-category") == e.category
        links = {a.get("href") for a in li.iter("a")}
        for code in e.districts:
            assert f"../../districts/{districts[code]['slug']}/" in links


def test_history_filter_markup_and_categories(real_site, atlas):
    doc = parse(real_site.html("timelines/history/"))
    form = next(f for f in doc.iter("form") if f.get("data-atlas-filter") is not None)
    # Hidden until the script runs, so without JavaScript no dead controls are shown.
    assert form.get("hidden") is not None
    boxes = [i for i in form.iter("input") if i.get("name") == "category"]
    values = {b.get("value") for b in boxes}
    assert values == {r["category"] for r in atlas.all("history")}
    assert all(b.get("checked") is not None for b in boxes)
    assert form.find(".//legend") is not None
    assert any(p.get("role") == "status" for p in form.iter("p"))
    for li in items(doc):
        assert li.get("data-category") in values
    scripts = [s.get("src") or "" for s in doc.iter("script")]
    assert any(s.endswith("assets/atlas-timeline.js") for s in scripts)
    js = (real_site.site / "assets" / "atlas-timeline.js").read_text(encoding="utf-8")
    assert "document$.subscribe" in js


def test_openings_page_in_order_with_planned_marked(real_site, atlas):
    doc = parse(real_site.html("timelines/openings/"))
    lis = items(doc)
    expected = timeline.opening_events(atlas)
    assert [li.get("data-record") for li in lis] == [e.record.id for e in expected]
    assert lis[0].get("data-record") == "cluster-eunpyeong"
    assert times(lis[0]) == ["2014-03"]
    dated = [times(li)[0] for li in lis]
    assert dated == sorted(dated, key=lambda s: PartialDate(*map(int, s.split("-"))).sort_key())
    for li, e in zip(lis, expected, strict=True):
        planned = e.record["status"] == "planned"
        assert ("atlas-event--planned" in classes(li)) == planned
        assert ("예정" in text(li)) == planned
    dongdaemun = next(li for li in lis if li.get("data-record") == "cluster-dongdaemun")
    assert "atlas-event--planned" in classes(dongdaemun)


def test_each_district_page_shows_its_own_slice_only(real_site, atlas):
    with_events = 0
    for d in atlas.all("districts"):
        doc = parse(real_site.html(f"districts/{d['slug']}/"))
        ids = [li.get("data-record") for li in items(doc)]
        assert ids == [e.record.id for e in timeline.district_events(atlas, d.id)], d["slug"]
        with_events += 1 if ids else 0
    # A district named by a history record or with a dated cluster shows a timeline; the others show none.
    named = {code for r in atlas.all("history") for code in r.get("districts", ())}
    named |= {c["district"] for c in atlas.all("clusters") if c.get("opened") is not None}
    assert with_events == len(named & {d.id for d in atlas.all("districts")}) > 0
    # A record of several districts shows on each of them and nowhere else.
    doc = parse(real_site.html("districts/eunpyeong-gu/"))
    ids = {li.get("data-record") for li in items(doc)}
    assert "h-2014-first-cluster-eunpyeong" in ids
    assert "h-2013-northeast-policy-forum" not in ids
    doc = parse(real_site.html("districts/nowon-gu/"))
    forum = next(li for li in items(doc) if li.get("data-record") == "h-2013-northeast-policy-forum")
    # It links to the other three districts it concerns, not back to the page itself.
    links = [a.get("href") for a in forum.iter("a") if not (a.get("href") or "").startswith("../../sources/")]
    assert links == ["../seongbuk-gu/", "../gangbuk-gu/", "../dobong-gu/"]


def test_event_held_in_a_cluster_keeps_the_cluster_opening_on_the_district_page(real_site, atlas):
    festival = atlas.get("history", "h-2017-yangcheon-nabinam-film-festival")
    assert festival["category"] != "opening" and festival["clusters"] == ["cluster-yangcheon"]
    ids = [li.get("data-record") for li in items(parse(real_site.html("districts/yangcheon-gu/")))]
    # The cluster's own opening entry, then the later event that happened in it.
    assert ids.index("cluster-yangcheon") < ids.index("h-2017-yangcheon-nabinam-film-festival")
    # A history opening of a cluster still replaces the cluster's own entry.
    ids = [li.get("data-record") for li in items(parse(real_site.html("districts/eunpyeong-gu/")))]
    assert "h-2014-first-cluster-eunpyeong" in ids and "cluster-eunpyeong" not in ids


def test_not_before_compares_at_the_coarser_precision():
    assert not_before(PartialDate(2018, 10), PartialDate(2018, 10, 1))
    assert not_before(PartialDate(2018), PartialDate(2018, 10, 3))
    assert not not_before(PartialDate(2018, 9), PartialDate(2018, 10, 1))
    assert not_before(PartialDate(2019, 1, 1), PartialDate(2018, 12))


def test_hostile_text_is_escaped_on_timelines(hostile_site):
    # variants.hostile_history: markup in the title and description of a record of Eunpyeong.
    for page in ("timelines/history/", "districts/eunpyeong-gu/"):
        html = hostile_site.html(page)
        assert "<script>alert(1)" not in html and HOSTILE_HISTORY["description"] not in html
        assert "evil.example" not in "".join(a.get("href") or "" for a in parse(html).iter("a"))
        li = next(li for li in items(parse(html)) if li.get("data-record") == "h-hostile")
        assert "<script>alert(1)</script> **굵게**" in text(li)
        assert '<img src=x onerror="alert(2)"> | 표' in text(li)
        assert not [el for el in li.iter() if el.tag in ("img", "script") or "onerror" in el.attrib], page
        assert times(li) == ["2016-02-03"]


# -- in a browser ------------------------------------------------------------------------------


def _page(browser, base: str, **options):
    page = browser.new_page(**options)
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
    return page


@pytest.mark.browser
def test_filter_hides_items_after_instant_navigation(base_url, browser, atlas):
    # Material's instant navigation only follows links listed in the sitemap, whose addresses come
    # from site_url: the test server rewrites them to its own address (browser.py).
    page = _page(browser, base_url, viewport={"width": 1280, "height": 900})
    page.goto(base_url + "timelines/")
    # Material intercepts links once it has read the sitemap.
    page.wait_for_load_state("networkidle")
    # Instant navigation replaces the page without a new document: the filter must still start.
    page.evaluate("() => { window.__sameDocument = true; }")
    page.locator('article a[href$="history/"]').first.click()
    page.wait_for_selector("form[data-atlas-filter]:not([hidden])")
    assert page.evaluate("() => window.__sameDocument") is True
    total = len(atlas.all("history"))
    events = [r for r in atlas.all("history") if r["category"] == "event"]
    assert page.locator("li.atlas-event:visible").count() == total
    page.locator('input[name="category"][value="event"]').uncheck()
    assert page.locator("li.atlas-event:visible").count() == total - len(events)
    assert page.locator('li.atlas-event[data-category="event"]:visible').count() == 0
    status = page.locator(".atlas-filter__status").inner_text()
    assert f"{total - len(events)}건 표시" in status
    # Only "founding" left: years without a founding disappear with their heading.
    for box in page.locator('input[name="category"]').all():
        if box.get_attribute("value") != "founding":
            box.uncheck()
    founding_years = {r["date"].year for r in atlas.all("history") if r["category"] == "founding"}
    visible_years = {
        int(y) for y in page.locator("section.atlas-year:visible").evaluate_all("els => els.map(e => e.dataset.year)")
    }
    assert visible_years == founding_years
    page.locator("[data-atlas-filter-all]").click()
    assert page.locator("li.atlas-event:visible").count() == total
    page.close()


@pytest.mark.browser
def test_timelines_readable_without_javascript_and_on_phones(real_site, browser, atlas):
    with serve(real_site.site) as base:
        page = _page(browser, base, viewport={"width": 375, "height": 812}, java_script_enabled=False)
        page.goto(base + "timelines/history/")
        assert page.locator("li.atlas-event:visible").count() == len(atlas.all("history"))
        assert page.locator("form[data-atlas-filter]").is_hidden()
        page.close()
        page = _page(browser, base, viewport={"width": 375, "height": 812})
        for path in ("timelines/history/", "timelines/gsef/", "timelines/openings/", "districts/eunpyeong-gu/"):
            page.goto(base + path)
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= 375, f"{path} scrolls sideways on a phone ({width}px)"
            # The axis is drawn: each item has a dot before it.
            dot = page.locator("li.atlas-event").first.evaluate("li => getComputedStyle(li, '::before').borderRadius")
            assert dot == "50%"
        page.close()


def test_an_estimated_opening_says_so_wherever_it_is_shown(project, monkeypatch):
    from mkdocs.config import load_config
    from seatlas.glue import events
    from seatlas.maps import folium_map

    clusters = project / "data" / "clusters.yml"
    text = clusters.read_text(encoding="utf-8")
    clusters.write_text(
        text.replace('  opened: "2014-03"\n', '  opened: "2014-03"\n  estimated: [opened]\n', 1), "utf-8"
    )
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)  # the build sets it; conftest takes it back
    monkeypatch.setattr(events, "state", events.State())
    events.on_config(load_config(str(project / "mkdocs.yml")))
    assert not events.state.problems
    shown = {o.path: o.content for o in events.state.outputs}
    district = shown["districts/eunpyeong-gu.md"]
    # The cluster's own row (its timeline shows the history record that stands in for the opening).
    assert "| 개관 | 2014년 3월 추정 |" in district
    assert "2014년 3월 추정" in shown["timelines/openings.md"]
    assert "2014년 3월 추정" in shown["clusters.md"]
    popup = next(
        e for e in folium_map.listed(events.state.ctx, ("11380",), "clusters") if e["id"] == "cluster-eunpyeong"
    )
    assert popup["opened"] == "2014년 3월 추정"
