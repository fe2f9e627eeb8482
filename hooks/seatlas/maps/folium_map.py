"""The interactive map: the places of each view, drawn by Folium (folium_html) and listed by atlas-map.js.

One standalone HTML file per view (the whole atlas, each city, each district); the
site's pages show them in iframes, which survive mkdocs-material's instant navigation.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass

from ..model import geography
from ..model.labels import (
    APPROXIMATE_PLACE,
    APPROXIMATE_PLACE_SHORT,
    BOUNDARIES,
    CENTER_KIND_LABELS,
    CLUSTER_KIND_LABELS,
    EXACT_PLACE,
    NO_PLACE,
    ORG_KIND_LABELS,
    PLACE_KIND_LABELS,
)
from ..model.records import Record
from ..render.context import Context
from ..render.formatting import area as area_text
from ..render.formatting import opened_text
from ..render.paths import by_city

# About 30 m: invisible at city zoom, and the boundaries shrink to a few kilobytes.
SIMPLIFY_DEG = 0.0003
COORD_DIGITS = 5
LAYERS = tuple((kind, PLACE_KIND_LABELS[kind]) for kind in geography.PLACED_KINDS)
KIND_LABELS = {"clusters": CLUSTER_KIND_LABELS, "centers": CENTER_KIND_LABELS, "organisations": ORG_KIND_LABELS}
# The words the map's script writes, the same the pages use (atlas-map.js: LABELS).
LABELS = {
    "kinds": PLACE_KIND_LABELS,
    "approximate": APPROXIMATE_PLACE,
    "approximateShort": APPROXIMATE_PLACE_SHORT,
    "exact": EXACT_PLACE,
    "noPlace": NO_PLACE,
    "boundaries": BOUNDARIES,
}


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


def page_href(ctx: Context, root: str, page: str) -> str:
    """Link from a generated HTML file to a Markdown page of the site, as MkDocs will publish it."""
    stem = page[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        return root + stem[: -len("index")]
    return root + (f"{stem}/" if ctx.use_directory_urls else f"{stem}.html")


# -- data ---------------------------------------------------------------------------------
#
# Each view carries its own places inline, in a compact column format (see `places`). A
# shared places file fetched at run time would save the duplicates between the national,
# city and district views, but only on the server: a visitor loads one view, and the
# national view (the biggest) needs all its places anyway. Inline data keeps every embed
# one self-contained file that works in an iframe on another site and from file://, and
# district embeds stay small because they hold only their district's places.

SLUG = re.compile(r"[a-z0-9-]+")
# Columns of every kind, then the ones only clusters have; string columns hold indexes into
# the view's string table, whose entry 0 is "" (absent). lat/lon are null for a record whose
# place is unknown: it is listed ("위치 정보 없음") but not drawn.
COLUMNS = (
    "id",
    "lat",
    "lon",
    "approx",
    "reviewed",
    "district",
    "label",
    "name",
    "address",
    "detail",
    "phone",
    "dong",
    "host",
)
CLUSTER_COLUMNS = ("opened", "area", "tenants", "year", "planned", "facilities")
STRING_COLUMNS = frozenset({"label", "name", "address", "detail", "phone", "dong", "host", "opened", "area"})


def _entry(atlas, kind: str, r: Record, place) -> dict:
    """What one place shows, as plain (unescaped) values: the browser inserts them as text."""
    # A center housed in a cluster shows that building's address and name, read from the cluster.
    host = geography.host_of(atlas, r)
    at = host if host is not None and not r.get("road_address") else r
    dong = " ".join(x for x in (r.get("legal_dong"), r.get("admin_dong")) if x)
    entry = {
        "record": r,
        "kind": kind,
        "id": r.id,
        "lat": round(place.lat, COORD_DIGITS) if place else None,
        "lon": round(place.lon, COORD_DIGITS) if place else None,
        "approx": 1 if place and place.approximate else 0,
        "reviewed": 1 if place and place.reviewed and not place.approximate else 0,
        "code": r["district"],
        "label": KIND_LABELS[kind][r["kind"]],
        "name": r["name"],
        # The road address alone is what the map services search for; the building and floor follow it.
        "address": at.get("road_address") or "",
        "detail": at.get("address_detail") or "",
        "phone": r.get("phone") or "",
        "dong": dong or at.get("legal_dong") or "",
        "host": host["name"] if host else "",
    }
    if kind == "clusters":
        entry |= {
            "opened": opened_text(r),
            # The pages' own wording: ㎡ with 평, or 평 alone when the source only gives 평.
            "area": str(area_text(r)),
            "tenants": r.get("tenant_count"),
            "year": r["opened"].year if r.get("opened") else None,
            "planned": 1 if r["status"] == "planned" else 0,
            "facilities": list(r.get("facilities") or ()),
        }
    return entry


def entries(ctx: Context) -> dict[str, dict[str, list[dict]]]:
    """Every record of the map's kinds once per build, placed or not, by district code and kind."""
    cached = ctx.extra.get("map_entries")
    if cached is None:
        cached = {}
        atlas = ctx.atlas
        for code in _known_codes(ctx):
            for kind, _label in LAYERS:
                rows = [
                    _entry(atlas, kind, r, geography.place_of(atlas, r))
                    for r in atlas.in_district(kind, code)
                    if r.get("district") == code
                ]
                if rows:
                    cached.setdefault(code, {})[kind] = rows
        ctx.extra["map_entries"] = cached
    return cached


