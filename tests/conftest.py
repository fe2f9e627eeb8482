"""Shared fixtures: real builds of the atlas in temporary folders."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The synthetic national data (atlas_synthetic) is a tool in scripts/, not part of the installed engine.
sys.path.insert(0, str(ROOT / "scripts"))


@dataclass
class Build:
    """The result of one `mkdocs build` run."""

    root: Path
    returncode: int
    output: str

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


def run_build(root: Path, *args: str, env: dict | None = None) -> Build:
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=600,
    )
    return Build(root, proc.returncode, proc.stdout + proc.stderr)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh copy of the project to change and build."""
    return copy_project(tmp_path)


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Build:
    """The real atlas, built once per test session."""
    root = copy_project(tmp_path_factory.mktemp("real"))
    result = run_build(root)
    assert result.returncode == 0, result.output
    return result


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium driven by Playwright, one per test module."""
    sync_api = pytest.importorskip("playwright.sync_api")
    from browser import launch

    with sync_api.sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.fixture(scope="module")
def base_url(real_site):
    """The real site served over http on 127.0.0.1."""
    from browser import serve

    with serve(real_site.site) as url:
        yield url


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite tests/golden/ from a fresh build instead of comparing"
    )
