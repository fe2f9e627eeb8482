"""Shared fixtures: builds of the atlas in temporary folders, shared between tests, and one Chromium.

`scripts/test` runs lint and every test; `pytest -m "not browser"` all but the browser tests (about a
minute); `pytest -m "not browser and not slow"` the quick loop, which builds the real site only.

Conventions for new tests (a site build costs seconds, so tests share them):

- Read the real atlas from `real_site`, built once per session; never change its files, and do not
  build a copy of your own just to read it.
- A test that needs changed data or settings adds its change to a shared variant build: one function
  in `variants.py`, called by the variant's function there (`hostile`, `edited`, `flat`). The variants
  are `hostile_site` (hostile text in every record type and a few hostile records), `edited_site`
  (independent edits of data and settings) and `flat_site` (`use_directory_urls: false`, built for a
  public address); `national_site` holds synthetic data for the whole country. A test reads its expected values from the variant's own
  data (`site.root / "data"`) or from constants in `variants.py`, so that changes made for other tests
  cannot break it; what the variant's function returns is kept in `site.notes`.
- `rebuilt_site` is the real atlas built again in another folder and time zone: compare it with
  `real_site` for reproducibility instead of building twice.
- `in_process_build` is the real atlas built cold in the test process itself, through the hooks'
  events: the golden files come from it, and the cache tests copy its folder and cache.
- The shared builds that the selected tests use run as subprocesses in the background from the start of
  the session (no threads: see `SharedBuilds`), and the quick tests that need none of them run first;
  then the others, then the browser tests, each group in file order.
- Tests that read a shared build other than `real_site` are marked `slow` here (see
  `pytest_collection_modifyitems`). A test whose change cannot share a build (a build meant to fail, a
  server) builds its own copy with `project` and `run_build`, and is marked `@pytest.mark.slow` by hand
  when it takes more than a few seconds.
- Browser tests use the session's `browser` (Debian chromium) through `new_page(browser)` of
  `browser.py`, with `base_url` (the real site served) or `hostile_url`, and are marked
  `@pytest.mark.browser`: a test that uses the `browser` fixture without the mark is refused at
  collection, so `-m "not browser"` never starts Chromium.
"""

from __future__ import annotations

import contextlib
import gc
import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import variants
from seatlas import cache
from seatlas.cache import parallel

ROOT = Path(__file__).resolve().parent.parent
# The synthetic national data (atlas_synthetic) is a tool in scripts/, not part of the installed engine.
sys.path.insert(0, str(ROOT / "scripts"))


@dataclass
class Build:
    """The result of one `mkdocs build` run."""

    root: Path
    returncode: int
    output: str
    # What the changes of a variant build returned, by the name of the change.
    notes: dict = field(default_factory=dict)

    @property
    def site(self) -> Path:
        return self.root / "site"

    def html(self, path: str) -> str:
        """The built page at a site path such as 'districts/eunpyeong-gu/'."""
        target = self.site / path
        if path.endswith("/") or not path:
            target = target / "index.html"
        return target.read_text(encoding="utf-8")


def copy_project(dest: Path) -> Path:
    """A copy of what a build reads: mkdocs.yml, content/, data/ and the hook file."""
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(ROOT / "content", dest / "content")
    shutil.copytree(ROOT / "data", dest / "data")
    (dest / "hooks").mkdir()
    shutil.copy(ROOT / "hooks" / "atlas.py", dest / "hooks" / "atlas.py")
    return dest


# The environment of the session's start: in-process tests change os.environ (the glue sets
# SOURCE_DATE_EPOCH), and a build running in the background meanwhile must not take that up.
START_ENV = dict(os.environ)


def run_build(root: Path, *args: str, env: dict | None = None) -> Build:
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env={**START_ENV, **(env or {})},
        timeout=600,
    )
    return Build(root, proc.returncode, proc.stdout + proc.stderr)


# The shared builds: fixture name -> (the change in variants.py that makes the copy, extra environment).
SHARED_BUILDS = {
    "real_site": (None, {}),
    "rebuilt_site": (None, {"TZ": "Pacific/Kiritimati"}),
    "hostile_site": ("hostile", {}),
    "edited_site": ("edited", {}),
    "flat_site": ("flat", {"ATLAS_SITE_URL": "https://atlas.test/"}),
    "national_site": ("national", {}),
}


