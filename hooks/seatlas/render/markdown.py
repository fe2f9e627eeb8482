"""Rendering generated Markdown from templates, with every data value escaped."""

from __future__ import annotations

import html
import re
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

# Python-Markdown's escapable characters (plus '|' of the tables extension); escaping any
# other character would leave a visible backslash.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


def md(value: Any) -> Markup:
    """A data value as inert Markdown text: no HTML, no links, no emphasis, one line."""
    if isinstance(value, Markup):
        return value
    text = html.escape(str(value), quote=True)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return Markup(" ".join(text.split()))


def attr(value: Any) -> Markup:
    """A data value inside an HTML attribute or raw HTML block."""
    return Markup(html.escape(str(value), quote=True))


def _finalize(value: Any) -> Any:
    # Every {{ }} is escaped unless a generator built it deliberately as Markup.
    if value is None:
        return ""
    return md(value)


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("seatlas", "templates"),
        autoescape=False,
        finalize=_finalize,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["attr"] = attr
    env.filters["md"] = md
    env.filters["num"] = number
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def number(value: Any, digits: int = 0) -> Markup:
    """A number with thousands separators, e.g. 1,100 or 2,096.8."""
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer() and digits == 0):
        return Markup(f"{int(value):,}")
    text = f"{value:,.{digits or 2}f}".rstrip("0").rstrip(".")
    return Markup(text)


def link(text: Any, target: str) -> Markup:
    """A Markdown link to a page of the site (target written by code, never by data)."""
    return Markup(f"[{md(text)}]({target})")


def external(text: Any, url: str) -> Markup:
    """A link to a validated http(s) address, opened as text."""
    return Markup(f'<a href="{attr(url)}" rel="noopener">{attr(text)}</a>')
