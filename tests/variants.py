"""The changes that the shared variant builds make to a copy of the project (see conftest.py).

Each change is one function, named after what it changes, and is checked by the test its docstring names.
The changes of one variant must stay independent: a test reads what it expects from the variant's own
data (`site.root / "data"`) or from the constants here, never from the real atlas, so a change added
for another test cannot break it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import yaml
from seatlas.cli import scaffold
from seatlas.model import geography, schema
from seatlas.model.load import load_data
from seatlas.model.types import Text


def load(root: Path, name: str) -> list[dict]:
    return yaml.safe_load((root / "data" / f"{name}.yml").read_text(encoding="utf-8")) or []


def dump(root: Path, name: str, records: list[dict]) -> None:
    text = yaml.safe_dump(records, allow_unicode=True, sort_keys=False)
    (root / "data" / f"{name}.yml").write_text(text, encoding="utf-8")


def set_atlas_options(root: Path, **options: object) -> None:
    """Add settings under `extra.atlas` of the copy's mkdocs.yml."""
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    lines = "".join(f"    {k}: {v!r}\n" if isinstance(v, str) else f"    {k}: {v}\n" for k, v in options.items())
    assert text.count("\n  atlas:\n") == 1
    config.write_text(text.replace("\n  atlas:\n", "\n  atlas:\n" + lines), encoding="utf-8")


# -- hostile_site: hostile text in every record type -------------------------------------------------

HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(1)> \'q\' "qq"'
# Fields whose values the validator checks against a pattern, or that other records point at.
KEEP = {"id", "slug", "district", "legal_dong", "admin_dong", "phone", "fax", "email", "road_address", "postal_code"}
POISONED_TYPES = ["districts", "centers", "clusters", "organisations", "history", "gsef", "sources", "figures"]

HOSTILE_NAME = "</script><script>alert('name')</script> \"Q\" & 'A'"
HOSTILE_ADDRESS = "은평구 <img src=x onerror=alert(1)> 1"
HOSTILE_CLUSTER = f"""
- id: cluster-hostile
  name: {json.dumps(HOSTILE_NAME, ensure_ascii=False)}
  kind: workshop
  district: "11380"
  road_address: {json.dumps(HOSTILE_ADDRESS, ensure_ascii=False)}
  legal_dong: 녹번동
  opened: "2016-05"
  status: opened
  sources: [article-clusters-2018]
  as_of: 2018-05-31
"""
MARKUP_NAME = '<script>alert(1)</script> "><img src=x onerror=alert(2)> [x](javascript:alert(3)) *bold*'
HOSTILE_HISTORY = {
    "id": "h-hostile",
    "date": "2016-02-03",
    "title": "<script>alert(1)</script> **굵게** [링크](http://evil.example)",
    "category": "event",
    "districts": ["11380"],
    "description": '<img src=x onerror="alert(2)"> | 표',
    "sources": ["report-2018"],
    "as_of": "2016-02-03",
}
HOSTILE_SOURCE_TITLE = '<img src=x onerror=alert(1)> "Q", A; B'
HOSTILE_FIGURE_LABEL = '<script>alert(1)</script> & "따옴표" | 표'


def text_fields(record_type: str) -> set[str]:
    t = next(t for t in schema.RECORD_TYPES if t.name == record_type)
    return {f.name for f in t.fields if type(f.type) is Text and f.name not in KEEP}


def poison(root: Path) -> dict[str, list[str]]:
    """Every plain text field of one record per type (Eunpyeong's where possible); test_hostile.py."""
    changed = {}
    for record_type in POISONED_TYPES:
        records = load(root, record_type)
        if not records:
            continue
        target = next((r for r in records if "11380" in (r.get("district"), r.get("id"))), records[0])
        fields = sorted(text_fields(record_type))
        for name in fields:
            target[name] = f"{HOSTILE} {record_type}.{name}"
        changed[record_type] = fields
        dump(root, record_type, records)
    return changed


def hostile_cluster(root: Path) -> None:
    """A cluster whose name closes the map's script and whose address holds markup; test_map*.py."""
    with (root / "data" / "clusters.yml").open("a", encoding="utf-8") as f:
        f.write(HOSTILE_CLUSTER)


def markup_cluster(root: Path) -> None:
    """A cluster named with HTML and Markdown that must stay text; test_pages.py."""
    records = load(root, "clusters")
    template = next(r for r in records if r["id"] == "cluster-hostile")
    records.append({**template, "id": "cluster-hostile-markup", "name": MARKUP_NAME})
    dump(root, "clusters", records)


def hostile_history(root: Path) -> None:
    """A history record with markup in its title and description; test_timeline.py."""
    dump(root, "history", [*load(root, "history"), HOSTILE_HISTORY])


def hostile_source_title(root: Path) -> None:
    """The second source's title (the first is poisoned) with markup, quotes, comma and semicolon; test_export.py."""
    records = load(root, "sources")
    records[1]["title"] = HOSTILE_SOURCE_TITLE
    dump(root, "sources", records)


def hostile_figure_label(root: Path) -> None:
    """The second figure's label (the first is poisoned) with markup and a table pipe; test_charts.py."""
    records = load(root, "figures")
    records[1]["label"] = HOSTILE_FIGURE_LABEL
    dump(root, "figures", records)


def hostile(root: Path) -> dict:
    notes = {"poisoned": poison(root)}
    for change in (hostile_cluster, markup_cluster, hostile_history, hostile_source_title, hostile_figure_label):
        change(root)
    return notes


# -- edited_site: independent edits of data and settings -------------------------------------------

