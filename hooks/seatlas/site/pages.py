"""Generated Markdown pages: districts, cities, directories, sources and home."""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property

from ..maps import staticmap
from ..maps.embeds import district_embeds
from ..model import timeline
from ..model.records import Atlas, Record
from ..render.context import Context, Output
from ..render.markdown import front_matter
from ..render.paths import by_city, city_path, district_path
from ..render.templates import page_vars, render
from . import search


class Pages:
    """Builds the pages of one atlas."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.atlas: Atlas = ctx.atlas
        self.districts = {d.id: d for d in self.atlas.all("districts")}

    @cached_property
    def embeds(self) -> dict[str, dict]:
        """Each district's map iframe, image and snippets."""
        return district_embeds(self.ctx)

    def helpers(self, page: str) -> dict:
        return page_vars(page, self.atlas)

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
            **self.helpers(page),
        )
        keywords = search.keywords_text(search.district_keywords(self.atlas, d))
        meta = front_matter(
            f"{d['name_ko']} 사회적경제", description, district=code, search={"boost": 2}, atlas_keywords=keywords
        )
        return Output(page, meta + body)

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
        updated = self.atlas.data_date()
        counts = {t: len(self.atlas.all(t)) for t in ("districts", "centers", "clusters", "organisations", "history")}
        groups = by_city(self.districts.values())
        cities = [
            (members[0]["city"], slug, sorted(members, key=lambda d: d["name_ko"])) for slug, members in groups.items()
        ]
        body = render(
            "home.md.j2",
            growth=growth,
            figures=figures,
            updated=updated,
            counts=counts,
            cities=cities,
            map_png=staticmap.png_path("seoul") if "seoul" in groups else None,
            **self.helpers(page),
        )
        desc = "서울의 자치구별 사회적경제 지원센터와 클러스터, 지도와 연혁을 한곳에서 찾아보세요."
        return Output(page, front_matter("서울 사회적경제 지도", desc) + body)


def generate(ctx: Context) -> list[Output]:
    pages = Pages(ctx)
    out = [pages.district(d) for d in pages.districts.values()]
    out += pages.cities()
    out += [pages.clusters(), pages.centers(), pages.sources(), pages.home()]
    return out
