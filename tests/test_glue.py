"""The MkDocs glue: typed settings with located messages, one process building many times (as
`mkdocs serve` does), and every failure an editor can cause told as a located message."""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
from functools import partial
from pathlib import Path

import pytest
from conftest import ROOT, run_build, server_thread, two_processes, wait_until_gone
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from seatlas import cache
from seatlas.glue import events as mkdocs_events
from seatlas.glue import logs
from seatlas.render.context import Output
from seatlas.site import build

OPTIONS_AT = "\n  atlas:\n"


def set_atlas_options(project: Path, *lines: str) -> int:
    """Add lines under extra.atlas in the project's mkdocs.yml; returns the line number of the first."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    for ln in lines:  # a setting given again replaces the one already there
        text = re.sub(rf"\n    {ln.split(':')[0]}:.*\n", "\n", text)
    assert text.count(OPTIONS_AT) == 1
    before = text[: text.index(OPTIONS_AT) + len(OPTIONS_AT)]
    config.write_text(text.replace(OPTIONS_AT, OPTIONS_AT + "".join(f"    {ln}\n" for ln in lines)), encoding="utf-8")
    return before.count("\n") + 1


@pytest.fixture
def in_process(monkeypatch, project):
    """Run the glue's events in this process on a project copy, building nothing heavy."""
    monkeypatch.chdir(project)
    monkeypatch.setattr(mkdocs_events, "state", mkdocs_events.State())
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.delenv("ATLAS_SITE_URL", raising=False)
    # A preview's helper process is started only by the tests that look at it.
    monkeypatch.setattr(build, "start_helper", lambda: None)
    yield project
    cache.stop_helper(wait=True)
    # A serve build leaves its warning collector and quiet filters on MkDocs' loggers; take them off.
    logs.collected_warnings()
    for name in logs.QUIET_LOGGERS:
        logger = logging.getLogger(name)
        for f in [f for f in logger.filters if isinstance(f, logs.Quiet)]:
            logger.removeFilter(f)


def configure(project: Path):
    return load_config(str(project / "mkdocs.yml"))


def test_a_wrong_date_setting_is_a_located_message_not_a_traceback(project):
    line = set_atlas_options(project, 'today: "2024-13-01"')
    result = run_build(project)
    assert result.returncode == 1
    assert "Traceback" not in result.output
    assert f"mkdocs.yml:{line}: extra.atlas.today: '2024-13-01' is not a real date (month must be in 1..12)" in (
        result.output
    )


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("data_dir: dat", "extra.atlas.data_dir: the folder 'dat' does not exist next to mkdocs.yml"),
        ("tiles_url: tile.example.org/{z}/{x}/{y}.png", "extra.atlas.tiles_url: The URL isn't valid"),
        ("embed_base_url: atlas", "extra.atlas.embed_base_url: The URL isn't valid"),
        ("stale_after_days: soon", "extra.atlas.stale_after_days: Expected type: <class 'int'>"),
    ],
)
def test_every_setting_is_checked_with_its_line(in_process, setting, message):
    line = set_atlas_options(in_process, setting)
    with pytest.raises(PluginError) as failed:
        mkdocs_events.on_config(configure(in_process))
    assert str(failed.value).startswith(f"mkdocs.yml:{line}: {message}")


@pytest.mark.slow
def test_an_unknown_setting_is_a_located_warning_that_fails_a_strict_build(project):
    line = set_atlas_options(project, "tiles_maxzoom: 17")
    result = run_build(project)
    assert result.returncode == 1
    assert re.search(
        rf"WARNING\s+-\s+mkdocs\.yml:{line}: extra\.atlas\.tiles_maxzoom: Unrecognised configuration name",
        result.output,
    ), result.output


def test_source_date_epoch_follows_the_data_on_every_build_of_one_process(in_process, monkeypatch):
    # `mkdocs serve` builds many times in one process; the sitemap date must follow the data each time.
    monkeypatch.setattr(build, "generators", list)
    mkdocs_events.on_config(configure(in_process))
    first = os.environ["SOURCE_DATE_EPOCH"]
    history = in_process / "data" / "history.yml"
    newest = max(re.findall(r"as_of: (\d{4}-\d\d-\d\d)", (in_process / "data" / "districts.yml").read_text()))
    later = f"{int(newest[:4]) + 1}{newest[4:]}"
    text = history.read_text(encoding="utf-8")
    history.write_text(text.replace("as_of: ", f"as_of: {later}  # ", 1), encoding="utf-8")
    mkdocs_events.on_config(configure(in_process))
    second = os.environ["SOURCE_DATE_EPOCH"]
    assert int(second) > int(first)
    # A value set by the caller is left alone.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    mkdocs_events.on_config(configure(in_process))
    assert os.environ["SOURCE_DATE_EPOCH"] == "86400"


