"""Generated artefacts kept on disk between builds, under `.cache/plugin/atlas/` at the project root.

PNG maps, SVG charts, map views, the boundary index and the checked data are slow to make and
rarely change. Each is stored under a key made from fingerprints of everything it is drawn from
(its data, the settings, the fonts, the engine's own files and the libraries that draw it), so
an entry is found again only while all of these are unchanged, and a build gives the same bytes
whether the cache was warm, cold or deleted. `manifest.json` lists the entries of the last build
with the fingerprints of their inputs; entries a build no longer uses are removed at its end.
Writes are atomic (a temporary file renamed into place), and any entry that cannot be read is
made again.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import pickle
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from .fingerprints import engine, fingerprint, fonts, libraries, settings_fingerprint
from .parallel import Started, start_all

log = logging.getLogger("mkdocs.hooks.atlas")
T = TypeVar("T")

CACHE_DIR = Path(".cache") / "plugin" / "atlas"
MANIFEST = "manifest.json"
# Bumped when the layout of the cache changes; part of every key.
FORMAT = 1


def kept(generator: Callable) -> Callable:
    """A generator whose whole output is kept for equal data, settings, fonts and engine.

    Only for generators that read nothing but their Context and the engine's own files, and
    whose only effect is their output (a generator that logs a summary is left out).
    """
    name = f"{generator.__module__}.{generator.__qualname__}"

    @functools.wraps(generator)
    def generate(ctx):
        data = ctx.extra.get("data")
        if data is None:  # a Context made by hand, without the fingerprint of its data folder
            return generator(ctx)
        inputs = {
            "generator": fingerprint(name),
            "data": data,
            "settings": settings_fingerprint(ctx),
            "fonts": fonts(),
            "engine": engine(),
            "libraries": libraries(),
        }
        return store().pickled("outputs", name, inputs, lambda: list(generator(ctx)))

    return generate


# -- the store ----------------------------------------------------------------------------

MEMORY_LIMIT = 512  # entries kept by a store without a folder


@dataclass
class Store:
    """Entries of one project's cache; `root` None keeps them in memory only (tools, some tests)."""

    root: Path | None
    memory: dict[str, bytes] = field(default_factory=dict)
    # What this build used (entry file -> manifest record), and the names it reused or had to make.
    used: dict[str, dict] = field(default_factory=dict)
    reused: list[str] = field(default_factory=list)
    made: list[str] = field(default_factory=list)
    # The names the last finished build reused and made.
    last: tuple[list[str], list[str]] = ([], [])
    # Values decoded once per process (the boundary index), by entry.
    decoded: dict[str, Any] = field(default_factory=dict)
    previous: dict[str, dict] = field(default_factory=dict)
    # Drawings asked for with later=True and not started yet; those being made; what to keep once they are.
    queued: list[_Job] = field(default_factory=list)
    running: tuple[list[_Job], Started] | None = None
    after: list[Callable[[], None]] = field(default_factory=list)
    # The build asked for all it needs (close): finish once the drawings are made.
    closing: bool = False

    def __post_init__(self) -> None:
        if self.root is None:
            return
        try:
            manifest = json.loads((self.root / MANIFEST).read_text(encoding="utf-8"))
            if manifest.get("format") == FORMAT:
                self.previous = dict(manifest.get("entries", {}))
        except (OSError, ValueError, AttributeError):
            self.previous = {}

    def start(self) -> None:
        """Begin a build: nothing used yet, nothing left of a build that stopped half-way."""
        self.cancel()
        self.used, self.reused, self.made = {}, [], []

    # -- raw entries ------------------------------------------------------------------

    def _entry(self, namespace: str, inputs: dict[str, str], suffix: str) -> str:
        return _entry_name(namespace, tuple(sorted(inputs.items())), suffix)

    def _read(self, entry: str) -> bytes | None:
        if self.root is None:
            return self.memory.get(entry)
        try:
            return (self.root / entry).read_bytes()
        except OSError:
            return None

    def _write(self, entry: str, content: bytes) -> None:
        if self.root is None:
            self.memory[entry] = content
            while len(self.memory) > MEMORY_LIMIT:
                self.memory.pop(next(iter(self.memory)))
            return
        _write_atomically(self.root / entry, content)

    def fetch(
        self,
        namespace: str,
        name: str,
        inputs: dict[str, str],
        make: Callable[[], T],
        suffix: str,
        encode: Callable[[T], bytes],
        decode: Callable[[bytes], T],
        keep: Callable[[T], bool] = lambda _value: True,
    ) -> T:
        """The value stored for these inputs, or make() it and store it (when keep() says so).

        `name` says what the entry is (a site path) in the manifest and the log. While drawings are
        being made, a value is stored once they are done: it may hold their Pending contents.
        """
        entry = self._entry(namespace, inputs, suffix)
        found = self._lookup(entry, name, inputs, decode)
        if found:
            return found[0]
        value = make()
        if keep(value):
            if self.queued or self.running:
                self.after.append(lambda: self._keep(entry, name, inputs, encode(value)))
            else:
                self._keep(entry, name, inputs, encode(value))
        return value

    def _lookup(self, entry: str, name: str, inputs: dict[str, str], decode: Callable[[bytes], T]) -> tuple[T] | tuple:
        """(value,) when the entry is stored and reads back, else ()."""
        content = self._read(entry)
        if content is None:
            return ()
        try:
            value = decode(content)
        except Exception:  # noqa: BLE001 - a damaged entry is made again
            log.debug("atlas cache: %s could not be read back; making it again", entry)
            return ()
        self.reused.append(name)
        self.used[entry] = {"name": name, "inputs": inputs}
        return (value,)

    def _keep(self, entry: str, name: str, inputs: dict[str, str], content: bytes) -> None:
        self._write(entry, content)
        self.made.append(name)
        self.used[entry] = {"name": name, "inputs": inputs}
        self._explain(name, inputs)

    def files(
        self,
        namespace: str,
        jobs: list[tuple[str, dict[str, str], Callable[[], T]]],
        text: bool,
        portable: bool = False,
        library: str | None = None,
    ) -> list[T | Pending]:
        """The stored values of many (name, inputs, make) jobs, in the jobs' order.

        What is not stored is queued: its value is a Pending until draw() and wait() have made it,
        in worker processes while the build goes on when that is safe (see `start_all`).
        `portable`: each make is a module-level function of plain data only (no Context), so a
        process that shares nothing with this one may make it (the preview's helper).
        `library`: what the makes draw with (else the namespace); a worker process is given the makes
        of one library together while they are few, so that it imports the library once.
        """
        encode, decode = (str.encode, bytes.decode) if text else (bytes, bytes)
        entries = [self._entry(namespace, inputs, Path(name).suffix) for name, inputs, _ in jobs]
        values: list = []
        for (name, inputs, make), entry in zip(jobs, entries, strict=True):
            found = self._lookup(entry, name, inputs, decode)
            if found:
                values.append(found[0])
            else:
                values.append(Pending(name))
                self.queued.append(_Job(values[-1], entry, name, inputs, make, encode, library or namespace, portable))
        return values

    def _explain(self, name: str, inputs: dict[str, str]) -> None:
        if not log.isEnabledFor(logging.DEBUG):  # (mkdocs build -v) a walk of the whole manifest per entry
            return
        before = next((e["inputs"] for e in self.previous.values() if e.get("name") == name), None)
        if before is not None:
            changed = sorted(k for k in inputs.keys() | before.keys() if inputs.get(k) != before.get(k))
            log.debug("atlas cache: %s made again (changed: %s)", name, ", ".join(changed))

    # -- typed entries ----------------------------------------------------------------

    def json(self, namespace: str, name: str, inputs: dict[str, str], make: Callable[[], Any]) -> Any:
        """A JSON value, decoded once per process for equal inputs."""
        entry = self._entry(namespace, inputs, ".json")
        if entry in self.decoded:
            self.used[entry] = {"name": name, "inputs": inputs}
            return self.decoded[entry]
        value = self.fetch(namespace, name, inputs, make, ".json", _json_bytes, json.loads)
        # The value made and the value read back must be the same data: use the read-back form.
        value = json.loads(_json_bytes(value))
        self.decoded[entry] = value
        return value

    def pickled(
        self,
        namespace: str,
        name: str,
        inputs: dict[str, str],
        make: Callable[[], T],
        keep: Callable[[T], bool] = lambda _value: True,
    ) -> T:
        """A Python value kept with pickle: only ever read back by this engine from the project's own cache."""
        return self.fetch(namespace, name, inputs, make, ".pickle", _pickle, pickle.loads, keep)

    # -- drawings made while the build goes on ------------------------------------------

    def later(self, name: str, make: Callable[[], T]) -> Pending:
        """make() queued with the drawings, not stored: for files cheap to make but many (downloads)."""
        pending = Pending(name)
        self.queued.append(_Job(pending, None, name, {}, make, bytes, "later"))
        return pending

    def draw(self) -> None:
        """Start making the queued drawings (in worker processes when `workers` allows)."""
        jobs, self.queued = self.queued, []
        if jobs:
            if self.running:
                self._collect()
            started = start_all([job.make for job in jobs], [job.kind for job in jobs], [job.portable for job in jobs])
            self.running = (jobs, started)
            # What was made here and now is ready before MkDocs lists the files.
            for i, value in started.here.items():
                jobs[i].pending.fill(value)
            if started.ready:
                self._collect()

    def _collect(self) -> None:
        (jobs, started), self.running = self.running, None
        for job, value in zip(jobs, started(), strict=True):
            job.pending.fill(value)
            if job.entry is not None:
                self._keep(job.entry, job.name, job.inputs, job.encode(value))

    def wait(self) -> None:
        """Make what is queued, wait for the drawings being made, store them and fill in their Pendings."""
        self.draw()
        if self.running:
            self._collect()
        after, self.after = self.after, []
        for keep in after:
            keep()
        if self.closing:
            self.finish()

    def close(self) -> None:
        """The build will ask for nothing more: start what is queued, and finish now or once wait()
        has made the drawings."""
        self.draw()
        self.closing = True
        if not self.running:
            self.wait()

    def cancel(self) -> None:
        """Give up the drawings of a build that failed."""
        self.queued, self.after, self.closing = [], [], False
        if self.running:
            (_jobs, started), self.running = self.running, None
            started.cancel()

    # -- end of a build ---------------------------------------------------------------

    def finish(self) -> None:
        """Write the manifest of this build and remove entries of its namespaces that it no longer uses."""
        namespaces = {entry.split("/", 1)[0] for entry in self.used}
        # A namespace this build did not touch (an index decoded once per process) keeps its entries.
        kept = {e: rec for e, rec in self.previous.items() if e.split("/", 1)[0] not in namespaces}
        entries = dict(sorted({**kept, **self.used}.items()))
        # DEBUG (mkdocs build -v): the glue prints one summary line per build.
        log.debug("atlas: %d generated files reused from .cache, %d made", len(self.reused), len(self.made))
        if self.root is not None:
            for namespace in sorted(namespaces):
                for path in (self.root / namespace).glob("*"):
                    if f"{namespace}/{path.name}" not in entries and not path.name.startswith("."):
                        path.unlink(missing_ok=True)
            manifest = {"format": FORMAT, "engine": engine(), "libraries": libraries(), "entries": entries}
            _write_atomically(self.root / MANIFEST, _json_bytes(manifest, indent=1))
            tag = self.root.parent.parent / "CACHEDIR.TAG"
            if not tag.exists():
                _write_atomically(tag, CACHEDIR_TAG)
        self.previous = entries
        self.last = (self.reused, self.made)
        self.start()


