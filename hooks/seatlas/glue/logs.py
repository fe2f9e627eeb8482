"""What the terminal shows: the atlas's own lines, MkDocs' lines quietened during serve, and
MkDocs' warnings collected for the preview's panel."""

from __future__ import annotations

import logging
import sys
from urllib.parse import urlsplit

from mkdocs.utils import CountHandler, DuplicateFilter

log = logging.getLogger("mkdocs.hooks.atlas")
# The publishing notice must not fail the strict local and test builds, which need no public
# address; it is printed by its own handler, outside the logger that strict mode counts.
notice = logging.getLogger("seatlas.notice")
if not notice.handlers:
    _handler = logging.StreamHandler(sys.stderr)
    _handler.setFormatter(logging.Formatter("WARNING -  %(message)s"))
    notice.addHandler(_handler)
    notice.propagate = False

PLACEHOLDER_HOSTS = ("example.org", "example.com", "example.net")
QUIET_LOGGERS = ("mkdocs.commands.build", "mkdocs.commands.serve", "mkdocs.livereload")


class Quiet(logging.Filter):
    """Drops MkDocs' own per-build lines during serve: the atlas prints one summary line instead."""

    NOISE = ("Building documentation...", "Cleaning site directory", "Documentation built in ")
    # The live-reload server stamps its lines with the time: "[12:00:00] Reloading browsers".
    STAMPED = ("Reloading browsers", "Browser connected: ")

    # Said again at every rebuild of `mkdocs serve --dirty`, which the editor asked for: on the panel it
    # would stand for a problem of the atlas that never goes away.
    DIRTY = "A 'dirty' build is being performed"

    def filter(self, record: logging.LogRecord) -> bool:
        text = str(record.msg)
        if text.startswith(self.DIRTY):
            return False
        stamped = text.split("] ", 1)[1] if text.startswith("[") and "] " in text else ""
        return record.levelno > logging.INFO or not (text.startswith(self.NOISE) or stamped.startswith(self.STAMPED))


class Collect(logging.Handler):
    """MkDocs' own warnings of one serve build, for the panel."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name != log.name:
            self.messages.append(record.getMessage())


_collector: Collect | None = None


def quieten_serve() -> None:
    for name in QUIET_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, Quiet) for f in logger.filters):
            logger.addFilter(Quiet())


def every_message_every_time() -> None:
    # MkDocs drops a log message it has printed before (utils.DuplicateFilter on its build logger),
    # which hid a mistake made twice in one serve session. Each build starts with a clean slate.
    for f in logging.getLogger("mkdocs.commands.build").filters:
        if isinstance(f, DuplicateFilter):
            f.msgs.clear()


def collect_warnings() -> None:
    """From now until collected_warnings(), keep MkDocs' warnings instead of letting strict mode abort."""
    global _collector
    root = logging.getLogger("mkdocs")
    # In strict mode MkDocs counts warnings and aborts the build at the end, which leaves the
    # server holding requests until the next good build. A preview lists them in the panel instead.
    for handler in list(root.handlers):
        if isinstance(handler, CountHandler):
            root.removeHandler(handler)
    if _collector is not None:
        root.removeHandler(_collector)
    _collector = Collect()
    root.addHandler(_collector)


def collected_warnings() -> list[str]:
    """MkDocs' own warnings since collect_warnings() (already printed), for the panel."""
    global _collector
    if _collector is None:
        return []
    logging.getLogger("mkdocs").removeHandler(_collector)
    warnings, _collector = _collector.messages, None
    return warnings


def tell_when_publishing_to_the_placeholder(site_url: str) -> None:
    host = urlsplit(site_url).hostname or ""
    if site_url and not host.endswith(PLACEHOLDER_HOSTS):
        return
    notice.warning(
        "atlas: site_url is %s: the embed and e-mail snippets on the district and map pages "
        "point at that address. To publish, build with ATLAS_SITE_URL=https://your.host/ set.",
        f"the placeholder {site_url}" if site_url else "not set",
    )
