"""The files every map links (Leaflet, its plug-ins, the atlas script), shipped in the package.

Apart from folium_html so that a build copies them without importing Folium.
"""

from __future__ import annotations

from importlib import resources

from ..render.context import Output

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
# What every map file links, in order: Leaflet before the plug-ins that extend it, ours last.
CSS = (
    "vendor/leaflet/leaflet.css",
    "vendor/leaflet.markercluster/MarkerCluster.css",
    "vendor/leaflet.markercluster/MarkerCluster.Default.css",
    "vendor/leaflet.fullscreen/Control.FullScreen.css",
    "atlas-map.css",
)
JS = (
    "vendor/leaflet/leaflet.js",
    "vendor/leaflet.markercluster/leaflet.markercluster.js",
    "vendor/leaflet.fullscreen/Control.FullScreen.umd.js",
    "atlas-map.js",
)


def asset_outputs() -> list[Output]:
    """The shipped scripts, styles, images and licences, copied into the site."""
    base = resources.files("seatlas") / "assets"
    return [Output(ASSET_DIR + site, (base / src).read_bytes()) for site, src in _ASSETS.items()]