TENANTS_BEFORE, TENANTS_AFTER = 21, 25
EMBED_BASE_URL = "https://maps.example.net/atlas"
STALE_TODAY, STALE_AFTER_DAYS = "2031-01-01", 3650
SCAFFOLDED_NAME = "새 공유공간 <테스트> & 1호"


def more_tenants(root: Path) -> None:
    """Eunpyeong's cluster: 21 -> 25 tenants; test_pages.py."""
    path = root / "data" / "clusters.yml"
    text = path.read_text(encoding="utf-8")
    assert text.index(f"tenant_count: {TENANTS_BEFORE}") > text.index("id: cluster-eunpyeong")
    path.write_text(text.replace(f"tenant_count: {TENANTS_BEFORE}", f"tenant_count: {TENANTS_AFTER}", 1), "utf-8")


def yangcheon_opened_year_only(root: Path) -> None:
    """Yangcheon's cluster (2016-07) known only to the year; test_pages.py."""
    path = root / "data" / "clusters.yml"
    text = path.read_text(encoding="utf-8")
    assert text.count('opened: "2016-07"') == 1
    path.write_text(text.replace('opened: "2016-07"', "opened: 2016", 1), encoding="utf-8")


def reviewed_coordinate(root: Path) -> tuple[float, float]:
    """A reviewed rooftop coordinate for Eunpyeong's cluster, at its dong centre to 5 decimals; test_map.py."""
    atlas, _ = load_data(root / "data")
    c = atlas.get("clusters", "cluster-eunpyeong")
    # At the 5 decimals (about 1 m) the map draws with.
    lat, lon = (round(v, 5) for v in geography.dong_centre(c["district"], c["legal_dong"]))
    records = [r for r in load(root, "coordinates") if r["id"] != "cluster-eunpyeong"]
    records.append(
        {
            "id": "cluster-eunpyeong",
            **{"lat": lat, "lon": lon, "precision": "rooftop", "method": "manual", "reviewed": True},
            "as_of": dt.date(2024, 1, 1),
        }
    )
    dump(root, "coordinates", records)
    return lat, lon


def without_kpi(root: Path) -> None:
    """No figure of the kpi group: its chart is left out with a note; test_charts.py."""
    dump(root, "figures", [r for r in load(root, "figures") if r["group"] != "kpi"])


def fill(path: Path, start_line: int, values: dict[str, str]) -> None:
    """Fill the empty required lines of the record starting at `start_line`, as an editor would."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    filled = set()
    for i in range(start_line - 1, len(lines)):
        m = re.match(r"^(- |  )(\w+):\s+#", lines[i])
        if m and m[2] in values:
            lines[i] = f"{m[1]}{m[2]}: {values[m[2]]}\n"
            filled.add(m[2])
        m = re.match(r"^  # (\w+):\s+#", lines[i])
        if m and m[1] in values:
            lines[i] = f"  {m[1]}: {values[m[1]]}\n"
            filled.add(m[1])
    assert filled == set(values), f"not found in the template: {set(values) - filled}"
    path.write_text("".join(lines), encoding="utf-8")


def scaffolded_cluster(root: Path) -> tuple[Path, int]:
    """A cluster added with `seatlas new clusters` and filled in as an editor would; test_scaffold.py."""
    path, line = scaffold.append(root / "data", "clusters")
    fill(
        path,
        line,
        {
            "name": f'"{SCAFFOLDED_NAME}"',
            "kind": "hub",
            "district": '"11380"',
            "legal_dong": "녹번동",
            "road_address": "은평구 은평로 245",
            "status": "planned",
            "sources": "[report-2018]",
            "as_of": "2018-12-31",
        },
    )
    return path, line


def embed_base_url(root: Path) -> None:
    """`embed_base_url` set: the copy-paste snippets use it; test_map.py."""
    set_atlas_options(root, embed_base_url=EMBED_BASE_URL)


def stale_in_2031(root: Path) -> None:
    """Freshness measured on 2031-01-01 against ten years: many records are stale; test_freshness.py."""
    set_atlas_options(root, today=STALE_TODAY, stale_after_days=STALE_AFTER_DAYS)


def edited(root: Path) -> dict:
    # The data edits come first: the scaffolded record is appended after them, as an editor would.
    notes = {}
    for change in (more_tenants, yangcheon_opened_year_only, without_kpi):
        change(root)
    notes["reviewed_coordinate"] = reviewed_coordinate(root)
    notes["scaffolded_cluster"] = scaffolded_cluster(root)
    embed_base_url(root)
    stale_in_2031(root)
    return notes


# -- flat_site: use_directory_urls: false, other settings, and a public address (conftest.SHARED_BUILDS)


def flat_urls(root: Path) -> None:
    """Pages at 'page.html' instead of 'page/': iframes and map links follow; test_map.py."""
    cfg = root / "mkdocs.yml"
    text = cfg.read_text(encoding="utf-8")
    assert "use_directory_urls: true" in text
    cfg.write_text(text.replace("use_directory_urls: true", "use_directory_urls: false"), encoding="utf-8")


def nothing_stale(root: Path) -> None:
    """A limit no record reaches: the stale page says so; test_freshness.py."""
    set_atlas_options(root, stale_after_days=100000)


def flat(root: Path) -> dict:
    flat_urls(root)
    nothing_stale(root)
    return {}


# -- national_site: synthetic data for every district of the country ---------------------------------

NATIONAL_SCALE, NATIONAL_SEED = 0.05, 1


def national(root: Path) -> dict:
    """The real data replaced by synthetic national data; test_map.py."""
    import atlas_synthetic  # a tool in scripts/, which conftest.py puts on the path

    shutil.rmtree(root / "data")
    return {"counts": atlas_synthetic.generate(root / "data", scale=NATIONAL_SCALE, seed=NATIONAL_SEED)}