def test_a_generator_value_error_is_a_message_not_a_traceback(in_process, monkeypatch):
    def broken(ctx):
        raise ValueError("data/districts.yml:5: record 11380: slug: 'x' is taken")

    monkeypatch.setattr(build, "generators", lambda: [broken])
    with pytest.raises(PluginError) as failed:
        mkdocs_events.on_config(configure(in_process))
    assert str(failed.value) == (
        "a page could not be made from the data: data/districts.yml:5: record 11380: slug: 'x' is taken"
    )


def test_serve_keeps_the_last_good_pages_when_a_generator_fails(in_process, monkeypatch):
    mkdocs_events.on_startup(command="serve", dirty=False)
    outputs = [Output("probe.md", "# probe\n")]
    monkeypatch.setattr(build, "generators", lambda: [lambda ctx: outputs])
    config = mkdocs_events.on_config(configure(in_process))
    assert mkdocs_events.state.problems == []
    mkdocs_events.on_post_build(config)  # a build is good once all of it is made

    def broken(ctx):
        raise ValueError("two generators produced probe.md")

    monkeypatch.setattr(build, "generators", lambda: [broken])
    mkdocs_events.on_config(configure(in_process))
    assert mkdocs_events.state.outputs == outputs
    assert mkdocs_events.state.problems == ["a page could not be made from the data: two generators produced probe.md"]


def test_serve_reports_a_drawing_that_fails_and_keeps_the_last_good_pages(in_process, monkeypatch):
    mkdocs_events.on_startup(command="serve", dirty=False)
    outputs = [Output("probe.md", "# probe\n")]
    monkeypatch.setattr(build, "generators", lambda: [lambda ctx: outputs])
    config = mkdocs_events.on_config(configure(in_process))
    mkdocs_events.on_post_build(config)

    def drawing_fails(ctx):
        # Two drawings, made in worker processes while the build goes on; each raises there.
        return [Output(f"maps/{n}.png", cache.store().later(f"maps/{n}.png", partial(int, "x"))) for n in (1, 2)]

    monkeypatch.setattr(build, "generators", lambda: [drawing_fails])
    config = mkdocs_events.on_config(configure(in_process))
    assert mkdocs_events.state.problems == []  # nothing has failed yet: the drawings are being made
    mkdocs_events.on_post_build(config)
    assert mkdocs_events.state.problems == [
        "a map or chart could not be drawn from the data: invalid literal for int() with base 10: 'x'"
    ]
    assert mkdocs_events.state.good.outputs == outputs


@pytest.mark.slow
@two_processes
def test_serve_shows_the_last_good_chart_when_its_helper_cannot_draw_the_new_one(in_process, monkeypatch, tmp_path):
    from mkdocs.commands.build import build as mkdocs_build
    from seatlas.cache import parallel

    mkdocs_events.on_startup(command="serve", dirty=False)
    monkeypatch.setattr(build, "start_helper", lambda: cache.start_helper(["json"]))
    make = {"good": partial(str, "<svg>good</svg>"), "bad": partial(int, "x")}
    drawn = "good"

    def chart(ctx):
        jobs = [("charts/probe.svg", {"drawn": drawn}, make[drawn])]
        return [Output("charts/probe.svg", cache.store().files("charts", jobs, text=True, portable=True)[0])]

    def serve_build():
        mkdocs_build(load_config(str(in_process / "mkdocs.yml"), site_dir=str(tmp_path / "site")))

    monkeypatch.setattr(build, "generators", lambda: [chart])
    with server_thread():
        serve_build()  # drawn here: the helper starts after the first build
        parallel._helper.pid(timeout=60)
        drawn = "bad"
        serve_build()  # drawn by the helper, which fails once MkDocs has written the pages
    assert mkdocs_events.state.problems == [
        "a map or chart could not be drawn from the data: invalid literal for int() with base 10: 'x'"
    ]
    assert (tmp_path / "site" / "charts" / "probe.svg").read_text(encoding="utf-8") == "<svg>good</svg>"


@pytest.mark.slow
def test_serve_dirty_takes_the_panel_off_the_pages_it_did_not_rewrite(in_process, tmp_path):
    from mkdocs.commands.build import build as mkdocs_build

    mkdocs_events.on_startup(command="serve", dirty=True)
    site = tmp_path / "site"
    clusters = in_process / "data" / "clusters.yml"
    good = clusters.read_text(encoding="utf-8")

    def serve_build(dirty: bool) -> set[str]:
        mkdocs_build(load_config(str(in_process / "mkdocs.yml"), site_dir=str(site)), dirty=dirty)
        pages = [p for p in site.rglob("*.html") if b'id="atlas-problems"' in p.read_bytes()]
        return {p.relative_to(site).as_posix() for p in pages}

    assert serve_build(dirty=False) == set()
    clusters.write_text(good.replace("tenant_count: 21", "tenant_count: 2,1", 1), encoding="utf-8")
    # The hand-written guide is not rewritten by a dirty build: the panel is put into it all the same.
    assert "guide/index.html" in serve_build(dirty=True)
    clusters.write_text(good, encoding="utf-8")
    assert serve_build(dirty=True) == set()  # and taken out of it; MkDocs' note on dirty builds is no problem


