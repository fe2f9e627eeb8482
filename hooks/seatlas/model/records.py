"""Reading the YAML data files, keeping the line of every record and key."""

from __future__ import annotations

import datetime as dt
import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import yaml_errors
from .schema import BY_NAME

# Room for a national data set (30,000 organisations with addresses is about 8 MB); a larger
# file is a mistake (an export pasted in, a binary) and would only make the editor wait.
MAX_FILE_BYTES = 16 * 1024 * 1024


class LinedMap(dict):
    """A YAML mapping that remembers where it and each of its keys stood."""

    line: int = 0
    key_lines: dict
    duplicate_keys: list

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LinedList(list):
    """A YAML sequence that remembers the line of each item."""

    line: int = 0
    item_lines: list


_STR = yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG

# libyaml's parser, when PyYAML was built with it, reads large files several times faster.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):
    """SafeLoader whose mappings and sequences carry line numbers (1-based)."""

    # Lines before the text this loader reads (a part of a file read item by item).
    line_offset = 0

    def _value(self, node):
        # Plain text, most of a data file, is taken as it is; everything else goes through PyYAML.
        if node.tag == _STR and node.__class__ is yaml.ScalarNode:
            return node.value
        return self.construct_object(node, deep=True)

    def construct_mapping(self, node, deep=False):
        offset = self.line_offset + 1
        result = LinedMap()
        result.line = node.start_mark.line + offset
        result.key_lines = {}
        result.duplicate_keys = []
        self.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = self._value(key_node)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping", node.start_mark, "found a key that is not text", key_node.start_mark
                ) from None
            if key in result:
                result.duplicate_keys.append((key, key_node.start_mark.line + offset))
            result[key] = self._value(value_node)
            result.key_lines[key] = key_node.start_mark.line + offset
        return result

    def construct_sequence(self, node, deep=False):
        offset = self.line_offset + 1
        result = LinedList(self._value(child) for child in node.value)
        result.line = node.start_mark.line + offset
        result.item_lines = [child.start_mark.line + offset for child in node.value]
        return result


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_sequence)


def _load(text: str, line_offset: int = 0) -> Any:
    loader = _Loader(text)
    loader.line_offset = line_offset
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


# A line that starts an item of a list written at the top of a file ("- id: ...", or "-" alone).
_ITEM_START = re.compile(r"-(?:[ \t]|$)")


def _load_by_items(text: str) -> LinedList | None:
    """A file that is one top-level list, read one item at a time; None if it is anything else.

    Equal to reading the whole file (values and lines), with a fraction of the memory: the
    parser's node tree of a large file is several times the size of the records. A line at
    the left margin can only start an item or hold a comment there, so the file is cut before
    each such item; anything else at the margin, and any item that does not read on its own
    (an alias to an anchor in another item, an unclosed quote), sends the caller back to
    reading the whole file, which also gives the usual error messages.
    """
    lines = text.splitlines(keepends=True)
    starts = []
    for number, line in enumerate(lines):
        if line[:1] in ("", " ", "\n", "\r", "#"):
            continue
        if not _ITEM_START.match(line):
            return None
        starts.append(number)
    if not starts:
        return None
    items = LinedList()
    items.item_lines = []
    for start, end in zip(starts, [*starts[1:], len(lines)], strict=True):
        try:
            part = _load("".join(lines[start:end]), start)
        except yaml.YAMLError:
            return None
        if not isinstance(part, LinedList) or len(part) != 1:
            return None
        items.append(part[0])
        items.item_lines.append(part.item_lines[0])
    items.line = starts[0] + 1
    return items


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Pause the cycle collector while records are read and checked.

    They are millions of objects without cycles (freed as usual when unused); collecting while
    they accumulate took twice as long as reading a national data set itself.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class ReadError(Exception):
    """A data file that cannot be read as YAML at all; `record` is the record the error is in, if known."""

    def __init__(self, line: int, message: str, record: str = ""):
        super().__init__(message)
        self.line = line
        self.message = message
        self.record = record


def read_yaml(path: Path) -> Any:
    """Parse one data file; raise ReadError with the line and a plain message."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ReadError(0, "file not found") from None
    except OSError as exc:
        raise ReadError(0, f"cannot read the file ({exc.strerror})") from None
    if len(raw) > MAX_FILE_BYTES:
        raise ReadError(0, f"file is {len(raw) / 1e6:.1f} MB, larger than the {MAX_FILE_BYTES // 2**20} MiB allowed")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ReadError(line, "the file is not UTF-8 text: save it with UTF-8 encoding") from None
    if "\x00" in text:
        raise ReadError(text[: text.index("\x00")].count("\n") + 1, "the file contains a NUL byte: it is not text")
    try:
        with no_cycle_collection():
            return _load_by_items(text) or _load(text)
    except yaml.MarkedYAMLError as exc:
        plain = yaml_errors.explain(exc, text)
        raise ReadError(plain.line, plain.message, plain.record) from None
    except yaml.YAMLError as exc:
        raise ReadError(0, f"YAML error: {exc}") from None


@dataclass
class Record:
    """One validated record: converted values plus where it came from."""

    record_type: str
    values: dict[str, Any]
    file: str
    line: int
    lines: dict[str, int] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.values["id"]

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def __contains__(self, key: str) -> bool:
        return key in self.values

    def __getattr__(self, name: str) -> Any:
        # Templates read optional fields as attributes; an absent one is None, a misspelt one an error.
        if name.startswith("_") or name in Record.__dataclass_fields__ or BY_NAME[self.record_type].field(name) is None:
            raise AttributeError(name)
        return self.values.get(name)


class GroupValue(dict):
    """The converted value of a nested group: its absent optional fields read as None."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return self.get(name)


# Record types that state facts about the social economy; districts carry the date of the boundary
# data and coordinates the day they were looked up, so neither dates the atlas.
FACT_KINDS = ("centers", "clusters", "organisations", "gsef", "history", "figures")


@dataclass
class Atlas:
    """All records of a data folder, by type and id."""

    by_type: dict[str, list[Record]]

    def __post_init__(self) -> None:
        self._index = {(kind, r.id): r for kind, recs in self.by_type.items() for r in recs}
        self._by_district: dict[str, dict[str, list[Record]]] = {}

    def all(self, kind: str) -> list[Record]:
        return self.by_type.get(kind, [])

    def get(self, kind: str, record_id: str) -> Record | None:
        return self._index.get((kind, record_id))

    def __iter__(self) -> Iterator[Record]:
        for recs in self.by_type.values():
            yield from recs

    def data_date(self) -> dt.date | None:
        """The date of the data: the newest `as_of` among the facts (one date for every page that gives it)."""
        return max((r["as_of"] for kind in FACT_KINDS for r in self.all(kind) if r.get("as_of")), default=None)

    def in_district(self, kind: str, code: str) -> list[Record]:
        """Records of one type that concern a district, in file order."""
        if kind not in self._by_district:
            index: dict[str, list[Record]] = {}
            for r in self.all(kind):
                codes = {r.get("district"), *r.get("districts", ())} - {None}
                for c in sorted(codes):
                    index.setdefault(c, []).append(r)
            self._by_district[kind] = index
        return self._by_district[kind].get(code, [])
