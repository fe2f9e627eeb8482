"""Generated Markdown pages: districts, cities, directories, sources and home."""

from __future__ import annotations

import html
import json
import posixpath
from collections import defaultdict
from functools import cached_property
from urllib.parse import quote

from markupsafe import Markup

from . import search, timeline
from .build import Context, Output
from .markdown import attr, external, link, md, number, render
from .records import Atlas, Record

# Province-level code prefixes of the 5-digit district codes, with stable URL names.
CITY_SLUGS = {
    "11": "seoul",
    "26": "busan",
    "27": "daegu",
    "28": "incheon",
    "29": "gwangju",
    "30": "daejeon",
    "31": "ulsan",
    "36": "sejong",
    "41": "gyeonggi",
    "42": "gangwon",
    "43": "chungbuk",
    "44": "chungnam",
    "45": "jeonbuk",
    "46": "jeonnam",
    "47": "gyeongbuk",
    "48": "gyeongnam",
    "50": "jeju",
    "51": "gangwon",
    "52": "jeonbuk",
}
M2_PER_PYEONG = 400 / 121
CLUSTER_KIND_LABELS = {
    "district-cluster": "자치구 클러스터",
    "city-space": "서울시 입주공간",
    "workshop": "공동작업장",
    "hub": "협동허브",
    "center-space": "지원센터 공간",
}
ORG_KIND_LABELS = {
    "social-enterprise": "사회적기업",
    "cooperative": "협동조합",
    "social-cooperative": "사회적협동조합",
    "village-enterprise": "마을기업",
    "social-venture": "소셜벤처",
    "company": "기업",
    "association": "단체",
    "network": "네트워크",
    "public": "공공기관",
    "platform": "플랫폼·판로",
}
CENTER_KIND_LABELS = {"city-center": "광역 지원센터", "district-center": "지원센터", "district-project": "사업단"}


def district_path(d: Record) -> str:
    return f"districts/{d['slug']}.md"


def city_slug(code: str) -> str:
    return CITY_SLUGS.get(code[:2], f"region-{code[:2]}")


def by_city(districts) -> dict[str, list[Record]]:
    """Districts grouped by city slug, cities and districts in code order."""
    groups: dict[str, list[Record]] = {}
    for d in sorted(districts, key=lambda d: d.id):
        groups.setdefault(city_slug(d.id), []).append(d)
    return groups


def city_path(code: str) -> str:
    return f"districts/{city_slug(code)}.md"


def rel(page: str, target: str) -> str:
    """Relative link from one source page to another (MkDocs checks and rewrites it)."""
    base, _, anchor = target.partition("#")
    out = posixpath.relpath(base, posixpath.dirname(page) or ".")
    return f"{out}#{anchor}" if anchor else out


def pyeong(m2: float) -> float:
    return m2 / M2_PER_PYEONG


def front_matter(title: str, description: str, **extra: object) -> str:
    # JSON is valid YAML and escapes everything a title or description may contain. The theme
    # prints both as HTML (<title>, <meta>, navigation), so they are HTML-escaped first.
    meta = {"title": html.escape(title), "description": html.escape(description), **extra}
    return "---\n" + "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in meta.items()) + "---\n\n"


