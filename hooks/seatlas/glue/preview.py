"""The editors' preview: a panel listing every problem, put at the top of each served page.

During `mkdocs serve` a problem never stops the build: the pages of the last good build are
served with this panel, and the next good build (reloaded by MkDocs' live reload) drops it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from pathlib import Path

START, END = "<!--atlas-problems-->", "<!--/atlas-problems-->"
_OLD = re.compile(re.escape(START) + r".*?" + re.escape(END), re.S)
_BODY = re.compile(rb"<body\b[^>]*>")
# Inline styles: the panel must look the same when the theme's CSS is the thing that broke.
_BOX = (
    "position:relative;z-index:10;margin:0;padding:12px 16px;background:#fff4f2;color:#3b0d06;"
    "border-bottom:4px solid #c62828;font:15px/1.5 system-ui,sans-serif;max-height:60vh;overflow:auto"
)
_ITEM = "margin:4px 0;overflow-wrap:anywhere"
_WHERE = "font:13px/1.45 ui-monospace,monospace;background:none;color:inherit"
# 'data/clusters.yml:8:' (or a file name alone) in monospace, the words after it in the text font.
_LOCATION = re.compile(r"^(\S+?:\d+:|\S+?\.\w+:) ")


def panel(problems: list[str], fallback: bool) -> str:
    """The panel's HTML for these problems (each shown exactly as in the terminal)."""
    count = len(problems)
    shown = (
        "아직 성공한 빌드가 없어, 읽을 수 있었던 기록으로만 만든 미리보기입니다."
        if fallback
        else "이 미리보기는 마지막으로 성공한 모습입니다."
    )
    items = "".join(f'<li style="{_ITEM}">{_item(p)}</li>' for p in problems)
    return (
        f'{START}<section id="atlas-problems" role="alert" lang="ko" style="{_BOX}">'
        f'<h2 style="margin:0 0 4px;font-size:17px;color:#b71c1c">고칠 곳이 {count}개 있습니다</h2>'
        f'<p style="margin:0 0 6px">{shown} 아래를 고쳐 저장하면 이 안내는 저절로 사라집니다. '
        "고치기 전에는 <code>mkdocs build</code>가 사이트를 만들지 않습니다.</p>"
        f'<ol style="margin:0;padding-left:1.6em">{items}</ol></section>{END}'
    )


def _item(problem: str) -> str:
    found = _LOCATION.match(problem)
    if not found:
        return html.escape(problem)
    where, rest = found.group(1), problem[found.end() :]
    return f'<code style="{_WHERE}">{html.escape(where)}</code> {html.escape(rest)}'


def inject(page: bytes, panel_html: str | None) -> bytes:
    """The page with the panel right after <body> (or without any panel when None)."""
    text = _OLD.sub("", page.decode("utf-8")).encode("utf-8")
    if not panel_html:
        return text
    found = _BODY.search(text)
    at = found.end() if found else 0
    return text[:at] + panel_html.encode("utf-8") + text[at:]


def show(paths: Iterable[Path], panel_html: str | None) -> int:
    """Put the panel into (or take it out of) each page file; returns how many were written."""
    written = 0
    for path in paths:
        try:
            before = path.read_bytes()
        except OSError:
            continue
        after = inject(before, panel_html)
        if after != before:
            path.write_bytes(after)
            written += 1
    return written


def pages_of(site_dir: Path) -> list[Path]:
    """The theme's pages in a built site: the map and embed documents are framed, not pages."""
    framed = ("embed/", "assets/", "map/atlas.html")
    return [p for p in sorted(site_dir.rglob("*.html")) if not p.relative_to(site_dir).as_posix().startswith(framed)]


def emergency_page(site_dir: Path, panel_html: str) -> None:
    """A home page holding only the panel, when a failed build left none to show it on."""
    index = site_dir / "index.html"
    if not index.exists():
        site_dir.mkdir(parents=True, exist_ok=True)
        index.write_text(
            '<!doctype html><html lang="ko"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width,initial-scale=1">'
            f"<title>미리보기 오류</title></head><body>{panel_html}</body></html>",
            encoding="utf-8",
        )