class SharedBuilds:
    """The shared builds as `mkdocs build` subprocesses in the background, as many at a time as there are cores.

    No thread is used: the engine draws in forked worker processes only when its process has a single thread,
    and the in-process tests must run it as `mkdocs build` does. Between tests the running builds are looked
    at, and the next ones started as these end.
    """

    def __init__(self, tmp_path_factory, names: list[str]):
        self.tmp_path_factory = tmp_path_factory
        self.waiting = list(names)
        self.running: dict[str, tuple[subprocess.Popen, Path, dict, Path]] = {}
        self.made: dict[str, Build | BaseException] = {}
        self.slots = os.cpu_count() or 2

    def _start(self, name: str) -> None:
        self.waiting.remove(name)
        change, env = SHARED_BUILDS[name]
        root = self.tmp_path_factory.mktemp(name.removesuffix("_site"))
        try:
            copy_project(root)
            notes = getattr(variants, change)(root) if change else {}
        except Exception as error:  # told to the tests that use this build, not to the one running now
            self.made[name] = error
            return
        log = root.parent / f"{root.name}.log"
        with log.open("w", encoding="utf-8") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "mkdocs", "build", "--strict"],
                cwd=root,
                stdout=out,
                stderr=subprocess.STDOUT,
                text=True,
                env={**START_ENV, **env},
            )
        self.running[name] = (proc, root, notes, log)

    def _finish(self, name: str) -> None:
        proc, root, notes, log = self.running.pop(name)
        proc.wait(timeout=600)
        self.made[name] = Build(root, proc.returncode, log.read_text(encoding="utf-8"), notes)

    def look(self) -> None:
        """Collect the builds that have ended and start the next ones."""
        for name, (proc, *_) in list(self.running.items()):
            if proc.poll() is not None:
                self._finish(name)
        while self.waiting and len(self.running) < self.slots:
            self._start(self.waiting[0])

    def get(self, name: str) -> Build:
        if name not in self.made and name not in self.running and name not in self.waiting:
            self.waiting.append(name)  # not asked for when the session started
        if name in self.waiting:
            self._start(name)
        if name in self.running:
            self._finish(name)
        self.look()
        made = self.made[name]
        if isinstance(made, BaseException):
            raise made
        assert made.returncode == 0, f"{name}:\n{made.output}"
        return made

    def stop(self) -> None:
        self.waiting.clear()
        for proc, *_ in self.running.values():
            proc.kill()
            proc.wait()
        self.running.clear()


_builds: SharedBuilds | None = None


@pytest.fixture(scope="session", autouse=True)
def _start_shared_builds(request, tmp_path_factory):
    """Start the shared builds that the selected tests use, in the order they need them, a few at a time.

    The builds run in the background while the tests that need none of them go on: a two-core machine
    builds and tests at once.
    """
    global _builds
    # A test's fixturenames include the fixtures its fixtures use (base_url: real_site).
    wanted = dict.fromkeys(n for item in request.session.items for n in item.fixturenames if n in SHARED_BUILDS)
    # The national build takes as long as several others together: it starts first.
    _builds = SharedBuilds(tmp_path_factory, sorted(wanted, key=lambda name: name != "national_site"))
    _builds.look()
    yield
    _builds.stop()
    _builds = None


@pytest.fixture(autouse=True)
def _process_state_as_found():
    """In-process builds change what the whole test process shares: the build date in os.environ
    (SOURCE_DATE_EPOCH) and objects frozen for the cycle collector. Each test leaves them as found."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    yield
    gc.unfreeze()
    if epoch is None:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    else:
        os.environ["SOURCE_DATE_EPOCH"] = epoch


def pytest_runtest_setup(item):
    if _builds is not None:
        _builds.look()


def shared_build(name: str) -> Build:
    """The shared build `name`: the one started in the background, or one made now."""
    return _builds.get(name)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh copy of the project to change and build."""
    return copy_project(tmp_path)


@pytest.fixture(scope="session")
def real_site() -> Build:
    """The real atlas, built once per test session."""
    return shared_build("real_site")


@pytest.fixture(scope="session")
def rebuilt_site() -> Build:
    """The real atlas built again in another folder, at another time and in another time zone."""
    return shared_build("rebuilt_site")


@pytest.fixture(scope="session")
def hostile_site() -> Build:
    """Hostile text in every plain text field of one record per type, and a few hostile records (variants.py)."""
    return shared_build("hostile_site")


@pytest.fixture(scope="session")
def edited_site() -> Build:
    """The real atlas with independent edits of its data and settings (variants.py)."""
    return shared_build("edited_site")


@pytest.fixture(scope="session")
def flat_site() -> Build:
    """The real atlas built for a public address, with `use_directory_urls: false` and other settings (variants.py)."""
    return shared_build("flat_site")