@functools.lru_cache(maxsize=4096)
def _entry_name(namespace: str, inputs: tuple[tuple[str, str], ...], suffix: str) -> str:
    # Cached: the boundary index is asked for once per place checked, tens of thousands of times.
    key = fingerprint({"format": FORMAT, "namespace": namespace, "inputs": dict(inputs)})
    return f"{namespace}/{key}{suffix}"


class Pending:
    """A drawing still being made: its value once the store's wait() has run."""

    __slots__ = ("name", "_value", "_done")

    def __init__(self, name: str):
        self.name = name
        self._value: Any = None
        self._done = False

    def fill(self, value: Any) -> None:
        self._value, self._done = value, True

    def get(self) -> Any:
        """The value, waiting for the drawings of the current build when needed."""
        if not self._done:
            store().wait()
        if not self._done:
            raise RuntimeError(f"{self.name} was never drawn")
        return self._value

    @property
    def done(self) -> bool:
        return self._done

    def __reduce__(self):
        # Kept (pickled) as its value: an entry never holds a drawing that is not there.
        return (_same, (self.get(),))


def _same(value: Any) -> Any:
    return value


@dataclass
class _Job:
    pending: Pending
    entry: str | None
    name: str
    inputs: dict[str, str]
    make: Callable[[], Any]
    encode: Callable[[Any], bytes]
    kind: str = ""
    portable: bool = False


# Tells backup and archiving tools that the folder holds only a cache.
CACHEDIR_TAG = b"Signature: 8a477f597d28d172789f06886806bc55\n# Made by the atlas build; safe to delete.\n"


def _json_bytes(value: Any, indent: int | None = None) -> bytes:
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, indent=indent) + "\n").encode("utf-8")


def _pickle(value: Any) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _write_atomically(target: Path, content: bytes) -> None:
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(content)
        os.replace(tmp, target)  # readers see the whole old entry or the whole new one, never a part
    except OSError as exc:
        log.debug("atlas cache: cannot write %s (%s)", target, exc)
        tmp.unlink(missing_ok=True)


_store = Store(None)


def open_project(project_root: Path) -> Store:
    """Use the cache of the project whose mkdocs.yml is in project_root, kept between rebuilds."""
    global _store
    root = (project_root / CACHE_DIR).resolve()
    if _store.root != root:
        _store = Store(root)
    _store.start()
    return _store


def store() -> Store:
    """The cache of the current build."""
    return _store
