"""The interactive map: Folium builds the Leaflet page, embeds.py makes it self-contained.

One standalone HTML file per view (the whole atlas, each city, each district); the
site's pages show them in iframes, which survive mkdocs-material's instant navigation.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import folium
import shapely
from folium.plugins import MarkerCluster
from shapely.geometry import mapping

from . import embeds, geography
from .build import Context, Output
from .pages import CENTER_KIND_LABELS, CLUSTER_KIND_LABELS, ORG_KIND_LABELS, Pages, city_slug
from .records import Record

# About 30 m: invisible at city zoom, and the boundaries shrink to a few kilobytes.
SIMPLIFY_DEG = 0.0003
COORD_DIGITS = 5
LAYERS = (("clusters", "클러스터·공유공간"), ("centers", "지원센터"), ("organisations", "사회적경제 조직"))
KIND_LABELS = {"clusters": CLUSTER_KIND_LABELS, "centers": CENTER_KIND_LABELS, "organisations": ORG_KIND_LABELS}
APPROXIMATE = "대략적 위치 (동 중심)"


@dataclass(frozen=True)
class MapView:
    """One map page: which districts it shows and where it lives in the site."""

    path: str  # e.g. "map/atlas.html"
    title: str
    codes: tuple[str, ...]

    @property
    def root(self) -> str:
        """Relative prefix from this file back to the site root."""
        return "../" * self.path.count("/")


def use_directory_urls(ctx: Context) -> bool:
    """MkDocs' use_directory_urls: raw-HTML iframe sources are not rewritten by MkDocs, so they must match it."""
    return ctx.use_directory_urls


