"""Checking every data file against the schema; all problems are collected, none raised."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .records import Atlas, GroupValue, LinedList, LinedMap, ReadError, Record, no_cycle_collection, read_yaml
from .schema import RECORD_TYPES, Field, RecordType
from .types import Group, Invalid, ListOf, Ref


@dataclass(frozen=True, order=True)
class Problem:
    """One thing an editor must fix, located as precisely as the data allows."""

    file: str
    line: int
    record: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        parts = [where]
        if self.record:
            parts.append(f"record {self.record}")
        if self.field:
            parts.append(self.field)
        parts.append(self.message)
        return ": ".join(parts)


@dataclass
class _Pending:
    """A reference to check once every file is read."""

    kinds: tuple[str, ...]
    value: str
    file: str
    line: int
    record: str
    field: str


class Report:
    """The problems found, plus the references still to resolve."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.refs: list[_Pending] = []
        # Ids of records that have problems of their own: references to them are not reported again.
        self.flawed_ids: set[tuple[str, str]] = set()
        # Record types whose file could not be read: references into them wait until it can be.
        self.unreadable: set[str] = set()
        # District codes by name, to suggest the code when a name is written instead.
        self.district_codes: dict[str, list[tuple[str, str]]] = {}

    def add(self, file: str, line: int, record: str, field: str, message: str) -> None:
        self.problems.append(Problem(file, line, record, field, message))


def _record_label(item: LinedMap, index: int) -> str:
    value = item.get("id")
    return str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else f"#{index + 1}"


def _check_fields(
    fields: tuple[Field, ...], item: LinedMap, where: tuple[str, str], prefix: str, report: Report
) -> dict[str, Any]:
    """Check one mapping against its fields; return the converted values that passed."""
    file, label = where
    known = {f.name: f for f in fields}
    for key, line in item.duplicate_keys:
        report.add(file, line, label, f"{prefix}{key}", "this key appears twice in the record; keep one")
    for key in item:
        if key not in known:
            hint = difflib.get_close_matches(str(key), known, n=1)
            tip = f" (did you mean '{hint[0]}'?)" if hint else f" (allowed: {', '.join(known)})"
            report.add(file, item.line_of(key), label, f"{prefix}{key}", f"unknown field{tip}")
    values: dict[str, Any] = {}
    for f in fields:
        name = f"{prefix}{f.name}"
        if f.name not in item or item[f.name] is None:
            if f.required:
                line = item.line_of(f.name) if f.name in item else item.line
                report.add(file, line, label, name, "required field is missing" if f.name not in item else "is empty")
            continue
        converted = _check_value(f.type, item[f.name], item.line_of(f.name), (file, label), name, report)
        if converted is not _BAD:
            values[f.name] = converted
    return values


_BAD = object()


def _check_value(kind, value: Any, line: int, where: tuple[str, str], name: str, report: Report) -> Any:
    file, label = where
    try:
        converted = kind.check(value)
    except Invalid as exc:
        message = str(exc)
        if isinstance(kind, Ref) and "districts" in kind.kinds and isinstance(value, str):
            message = _district_name_hint(value, report) + f" ({message})"
        report.add(file, line, label, name, message)
        return _BAD
    if isinstance(kind, ListOf):
        lines = value.item_lines if isinstance(value, LinedList) else [line] * len(value)
        items = []
        for i, (item, item_line) in enumerate(zip(value, lines, strict=True)):
            out = _check_value(kind.inner, item, item_line, where, f"{name}[{i + 1}]", report)
            if out is not _BAD:
                items.append(out)
        if len(items) != len(value):
            return _BAD
        return items
    if isinstance(kind, Group):
        if not isinstance(value, LinedMap):
            value = _as_lined(value, line)
        before = len(report.problems)
        out = _check_fields(kind.fields, value, where, f"{name}.", report)
        return GroupValue(out) if len(report.problems) == before else _BAD
    if isinstance(kind, Ref):
        report.refs.append(_Pending(kind.kinds, converted, file, line, label, name))
    return converted


def _district_name_hint(value: str, report: Report) -> str:
    """What to write when a district is given by name: its code, found in data/districts.yml."""
    words = value.split()
    name = words[-1] if words else value
    codes = report.district_codes.get(name) or report.district_codes.get(f"{name}구") or []
    if len(codes) == 1:
        return (
            f'자치구는 이름이 아니라 코드로 씁니다: {name} -> {codes[0][0]} ("{codes[0][0]}"처럼 따옴표로 감싸 쓰세요)'
        )
    if codes:
        listed = ", ".join(f"{code} ({city})" for code, city in codes)
        return f"자치구는 이름이 아니라 코드로 씁니다: {name} -> {listed} 가운데 맞는 것"
    return "자치구는 다섯 자리 코드로 씁니다 (data/districts.yml의 id)"


