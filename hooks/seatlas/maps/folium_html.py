"""Folium set up through its extension points: self-hosted files, valid HTML, the atlas script.

- `AtlasFigure`: the page around the map. branca's stock Figure writes Folium's script after
  `</body>`, which is not valid HTML; this template keeps it inside the body, gives the page
  its language, an escaped title and `noindex`.
- `AtlasMap` and `LocalMarkerCluster` declare no files of their own (`default_js`/`default_css`),
  so no CDN link, jQuery or Bootstrap is written; `LocalAssets` links the self-hosted copies.
  `AtlasMap` also has its own template: Folium's forbids pinch zoom of the page
  (`user-scalable=no`), which the list beside the map needs.
- `Start` hands the places to atlas-map.js once Folium has made the map and its layers.
- `stable_ids` is the one workaround left: Folium names every element after 16 random bytes
  and has no option to name them otherwise, so rebuilds would differ in every line that
  mentions a layer. It numbers the elements in tree order instead.
"""

from __future__ import annotations

import json
import re

import folium
from branca.element import Element, Figure, MacroElement
from folium.plugins import MarkerCluster
from folium.template import Template

from ..render.markdown import attr


class AtlasFigure(Figure):
    """An HTML5 page in Korean whose scripts all sit inside <body>."""

    _template = Template(
        "<!DOCTYPE html>\n"
        '<html lang="ko">\n'
        "<head>\n"
        "{{ this.header.render(**kwargs) }}\n"
        "<title>{{ this.title|e }}</title>\n"
        '<meta name="robots" content="noindex">\n'
        "</head>\n"
        "<body>\n"
        "{{ this.html.render(**kwargs) }}\n"
        "<script>\n"
        "{{ this.script.render(**kwargs) }}\n"
        "</script>\n"
        "</body>\n"
        "</html>\n"
    )


class AtlasMap(folium.Map):
    """A Leaflet map filling its frame, with zoomable text and no files from elsewhere."""

    default_js: list = []
    default_css: list = []
    _template = Template(
        """
        {% macro header(this, kwargs) %}
            <meta name="viewport" content="width=device-width, initial-scale=1">
        {% endmacro %}

        {% macro html(this, kwargs) %}
            <div class="atlas" id="atlas">
            <div class="folium-map atlas-map" id={{ this.get_name()|tojson }}></div>
            </div>
        {% endmacro %}

        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.map({{ this.get_name()|tojson }}, {
                center: {{ this.location|tojson }},
                crs: L.CRS.{{ this.crs }},
                ...{{ this.options|tojavascript }}
            });
            {%- if this.control_scale %}
            L.control.scale({imperial: false}).addTo({{ this.get_name() }});
            {%- endif %}
        {% endmacro %}
        """
    )


class LocalMarkerCluster(MarkerCluster):
    """Leaflet.markercluster from the site's own copy (linked by LocalAssets)."""

    default_js: list = []
    default_css: list = []


class LocalAssets(MacroElement):
    """<link> and <script> elements for the self-hosted styles and scripts, in order."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
            {%- for href in this.css %}
            <link rel="stylesheet" href="{{ href }}">
            {%- endfor %}
            {%- for src in this.js %}
            <script src="{{ src }}"></script>
            {%- endfor %}
        {% endmacro %}
        """
    )

    def __init__(self, base: str, css: tuple[str, ...], js: tuple[str, ...]):
        super().__init__()
        self._name = "LocalAssets"
        self.css = [attr(base + p) for p in css]
        self.js = [attr(base + p) for p in js]


class Start(MacroElement):
    """`atlasMap.start(config)`: added last to the map, so its script runs after every layer exists.

    Elements in the config become their JavaScript names when the page is rendered (after
    `stable_ids` has named them).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            atlasMap.start({{ this.config_json() }});
        {% endmacro %}
        """
    )

    def __init__(self, map_: Element, config: dict):
        super().__init__()
        self._name = "Start"
        self.map = map_
        self.config = config

    def config_json(self) -> str:
        def named(value):
            if isinstance(value, Element):
                return value.get_name()
            if isinstance(value, dict):
                return {k: named(v) for k, v in value.items()}
            return value

        return js_value({"map": self.map.get_name(), **named(self.config)})


def js_value(value: object) -> str:
    """JSON that is safe inside a <script> element (no '</', no '<!--')."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


_RANDOM_ID = re.compile(r"\b[0-9a-f]{32}\b")


def stable_ids(root: Element) -> None:
    """Number the elements in tree order instead of Folium's random hex ids (see the module docstring)."""
    counter = 0

    def walk(el: Element) -> None:
        nonlocal counter
        el._id = f"{counter:03d}"
        counter += 1
        for child in list(el._children.values()):
            walk(child)

    walk(root)


def render(figure: Figure, title: str) -> str:
    """The page's HTML with trailing spaces trimmed; fails if a random id slipped through."""
    stable_ids(figure)
    page = figure.render()
    page = "\n".join(line.rstrip() for line in page.splitlines() if line.strip()) + "\n"
    if _RANDOM_ID.search(page):
        raise ValueError(f"{title}: the map still contains a random Folium id")
    return page