class Pages:
    """Builds the pages of one atlas."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.atlas: Atlas = ctx.atlas
        self.districts = {d.id: d for d in self.atlas.all("districts")}

    @cached_property
    def embeds(self) -> dict[str, dict]:
        """Each district's map iframe, image and snippets."""
        from .embeds import district_embeds  # embeds builds on this module

        return district_embeds(self.ctx)

    # -- small pieces shared by templates --------------------------------------------

    def cite(self, record: Record, page: str) -> Markup:
        """'출처: <source>, <date> 기준' in small print, with links to the sources page."""
        return Markup(f"<small>{self.sources_line([record], page)}</small>")

    def sources_line(self, records: list[Record], page: str) -> Markup:
        """'출처: <sources> · <newest as_of> 기준' for facts drawn from these records."""
        ids = dict.fromkeys(sid for r in records for sid in r.get("sources", ()))
        names = []
        for sid in ids:
            src = self.atlas.get("sources", sid)
            names.append(link(src["title"] if src else sid, rel(page, f"sources.md#{sid}")))
        as_of = max((r["as_of"] for r in records if r.get("as_of")), default=None)
        when = f" · {as_of.isoformat()} 기준" if as_of else ""
        return Markup(f"출처: {', '.join(names)}{when}")

    def district_link(self, code: str, page: str) -> Markup:
        d = self.districts.get(code)
        return link(d["name_ko"], rel(page, district_path(d))) if d else md(code)

    def map_search_links(self, record: Record) -> Markup:
        d = self.districts.get(record["district"])
        query = " ".join(x for x in (d["city"] if d else "", record["road_address"]) if x)
        q = quote(query)
        kakao = external("카카오맵에서 보기", f"https://map.kakao.com/?q={q}")
        naver = external("네이버 지도에서 보기", f"https://map.naver.com/p/search/{q}")
        return Markup(f"{kakao} · {naver}")

    def tel(self, phone: str) -> Markup:
        return Markup(f'<a href="tel:{attr(phone.replace("-", ""))}">{attr(phone)}</a>')

    def area(self, record: Record) -> Markup:
        m2 = record.get("floor_area_m2")
        if m2 is not None:
            return Markup(f"{number(m2, 2)}㎡ (약 {number(round(pyeong(m2), 1), 1)}평)")
        py = record.get("floor_area_pyeong")
        if py is not None:
            return Markup(f"약 {number(round(py * M2_PER_PYEONG, 1), 1)}㎡ ({number(py, 1)}평)")
        return Markup("")

    def opened(self, record: Record) -> Markup:
        when = record.get("opened")
        if record["status"] == "planned":
            return Markup(f"{md(when.korean())} 개관 예정" if when else "개관 예정")
        return md(when.korean()) if when else Markup("")

    def helpers(self, page: str) -> dict:
        return {
            "page": page,
            "cite": lambda r: self.cite(r, page),
            "district_link": lambda code: self.district_link(code, page),
            "link_to": lambda text, target: link(text, rel(page, target)),
            "tel": self.tel,
            "area": self.area,
            "opened": self.opened,
            "map_links": self.map_search_links,
            "external": external,
            "num": number,
            "cluster_kind": CLUSTER_KIND_LABELS,
            "org_kind": ORG_KIND_LABELS,
            "center_kind": CENTER_KIND_LABELS,
        }

    # -- pages -------------------------------------------------------------------------

    def district(self, d: Record) -> Output:
        page = district_path(d)
        code = d.id
        # The district's own center first: that is who a citizen of the district calls.
        centers = sorted(self.atlas.in_district("centers", code), key=lambda c: c["kind"] == "city-center")
        clusters = self.atlas.in_district("clusters", code)
        orgs = self.atlas.in_district("organisations", code)
        events = timeline.district_events(self.atlas, code)
        summary = [f"{d['name_ko']}의 사회적경제 지원센터와 클러스터(공유 사무공간)"]
        if clusters:
            summary.append(f"클러스터 {len(clusters)}곳")
        description = f"{d['city']} {d['name_ko']} ({d['name_en']}): " + ", ".join(summary) + ", 연혁."
        body = render(
            "district.md.j2",
            d=d,
            centers=centers,
            clusters=clusters,
            orgs=orgs,
            events=events,
            city_page=city_path(code),
            embed=self.embeds.get(code),
            search_keywords=search.keywords_html(search.district_keywords(self.atlas, d)),
            **self.helpers(page),
        )
        return Output(
            page, front_matter(f"{d['name_ko']} 사회적경제", description, district=code, search={"boost": 2}) + body
        )

    def cities(self) -> list[Output]:
        cities = by_city(self.districts.values())
        outputs = []
        for slug, members in cities.items():
            page = f"districts/{slug}.md"
            members = sorted(members, key=lambda d: d["name_ko"])
            city = members[0]["city"]
            counts = {d.id: self._counts(d.id) for d in members}
            body = render("city.md.j2", city=city, members=members, counts=counts, **self.helpers(page))
            desc = f"{city}의 자치구별 사회적경제 지원센터와 클러스터 ({len(members)}개 구)."
            outputs.append(Output(page, front_matter(city, desc) + body))
        index = "districts/index.md"
        listed = [(slug, ms[0]["city"], len(ms)) for slug, ms in cities.items()]
        body = render("districts.md.j2", cities=listed, **self.helpers(index))
        outputs.append(Output(index, front_matter("자치구", "지역별 사회적경제 지원센터와 클러스터.") + body))
        return outputs

    def _counts(self, code: str) -> dict:
        return {
            "centers": len(self.atlas.in_district("centers", code)),
            "clusters": len(self.atlas.in_district("clusters", code)),
            "organisations": len(self.atlas.in_district("organisations", code)),
        }

    def clusters(self) -> Output:
        page = "clusters.md"
        rows = sorted(
            self.atlas.all("clusters"),
            key=lambda c: (c.get("opened") is None, c["opened"].sort_key() if c.get("opened") else (), c.id),
        )
        totals = {
            "count": len(rows),
            "opened": sum(1 for c in rows if c["status"] == "opened"),
            "area": sum(c.get("floor_area_m2") or 0 for c in rows),
            "area_known": sum(1 for c in rows if c.get("floor_area_m2") is not None),
            "tenants": sum(c.get("tenant_count") or 0 for c in rows),
            "tenants_known": sum(1 for c in rows if c.get("tenant_count") is not None),
        }
        body = render("clusters.md.j2", rows=rows, totals=totals, districts=self.districts, **self.helpers(page))
        desc = f"사회적경제 클러스터와 공유공간 {totals['count']}곳: 위치, 면적, 입주 조직 수."
        return Output(page, front_matter("클러스터와 공유공간", desc) + body)

    def centers(self) -> Output:
        page = "centers.md"
        groups: dict[str, list[Record]] = defaultdict(list)
        for c in sorted(self.atlas.all("centers"), key=lambda c: c["district"]):
            d = self.districts.get(c["district"])
            groups[d["city"] if d else ""].append(c)
        for members in groups.values():
            members.sort(key=lambda c: (c["kind"] != "city-center", self._district_name(c["district"]), c["name"]))
        body = render("centers.md.j2", groups=list(groups.items()), districts=self.districts, **self.helpers(page))
        n = len(self.atlas.all("centers"))
        return Output(page, front_matter("지원센터", f"사회적경제 지원센터와 사업단 {n}곳의 전화번호와 주소.") + body)

    def _district_name(self, code: str) -> str:
        d = self.districts.get(code)
        return d["name_ko"] if d else code

    def sources(self) -> Output:
        page = "sources.md"
        body = render("sources.md.j2", sources=self.atlas.all("sources"), **self.helpers(page))
        return Output(page, front_matter("자료 출처", "이 지도의 모든 사실이 나온 자료 목록.") + body)

    def home(self) -> Output:
        page = "index.md"
        figures = {f.id: f for f in self.atlas.all("figures")}
        growth = [f for f in self.atlas.all("figures") if f["group"] in ("growth", "finance")]
        # District records carry the date of the boundary data, not a fact about the social economy.
        facts = ("centers", "clusters", "organisations", "gsef", "history", "figures")
        updated = max((r["as_of"] for kind in facts for r in self.atlas.all(kind)), default=None)
        counts = {t: len(self.atlas.all(t)) for t in ("districts", "centers", "clusters", "organisations", "history")}
        body = render(
            "home.md.j2", growth=growth, figures=figures, updated=updated, counts=counts, **self.helpers(page)
        )
        desc = "서울의 자치구별 사회적경제 지원센터와 클러스터, 지도와 연혁을 한곳에서 찾아보세요."
        return Output(page, front_matter("서울 사회적경제 지도", desc) + body)


def generate(ctx: Context) -> list[Output]:
    pages = Pages(ctx)
    out = [pages.district(d) for d in pages.districts.values()]
    out += pages.cities()
    out += [pages.clusters(), pages.centers(), pages.sources(), pages.home()]
    return out
