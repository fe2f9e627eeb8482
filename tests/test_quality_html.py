"""Every built HTML page parses without errors, and every internal link and anchor resolves."""

from __future__ import annotations

import posixpath
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import html5lib
import pytest
from browser import html_pages

# Attributes that point at another file of the site.
LINK_ATTRIBUTES = {"href", "src", "poster", "data"}
EXTERNAL_SCHEMES = {"http", "https", "mailto", "tel"}


# Known parser errors, each allowed only where its cause is: (error code, its data, a text that
# marks the page). Folium's page template puts the map's <script> after </body>; browsers move it
# into the body as the parser does, and the map tests check that the script runs.
ALLOWED_PARSE_ERRORS = {
    ("unexpected-start-tag-after-body", "{'name': 'script'}", 'class="folium-map"'),
}


def parse_errors(html: bytes) -> list[str]:
    """The html5lib parse errors of a page, less the allowed ones, as 'line:col code data'."""
    parser = html5lib.HTMLParser(strict=False, namespaceHTMLElements=False)
    parser.parse(html, transport_encoding="utf-8")
    text = html.decode("utf-8")
    errors = []
    for (line, col), code, data in parser.errors:
        if any(code == c and str(data) == d and mark in text for c, d, mark in ALLOWED_PARSE_ERRORS):
            continue
        errors.append(f"{line}:{col} {code} {data}")
    return errors


def test_every_page_parses_without_errors(real_site):
    pages = sorted(real_site.site.rglob("*.html"))
    assert pages
    failures = {}
    for f in pages:
        errors = parse_errors(f.read_bytes())
        if errors:
            failures[f.relative_to(real_site.site).as_posix()] = errors
    assert failures == {}


def test_parse_errors_are_found_in_strict_mode():
    assert parse_errors(b"<!DOCTYPE html><title>x</title><p><b>x</p></i>") != []
    assert parse_errors(b"<!DOCTYPE html><title>x</title><body></body><script>1</script>") != []
    strict = html5lib.HTMLParser(strict=True)
    with pytest.raises(html5lib.html5parser.ParseError):
        strict.parse(b"<p>no doctype")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("id", "name") and value and (name == "id" or tag == "a"):
                self.ids.add(value)
            elif name in LINK_ATTRIBUTES and value is not None:
                if tag == "link" and dict(attrs).get("rel") in ("canonical", "alternate"):
                    continue  # absolute addresses on the public host, checked by MkDocs
                self.links.append((tag, value))


@cache
def _parsed(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _target_file(site: Path, page_dir: str, url_path: str) -> Path:
    joined = posixpath.normpath(posixpath.join(page_dir, unquote(url_path)))
    target = site / joined.lstrip("/") if joined not in (".", "/") else site
    return target / "index.html" if target.is_dir() else target


def broken_links(site: Path) -> list[str]:
    """Every internal link of the site whose file or #anchor does not exist, as 'page: link (why)'."""
    broken = []
    for f in sorted(site.rglob("*.html")):
        page = f.relative_to(site).as_posix()
        page_dir = posixpath.dirname(page)
        for tag, url in _parsed(f).links:
            parts = urlsplit(url)
            if parts.scheme in EXTERNAL_SCHEMES or (parts.netloc and not parts.scheme):
                continue
            if parts.scheme:
                broken.append(f"{page}: <{tag}> {url} (scheme {parts.scheme}: is not allowed)")
                continue
            if not parts.path:
                target = f
            elif parts.path.startswith("/"):
                target = _target_file(site, "/", parts.path)
            else:
                target = _target_file(site, page_dir, parts.path)
            if not target.is_file() or site not in target.resolve().parents:
                broken.append(f"{page}: <{tag}> {url} (no such file)")
                continue
            if parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in _parsed(target).ids:
                broken.append(f"{page}: <{tag}> {url} (no id {parts.fragment!r} in the target page)")
    return broken


def test_every_internal_link_and_anchor_exists(real_site):
    assert len(html_pages(real_site.site)) > 30
    assert broken_links(real_site.site) == []


def test_the_link_checker_finds_broken_links(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(
        '<h2 id="x">x</h2><a href="#x">ok</a><a href="../b.html#y">ok</a><a href="#z">bad anchor</a>'
        '<a href="../missing/">bad page</a><img src="/a/"><a href="javascript:alert(1)">bad scheme</a>',
        encoding="utf-8",
    )
    (tmp_path / "b.html").write_text('<p id="y">y</p>', encoding="utf-8")
    assert broken_links(tmp_path) == [
        "a/index.html: <a> #z (no id 'z' in the target page)",
        "a/index.html: <a> ../missing/ (no such file)",
        "a/index.html: <a> javascript:alert(1) (scheme javascript: is not allowed)",
    ]
