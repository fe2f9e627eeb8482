"""Shared browser helpers: Debian's chromium, a built site served on 127.0.0.1, no outside requests."""

from __future__ import annotations

import contextlib
import functools
import http.server
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def html_pages(site: Path) -> list[str]:
    """Every built HTML page as a site path such as 'districts/eunpyeong-gu/' (404.html as is)."""
    paths = []
    for f in sorted(site.rglob("*.html")):
        rel = f.relative_to(site).as_posix()
        paths.append(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
    return paths


def site_url_of(site: Path) -> str:
    """The site_url a site was built for, read from its home page's canonical link."""
    found = re.search(r'<link rel="canonical" href="([^"]+)"', (site / "index.html").read_text(encoding="utf-8"))
    return found.group(1) if found else ""


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class names it so
        pass

    def do_GET(self):
        # The theme's instant navigation only follows links listed in sitemap.xml, matching
        # them after copying the page's protocol and host name but not its port. The published
        # site is served at its site_url; here the sitemap is rewritten to the test server's
        # address so the links match as they do there.
        site_url = site_url_of(Path(self.directory)) if self.path.split("?")[0] == "/sitemap.xml" else ""
        if not site_url:
            return super().do_GET()
        host, port = self.server.server_address[:2]
        body = (Path(self.directory) / "sitemap.xml").read_text(encoding="utf-8")
        body = body.replace(site_url, f"http://{host}:{port}/").encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve a built site over http on 127.0.0.1; yields the base URL ending in '/'."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname == "127.0.0.1"


@dataclass
class PageLog:
    """What went wrong on a page: JavaScript errors, and outside hosts that were blocked."""

    errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    def real_errors(self) -> list[str]:
        # Chromium logs each request we abort as "Failed to load resource: net::ERR_FAILED"; only
        # requests to outside hosts (map tiles) are aborted, so those lines are ignored when some
        # were blocked. A local 404 logs another text and counts, like every other error.
        if self.blocked:
            return [e for e in self.errors if "Failed to load resource: net::ERR_FAILED" not in e]
        return list(self.errors)


def new_page(browser, viewport: dict | None = None):
    """A page in a fresh context that only reaches 127.0.0.1; returns (page, log)."""
    context = browser.new_context(viewport=viewport or DESKTOP, locale="ko-KR", service_workers="block")
    log = PageLog()

    def route(r):
        if is_local(r.request.url):
            r.continue_()
        else:
            log.blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    # Local pages answer at once; a wait this long means the thing never appears.
    page.set_default_timeout(15_000)
    page.on("console", lambda m: m.type == "error" and log.errors.append(f"console: {m.text} ({m.location})"))
    page.on("pageerror", lambda e: log.errors.append(f"pageerror: {e}"))
    page.on(
        "response",
        lambda r: r.status >= 400 and is_local(r.url) and log.errors.append(f"HTTP {r.status}: {r.url}"),
    )
    return page, log


def load_frames(page) -> None:
    """Bring every iframe of a page into view and wait for its document: map frames load lazily."""
    for iframe in page.locator("iframe").element_handles():
        iframe.scroll_into_view_if_needed()
        page.wait_for_function(
            "f => f.contentDocument?.readyState === 'complete' && f.contentWindow.location.href !== 'about:blank'",
            arg=iframe,
        )


def screenshot(page, name: str) -> Path:
    out = ARTIFACTS / "screenshots" / f"{name}.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out), full_page=True)
    return out


def close(page) -> None:
    """Close a page's context; requests still being routed are dropped quietly."""
    page.context.unroute_all(behavior="ignoreErrors")
    page.context.close()
