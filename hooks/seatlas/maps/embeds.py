"""Making Folium's output self-contained and stable, and the pages that show the maps."""

from __future__ import annotations

import json
import re
from collections import Counter
from importlib import resources

from markupsafe import Markup

from . import staticmap
from .build import Context, Output
from .markdown import attr, render
from .pages import district_path, front_matter, rel

ASSET_DIR = "assets/map/"
# Site path of each shipped file → its place in the package (assets/).
_ASSETS = {
    "vendor/leaflet/leaflet.js": "vendor/leaflet/leaflet.js",
    "vendor/leaflet/leaflet.css": "vendor/leaflet/leaflet.css",
    "vendor/leaflet/LICENSE": "vendor/leaflet/LICENSE",
    "vendor/leaflet/images/layers.png": "vendor/leaflet/images/layers.png",
    "vendor/leaflet/images/layers-2x.png": "vendor/leaflet/images/layers-2x.png",
    "vendor/leaflet.markercluster/leaflet.markercluster.js": "vendor/leaflet.markercluster/leaflet.markercluster.js",
    "vendor/leaflet.markercluster/MarkerCluster.css": "vendor/leaflet.markercluster/MarkerCluster.css",
    "vendor/leaflet.markercluster/MarkerCluster.Default.css": "vendor/leaflet.markercluster/MarkerCluster.Default.css",
    "vendor/leaflet.markercluster/MIT-LICENCE.txt": "vendor/leaflet.markercluster/MIT-LICENCE.txt",
    "vendor/leaflet.fullscreen/Control.FullScreen.umd.js": "vendor/leaflet.fullscreen/Control.FullScreen.umd.js",
    "vendor/leaflet.fullscreen/Control.FullScreen.css": "vendor/leaflet.fullscreen/Control.FullScreen.css",
    "vendor/leaflet.fullscreen/LICENSE.txt": "vendor/leaflet.fullscreen/LICENSE.txt",
    "atlas-map.js": "map/atlas-map.js",
    "atlas-map.css": "map/atlas-map.css",
}
_LINKS = {
    "leaflet": (
        [("leaflet", "vendor/leaflet/leaflet.js")],
        [("leaflet_css", "vendor/leaflet/leaflet.css")],
    ),
    "markercluster": (
        [("markerclusterjs", "vendor/leaflet.markercluster/leaflet.markercluster.js")],
        [
            ("markerclustercss", "vendor/leaflet.markercluster/MarkerCluster.css"),
            ("markerclusterdefaultcss", "vendor/leaflet.markercluster/MarkerCluster.Default.css"),
        ],
    ),
}
_OWN_JS = ("vendor/leaflet.fullscreen/Control.FullScreen.umd.js", "atlas-map.js")
_OWN_CSS = ("vendor/leaflet.fullscreen/Control.FullScreen.css", "atlas-map.css")


def local_links(assets: str, which: str) -> tuple[list, list]:
    """Replacement for a Folium class's CDN lists (jQuery, Bootstrap, Font Awesome are dropped)."""
    js, css = _LINKS[which]
    return [(n, assets + p) for n, p in js], [(n, assets + p) for n, p in css]


def asset_outputs() -> list[Output]:
    """The shipped scripts, styles, images and licences, copied into the site."""
    base = resources.files("seatlas") / "assets"
    return [Output(ASSET_DIR + site, (base / src).read_bytes()) for site, src in _ASSETS.items()]


def stable_ids(root) -> None:
    """Replace Folium's random element ids by their order in the tree, so rebuilds are identical."""
    counter = 0

    def walk(el):
        nonlocal counter
        el._id = f"{counter:03d}"
        counter += 1
        for child in list(el._children.values()):
            walk(child)

    walk(root)


