"""The atlas settings, read from `extra.atlas` in mkdocs.yml with MkDocs' typed options, and handed to
the engine as its Settings."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError

from ..render.context import Settings


class IsoDate(c.BaseConfigOption[dt.date]):
    """A calendar date written YYYY-MM-DD (YAML may already have read it as a date)."""

    def run_validation(self, value: object) -> dt.date:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError as exc:
                raise ValidationError(f"'{value}' is not a real date ({exc}); write it like 2024-01-31") from None
        raise ValidationError(f"expected a date like 2024-01-31, got {value!r}")


class DataDir(c.Dir):
    """The data folder, which must exist; named relative to mkdocs.yml in messages."""

    def run_validation(self, value: object) -> str:
        try:
            return super().run_validation(value)
        except ValidationError:
            raise ValidationError(f"the folder '{value}' does not exist next to mkdocs.yml") from None


class AtlasConfig(base.Config):
    """Options of the atlas, with their defaults."""

    data_dir = DataDir(exists=True, default="data")
    """Folder of the YAML records, relative to mkdocs.yml."""

    stale_after_days = c.Type(int, default=Settings.stale_after_days)
    """Records whose `as_of` is older than this many days are listed as stale."""

    tiles_url = c.URL(default=Settings.tiles_url)
    """URL template of the map's background tiles."""

    tiles_attribution = c.Type(str, default=Settings.tiles_attribution)
    """Attribution shown on the map for the tiles (HTML)."""

    tiles_max_zoom = c.Type(int, default=Settings.tiles_max_zoom)
    """Highest zoom level the tile server offers."""

    embed_base_url = c.Optional(c.URL())
    """Public address used in the copy-paste embed snippets; defaults to site_url."""

    today = c.Optional(IsoDate())
    """Date (YYYY-MM-DD) that freshness is measured against; defaults to the data date."""


class SettingsError(Exception):
    """Settings that cannot be used; `problems` are located messages, one per setting."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def load_settings(config) -> tuple[AtlasConfig, Path, list[str]]:
    """Validate `extra.atlas`: the settings, the absolute data folder and located warnings.

    Raises SettingsError with one located message per setting that is wrong.
    """
    raw = (config.get("extra") or {}).get("atlas") or {}
    path = config.config_file_path
    if not isinstance(raw, dict):
        raise SettingsError([f"{_where(path, 'atlas')}: extra.atlas: expected settings (key: value lines)"])
    settings = AtlasConfig(config_file_path=path)
    settings.load_dict(dict(raw))
    failed, warnings = settings.validate()
    if failed:
        raise SettingsError([f"{_where(path, key)}: extra.atlas.{key}: {err}" for key, err in failed])
    notes = [f"{_where(path, key)}: extra.atlas.{key}: {message}" for key, message in warnings]
    return settings, Path(settings.data_dir), notes


def default_settings(config) -> tuple[AtlasConfig, Path, list[str]]:
    """Every setting at its default, for a preview whose own settings are wrong (they are on its panel)."""
    settings = AtlasConfig(config_file_path=config.config_file_path)
    settings.load_dict({})
    settings.validate()  # a missing default data folder is reported by the data check itself
    folder = Path(config.config_file_path or ".").parent / "data"
    return settings, folder, []


def engine_settings(settings: AtlasConfig) -> Settings:
    """The engine's settings from the checked MkDocs options (data_dir stays with the glue)."""
    return Settings(**{f.name: settings[f.name] for f in dataclasses.fields(Settings)})


def _where(config_file: str | None, key: str) -> str:
    """'mkdocs.yml:71' for the line of a key under extra.atlas, or just the file name."""
    name = os.path.basename(config_file) if config_file else "mkdocs.yml"
    try:
        lines = Path(config_file).read_text(encoding="utf-8").splitlines() if config_file else []
    except OSError:
        lines = []
    section = None
    for n, line in enumerate(lines, 1):
        if re.match(r"^extra\s*:", line):
            section = "extra"
        elif section == "extra" and re.match(r"^\s+atlas\s*:", line):
            section = "atlas"
            if key == "atlas":
                return f"{name}:{n}"
        elif section and re.match(r"^\S", line):
            section = None
        elif section == "atlas" and re.match(rf"^\s+{re.escape(key)}\s*:", line):
            return f"{name}:{n}"
    return name
