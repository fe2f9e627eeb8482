"""Data values made inert in generated Markdown and HTML, links written by code, and front matter."""

from __future__ import annotations

import html
import json
import re
from typing import Any

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


def finalize(value: Any) -> Any:
    # Every {{ }} is escaped unless a generator built it deliberately as Markup.
    if value is None:
        return ""
    return md(value)


def link(text: Any, target: str) -> Markup:
    """A Markdown link to a page of the site (target written by code, never by data)."""
    return Markup(f"[{md(text)}]({target})")


def external(text: Any, url: str) -> Markup:
    """A link to a validated http(s) address, opened as text."""
    return Markup(f'<a href="{attr(url)}" rel="noopener">{attr(text)}</a>')


def front_matter(title: str, description: str, **extra: object) -> str:
    # JSON is valid YAML and escapes everything a title or description may contain. The theme
    # prints both as HTML (<title>, <meta>, navigation), so they are HTML-escaped first.
    meta = {"title": html.escape(title), "description": html.escape(description), **extra}
    return "---\n" + "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in meta.items()) + "---\n\n"