def js_value(value: object) -> str:
    """JSON that is safe inside a <script> element (no '</', no '<!--')."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


_REMOTE = re.compile(r"<(?:script|link)\b[^>]*(?:src|href)=[\"']?(?:https?:)?//[^>]*>(?:\s*</script>)?", re.I)
_RANDOM_ID = re.compile(r"\b[0-9a-f]{32}\b")


def finish(page: str, title: str, assets: str, config: dict) -> str:
    """Folium's HTML with a title, the local plug-ins, our script, and no remote code."""
    page = _REMOTE.sub("", page)
    head = [f"<title>{attr(title)}</title>", '<meta name="robots" content="noindex">']
    head += [f'<link rel="stylesheet" href="{attr(assets + p)}">' for p in _OWN_CSS]
    head += [f'<script src="{attr(assets + p)}"></script>' for p in _OWN_JS]
    # The plug-ins need Leaflet, which Folium links in the head: ours come last.
    page = _before_last(page, "</head>", "\n".join(head) + "\n")
    page = page.replace("<html>", '<html lang="ko">', 1)
    # Folium's own script (after </body>) creates the map and layers that ours fills.
    page = _before_last(page, "</html>", f"<script>\n    atlasMap.start({js_value(config)});\n</script>\n")
    page = "\n".join(line.rstrip() for line in page.splitlines()) + "\n"
    if _RANDOM_ID.search(page):
        raise ValueError(f"{title}: the map still contains a random Folium id")
    return page


def _before_last(page: str, tag: str, snippet: str) -> str:
    i = page.rfind(tag)
    if i < 0:
        raise ValueError(f"Folium's page has no {tag}")
    return page[:i] + snippet + page[i:]


# -- where the maps are shown -------------------------------------------------------------


def base_url(ctx: Context) -> str:
    base = ctx.settings.embed_base_url or ctx.site_url or ""
    return base if not base or base.endswith("/") else base + "/"


def _published(ctx: Context, page: str) -> str:
    from .maps import page_href

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
    return (
        f'<iframe src="{attr(url)}" title="{attr(title)}" width="100%" height="480" '
        'style="border:0" loading="lazy" referrerpolicy="strict-origin-when-cross-origin"></iframe>'
    )


def image_snippet(page_url: str, png_url: str, alt: str) -> str:
    w, h = staticmap.SIZE_PX
    return f'<a href="{attr(page_url)}"><img src="{attr(png_url)}" alt="{attr(alt)}" width="{w}" height="{h}"></a>'


LIST_LIMIT = 300


def map_page(ctx: Context, view) -> Output:
    """map.md: the whole map in an iframe, then the same places as text."""
    from .maps import LAYERS, drawn
    from .pages import Pages

    page = "map.md"
    base = base_url(ctx)
    pages = Pages(ctx)
    src = "atlas.html" if _published(ctx, page).endswith("/") else view.path
    groups = []
    for key, label in LAYERS:
        rows = [(e["record"], bool(e["approx"])) for e in drawn(ctx, view.codes, key)]
        shown = {r.id for r, _ in rows}
        missing = [r for r in ctx.atlas.all(key) if r.id not in shown]
        # Thousands of rows would make this page heavier than the map; each district page lists them all.
        counts = None
        if len(rows) > LIST_LIMIT:
            per_district = Counter(r["district"] for r, _ in rows)
            counts = sorted(per_district.items())
            rows = []
        groups.append((label, rows, missing, counts))
    city = staticmap.png_path("seoul")
    snippets = {}
    if base:
        snippets = {
            "iframe": iframe_snippet(base + "embed/seoul/", "서울 사회적경제 지도"),
            "image": image_snippet(base + _published(ctx, page), base + city, "서울 사회적경제 지도"),
        }
    body = render(
        "map.md.j2",
        iframe_src=Markup(attr(src)),
        groups=groups,
        png=Markup(rel(page, city)),
        snippets=snippets,
        **pages.helpers(page),
    )
    desc = "서울의 사회적경제 클러스터, 지원센터, 조직을 한 지도에서 찾아보세요."
    return Output(page, front_matter("지도", desc) + body)