def _as_lined(value: dict, line: int) -> LinedMap:
    out = LinedMap(value)
    out.line, out.key_lines, out.duplicate_keys = line, {}, []
    return out


def _check_file(record_type: RecordType, data_dir: Path, report: Report) -> list[Record]:
    path = data_dir / record_type.file
    file = f"{data_dir.name}/{record_type.file}"
    try:
        data = read_yaml(path)
    except ReadError as exc:
        if exc.message == "file not found" and not record_type.common:
            return []  # optional files: the reviewed coordinates may not exist yet
        report.add(file, exc.line, exc.record, "", exc.message)
        report.unreadable.add(record_type.name)
        return []
    if data is None:
        report.add(
            file, 1, "", "", "파일이 비어 있습니다: 기록 목록을 쓰세요, 기록이 없으면 [] 한 줄 (the file is empty)"
        )
        report.unreadable.add(record_type.name)
        return []
    if not isinstance(data, list):
        message = "기록의 목록이 아닙니다: 기록마다 '- id:'로 시작하세요 (expected a list of records)"
        report.add(file, getattr(data, "line", 1), "", "", message)
        report.unreadable.add(record_type.name)
        return []
    records = []
    for index, (item, line) in enumerate(zip(data, data.item_lines, strict=True)):
        if not isinstance(item, LinedMap):
            report.add(file, line, f"#{index + 1}", "", "expected a record (key: value lines), got a single value")
            continue
        label = _record_label(item, index)
        before = len(report.problems)
        values = _check_fields(record_type.all_fields(), item, (file, label), "", report)
        _check_estimated(item, values, (file, label), report)
        if len(report.problems) == before:
            records.append(Record(record_type.name, values, file, item.line, dict(item.key_lines)))
        elif "id" in values:
            report.flawed_ids.add((record_type.name, values["id"]))
    return records


def _check_estimated(item: LinedMap, values: dict, where: tuple[str, str], report: Report) -> None:
    """Every name listed in `estimated` is a field the record gives a value to."""
    own = {str(key) for key in item} - {"id", "sources", "as_of", "note", "estimated"}
    lines = item.get("estimated")
    lines = lines.item_lines if isinstance(lines, LinedList) else []
    for i, name in enumerate(values.get("estimated", ())):
        if name not in own:
            line = lines[i] if i < len(lines) else item.line_of("estimated")
            hint = f" (fields with a value: {', '.join(sorted(own))})" if own else ""
            message = f"'{name}' is not a field of this record{hint}"
            report.add(where[0], line, where[1], f"estimated[{i + 1}]", message)


def _check_ids(records: list[Record], report: Report) -> None:
    seen: dict[str, Record] = {}
    for r in records:
        if r.id in seen:
            first = seen[r.id]
            report.add(r.file, r.line, r.id, "id", f"duplicate id: already used at {first.file}:{first.line}")
        else:
            seen[r.id] = r


def _resolve_refs(atlas: Atlas, report: Report) -> None:
    for ref in report.refs:
        if report.unreadable.intersection(ref.kinds):
            continue  # the file is reported once; its records are checked when it can be read
        if not any(atlas.get(kind, ref.value) or (kind, ref.value) in report.flawed_ids for kind in ref.kinds):
            names = " or ".join(ref.kinds)
            report.add(ref.file, ref.line, ref.record, ref.field, f"unknown {names} id '{ref.value}'")


# Checks that need more than the records themselves (e.g. the boundaries) register here.
ExtraCheck = Callable[[Atlas, Report], None]


def load(data_dir: Path, extra_checks: tuple[ExtraCheck, ...] = ()) -> tuple[Atlas, list[Problem]]:
    """Read and check every data file; return the records that passed and all problems, sorted."""
    with no_cycle_collection():
        return _load(data_dir, extra_checks)


def _load(data_dir: Path, extra_checks: tuple[ExtraCheck, ...]) -> tuple[Atlas, list[Problem]]:
    report = Report()
    by_type: dict[str, list[Record]] = {}
    for record_type in RECORD_TYPES:
        records = _check_file(record_type, data_dir, report)
        _check_ids(records, report)
        by_type[record_type.name] = records
        if record_type.name == "districts":
            # Read before every file that names a district (RECORD_TYPES order), so names get their code.
            for d in records:
                report.district_codes.setdefault(d["name_ko"], []).append((d.id, d["city"]))
    atlas = Atlas(by_type)
    _resolve_refs(atlas, report)
    for check in extra_checks:
        check(atlas, report)
    return atlas, sorted(set(report.problems))


def format_problems(problems: list[Problem]) -> str:
    """The message shown to editors: a count, then one line per problem."""
    count = len(problems)
    head = f"The atlas data has {count} problem{'s' if count != 1 else ''}; nothing was published:"
    return "\n".join([head, *(f"  {p}" for p in problems)])
