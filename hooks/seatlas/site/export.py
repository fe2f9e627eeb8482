"""Open data downloads: CSV per record type, one JSON of everything, GeoJSON of places, JSON Schemas."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from .. import cache
from ..model import geography
from ..model.records import Record
from ..model.schema import BY_NAME, RECORD_TYPES, RecordType, schema_files
from ..model.types import Group, ListOf, PartialDate
from ..render.context import Context, Output
from ..render.markdown import front_matter, link
from ..render.paths import rel
from ..render.templates import render

LIST_SEPARATOR = "; "
DOWNLOADS = "downloads"
# Records drawn on the map; only those with a place become GeoJSON features.
GEO_TYPES = geography.PLACED_KINDS
COORD_DIGITS = 6


def plain(value: Any) -> Any:
    """A converted record value as JSON data: dates as ISO text, groups as objects."""
    if isinstance(value, PartialDate):
        return value.iso()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def columns(record_type: RecordType) -> list[str]:
    """CSV columns in schema order; groups (and lists of groups) become group.field columns."""
    out: list[str] = []
    for f in record_type.all_fields():
        inner = f.type.inner if isinstance(f.type, ListOf) else f.type
        if isinstance(inner, Group):
            out += [f"{f.name}.{sub.name}" for sub in inner.fields]
        else:
            out.append(f.name)
    return out


def _cell(value: Any) -> Any:
    value = plain(value)
    if isinstance(value, list):
        return LIST_SEPARATOR.join("" if v is None else str(_cell(v)) for v in value)
    return value


def flatten(record: Record) -> dict[str, Any]:
    """One record as a flat mapping over `columns()`; absent values are None, lists are joined."""
    row: dict[str, Any] = {}
    for f in BY_NAME[record.record_type].all_fields():
        value = record.get(f.name)
        if isinstance(f.type, Group):
            for sub in f.type.fields:
                row[f"{f.name}.{sub.name}"] = _cell(value.get(sub.name)) if value else None
        elif isinstance(f.type, ListOf) and isinstance(f.type.inner, Group):
            # Lists of groups become parallel lists, one column per sub-field, aligned by position.
            for sub in f.type.inner.fields:
                items = [item.get(sub.name) for item in value] if value else None
                row[f"{f.name}.{sub.name}"] = _cell(items) if items is not None else None
        else:
            row[f.name] = _cell(value) if value is not None else None
    return row


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def to_csv(record_type: RecordType, records: list[Record]) -> str:
    """UTF-8 CSV with a byte-order mark, so spreadsheet programs read the Korean text correctly."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    cols = columns(record_type)
    writer.writerow(cols)
    for row in map(flatten, records):
        writer.writerow([_text(row[c]) for c in cols])
    return "\ufeff" + buf.getvalue()


def _one_per_line(items: Iterable, indent: int) -> str:
    """A JSON list with one compact item per line: readable, easy to diff, and written by json's fast encoder.

    Items may be a generator: each is dropped once written, so a national data set is never
    held twice as dictionaries.
    """
    pad = " " * (indent + 1)
    lines = [pad + json.dumps(item, ensure_ascii=False) for item in items]
    if not lines:
        return "[]"
    body = ",\n".join(lines)
    return f"[\n{body}\n{' ' * indent}]"


def to_json(ctx: Context) -> str:
    """Every record, keyed by type, fields in schema order; one record per line."""
    parts = []
    for t in RECORD_TYPES:
        records = ({f.name: plain(r[f.name]) for f in t.all_fields() if f.name in r} for r in ctx.atlas.all(t.name))
        parts.append(f" {json.dumps(t.name)}: {_one_per_line(records, 1)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def to_geojson(ctx: Context, kind: str) -> str:
    """An RFC 7946 FeatureCollection of the records of one type that have a place on the map, one per line."""

    def features():
        for r in ctx.atlas.all(kind):
            place = geography.place_of(ctx.atlas, r)
            if place is None:
                continue
            flat = flatten(r)
            yield {
                "type": "Feature",
                "id": r.id,
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(place.lon, COORD_DIGITS), round(place.lat, COORD_DIGITS)],
                },
                "properties": {"record_type": kind, **flat, "precision": place.precision},
            }

    return f'{{\n "type": "FeatureCollection",\n "features": {_one_per_line(features(), 1)}\n}}\n'


def _encoded(make: Callable[..., str], *args: Any) -> bytes:
    return make(*args).encode("utf-8")


def files(ctx: Context) -> list[tuple[str, Callable[[], bytes]]]:
    """(path, make the UTF-8 content) of every download drawn from the records."""
    out = [(f"{DOWNLOADS}/atlas.json", partial(_encoded, to_json, ctx))]
    for t in RECORD_TYPES:
        out.append((f"{DOWNLOADS}/{t.name}.csv", partial(_encoded, _csv, ctx, t)))
    for kind in GEO_TYPES:
        out.append((f"{DOWNLOADS}/{kind}.geojson", partial(_encoded, to_geojson, ctx, kind)))
    return out


def _csv(ctx: Context, t: RecordType) -> str:
    return to_csv(t, ctx.atlas.all(t.name))


def generate(ctx: Context) -> list[Output]:
    page = "downloads.md"
    made = files(ctx)
    counts = {t.name: len(ctx.atlas.all(t.name)) for t in RECORD_TYPES}
    geo_counts = {k: sum(1 for r in ctx.atlas.all(k) if geography.place_of(ctx.atlas, r)) for k in GEO_TYPES}
    body = render(
        "downloads.md.j2",
        types=RECORD_TYPES,
        counts=counts,
        geo_types=[BY_NAME[k] for k in GEO_TYPES],
        geo_counts=geo_counts,
        sources=ctx.atlas.all("sources"),
        link_to=lambda text, target: link(text, rel(page, target)),
        separator=LIST_SEPARATOR,
    )
    desc = "지도의 모든 기록을 CSV, JSON, GeoJSON으로 내려받기. 이용 조건과 출처 표시."
    # Written in worker processes while the build goes on (cache.Store.later), when it may use them.
    store = cache.store()
    downloads = [Output(p, store.later(p, make)) for p, make in made]
    schemas = [Output(f"{DOWNLOADS}/schemas/{name}", text.encode("utf-8")) for name, text in schema_files().items()]
    return [Output(page, front_matter("내려받기", desc) + body), *downloads, *schemas]