@pytest.fixture(scope="session")
def national_site() -> Build:
    """Synthetic data for every district of the country instead of the real data (variants.py)."""
    return shared_build("national_site")


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright, one for the whole session."""
    sync_api = pytest.importorskip("playwright.sync_api")
    from browser import launch

    with sync_api.sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.fixture(scope="session")
def base_url(real_site):
    """The real site served over http on 127.0.0.1."""
    from browser import serve

    with serve(real_site.site) as url:
        yield url


@pytest.fixture(scope="session")
def hostile_url(hostile_site):
    """The hostile site served over http on 127.0.0.1."""
    from browser import serve

    with serve(hostile_site.site) as url:
        yield url


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite tests/golden/ from a fresh build instead of comparing"
    )


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # A build other than the real site costs seconds: the tests that read one are slow by definition.
    extra_builds = set(SHARED_BUILDS) - {"real_site"}
    for item in items:
        if extra_builds & set(item.fixturenames):
            item.add_marker(pytest.mark.slow)
    # The quick tests that need no shared build run first, while the builds go on in the background; then the
    # others (servers and timings among them, once the builds are done); the browser tests last.
    items.sort(
        key=lambda item: (
            item.get_closest_marker("browser") is not None,
            bool(set(SHARED_BUILDS) & set(item.fixturenames)) or item.get_closest_marker("slow") is not None,
        )
    )
    unmarked = [
        item.nodeid for item in items if "browser" in item.fixturenames and not item.get_closest_marker("browser")
    ]
    if unmarked:
        raise pytest.UsageError(f"tests using the browser fixture must be marked @pytest.mark.browser: {unmarked}")


@contextlib.contextmanager
def server_thread():
    """A second thread, as `mkdocs serve` runs its server beside the builds: no forked workers then."""
    started, release = threading.Event(), threading.Event()
    thread = threading.Thread(target=lambda: started.set() or release.wait())
    thread.start()
    try:
        assert started.wait(10)
        yield
    finally:
        release.set()
        thread.join()


# Neither worker processes nor the preview's helper are started on one core or with ATLAS_JOBS=1.
two_processes = pytest.mark.skipif(parallel._limit() < 2, reason="one process only: one core or ATLAS_JOBS=1")


@dataclass
class InProcessBuild:
    root: Path
    files: dict[str, bytes]  # every file the hooks added, by site path
    in_workers: bool  # drawn in forked worker processes, as a plain `mkdocs build` draws


def generated_files(root: Path) -> dict[str, bytes]:
    """Every file the hooks add to a real MkDocs build of the project at root, by site path."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    config = load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site"))
    config = config.plugins.on_config(config)
    files = config.plugins.on_files(get_files(config), config=config)
    # The drawings made meanwhile are filled in by these two, the last ones written at the end.
    config.plugins.on_env(config.theme.get_env(), config=config, files=files)
    config.plugins.on_post_build(config=config)
    return {f.src_uri: f.content_bytes for f in files if f.generated_by is not None}


@pytest.fixture(scope="session")
def in_process_build(tmp_path_factory) -> InProcessBuild:
    """The real atlas built once, cold, in this process through the hooks' events as MkDocs calls them.

    test_golden compares its files with the expected output; the cache tests copy its project and
    the cache it left. Never change its folder: copy it.
    """
    root = copy_project(tmp_path_factory.mktemp("in_process"))
    saved = {k: os.environ.pop(k) for k in ("ATLAS_SITE_URL", "SOURCE_DATE_EPOCH") if k in os.environ}
    cwd = Path.cwd()
    try:
        os.chdir(root)
        in_workers = parallel.workers(30) >= 2
        return InProcessBuild(root, generated_files(root), in_workers)
    finally:
        os.chdir(cwd)
        os.environ.pop("SOURCE_DATE_EPOCH", None)
        os.environ.update(saved)
        # Later tests that use the cache without opening a project of their own keep it in memory,
        # never in the folder that others copy.
        cache.open_project(tmp_path_factory.mktemp("elsewhere"))


def wait_until_gone(pids: list[int], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not all(gone(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert all(gone(p) for p in pids), "a process outlived the one that started it"


def gone(pid: int) -> bool:
    """No such process, or only its exit status is left (a zombie)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except OSError:
        return True
    return "\nState:\tZ" in status


def tree(site: Path) -> dict[str, bytes]:
    """Every file of a built site, by its path in the site."""
    return {f.relative_to(site).as_posix(): f.read_bytes() for f in sorted(site.rglob("*")) if f.is_file()}