def listed(ctx: Context, codes: tuple[str, ...], kind: str) -> list[dict]:
    """Every entry of one kind in these districts, placed or not."""
    table = entries(ctx)
    return [e for code in codes for e in table.get(code, {}).get(kind, ())]


def places(ctx: Context, codes: tuple[str, ...], root: str) -> dict:
    """The places of a view as column arrays with shared tables, ready for JSON.

    {"strings": [...], "districts": [[name, page href, city, code], ...],
     "kinds": {kind: {column: [value per place]}}}; about 70 bytes a place instead of a
    whole popup each: atlas-map.js builds popups and list rows with DOM text nodes.
    """
    strings: dict[str, int] = {"": 0}
    districts = []
    for code in codes:
        d = ctx.atlas.get("districts", code)
        if not SLUG.fullmatch(d["slug"]):
            raise ValueError(f"{d.file}:{d.line}: record {d.id}: slug: '{d['slug']}' is not [a-z0-9-]+")
        districts.append([d["name_ko"], page_href(ctx, root, f"districts/{d['slug']}.md"), d["city"], code])
    index = {code: i for i, code in enumerate(codes)}
    kinds = {}
    for kind, _label in LAYERS:
        names = COLUMNS + (CLUSTER_COLUMNS if kind == "clusters" else ())
        columns: dict[str, list] = {name: [] for name in names}
        for e in listed(ctx, codes, kind):
            for name in names:
                if name == "district":
                    value = index[e["code"]]
                elif name in STRING_COLUMNS:
                    value = strings.setdefault(e[name], len(strings))
                elif name == "facilities":
                    value = [strings.setdefault(f, len(strings)) for f in e[name]]
                else:
                    value = e[name]
                columns[name].append(value)
        kinds[kind] = columns
    return {"strings": list(strings), "districts": districts, "kinds": kinds}


def _known_codes(ctx: Context) -> list[str]:
    known = geography.districts()
    return [d.id for d in ctx.atlas.all("districts") if d.id in known]


def _rounded(coords):
    if isinstance(coords, (float, int)):
        return round(coords, COORD_DIGITS)
    return [_rounded(c) for c in coords]


def tolerance(codes: tuple[str, ...]) -> float:
    """Simplification for a view: about half a pixel when the view fits a 1000-pixel frame.

    The national view spans 7 degrees: at 30 m its coastlines and islands alone would weigh
    2 MB. A city or district keeps SIMPLIFY_DEG.
    """
    west, south, east, north = extent(codes)
    return max(SIMPLIFY_DEG, round(max(east - west, north - south) / 2000, 4))


def extent(codes: tuple[str, ...]) -> tuple[float, float, float, float]:
    """West, south, east, north of the districts: the box of their boxes, without a union."""
    import shapely

    boxes = shapely.bounds([geography.districts()[c].geometry for c in codes])
    return boxes[:, 0].min(), boxes[:, 1].min(), boxes[:, 2].max(), boxes[:, 3].max()


