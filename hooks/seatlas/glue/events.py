"""What the MkDocs hook events do: kept here so the hook file stays a list of calls.

`mkdocs build` is strict: any problem stops it and nothing is written. `mkdocs serve` never
stops on a problem: it keeps serving the last good pages with a panel listing every problem
(see preview.py), because a failed build would leave MkDocs' server holding every request.
"""

from __future__ import annotations

import calendar
import gc
import html
import json
import os
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.exceptions import MkDocsException, PluginError
from mkdocs.structure.files import File, Files, InclusionLevel

from .. import cache
from ..model.load import data_fingerprint, load_data
from ..model.records import Atlas
from ..model.validation import format_problems
from ..render.context import Context, Output
from ..render.paths import PAGE_CHECKS, by_city
from ..site import build, freshness
from . import logs, preview
from .config import SettingsError, default_settings, engine_settings, load_settings
from .logs import log

# Lunr field for the words people type that are not on a page as such (see search.py); indexed
# for matching but never shown in a result preview.
KEYWORD_FIELD = "keywords"
KEYWORD_BOOST = 10


@dataclass
class Good:
    """The last build whose data had no problem: served again while the data has problems."""

    ctx: Context
    outputs: list[Output]


@dataclass
class State:
    """What one process carries between builds, and one build from event to event."""

    command: str = "build"
    good: Good | None = None
    candidate: Good | None = None
    stale_told: bool = False
    dirty: bool = False
    importing: threading.Thread | None = None
    epoch: str | None = None  # SOURCE_DATE_EPOCH as this process last set it
    # Per build:
    ctx: Context | None = None
    outputs: list[Output] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    fallback: bool = False
    records: int = 0
    pages: list[str] = field(default_factory=list)
    keywords: dict[str, str] = field(default_factory=dict)
    # Generated files whose drawings were still being made when MkDocs listed them.
    drawing: list[tuple[File, Output]] = field(default_factory=list)
    started: float = 0.0

    @property
    def serving(self) -> bool:
        return self.command == "serve"


state = State()


def on_startup(command: str, dirty: bool) -> None:
    state.command = command
    state.dirty = dirty
    if command == "serve":
        logs.quieten_serve()


# How often the preview looks for saved files. MkDocs looks every 0.5 s, so an editor waited a
# quarter of a second on average before the rebuild even began; a look at the project's own
# folders costs a few dozen stat() calls.
POLL_S = 0.1


