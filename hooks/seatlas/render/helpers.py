"""Template helpers that depend on the page being written: citations, links, phones, map searches.

They are registered once on the Jinja environment (see templates.py) and read the page's path
and the atlas from the variables `page` and `atlas` that every page template is rendered with.
"""

from __future__ import annotations

from urllib.parse import quote

from jinja2 import pass_context
from jinja2.runtime import Context as TemplateContext
from markupsafe import Markup

from ..model import geography
from ..model.records import Atlas, Record
from .markdown import attr, external, link, md
from .paths import district_path, rel


def sources_line(atlas: Atlas, records: list[Record], page: str) -> Markup:
    """'출처: <sources> · <newest as_of> 기준' for facts drawn from these records."""
    ids = tuple(dict.fromkeys(sid for r in records for sid in r.get("sources", ())))
    as_of = max((r["as_of"] for r in records if r.get("as_of")), default=None)
    when = f" · {as_of.isoformat()} 기준" if as_of else ""
    return Markup(f"출처: {_source_links(atlas, ids, page)}{when}")


_links: dict = {}


def _source_links(atlas: Atlas, ids: tuple[str, ...], page: str) -> str:
    """The sources' links, made once per build for each set of sources and page: a national atlas
    cites the same few sources tens of thousands of times."""
    if _links.get("atlas") is not atlas:
        _links.clear()
        _links["atlas"] = atlas
    key = (ids, page)
    if key not in _links:
        names = []
        for sid in ids:
            src = atlas.get("sources", sid)
            names.append(link(src["title"] if src else sid, rel(page, f"sources.md#{sid}")))
        _links[key] = ", ".join(names)
    return _links[key]


def tel(phone: str) -> Markup:
    return Markup(f'<a href="tel:{attr(phone.replace("-", ""))}">{attr(phone)}</a>')


def map_search_links(atlas: Atlas, record: Record) -> Markup:
    d = atlas.get("districts", record["district"])
    query = " ".join(x for x in (d["city"] if d else "", record["road_address"]) if x)
    q = quote(query)
    kakao = external("카카오맵에서 보기", f"https://map.kakao.com/?q={q}")
    naver = external("네이버 지도에서 보기", f"https://map.naver.com/p/search/{q}")
    # Shown, but out of the search index (as are citations): every place has the same two links.
    return Markup(f'<span data-search-exclude="true">{kakao} · {naver}</span>')


# Sets the frame's address once, in absolute form, as soon as the parser reaches it. The theme's
# instant navigation rewrites every relative `src` of the page into absolute form when it starts, and
# assigning an iframe's `src` navigates it again: the national map document (2.7 MB) was then
# fetched twice whenever the first request had already begun.
_FRAME_START = (
    "<script>(function(f){f.src=new URL(f.getAttribute('data-src'),document.baseURI).href})"
    "(document.currentScript.previousElementSibling)</script>"
)


def map_frame(src: str, label: str, style: str, sync: bool = False) -> Markup:
    """An iframe for one of the atlas's map documents, named by aria-label.

    Named by aria-label, not title: the theme's content.tooltips renders title attributes as HTML.
    `sync` marks the map page's own map, which keeps its state in the page's address and is the
    page's content; a district's map further down is fetched only when it comes near the screen.
    """
    extra = " data-atlas-sync" if sync else ' loading="lazy"'
    frame = (
        f'<iframe data-src="{attr(src)}" aria-label="{attr(label)}"{extra} allow="geolocation" '
        f'style="{attr(style)}"></iframe>'
    )
    fallback = f'<noscript><a href="{attr(src)}">지도 열기</a></noscript>'
    return Markup(frame + _FRAME_START + fallback)


def district_link(atlas: Atlas, code: str, page: str) -> Markup:
    d = atlas.get("districts", code)
    return link(d["name_ko"], rel(page, district_path(d))) if d else md(code)


# -- the same, as template globals ------------------------------------------------------------


@pass_context
def cite(context: TemplateContext, record: Record) -> Markup:
    """'출처: <source>, <date> 기준' in small print, with links to the sources page."""
    return _small_print(sources_line(context["atlas"], [record], context["page"]))


def _small_print(line: Markup) -> Markup:
    # The same few sources end every section: shown, but kept out of the search index.
    return Markup(f'<small data-search-exclude="true">{line}</small>')


@pass_context
def shared_cite(context: TemplateContext, records: list[Record]) -> Markup | None:
    """cite() of the records when it reads the same for every one of them, else None."""
    lines = {sources_line(context["atlas"], [r], context["page"]) for r in records}
    return _small_print(lines.pop()) if len(lines) == 1 else None


@pass_context
def district_link_global(context: TemplateContext, code: str) -> Markup:
    return district_link(context["atlas"], code, context["page"])


@pass_context
def host_of(context: TemplateContext, record: Record) -> Record | None:
    return geography.host_of(context["atlas"], record)


@pass_context
def link_to(context: TemplateContext, text: object, target: str) -> Markup:
    return link(text, rel(context["page"], target))


@pass_context
def map_links(context: TemplateContext, record: Record) -> Markup:
    return map_search_links(context["atlas"], record)
