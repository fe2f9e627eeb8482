"""The committed JSON Schemas: equal to what the schema declares, and in agreement with the validator."""

from __future__ import annotations

import copy
import datetime as dt
import json
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml
from seatlas.cli.main import main
from seatlas.model import schema
from seatlas.model.load import load_data
from seatlas.model.schema import schema_files

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


def as_json(value):
    """YAML data as an editor's JSON Schema checker sees it: dates are the text written in the file."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    return value


def load_schema(name: str) -> dict:
    return json.loads((DATA / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))


def test_committed_schemas_equal_the_generated_ones():
    committed = {p.name: p.read_text(encoding="utf-8") for p in (DATA / "schemas").glob("*.schema.json")}
    assert committed == schema_files(), "run `seatlas schemas` and commit data/schemas/"


def test_schemas_command_writes_the_same_files(tmp_path):
    assert main(["--data", str(tmp_path), "schemas"]) == 0
    written = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "schemas").iterdir()}
    assert written == schema_files()


@pytest.mark.parametrize("record_type", schema.RECORD_TYPES, ids=lambda t: t.name)
def test_each_data_file_names_its_schema_on_line_one(record_type):
    path = DATA / record_type.file
    if not path.exists():
        pytest.skip(f"{record_type.file} does not exist yet")
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema=schemas/{record_type.name}.schema.json"


@pytest.mark.parametrize("record_type", schema.RECORD_TYPES, ids=lambda t: t.name)
def test_schemas_are_valid_json_schemas(record_type):
    jsonschema.Draft202012Validator.check_schema(load_schema(record_type.name))


@pytest.mark.parametrize("record_type", schema.RECORD_TYPES, ids=lambda t: t.name)
def test_every_real_data_file_validates_against_its_schema(record_type):
    path = DATA / record_type.file
    if not path.exists():
        pytest.skip(f"{record_type.file} does not exist yet")
    data = as_json(yaml.safe_load(path.read_text(encoding="utf-8")))
    validator = jsonschema.Draft202012Validator(load_schema(record_type.name))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
    assert not errors


def _real_cluster() -> dict:
    data = yaml.safe_load((DATA / "clusters.yml").read_text(encoding="utf-8"))
    return next(r for r in data if r.get("road_address") and r.get("floor_area_m2") is not None)


BAD_CLUSTERS = {
    "unknown key": lambda r: r.update(floor_area=100),
    "wrong type: number as text": lambda r: r.update(floor_area_m2="1,100㎡"),
    "wrong type: list as text": lambda r: r.update(sources="report-2018"),
    "wrong type: choice": lambda r: r.update(status="open"),
    "wrong type: code": lambda r: r.update(district="1138"),
    "missing required name": lambda r: r.pop("name"),
    "missing required as_of": lambda r: r.pop("as_of"),
    "empty sources": lambda r: r.update(sources=[]),
}


@pytest.mark.parametrize("case", BAD_CLUSTERS, ids=str)
def test_bad_records_are_rejected_by_both(case, tmp_path):
    record = copy.deepcopy(_real_cluster())
    BAD_CLUSTERS[case](record)
    validator = jsonschema.Draft202012Validator(load_schema("clusters"))
    assert list(validator.iter_errors(as_json([record]))), f"JSON Schema accepted: {case}"

    data_dir = tmp_path / "data"
    shutil.copytree(DATA, data_dir)
    originals = yaml.safe_load((data_dir / "clusters.yml").read_text(encoding="utf-8"))
    record_id = record["id"]
    bad = [record if r["id"] == record_id else r for r in originals]
    header = "# yaml-language-server: $schema=schemas/clusters.schema.json\n"
    text = header + yaml.safe_dump(bad, allow_unicode=True, sort_keys=False)
    (data_dir / "clusters.yml").write_text(text, encoding="utf-8")
    _, problems = load_data(data_dir)
    mine = [p for p in problems if p.file == "data/clusters.yml" and p.record == record_id]
    assert mine, f"validator accepted: {case}"


def test_the_unchanged_copy_is_accepted_by_both(tmp_path):
    # The bad-record cases above rewrite clusters.yml with safe_dump: the rewrite alone must be fine.
    record = _real_cluster()
    validator = jsonschema.Draft202012Validator(load_schema("clusters"))
    assert not list(validator.iter_errors(as_json([record])))
    data_dir = tmp_path / "data"
    shutil.copytree(DATA, data_dir)
    originals = yaml.safe_load((data_dir / "clusters.yml").read_text(encoding="utf-8"))
    (data_dir / "clusters.yml").write_text(yaml.safe_dump(originals, allow_unicode=True, sort_keys=False), "utf-8")
    _, problems = load_data(data_dir)
    assert not [p for p in problems if p.file == "data/clusters.yml"]