def on_serve(server, config, builder):
    """Any build failure not foreseen below still ends in a served panel, never in a stuck server."""
    _look_for_changes_sooner(server, config)
    inner = server.builder
    site_dir = Path(config.site_dir)

    def guarded(*args, **kwargs):
        try:
            inner(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - whatever stopped the build is shown, and the server goes on
            if not isinstance(exc, (MkDocsException, SettingsError)):
                traceback.print_exc()
            message = f"the site could not be built: {exc}".strip()
            log.error("atlas: %s", message)
            html_panel = preview.panel([message], fallback=False)
            preview.show(preview.pages_of(site_dir), html_panel)
            preview.emergency_page(site_dir, html_panel)

    server.builder = guarded
    return server


def _look_for_changes_sooner(server, config) -> None:
    """Watch what MkDocs watches with a polling observer of POLL_S (MkDocs offers no setting for it)."""
    watched, observer = getattr(server, "_watched_paths", None), getattr(server, "observer", None)
    refs = getattr(server, "_watch_refs", None)
    if not isinstance(watched, dict) or not isinstance(refs, dict) or observer is None or observer.timeout <= POLL_S:
        return  # another MkDocs than 1.6: keep its own watching
    # `--watch-theme` adds the theme's folders (Material's: some 15,000 icon files): a look ten times a
    # second would take the rebuild's time. Theme developers keep MkDocs' pace.
    if {os.path.abspath(d) for d in config.theme.dirs} & set(watched):
        return
    kept = {path: (count, getattr(refs.get(path), "is_recursive", True)) for path, count in watched.items()}
    for path, (count, _recursive) in kept.items():
        for _ in range(count):
            server.unwatch(path)
    server.observer = type(observer)(timeout=POLL_S)
    for path, (count, recursive) in kept.items():
        for _ in range(count):
            server.watch(path, recursive=recursive)


def on_config(config):
    state.started = time.perf_counter()
    if state.importing is not None:
        state.importing.join()  # never two threads importing the same modules at once
    state.ctx, state.outputs, state.problems, state.fallback = None, [], [], False
    state.pages, state.keywords, state.records, state.drawing = [], {}, 0, []
    state.candidate = None
    logs.every_message_every_time()
    if state.serving:
        logs.collect_warnings()
    # The theme overrides ship inside the package, so any copy of mkdocs.yml finds them.
    theme_dir = str(Path(__file__).parent.parent / "theme")
    if theme_dir not in config.theme.dirs:
        config.theme.dirs.insert(0, theme_dir)
    if state.command in ("build", "gh-deploy"):
        logs.tell_when_publishing_to_the_placeholder(config.get("site_url") or "")
    # Slow artefacts are kept between builds in .cache/ beside mkdocs.yml (see seatlas.cache).
    cache.open_project(Path(config.config_file_path).parent)

    try:
        settings, data_dir, notes = load_settings(config)
    except SettingsError as exc:
        if not state.serving:
            raise PluginError(str(exc)) from None
        _report(exc.problems, "mkdocs.yml")
        if state.good:
            return _use(config, state.good.ctx, state.good.outputs)
        settings, data_dir, notes = default_settings(config)
    for note in notes:
        log.warning(note)

    if gc.get_freeze_count():
        # An earlier build of this `mkdocs serve` froze its records and, with them, any garbage of
        # the builds before it, which no collection would reach again: one full pass frees it, or
        # each rebuild would keep a few megabytes more for the rest of the session.
        gc.unfreeze()
        gc.collect()
    data = data_fingerprint(data_dir)
    atlas, problems = load_data(data_dir, extra_checks=PAGE_CHECKS, fingerprint=data)
    state.records = sum(1 for _ in atlas)
    if problems:
        if not state.serving:
            raise PluginError(format_problems(problems))
        _report([str(p) for p in problems], "the data")
        if state.good:
            return _use(config, state.good.ctx, state.good.outputs)
        state.fallback = True
        ctx = _context(config, atlas, settings)
        return _use(config, ctx, _generate(ctx) or [])

    _date_the_build(atlas)
    # The records live until the build ends and hold no garbage: the cycle collector skips them
    # from here on instead of walking a national data set again on each of its full passes.
    gc.freeze()
    ctx = _context(config, atlas, settings, data)
    outputs = _generate(ctx)
    if outputs is None:  # serving, and a generator failed: the message is on the panel
        good = state.good
        return _use(config, good.ctx, good.outputs) if good else _use(config, ctx, [])
    if state.serving:
        state.candidate = Good(ctx, outputs)  # the last good build once its drawings are made too
    return _use(config, ctx, outputs)


def _context(config, atlas: Atlas, settings, data: str | None = None) -> Context:
    """The generators' context; `data`, the fingerprint of a data folder without problems, lets
    generators keep their whole output in the cache (cache.kept)."""
    return Context(
        atlas=atlas,
        settings=engine_settings(settings),
        site_url=config.get("site_url") or "",
        use_directory_urls=config["use_directory_urls"],
        extra={"data": data} if data else {},
    )


def _generate(ctx: Context) -> list[Output] | None:
    """Every generated file; a generator's ValueError is a located message, not a traceback."""
    try:
        # MkDocs goes on while the drawings are made; see on_env.
        return build.start(ctx)
    except Exception as exc:  # noqa: BLE001 - a preview shows the failure; a real build stops on it
        _failed(exc, "the pages", "a page could not be made from the data", "the pages could not be made")
    return None


def _failed(exc: Exception, what: str, from_data: str, otherwise: str) -> None:
    """A generator or a drawing failed. A ValueError is a located message about the data; anything
    else is a bug, shown with its traceback. A build stops; a preview lists it on its panel."""
    if isinstance(exc, ValueError):
        message = f"{from_data}: {exc}"
        if not state.serving:
            raise PluginError(message) from None
    else:
        if not state.serving:
            raise exc
        traceback.print_exc()
        message = f"{otherwise}: {type(exc).__name__}: {exc}"
    _report([message], what)


def _use(config, ctx: Context, outputs: list[Output]):
    state.ctx, state.outputs = ctx, outputs
    expand_district_nav(config, ctx)
    date = ctx.atlas.data_date()
    # The footer (theme/partials/copyright.html) gives the same data date as the home page.
    config.extra["atlas_data_date"] = date.isoformat() if date else ""
    return config


def _report(problems: list[str], what: str) -> None:
    """Print every problem in full, every build, and keep them for the panel."""
    state.problems += problems
    n = len(problems)
    head = f"atlas: {what} has {n} problem{'s' if n != 1 else ''}; the preview shows them at the top of every page:"
    log.error("\n".join([head, *(f"  {p}" for p in problems)]))


def _date_the_build(atlas) -> None:
    # Reproducible output: MkDocs dates the sitemap with SOURCE_DATE_EPOCH. Set on every build
    # (a serve session's later builds follow the data), unless the caller set it.
    current = os.environ.get("SOURCE_DATE_EPOCH")
    if current is not None and current != state.epoch:
        return
    newest = atlas.data_date()  # the date the footer and the home page give
    if newest is None:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
        state.epoch = None
        return
    state.epoch = str(calendar.timegm(newest.timetuple()))  # UTC: no time zone leaks in
    os.environ["SOURCE_DATE_EPOCH"] = state.epoch


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
    docs = Path(config.docs_dir).name
    for out in state.outputs:
        if files.get_file_from_path(out.path) is not None:
            message = f"{docs}/{out.path}: this page is generated from data/; remove the hand-written file"
            if not state.serving:
                raise PluginError(message)
            _report([message], docs)
            continue
        # Generated pages are reached from other pages (districts from their city), not all from the
        # nav; marked so, MkDocs does not list them as pages missing from the nav on every build.
        # Kept as UTF-8 until written: half the memory of Python text that holds any Hangul.
        content = _bytes(out.content) if out.ready else b""  # else still being drawn: see on_env
        file = File.generated(config, out.path, content=content, inclusion=InclusionLevel.NOT_IN_NAV)
        files.append(file)
        if not out.ready:
            state.drawing.append((file, out))
    if state.serving:
        for path in _nav_paths(config.get("nav")):
            if files.get_file_from_path(path) is None and path.endswith(".md"):
                waiting = "# 준비 중\n\n자료의 문제를 고치면 이 페이지가 만들어집니다.\n"
                files.append(File.generated(config, path, content=waiting, inclusion=InclusionLevel.NOT_IN_NAV))
    return files


def _nav_paths(nav) -> list[str]:
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [p for value in nav.values() for p in _nav_paths(value)]
    if isinstance(nav, list):
        return [p for item in nav for p in _nav_paths(item)]
    return []


def _bytes(content: str | bytes) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content


def on_env(env, config, files: Files):
    """MkDocs copies the site's files next: those still being drawn are left out of its copying
    and written once drawn, at the end of the build (on_post_build)."""
    for file, _out in state.drawing:
        file.inclusion = InclusionLevel.EXCLUDED
    return env


def _write_drawings() -> None:
    """Wait for the build's drawings; write those MkDocs did not copy."""
    late, state.drawing = state.drawing, []
    try:
        build.finish()
    except Exception as exc:  # noqa: BLE001 - as in _generate
        build.cancel()
        drawn = "a map or chart could not be drawn"
        _failed(exc, "the drawings", f"{drawn} from the data", drawn)
        # The pages are written already: the preview shows the last good drawings beside them (a
        # drawing the last good build did not have stays missing until the problem is fixed).
        good = {out.path: out for out in state.good.outputs} if state.good else {}
        for file, out in late:
            if out.path in good:
                _write_late(file, good[out.path].content)
        return
    for file, out in late:
        _write_late(file, out.content)
    # A build with problems (settings or files it could not use) never becomes the last good one.
    if state.candidate and not state.problems:
        state.good = state.candidate
    state.candidate = None


def _write_late(file: File, content: str | bytes) -> None:
    file.content_bytes = _bytes(content)
    file.copy_file()


def on_build_error(error) -> None:
    build.cancel()


def on_post_page(output: str, page, config) -> str:
    state.pages.append(page.file.abs_dest_path)
    words = page.meta.get("atlas_keywords")
    if words:
        state.keywords[page.url] = str(words)
    return output


def on_post_build(config) -> None:
    _write_drawings()
    site = Path(config.site_dir)
    _add_search_keywords(site / "search" / "search_index.json")
    warnings = logs.collected_warnings()
    _summary(len(state.problems) + len(warnings))
    if state.ctx is not None and not state.stale_told:
        line = freshness.summary(state.ctx)
        if line:
            log.info(line)
        # Once per session: the stale records are listed on their page, and every rebuild said the same.
        state.stale_told = state.serving
    if state.serving:
        problems = state.problems + warnings
        html_panel = preview.panel(problems, state.fallback) if problems else None
        # MkDocs has just written every page anew, with no panel in it; `--dirty` rewrites only the
        # changed ones, and the others may still show the panel of an earlier build.
        if state.dirty:
            preview.show(preview.pages_of(site), html_panel)
        elif html_panel:
            preview.show([Path(p) for p in state.pages] + [site / "404.html"], html_panel)
        if state.importing is None:
            # While the editor reads the first preview: the first save that changes a map or chart
            # then draws at once instead of importing the drawing libraries first.
            build.start_helper()
            state.importing = threading.Thread(target=build.import_drawing_libraries, daemon=True)
            state.importing.start()


def on_shutdown() -> None:
    """The end of `mkdocs serve` (or of a build): the preview's helper process stops with it."""
    cache.stop_helper()


def _summary(problems: int) -> None:
    """One line per build: records checked, pages built, time, and how many problems the panel lists."""
    seconds = time.perf_counter() - state.started
    line = f"atlas: {state.records} records checked, " if state.records else "atlas: "
    line += f"{len(state.pages)} pages built"
    if state.problems:
        line += " from the records that could be read" if state.good is None else " from the last good data"
    line += f" in {seconds:.2f} s"
    if problems:
        line += f"; {problems} problem{'s' if problems != 1 else ''} on the preview's panel"
    log.info(line)


def _add_search_keywords(index_file: Path) -> None:
    """Give each page's search keywords to the index as a field of their own, not as its text.

    The index is written with its text as UTF-8: the theme writes Hangul as six-byte \\u escapes,
    and every page fetches this one file (same JSON, about half the bytes).
    """
    if not index_file.is_file():
        return
    index = json.loads(index_file.read_text(encoding="utf-8"))
    if state.keywords:
        index["config"].setdefault("fields", {})[KEYWORD_FIELD] = {"boost": KEYWORD_BOOST}
        for doc in index["docs"]:
            words = state.keywords.get(doc["location"])
            if words:
                doc[KEYWORD_FIELD] = words
    index_file.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
