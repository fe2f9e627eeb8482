"""Loading a data folder: records, every problem in them, and the boundary checks of their places."""

from __future__ import annotations

from pathlib import Path

from .. import cache
from . import geography, validation
from .records import Atlas


def data_fingerprint(data_dir: Path) -> str:
    """sha256 of the name and of every file of a data folder: what the records are read from."""
    files = [p for p in data_dir.rglob("*") if p.is_file()]
    return cache.fingerprints.fingerprint([data_dir.name, cache.fingerprints.files_fingerprint(files, data_dir)])


def load_data(
    data_dir: Path, extra_checks: tuple[validation.ExtraCheck, ...] = (), fingerprint: str | None = None
) -> tuple[Atlas, list[validation.Problem]]:
    """Records of a data folder and every problem in them, boundary checks included.

    Layers above add their own checks (render.paths.PAGE_CHECKS: each district page needs its own address).
    Data that passed every check is kept in the project's cache, keyed by the bytes of every file in
    the folder (`fingerprint`, when the caller has it already) and the checks: a national data set
    is read and checked once, not on every build.
    """
    checks = (geography.check_places, *extra_checks)
    fp = cache.fingerprints
    inputs = {
        "data": fingerprint or data_fingerprint(data_dir),
        "checks": fp.fingerprint([f"{c.__module__}.{c.__qualname__}" for c in checks]),
        "engine": fp.engine(),
        "libraries": fp.libraries(),
    }
    return cache.store().pickled(
        "data",
        f"{data_dir.name}/",
        inputs,
        lambda: validation.load(data_dir, extra_checks=checks),
        keep=lambda loaded: not loaded[1],
    )
