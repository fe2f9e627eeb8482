"""Rendering generated Markdown from templates, with every data value escaped."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from ..model.labels import CENTER_KIND_LABELS, CLUSTER_KIND_LABELS, ORG_KIND_LABELS
from ..model.records import Atlas
from . import formatting, helpers
from .markdown import attr, external, finalize, md


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("seatlas", "templates"),
        autoescape=False,
        finalize=finalize,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["attr"] = attr
    env.filters["md"] = md
    env.filters["num"] = formatting.number
    # Page templates are rendered with `page` (their source path) and `atlas`; these read both.
    env.globals |= {
        "cite": helpers.cite,
        "shared_cite": helpers.shared_cite,
        "district_link": helpers.district_link_global,
        "link_to": helpers.link_to,
        "host_of": helpers.host_of,
        "map_links": helpers.map_links,
        "map_frame": helpers.map_frame,
        "tel": helpers.tel,
        "about": formatting.about,
        "when": formatting.when,
        "estimates": formatting.estimate_statement,
        "area": formatting.area,
        "opened": formatting.opened,
        "external": external,
        "num": formatting.number,
        "cluster_kind": CLUSTER_KIND_LABELS,
        "org_kind": ORG_KIND_LABELS,
        "center_kind": CENTER_KIND_LABELS,
    }
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def page_vars(page: str, atlas: Atlas) -> dict:
    """The variables the template helpers read: the page's source path and the atlas."""
    return {"page": page, "atlas": atlas}
