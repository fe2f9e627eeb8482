"""Making Folium's output self-contained and stable: local scripts, fixed element ids, no remote code."""

from __future__ import annotations

import json
import re
from importlib import resources

from ..render.context import Output
from ..render.markdown import attr

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
