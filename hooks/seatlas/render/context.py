"""What one build hands to every generator, and what a generator gives back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..cache import Pending
from ..model.records import Atlas


@dataclass(frozen=True)
class Settings:
    """The atlas settings the generators read; the glue fills them from its site generator's config."""

    stale_after_days: int = 5 * 365
    """Records whose `as_of` is older than this many days are listed as stale."""

    tiles_url: str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    """URL template of the map's background tiles."""

    tiles_attribution: str = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
    """Attribution shown on the map for the tiles (HTML)."""

    tiles_max_zoom: int = 19
    """Highest zoom level the tile server offers."""

    embed_base_url: str | None = None
    """Public address used in the copy-paste embed snippets; defaults to site_url."""

    today: dt.date | str | None = None
    """Date (YYYY-MM-DD) that freshness is measured against; defaults to the data date (Atlas.data_date)."""


@dataclass(frozen=True)
class Output:
    """A generated file: its path in the site sources and its content (maybe still being drawn)."""

    path: str
    body: str | bytes | Pending

    @property
    def ready(self) -> bool:
        """False while the content is being drawn in a worker process."""
        return not isinstance(self.body, Pending) or self.body.done

    @property
    def content(self) -> str | bytes:
        """The content, waiting for it if it is being drawn."""
        return self.body.get() if isinstance(self.body, Pending) else self.body


@dataclass
class Context:
    """What every generator may use."""

    atlas: Atlas
    settings: Settings = field(default_factory=Settings)
    site_url: str = ""
    use_directory_urls: bool = True
    extra: dict = field(default_factory=dict)


Generator = Callable[[Context], Iterable[Output]]