def page_href(ctx: Context, root: str, page: str) -> str:
    """Link from a generated HTML file to a Markdown page of the site, as MkDocs will publish it."""
    stem = page[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        return root + stem[: -len("index")]
    return root + (f"{stem}/" if use_directory_urls(ctx) else f"{stem}.html")


# -- data --------------------------------------------------------------------------------


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def popup_html(ctx: Context, pages: Pages, kind: str, r: Record, approximate: bool, root: str) -> str:
    """The popup of one marker; every data value is escaped here."""
    rows = [f"<strong>{_e(r['name'])}</strong>", f"<span class='atlas-kind'>{_e(KIND_LABELS[kind][r['kind']])}</span>"]
    if r.get("road_address"):
        detail = f" {r['address_detail']}" if r.get("address_detail") else ""
        rows.append(f"주소: {_e(r['road_address'] + detail)}")
    if kind == "clusters":
        if r.get("opened") or r["status"] == "planned":
            when = r["opened"].korean() if r.get("opened") else ""
            opened = f"{when} 개관 예정".strip() if r["status"] == "planned" else when
            rows.append(f"개관: {_e(opened)}")
        if r.get("floor_area_m2") is not None:
            rows.append(f"면적: {r['floor_area_m2']:,g}㎡")
        if r.get("tenant_count") is not None:
            rows.append(f"입주: {_e(r['tenant_count'])}개 조직")
    if r.get("phone"):
        rows.append(f"전화: {_e(r['phone'])}")
    if approximate:
        rows.append(f"<em class='atlas-approx'>{APPROXIMATE}</em>")
    d = pages.districts.get(r.get("district") or "")
    if d:
        href = page_href(ctx, root, f"districts/{d['slug']}.md")
        rows.append(f"<a href='{_e(href)}' target='_top'>{_e(d['name_ko'])} 페이지 보기</a>")
    return "<br>".join(rows)


def places(ctx: Context, codes: tuple[str, ...], root: str) -> list[dict]:
    """The markers of a view, in data order, ready for JSON."""
    pages = Pages(ctx)
    out = []
    for kind, r, place in geography.placed(ctx.atlas, tuple(k for k, _ in LAYERS), codes):
        item = {
            "id": r.id,
            "kind": kind,
            "lat": round(place.lat, 6),
            "lon": round(place.lon, 6),
            "approx": place.approximate,
            "name": html.escape(r["name"]),
            "popup": popup_html(ctx, pages, kind, r, place.approximate, root),
        }
        if kind == "clusters":
            item["year"] = r["opened"].year if r.get("opened") else None
            item["planned"] = r["status"] == "planned"
        out.append(item)
    return out


def _rounded(coords):
    if isinstance(coords, (float, int)):
        return round(coords, COORD_DIGITS)
    return [_rounded(c) for c in coords]


def boundaries(ctx: Context, codes: tuple[str, ...]) -> dict:
    """GeoJSON of the districts' simplified official boundaries, with escaped names."""
    areas = geography.districts()
    features = []
    for code in codes:
        d = ctx.atlas.get("districts", code)
        area = areas.get(code)
        if d is None or area is None:
            continue
        geom = mapping(shapely.simplify(area.geometry, SIMPLIFY_DEG, preserve_topology=True))
        features.append(
            {
                "type": "Feature",
                "properties": {"code": code, "label": html.escape(d["name_ko"]), "slug": d["slug"]},
                "geometry": {"type": geom["type"], "coordinates": _rounded(geom["coordinates"])},
            }
        )
    return {"type": "FeatureCollection", "features": features}


# -- the Folium map ----------------------------------------------------------------------


def build(ctx: Context, view: MapView) -> str:
    """The standalone HTML of one map view."""
    settings = ctx.settings
    shapes = boundaries(ctx, view.codes)
    assets = view.root + embeds.ASSET_DIR
    m = folium.Map(location=None, tiles=None, zoom_control=True, prefer_canvas=False, control_scale=True)
    m.default_js, m.default_css = embeds.local_links(assets, "leaflet")
    folium.TileLayer(
        tiles=settings.tiles_url,
        attr=settings.tiles_attribution,
        max_zoom=settings.tiles_max_zoom,
        name="배경 지도",
        control=False,
        referrerPolicy="strict-origin-when-cross-origin",
    ).add_to(m)
    boundary_layer = folium.GeoJson(
        shapes,
        name="자치구 경계",
        style_function=lambda _f: {"color": "#00695c", "weight": 2, "fillColor": "#4db6ac", "fillOpacity": 0.08},
        highlight_function=lambda _f: {"weight": 3, "fillOpacity": 0.18},
        zoom_on_click=False,
    ).add_to(m)
    groups = {}
    for key, label in LAYERS:
        group = MarkerCluster(name=label, overlay=True, control=True, options={"showCoverageOnHover": False})
        group.default_js, group.default_css = embeds.local_links(assets, "markercluster")
        groups[key] = group.add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    bounds = shapely.bounds(shapely.union_all([geography.districts()[c].geometry for c in view.codes]))
    m.fit_bounds([[round(bounds[1], 5), round(bounds[0], 5)], [round(bounds[3], 5), round(bounds[2], 5)]])
    embeds.stable_ids(m)
    config = {
        "map": m.get_name(),
        "layers": {key: g.get_name() for key, g in groups.items()} | {"boundaries": boundary_layer.get_name()},
        "places": places(ctx, view.codes, view.root),
        "approxLabel": APPROXIMATE,
    }
    return embeds.finish(m.get_root().render(), view.title, assets, config)


def views(ctx: Context) -> list[MapView]:
    """The whole atlas, one view per city and one per district."""
    districts = ctx.atlas.all("districts")
    known = set(geography.districts())
    all_codes = tuple(d.id for d in districts if d.id in known)
    out = [MapView("map/atlas.html", "사회적경제 지도", all_codes)]
    cities: dict[str, list[Record]] = {}
    for d in districts:
        if d.id in known:
            cities.setdefault(city_slug(d.id), []).append(d)
    for slug, members in sorted(cities.items()):
        title = f"{members[0]['city']} 사회적경제 지도"
        out.append(MapView(f"embed/{slug}/index.html", title, tuple(m.id for m in members)))
    for d in districts:
        if d.id in known:
            out.append(MapView(f"embed/{d['slug']}/index.html", f"{d['name_ko']} 사회적경제 지도", (d.id,)))
    paths = [v.path for v in out]
    dupes = sorted({p for p in paths if paths.count(p) > 1})
    if dupes:
        raise ValueError(f"data/districts.yml: a district slug equals a city name: {', '.join(dupes)}")
    return out


def generate(ctx: Context) -> list[Output]:
    """Map files, the shared assets, the map page; leaves the embed links for the district pages."""
    all_views = views(ctx)
    ctx.extra["embed_paths"] = embeds.district_embeds(ctx)
    out = [Output(v.path, build(ctx, v)) for v in all_views]
    out += embeds.asset_outputs()
    out.append(embeds.map_page(ctx, all_views[0]))
    return out
