"""`seatlas new`: a commented record template that fails validation until filled, then builds."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from seatlas.cli import scaffold
from seatlas.model import schema
from seatlas.model.load import load_data
from variants import SCAFFOLDED_NAME

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("record_type", schema.RECORD_TYPES, ids=lambda t: t.name)
def test_template_is_rejected_until_filled_and_names_each_required_field(tmp_path, record_type):
    data = tmp_path / "data"
    subprocess.run(["cp", "-r", str(ROOT / "data"), str(data)], check=True)
    before = (data / record_type.file).read_text(encoding="utf-8") if (data / record_type.file).exists() else ""
    path, line = scaffold.append(data, record_type.name)
    text = path.read_text(encoding="utf-8")
    # A file holding only '[]' (no records yet) loses that line: block items cannot follow it.
    if yaml.safe_load(before) == []:
        before = re.sub(r"^\[\]\s*$\n?", "", before, flags=re.MULTILINE)
    assert text.startswith(before), "existing records must be kept as they were"
    assert text.splitlines()[line - 1].startswith("- id:")
    assert text.splitlines()[0] == f"# yaml-language-server: $schema=schemas/{record_type.name}.schema.json"
    # Every field is written out (optional ones commented), each with a Korean explanation.
    block = text[len(before) :]
    for f in record_type.all_fields():
        assert re.search(rf"^(- |  )(# )?{f.name}:.*# .*[가-힣]", block, re.M), f.name
    _, problems = load_data(data)
    required = {f.name for f in record_type.all_fields() if f.required}
    if scaffold.next_id(record_type, before):
        required.discard("id")
    mine = [p for p in problems if p.file == f"data/{record_type.file}" and p.line >= line]
    assert {p.field for p in mine} == required
    assert all(p.message == "is empty" for p in mine)
    assert len(problems) == len(mine), "the template must not cause problems elsewhere"


def test_ids_do_not_repeat(tmp_path):
    data = tmp_path / "data"
    subprocess.run(["cp", "-r", str(ROOT / "data"), str(data)], check=True)
    scaffold.append(data, "gsef")
    scaffold.append(data, "gsef")
    ids = re.findall(r"^- id: (new-gsef-\d+)", (data / "gsef.yml").read_text(encoding="utf-8"), re.M)
    assert ids == ["new-gsef-1", "new-gsef-2"]


def test_missing_or_empty_file_gets_a_schema_line(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "figures.yml").write_text("[]\n", encoding="utf-8")
    scaffold.append(data, "coordinates")
    scaffold.append(data, "figures")
    for name in ("coordinates", "figures"):
        text = (data / f"{name}.yml").read_text(encoding="utf-8")
        loaded = yaml.safe_load(text)
        assert isinstance(loaded, list) and len(loaded) == 1, name
    assert (data / "coordinates.yml").read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=")


def test_command_line(tmp_path):
    data = tmp_path / "data"
    subprocess.run(["cp", "-r", str(ROOT / "data"), str(data)], check=True)
    proc = subprocess.run(
        [sys.executable, "-m", "seatlas", "--data", str(data), "new", "history"], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"history\.yml:\d+: added a new history record", proc.stdout)
    bad = subprocess.run(
        [sys.executable, "-m", "seatlas", "--data", str(data), "new", "cluster"], capture_output=True, text=True
    )
    assert bad.returncode != 0 and "invalid choice" in bad.stderr


def test_filled_cluster_validates_builds_and_appears_everywhere(edited_site):
    # variants.scaffolded_cluster: `seatlas new clusters`, then the required lines filled in.
    path, line = edited_site.notes["scaffolded_cluster"]
    atlas, problems = load_data(edited_site.root / "data")
    assert not problems, problems
    record = atlas.get("clusters", "new-cluster-1")
    assert record["name"] == SCAFFOLDED_NAME and record.line == line
    assert path.read_text(encoding="utf-8").splitlines()[line - 1].startswith("- id: new-cluster-1 ")

    result = edited_site
    escaped = "새 공유공간 &lt;테스트&gt; &amp; 1호"
    assert escaped in result.html("districts/eunpyeong-gu/")
    assert escaped in result.html("clusters/")
    rows = list(csv.DictReader(io.StringIO((result.site / "downloads" / "clusters.csv").read_text("utf-8-sig"))))
    assert {k: rows[-1][k] for k in ("id", "name")} == {"id": "new-cluster-1", "name": SCAFFOLDED_NAME}
    data = json.loads((result.site / "downloads" / "atlas.json").read_text(encoding="utf-8"))
    assert data["clusters"][-1]["name"] == SCAFFOLDED_NAME
    geo = json.loads((result.site / "downloads" / "clusters.geojson").read_text(encoding="utf-8"))
    feature = next(f for f in geo["features"] if f["id"] == "new-cluster-1")
    assert feature["properties"]["precision"] == "dong"
    # On the map: the district's embed carries the new place (as escaped script data).
    from seatlas.maps import folium_html

    assert folium_html.js_value(SCAFFOLDED_NAME) in result.html("embed/eunpyeong-gu/")
    assert folium_html.js_value(SCAFFOLDED_NAME) in (result.site / "map" / "atlas.html").read_text(encoding="utf-8")
