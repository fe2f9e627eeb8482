"""What citizens see: facts, sources and dates; no editors' notes or record ids; editors' pages in their
own corner, out of the menu and the search; one data date and counts that say what they count."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from seatlas.model.records import read_yaml
from seatlas.model.schema import RECORD_TYPES

EDITORS_PAGES = ("guide/", "guide/fields/", "guide/stale/", "guide/notes/", "benchmarks/")
SHOWN_ATTRIBUTES = ("title", "alt", "aria-label", "placeholder", "content")


class Shown(HTMLParser):
    """The text a reader sees or hears: page text and the attributes that are shown or read out."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style")
        self.parts += [v for k, v in attrs if k in SHOWN_ATTRIBUTES and v]

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style") and self.skip > 0

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def shown(html: str) -> str:
    parser = Shown()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def public_pages(site: Path) -> dict[str, str]:
    pages = {}
    for f in sorted(site.rglob("*.html")):
        rel = f.relative_to(site).as_posix()
        if not rel.startswith(("guide/", "benchmarks/")):
            pages[rel] = f.read_text(encoding="utf-8")
    return pages


def data_records(root: Path):
    for t in RECORD_TYPES:
        path = root / "data" / t.file
        if path.exists():
            for r in read_yaml(path) or []:
                yield t, r


def test_no_public_page_shows_an_editors_note_or_a_record_id(real_site):
    notes, ids = [], set()
    type_names = {t.name for t in RECORD_TYPES}
    for t, r in data_records(real_site.root):
        if r.get("note"):
            notes.append(" ".join(str(r["note"]).split()))
        # District ids are the official district codes, printed on purpose; an id that is also a file's
        # name (the organisation 'gsef') is found in the download file names.
        if t.name != "districts" and str(r["id"]) not in type_names:
            ids.add(str(r["id"]))
    assert len(notes) > 100 and len(ids) > 300
    found = {}
    for rel, html in public_pages(real_site.site).items():
        text = shown(html)
        leaks = [n[:50] for n in notes if n[:30] in text]
        leaks += [i for i in ids if re.search(rf"(?<![\w./#-]){re.escape(i)}(?![\w-])", text)]
        leaks += [w for w in ("ISSUE 5", "메모 참고", "메모:") if w in text]
        if leaks:
            found[rel] = leaks[:5]
    assert found == {}
    # The notes are kept for editors, on their own page.
    editors = shown((real_site.site / "guide" / "notes" / "index.html").read_text(encoding="utf-8"))
    assert [n for n in notes if n[:30] not in editors] == []


def test_estimates_say_so_in_plain_words(real_site):
    home = shown(real_site.html(""))
    assert "882개 (2012년 추정) → 3,832개 (2017년 추정)" in home
    gsef = shown(real_site.html("timelines/gsef/"))
    assert "참가: 약 80개국, 약 1,700명" in gsef
    sources = shown(real_site.html("sources/"))
    assert "2019년 추정" in sources
    figures = shown(real_site.html("figures/"))
    assert "추정하거나 어림한 값: 서울 사회적경제 기업 수 (기준 시점·시점)" in figures


def test_editors_pages_are_in_their_corner_not_in_the_menu_or_the_search(real_site):
    home = real_site.html("")
    nav = home[home.index('class="md-nav md-nav--primary"') : home.index("</nav>", home.index("md-nav--primary"))]
    for path in EDITORS_PAGES:
        assert f'href="{path}"' not in nav, path
        assert real_site.html(path)  # still built
    footer = home[home.index("<footer") :]
    assert '<a href="guide/">편집자 안내</a>' in footer
    docs = json.loads((real_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    indexed = {d["location"].split("#")[0] for d in docs}
    assert not indexed & set(EDITORS_PAGES)
    assert "districts/eunpyeong-gu/" in indexed


def test_search_previews_never_show_the_hidden_keywords(real_site):
    index = json.loads((real_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["fields"]["keywords"]["boost"] > 0
    eunpyeong = next(d for d in index["docs"] if d["location"] == "districts/eunpyeong-gu/")
    # The keywords find the page (their own field) but are not its preview text.
    assert "은평로" in eunpyeong["keywords"] and "허브센터" in eunpyeong["keywords"]
    assert "eunpyeong gu" not in eunpyeong["text"] and "허브센터 허브" not in eunpyeong["text"]
    assert "atlas-search-keywords" not in real_site.html("districts/eunpyeong-gu/")


def test_one_data_date_and_counts_that_say_what_they_count(real_site):
    home = shown(real_site.html(""))
    date = re.search(r"자료 기준일: (\d{4})년 (\d+)월 (\d+)일", home)
    assert date, home
    iso = f"{date.group(1)}-{int(date.group(2)):02d}-{int(date.group(3)):02d}"
    for path in ("", "clusters/", "districts/eunpyeong-gu/"):
        assert f'자료 기준일 <time datetime="{iso}">' in real_site.html(path), path
    stale = shown(real_site.html("guide/stale/"))
    assert f"가 {iso} (자료 기준일" in stale
    clusters = len(read_yaml(real_site.root / "data" / "clusters.yml"))
    assert re.search(rf"클러스터와 공유공간 ?: {clusters}곳", home), home
    index = shown(real_site.html("timelines/"))
    openings = shown(real_site.html("timelines/openings/"))
    dated = re.search(rf"클러스터와 공유공간 {clusters}곳 가운데 개관 시기가 알려진 (\d+)곳", index)
    assert dated and f"{clusters}곳 가운데 개관 시기가 알려진 {dated.group(1)}곳을" in openings
    announced = re.search(r"(세|네|다섯) 갈래의 연표", index).group(1)
    listed = re.findall(r'<li><a href="[^"]+">[^<]+</a>: ', real_site.html("timelines/"))
    assert {"세": 3, "네": 4, "다섯": 5}[announced] == len(listed)