@functools.cache
def _outline(code: str, tol: float) -> dict:
    """A district's simplified boundary without the islands too small to see at this tolerance."""
    import shapely
    from shapely.geometry import mapping

    geom = shapely.simplify(geography.districts()[code].geometry, tol, preserve_topology=True)
    parts = list(getattr(geom, "geoms", [geom]))
    biggest = max(parts, key=lambda p: p.area)
    kept = [p for p in parts if p is biggest or p.area >= (2 * tol) ** 2]
    geom = mapping(shapely.MultiPolygon(kept) if len(kept) > 1 else kept[0])
    return {"type": geom["type"], "coordinates": _rounded(geom["coordinates"])}


def boundaries(ctx: Context, codes: tuple[str, ...]) -> dict:
    """GeoJSON of the districts' simplified official boundaries, with escaped names."""
    areas = geography.districts()
    tol = tolerance(codes)
    features = []
    for code in codes:
        d = ctx.atlas.get("districts", code)
        area = areas.get(code)
        if d is None or area is None:
            continue
        features.append(
            {
                "type": "Feature",
                "properties": {"code": code, "label": html.escape(d["name_ko"]), "slug": d["slug"]},
                "geometry": _outline(code, tol),
            }
        )
    return {"type": "FeatureCollection", "features": features}


# -- the Folium map ----------------------------------------------------------------------


def view_settings(ctx: Context) -> tuple:
    """The settings a view reads: its tiles, and the form of the page addresses it links to."""
    s = ctx.settings
    return (s.tiles_url, s.tiles_attribution, s.tiles_max_zoom, ctx.use_directory_urls)


def build(ctx: Context, view: MapView) -> str:
    """The standalone HTML of one map view."""
    data = places(ctx, view.codes, view.root)
    # Folium is imported only when a view must really be made.
    import folium
    from folium.utilities import JsCode

    from . import folium_html, map_assets

    settings = ctx.settings
    shapes = boundaries(ctx, view.codes)
    west, south, east, north = extent(view.codes)
    bounds = [[round(south, 5), round(west, 5)], [round(north, 5), round(east, 5)]]
    figure = folium_html.AtlasFigure(title=view.title)
    m = folium_html.AtlasMap(
        location=None,
        tiles=None,
        zoom_control=True,
        control_scale=True,
        # leaflet.fullscreen adds its button when the map is made with this option.
        fullscreen_control=True,
        fullscreen_control_options={"position": "topleft", "title": "전체 화면", "title_cancel": "전체 화면 끝내기"},
    ).add_to(figure)
    folium_html.LocalAssets(view.root + map_assets.ASSET_DIR, map_assets.CSS, map_assets.JS).add_to(m)
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
        name=BOUNDARIES,
        style_function=lambda _f: {"color": "#00695c", "weight": 2, "fillColor": "#4db6ac", "fillOpacity": 0.08},
        highlight_function=lambda _f: {"weight": 3, "fillOpacity": 0.18},
        zoom_on_click=False,
        # Labels are escaped at build time (boundaries()); Leaflet puts a string tooltip in as HTML.
        on_each_feature=JsCode("function (f, layer) { layer.bindTooltip(f.properties.label, {sticky: true}); }"),
    ).add_to(m)
    groups = {}
    for key, label in LAYERS:
        # chunkedLoading: the national view adds 30,000 markers without freezing the page.
        options = {"showCoverageOnHover": False, "chunkedLoading": True}
        groups[key] = folium_html.LocalMarkerCluster(name=label, overlay=True, control=False, options=options).add_to(m)
    m.fit_bounds(bounds)
    config = {
        "layers": {key: g for key, g in groups.items()} | {"boundaries": boundary_layer},
        "places": data,
        "bounds": bounds,
        "labels": LABELS,
        "title": view.title,
    }
    folium_html.Start(m, config).add_to(m)
    return folium_html.render(figure, view.title)


def views(ctx: Context) -> list[MapView]:
    """The whole atlas, one view per city and one per district."""
    districts = ctx.atlas.all("districts")
    known = set(geography.districts())
    all_codes = tuple(_known_codes(ctx))
    out = [MapView("map/atlas.html", "사회적경제 지도", all_codes)]
    for slug, members in by_city(d for d in districts if d.id in known).items():
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
