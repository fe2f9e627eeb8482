"""Where the maps are shown: the district pages' iframes and snippets, the map page, every map file."""

from __future__ import annotations

import functools
from collections import Counter

from markupsafe import Markup

from .. import cache
from ..model.labels import APPROXIMATE_PLACE, EXACT_PLACE, NO_PLACE
from ..render.context import Context, Output
from ..render.markdown import attr, front_matter
from ..render.paths import district_path, rel
from ..render.templates import page_vars, render
from . import map_assets, staticmap
from .folium_map import LAYERS, build, entries, listed, page_href, view_settings, views


def base_url(ctx: Context) -> str:
    base = ctx.settings.embed_base_url or ctx.site_url or ""
    return base if not base or base.endswith("/") else base + "/"


def _published(ctx: Context, page: str) -> str:
    return page_href(ctx, "", page)


def district_embeds(ctx: Context) -> dict[str, dict]:
    """For each district page: the iframe's relative src, the static image, and copy-paste snippets."""
    base = base_url(ctx)
    # Raw-HTML iframe sources are not rewritten by MkDocs, so they follow use_directory_urls here.
    up = "../../" if ctx.use_directory_urls else "../"
    out = {}
    for d in ctx.atlas.all("districts"):
        slug, name = d["slug"], d["name_ko"]
        embed_path = f"embed/{slug}/"
        title = f"{name} 사회적경제 지도"
        page = district_path(d)
        # Markdown link targets written by code (MkDocs checks and rewrites them).
        info = {
            "url": f"{up}{embed_path}index.html",
            "title": title,
            "png": Markup(rel(page, staticmap.png_path(slug))),
            "page": Markup(rel(page, page)),
        }
        if base:
            info["snippet"] = iframe_snippet(base + embed_path, title)
            info["png_snippet"] = image_snippet(
                base + _published(ctx, district_path(d)), base + staticmap.png_path(slug), title
            )
        out[d.id] = info
    return out


def iframe_snippet(url: str, title: str) -> str:
    # allow="geolocation": the map's "내 주변" button may ask for the location inside another site's page.
    return (
        f'<iframe src="{attr(url)}" title="{attr(title)}" width="100%" height="480" '
        'style="border:0" loading="lazy" allow="geolocation" '
        'referrerpolicy="strict-origin-when-cross-origin"></iframe>'
    )


def image_snippet(page_url: str, png_url: str, alt: str) -> str:
    # width/height keep the proportions known before the image loads; the style lets it shrink on a phone.
    w, h = staticmap.SIZE_PX
    return (
        f'<a href="{attr(page_url)}"><img src="{attr(png_url)}" alt="{attr(alt)}" width="{w}" height="{h}" '
        'style="max-width:100%;height:auto;border:0"></a>'
    )


LIST_LIMIT = 300


def _where(entry: dict) -> str:
    if entry["lat"] is None:
        return NO_PLACE
    return APPROXIMATE_PLACE if entry["approx"] else EXACT_PLACE


def map_page(ctx: Context, view) -> Output:
    """map.md: the whole map in an iframe, then the same places as text."""
    page = "map.md"
    base = base_url(ctx)
    src = "atlas.html" if _published(ctx, page).endswith("/") else view.path
    groups = []
    for key, label in LAYERS:
        entries = listed(ctx, view.codes, key)
        rows = [(e["record"], _where(e)) for e in entries]
        # Records of no district (or of one without boundaries) have no view: listed as unplaced too.
        shown = {e["id"] for e in entries}
        rows += [(r, NO_PLACE) for r in ctx.atlas.all(key) if r.id not in shown]
        # Thousands of rows would make this page heavier than the map; each district page lists them all.
        counts = None
        if len(rows) > LIST_LIMIT:
            per_district = Counter(r.get("district") for r, _ in rows if r.get("district"))
            counts = sorted(per_district.items())
            rows = []
        groups.append((label, rows, counts))
    city = staticmap.png_path("seoul")
    snippets = {}
    if base:
        snippets = {
            "iframe": iframe_snippet(base + "embed/seoul/", "서울 사회적경제 지도"),
            "image": image_snippet(base + _published(ctx, page), base + city, "서울 사회적경제 지도"),
        }
    body = render(
        "map.md.j2",
        iframe_src=src,
        approximate=Markup(APPROXIMATE_PLACE),  # our own words, written as they are
        groups=groups,
        png=Markup(rel(page, city)),
        snippets=snippets,
        **page_vars(page, ctx.atlas),
    )
    desc = "서울의 사회적경제 클러스터, 지원센터, 조직을 한 지도에서 찾아보세요."
    # The map and its list need the page's whole width: no side navigation or table of contents.
    return Output(page, front_matter("지도", desc, hide=["navigation", "toc"]) + body)


def view_prints(ctx: Context, codes: tuple[str, ...]) -> list[str]:
    """What a view shows of the data: every record of its districts (popups show most fields)."""
    prints = cache.fingerprints.district_fingerprints(ctx)
    return [prints.get(code, code) for code in codes]


def generate(ctx: Context) -> list[Output]:
    """Map files, the shared assets and the map page."""
    all_views = views(ctx)
    entries(ctx)  # once, before any worker process starts
    # A view whose inputs did not change since an earlier build is read from the project's cache;
    # the others are made, in parallel processes when the build may use them.
    jobs = [
        (
            v.path,
            cache.fingerprints.drawing_inputs(v, view_prints(ctx, v.codes), view_settings(ctx)),
            functools.partial(build, ctx, v),
        )
        for v in all_views
    ]
    made = cache.store().files("maps", jobs, text=True)
    out = [Output(v.path, html) for v, html in zip(all_views, made, strict=True)]
    out += map_assets.asset_outputs()
    out.append(map_page(ctx, all_views[0]))
    return out
