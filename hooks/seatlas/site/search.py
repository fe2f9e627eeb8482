"""Search keywords for generated pages.

The site search (lunr) splits text only at spaces and hyphens and matches a query as a word
prefix, so '지원센터' never finds '은평구사회적경제지원센터'. Each district page therefore
carries the words people type in its front matter (`atlas_keywords`): the district name with and
without 구, road names, and the parts of every center and cluster name. The glue gives them to the
search index as a field of their own, so they find the page but never show in a result preview.

The index is one file that every page fetches, so only what people look for goes into it: place
names, addresses and phone numbers, not citations, organisation tables, long descriptions, or
what another page already indexes (the templates mark those `data-search-exclude`). The theme's
indexer compares elements by tag name, so an excluded element must not contain another of its tag
(an excluded div holding a div is indexed from that inner div's end on).
"""

from __future__ import annotations

import re

from ..model.records import Atlas, Record

# Parts of Korean organisation names, longest first so a longer part is found before its tail.
NAME_PARTS = (
    "사회적경제",
    "사회적기업",
    "사회적협동조합",
    "협동조합",
    "마을기업",
    "통합지원센터",
    "지원센터",
    "허브센터",
    "혁신센터",
    "지원단",
    "생태계",
    "자치센터",
    "사업단",
    "클러스터",
    "공유공간",
    "공동작업장",
    "협동허브",
    "플랫폼",
    "센터",
    "허브",
    "마을",
    "혁신",
    "통합",
    "지원",
)
_ROAD = re.compile(r"[가-힣0-9]+(?:대로|로|길)(?=[\s\d]|$)")
_WORD = re.compile(r"[가-힣A-Za-z0-9]+")


def name_parts(name: str) -> list[str]:
    """The known parts inside a name, plus its space-separated words, e.g. 은평구사회적경제허브센터."""
    found: list[str] = []
    for word in _WORD.findall(name):
        found.append(word)
        found += [part for part in NAME_PARTS if part in word and part != word]
        district = re.match(r"^([가-힣]{1,4}[구군시])(?=[가-힣])", word)
        if district:
            found.append(district.group(1))
    return found


def road_names(address: str) -> list[str]:
    """Road names of a road address, e.g. '은평로' of '서울 은평구 은평로 245'."""
    return _ROAD.findall(address)


def district_names(d: Record) -> list[str]:
    """'은평구' and '은평'; a one-syllable stem such as the '중' of 중구 is too common to help."""
    name = d["name_ko"]
    names = [name, d["name_en"], *d["slug"].split("-")]
    stem = name[:-1] if name[-1:] in "구군시" else ""
    if len(stem) >= 2:
        names.append(stem)
    return names


def district_keywords(atlas: Atlas, d: Record) -> list[str]:
    """Every search keyword of a district page, each once, in a stable order."""
    words = district_names(d)
    # Places (centers and clusters); organisations stay out of the index, which every page fetches whole.
    for kind in ("centers", "clusters"):
        for r in atlas.in_district(kind, d.id):
            words += name_parts(r["name"])
            if r.get("road_address"):
                words += road_names(r["road_address"])
    return list(dict.fromkeys(w for w in words if w))


def keywords_text(words: list[str]) -> str:
    """The keywords as one line of words, for the page's front matter."""
    return " ".join(words)
