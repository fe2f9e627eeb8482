"""What the MkDocs hook events do: kept here so the hook file stays a list of calls."""

from __future__ import annotations

import calendar
import html
import logging
import os
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from ..model.load import load_data
from ..model.validation import format_problems
from ..render.context import Context
from ..render.paths import PAGE_CHECKS, by_city
from ..site import build
from .config import engine_settings, load_settings

log = logging.getLogger("mkdocs.hooks.atlas")


class State:
    """What one build carries from on_config to the later events."""

    ctx: Context | None = None


state = State()


def on_config(config):
    started = time.perf_counter()
    settings, data_dir = load_settings(config)
    if not data_dir.is_dir():
        raise PluginError(f"data folder not found: {data_dir.name}/ (extra.atlas.data_dir in mkdocs.yml)")
    atlas, problems = load_data(data_dir, extra_checks=PAGE_CHECKS)
    if problems:
        state.ctx = None
        raise PluginError(format_problems(problems))
    # Reproducible output: MkDocs dates the sitemap with SOURCE_DATE_EPOCH when it is set.
    newest = max((r["as_of"] for r in atlas if r.get("as_of")), default=None)
    if newest and "SOURCE_DATE_EPOCH" not in os.environ:
        os.environ["SOURCE_DATE_EPOCH"] = str(calendar.timegm(newest.timetuple()))  # UTC: no time zone leaks in
    # The theme overrides ship inside the package, so any copy of mkdocs.yml finds them.
    theme_dir = str(Path(__file__).parent.parent / "theme")
    if theme_dir not in config.theme.dirs:
        config.theme.dirs.insert(0, theme_dir)
    state.ctx = Context(
        atlas=atlas,
        settings=engine_settings(settings),
        site_url=config.get("site_url") or "",
        use_directory_urls=config["use_directory_urls"],
    )
    expand_district_nav(config, state.ctx)
    log.info("atlas: %d records checked in %.2f s", sum(1 for _ in atlas), time.perf_counter() - started)
    return config


def expand_district_nav(config, ctx: Context) -> None:
    """Replace the nav entry of districts/index.md by a section listing each city page."""
    nav = config.get("nav")
    if not nav:
        return
    # The theme prints nav titles as HTML, so a name from the data is escaped here.
    cities = {slug: html.escape(members[0]["city"]) for slug, members in by_city(ctx.atlas.all("districts")).items()}
    for i, item in enumerate(nav):
        if isinstance(item, dict) and list(item.values()) == ["districts/index.md"]:
            title = next(iter(item))
            section = ["districts/index.md", *({name: f"districts/{slug}.md"} for slug, name in cities.items())]
            nav[i] = {title: section}


def on_files(files: Files, config) -> Files:
    if state.ctx is None:
        raise PluginError("the atlas data was not loaded")
    for out in build.generate(state.ctx):
        existing = files.get_file_from_path(out.path)
        if existing is not None:
            raise PluginError(f"content/{out.path}: this page is generated from data/; remove the hand-written file")
        files.append(File.generated(config, out.path, content=out.content))
    return files
