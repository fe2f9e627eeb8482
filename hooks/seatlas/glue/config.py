"""The atlas settings, read from `extra.atlas` in mkdocs.yml and handed to the engine as its Settings."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError

from ..render.context import Settings


class AtlasConfig(base.Config):
    """Options of the atlas, with their defaults."""

    data_dir = c.Type(str, default="data")
    """Folder of the YAML records, relative to mkdocs.yml."""

    stale_after_days = c.Type(int, default=Settings.stale_after_days)
    """Records whose `as_of` is older than this many days are listed as stale."""

    tiles_url = c.Type(str, default=Settings.tiles_url)
    """URL template of the map's background tiles."""

    tiles_attribution = c.Type(str, default=Settings.tiles_attribution)
    """Attribution shown on the map for the tiles (HTML)."""

    tiles_max_zoom = c.Type(int, default=Settings.tiles_max_zoom)
    """Highest zoom level the tile server offers."""

    embed_base_url = c.Optional(c.Type(str))
    """Public address used in the copy-paste embed snippets; defaults to site_url."""

    today = c.Optional(c.Type(str))
    """Date (YYYY-MM-DD) that freshness is measured against; defaults to the newest `as_of` in the data."""


def load_settings(config) -> tuple[AtlasConfig, Path]:
    """Validate `extra.atlas`; return the settings and the absolute data folder."""
    raw = (config.get("extra") or {}).get("atlas") or {}
    settings = AtlasConfig(config_file_path=config.config_file_path)
    settings.load_dict(dict(raw))
    failed, warnings = settings.validate()
    if failed:
        detail = "; ".join(f"extra.atlas.{key}: {err}" for key, err in failed)
        raise PluginError(f"mkdocs.yml: {detail}")
    data_dir = Path(config.config_file_path).parent / settings.data_dir
    return settings, data_dir


def engine_settings(settings: AtlasConfig) -> Settings:
    """The engine's settings from the checked MkDocs options (data_dir stays with the glue)."""
    return Settings(**{f.name: settings[f.name] for f in dataclasses.fields(Settings)})