@pytest.mark.slow
def test_serve_rebuilds_do_not_keep_the_garbage_of_earlier_builds(in_process, tmp_path):
    import gc

    from mkdocs.commands.build import build as mkdocs_build

    mkdocs_events.on_startup(command="serve", dirty=False)
    guide = in_process / "content" / "guide.md"
    kept = []
    try:
        for i in range(5):
            guide.write_text(guide.read_text(encoding="utf-8") + f"\n편집 {i}\n", encoding="utf-8")
            mkdocs_build(load_config(str(in_process / "mkdocs.yml"), site_dir=str(tmp_path / "site")))
            kept.append(gc.get_freeze_count())  # what the rebuild holds while it runs
    finally:
        gc.unfreeze()
    # The first rebuilds import what the later ones reuse; from then on, an edit holds no more
    # (the garbage kept by each rebuild was about 4,700 objects and 6 MB).
    assert abs(kept[4] - kept[2]) < 500, kept


@pytest.mark.slow
@two_processes
def test_a_preview_imports_the_drawing_libraries_after_its_first_build(real_site, tmp_path):
    # A copy of the built project with its cache: the first build draws nothing and imports nothing.
    root = tmp_path / "warm"
    shutil.copytree(real_site.root, root, ignore=shutil.ignore_patterns("site"))
    probe = (
        "import sys; from mkdocs.config import load_config; from mkdocs.commands.build import build;"
        "from seatlas.glue import events; events.on_startup('serve', False);"
        "build(load_config('mkdocs.yml', site_dir='site')); before = 'matplotlib' in sys.modules;"
        "events.state.importing.join();"
        "print(before, all(m in sys.modules for m in ('matplotlib.figure', 'folium', 'shapely')));"
        # The charts are drawn by the preview's helper process, which imports what they need.
        "from seatlas.cache import parallel; print(*parallel._helper.imported(60))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=root, capture_output=True, text=True, check=True, timeout=300
    )
    assert out.stdout.split() == ["False", "True", *build.CHART_MODULES], out.stdout + out.stderr


def test_the_preview_looks_for_saved_files_every_tenth_of_a_second(project):
    from mkdocs.livereload import LiveReloadServer

    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(project / "site"))
    try:
        # What MkDocs watches before on_serve, then what it watches after (config.watch: data/).
        server.watch(str(project / "content"))
        server.watch(str(project / "content"))  # asked for twice (by a plugin): kept until unwatched twice
        server.watch(str(project / "mkdocs.yml"))
        before = sorted(e.watch.path for e in server.observer.emitters)
        counts = dict(server._watched_paths)
        mkdocs_events.on_serve(server, configure(project), builder=None)
        server.watch(str(project / "data"))
        emitters = server.observer.emitters
        assert sorted(e.watch.path for e in emitters) == sorted([*before, str(project / "data")])
        assert {e.timeout for e in emitters} == {server.observer.timeout} == {mkdocs_events.POLL_S} == {0.1}
        assert server._watched_paths == {**counts, str(project / "data"): 1}
    finally:
        server.server_close()


def test_a_preview_watching_the_theme_keeps_mkdocs_pace(project):
    from mkdocs.livereload import LiveReloadServer

    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(project / "site"))
    try:
        config = configure(project)
        server.watch(str(project / "content"))
        for folder in config.theme.dirs:  # `mkdocs serve --watch-theme`
            server.watch(folder)
        observer = server.observer
        mkdocs_events.on_serve(server, config, builder=None)
        assert server.observer is observer and observer.timeout == 0.5
    finally:
        server.server_close()


@two_processes
def test_the_end_of_a_preview_stops_its_helper(in_process):
    helper = cache.start_helper(["json"])
    pid = helper.pid(timeout=60)
    mkdocs_events.on_shutdown()
    assert cache.parallel._helper is None
    wait_until_gone([pid])


def test_the_engine_is_not_watched_and_the_guide_says_to_restart():
    # MkDocs rebuilds on a change but never re-imports modules: a watched engine would rebuild with old code.
    config = load_config(str(ROOT / "mkdocs.yml"))
    engine = (ROOT / "hooks").resolve()
    watched = [Path(p).resolve() for p in config.watch]
    assert not [p for p in watched if p == engine or engine in p.parents or p in engine.parents]
    guide = (ROOT / "content" / "guide.md").read_text(encoding="utf-8")
    assert "mkdocs serve`를 다시 시작" in guide


def test_publishing_without_an_address_warns_but_local_builds_pass(real_site, flat_site):
    # The real site is built without ATLAS_SITE_URL, the flat site with one (conftest.SHARED_BUILDS).
    assert real_site.returncode == 0, real_site.output
    assert "atlas: site_url is the placeholder https://atlas.example.org/" in real_site.output
    assert "ATLAS_SITE_URL=https://your.host/" in real_site.output
    assert flat_site.returncode == 0
    assert "site_url is" not in flat_site.output
