"""Every kind of data mistake gives one exact, located message; all are reported at once."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from conftest import run_build
from seatlas.model.load import load_data
from seatlas.model.records import MAX_FILE_BYTES
from seatlas.model.schema import RECORD_TYPES
from seatlas.render.paths import PAGE_CHECKS

SOURCE = """\
- id: report-2018
  title: 2018 성과보고서
  publisher: 서울특별시 사회적경제지원센터
  published: 2019
  kind: report
"""
DISTRICT = """\
- id: "11380"
  city: 서울특별시
  name_ko: 은평구
  name_en: Eunpyeong-gu
  slug: eunpyeong-gu
  sources: [report-2018]
  as_of: 2018-12-31
"""
CLUSTER = """\
- id: cluster-eunpyeong
  name: 은평구 사회적경제허브센터
  kind: district-cluster
  district: "11380"
  road_address: 은평구 은평로 245
  legal_dong: 녹번동
  floor_area_m2: 1100
  opened: "2014-03"
  status: opened
  tenant_count: 21
  sources: [report-2018]
  as_of: 2018-12-31
"""


def make_data(tmp_path: Path, **files: str) -> Path:
    """A minimal valid data folder, with some files replaced."""
    data = tmp_path / "data"
    data.mkdir()
    defaults = {"sources": SOURCE, "districts": DISTRICT, "clusters": CLUSTER}
    for t in RECORD_TYPES:
        if t.name == "coordinates" and t.name not in files:
            continue
        text = files.get(t.name, defaults.get(t.name, "[]\n"))
        (data / t.file).write_text(textwrap.dedent(text), encoding="utf-8")
    return data


def messages(data: Path) -> list[str]:
    # With the checks the pages need, as the build and `seatlas validate` run them.
    _, problems = load_data(data, extra_checks=PAGE_CHECKS)
    return [str(p) for p in problems]


def test_minimal_data_is_valid(tmp_path):
    assert messages(make_data(tmp_path)) == []


def test_real_data_is_valid():
    data = Path(__file__).parent.parent / "data"
    atlas, problems = load_data(data)
    assert [str(p) for p in problems] == []
    # Every record of every file is loaded.
    for t in RECORD_TYPES:
        written = re.findall(r"^- id: *\"?([^\"\s]+)", (data / t.file).read_text(encoding="utf-8"), re.M)
        assert [r.id for r in atlas.all(t.name)] == written, t.name


@pytest.mark.parametrize(
    ("replace", "by", "expected"),
    [
        (
            "  floor_area_m2: 1100",
            '  floor_area_m2: "1,100㎡"',
            'data/clusters.yml:7: record cluster-eunpyeong: floor_area_m2: expected a number, got "1,100㎡" '
            "(write it without commas or units)",
        ),
        (
            "  tenant_count: 21",
            "  tenants: 21",
            "data/clusters.yml:10: record cluster-eunpyeong: tenants: unknown field (did you mean 'tenant_kinds'?)",
        ),
        (
            '  opened: "2014-03"',
            '  opened: "2014-13"',
            'data/clusters.yml:8: record cluster-eunpyeong: opened: "2014-13" is not a real date (month must be in 1..12)',
        ),
        (
            "  as_of: 2018-12-31",
            "  as_of: last year",
            'data/clusters.yml:12: record cluster-eunpyeong: as_of: expected a date like 2018-12-31, got "last year"',
        ),
        (
            '  district: "11380"',
            '  district: "11999"',
            "data/clusters.yml:4: record cluster-eunpyeong: district: unknown districts id '11999'",
        ),
        (
            "  sources: [report-2018]",
            "  sources: [report-2019]",
            "data/clusters.yml:11: record cluster-eunpyeong: sources[1]: unknown sources id 'report-2019'",
        ),
        (
            "  status: opened\n",
            "",
            "data/clusters.yml:1: record cluster-eunpyeong: status: required field is missing",
        ),
        (
            "  status: opened",
            "  status: open",
            'data/clusters.yml:9: record cluster-eunpyeong: status: "open" is not one of: opened, planned',
        ),
        (
            "  legal_dong: 녹번동",
            "  legal_dong: 난향동",
            "data/clusters.yml:6: record cluster-eunpyeong: legal_dong: '난향동' is not a legal dong (법정동) of 은평구.",
        ),
    ],
)
def test_each_field_error_has_an_exact_message(tmp_path, replace, by, expected):
    assert replace in CLUSTER
    data = make_data(tmp_path, clusters=CLUSTER.replace(replace, by))
    found = messages(data)
    assert len(found) == 1, found
    assert found[0].startswith(expected), found[0]


def test_phone_email_and_url_are_checked(tmp_path):
    center = """\
    - id: center-eunpyeong
      name: 은평구사회적경제허브센터
      kind: district-center
      district: "11380"
      phone: 02-355-79134
      email: info.sehub.net
      web: javascript:alert(1)
      sources: [report-2018]
      as_of: 2018-12-31
    """
    assert messages(make_data(tmp_path, centers=center)) == [
        'data/centers.yml:5: record center-eunpyeong: phone: "02-355-79134" is not a phone number like 02-355-7913',
        'data/centers.yml:6: record center-eunpyeong: email: "info.sehub.net" is not an e-mail address',
        'data/centers.yml:7: record center-eunpyeong: web: "javascript:alert(1)" is not an http:// or https:// address',
    ]


def test_duplicate_ids_and_keys(tmp_path):
    assert messages(make_data(tmp_path, clusters=CLUSTER + CLUSTER)) == [
        "data/clusters.yml:13: record cluster-eunpyeong: id: duplicate id: already used at data/clusters.yml:1",
    ]
    twice = CLUSTER.replace("  tenant_count: 21", "  tenant_count: 21\n  tenant_count: 22")
    (tmp_path / "b").mkdir()
    assert messages(make_data(tmp_path / "b", clusters=twice)) == [
        "data/clusters.yml:11: record cluster-eunpyeong: tenant_count: this key appears twice in the record; keep one",
    ]


@pytest.mark.parametrize(
    ("replace", "by", "expected"),
    [
        (
            "  kind: district-cluster",
            "\tkind: district-cluster",
            "data/clusters.yml:3: record cluster-eunpyeong: 탭 문자는 쓸 수 없습니다: 스페이스로 들여쓰세요",
        ),
        (
            "  kind: district-cluster",
            "    kind: district-cluster",
            "data/clusters.yml:3: record cluster-eunpyeong: 이 줄이 윗줄보다 더 들여 쓰여 있습니다: "
            "윗줄의 필드와 같은 칸에서 시작하세요 (스페이스 2칸)",
        ),
        (
            "  kind: district-cluster",
            " kind: district-cluster",
            "data/clusters.yml:3: record cluster-eunpyeong: 이 줄이 윗줄보다 덜 들여 쓰여 있습니다: "
            "같은 기록의 필드는 윗줄의 필드와 같은 칸에서 시작하세요 (스페이스 2칸)",
        ),
        (
            "  name: 은평구 사회적경제허브센터",
            '  name: "은평구 사회적경제허브센터',
            'data/clusters.yml:2: record cluster-eunpyeong: 따옴표(")가 닫히지 않았습니다: 값 끝에 "를 붙이세요, '
            '예: name: "은평구 사회적경제허브센터"',
        ),
        (
            "  name: 은평구 사회적경제허브센터",
            "  name 은평구 사회적경제허브센터",
            "data/clusters.yml:2: record cluster-eunpyeong: 필드 이름 뒤에 쌍점(:)이 없습니다: name: 은평구 사회적경제허브센터",
        ),
        (
            "  name: 은평구 사회적경제허브센터",
            "  name: 은평구: 사회적경제허브센터",
            "data/clusters.yml:2: record cluster-eunpyeong: 값 안에 ': '가 있습니다: 값 전체를 따옴표로 감싸세요, "
            '예: name: "은평구: 사회적경제허브센터"',
        ),
        (
            "  legal_dong: 녹번동",
            "  legal_dong: 녹번동\n  facilities: [사무실, 회의실",
            "data/clusters.yml:7: record cluster-eunpyeong: '['가 닫히지 않았습니다: 같은 줄 끝에 ']'를 쓰세요",
        ),
    ],
    ids=["tab", "over-indented", "under-indented", "unclosed-quote", "missing-colon", "colon-in-value", "bracket"],
)
def test_yaml_mistakes_are_explained_in_plain_words(tmp_path, replace, by, expected):
    assert replace in CLUSTER
    found = messages(make_data(tmp_path, clusters=CLUSTER.replace(replace, by)))
    assert len(found) == 1, found
    # The parser's own words follow in brackets, for a web search.
    assert found[0].startswith(expected + " (YAML: "), found[0]


def test_an_unrecognised_yaml_mistake_gives_its_line_and_column(tmp_path):
    # '@' cannot start a plain value: no plain-words explanation fits, so the place is given exactly.
    found = messages(
        make_data(tmp_path, clusters=CLUSTER.replace("  name: 은평구 사회적경제허브센터", "  name: @은평구"))
    )
    assert found == [
        "data/clusters.yml:2: record cluster-eunpyeong: YAML 문법 오류 9번째 칸: 이 줄과 윗줄의 들여쓰기, 따옴표, "
        "쌍점(:)을 확인하세요 (YAML: found character that cannot start any token)"
    ]


def test_a_district_name_gets_its_code_suggested(tmp_path):
    found = messages(make_data(tmp_path, clusters=CLUSTER.replace('district: "11380"', "district: 은평구")))
    assert found == [
        "data/clusters.yml:4: record cluster-eunpyeong: district: 자치구는 이름이 아니라 코드로 씁니다: 은평구 -> 11380 "
        '("11380"처럼 따옴표로 감싸 쓰세요) (expected a 5-digit code, got "은평구")'
    ]


def test_an_unreadable_file_is_reported_once_without_echoes(tmp_path):
    history = """\
    - id: h-2014-hub
      date: "2014-03"
      title: 허브센터 개관
      category: opening
      clusters: [cluster-eunpyeong]
      sources: [report-2018]
      as_of: 2018-12-31
    """
    broken = CLUSTER.replace("  kind: district-cluster", "\tkind: district-cluster")
    assert messages(make_data(tmp_path, clusters=broken, history=history)) == [
        "data/clusters.yml:3: record cluster-eunpyeong: 탭 문자는 쓸 수 없습니다: 스페이스로 들여쓰세요 "
        "(YAML: found a tab character that violates indentation)"
    ]
    (tmp_path / "b").mkdir()
    assert messages(make_data(tmp_path / "b", clusters="", history=history)) == [
        "data/clusters.yml:1: 파일이 비어 있습니다: 기록 목록을 쓰세요, 기록이 없으면 [] 한 줄 (the file is empty)"
    ]


def test_estimated_names_fields_of_the_record(tmp_path):
    ok = CLUSTER.replace("  status: opened", "  status: opened\n  estimated: [opened]")
    assert messages(make_data(tmp_path, clusters=ok)) == []
    (tmp_path / "b").mkdir()
    bad = CLUSTER.replace("  status: opened", "  status: opened\n  estimated: [openned]")
    found = messages(make_data(tmp_path / "b", clusters=bad))
    assert len(found) == 1
    assert found[0].startswith(
        "data/clusters.yml:10: record cluster-eunpyeong: estimated[1]: 'openned' is not a field of this record"
    )


def test_text_with_colon_gets_a_hint(tmp_path):
    bad = CLUSTER.replace("  status: opened", "  status: opened\n  facilities:\n    - 회의실: 2곳")
    assert messages(make_data(tmp_path, clusters=bad)) == [
        "data/clusters.yml:11: record cluster-eunpyeong: facilities[1]: expected text, got {'회의실': '2곳'}: "
        "a ': ' inside text starts a new key, so put the text in quotes"
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            "",
            "data/clusters.yml:1: 파일이 비어 있습니다: 기록 목록을 쓰세요, 기록이 없으면 [] 한 줄 (the file is empty)",
        ),
        (
            "id: x\nname: y\n",
            "data/clusters.yml:1: 기록의 목록이 아닙니다: 기록마다 '- id:'로 시작하세요 (expected a list of records)",
        ),
        ("- just text\n", "data/clusters.yml:1: record #1: expected a record (key: value lines), got a single value"),
    ],
)
def test_file_shape_errors(tmp_path, content, expected):
    assert messages(make_data(tmp_path, clusters=content)) == [expected]


def test_wrong_encoding_and_huge_file(tmp_path):
    data = make_data(tmp_path)
    (data / "clusters.yml").write_bytes(CLUSTER.encode("euc-kr"))
    (data / "organisations.yml").write_bytes(b"# x\n" * (MAX_FILE_BYTES // 4 + 1))
    assert messages(data) == [
        "data/clusters.yml:2: the file is not UTF-8 text: save it with UTF-8 encoding",
        f"data/organisations.yml: file is {(MAX_FILE_BYTES + 4) / 1e6:.1f} MB, "
        f"larger than the {MAX_FILE_BYTES // 2**20} MiB allowed",
    ]


def test_missing_file(tmp_path):
    data = make_data(tmp_path)
    (data / "history.yml").unlink()
    assert messages(data) == ["data/history.yml: file not found"]


def test_all_problems_are_reported_at_once(tmp_path):
    bad = CLUSTER.replace("  floor_area_m2: 1100", "  floor_area_m2: many").replace(
        "  status: opened", "  status: soon"
    )
    data = make_data(tmp_path, clusters=bad, districts=DISTRICT.replace("  slug: eunpyeong-gu", "  slug: Eun Pyeong"))
    found = messages(data)
    assert len(found) == 3
    assert [m.split(":")[0] for m in found] == ["data/clusters.yml", "data/clusters.yml", "data/districts.yml"]


def test_coordinate_outside_its_district_is_rejected(tmp_path):
    # 37.5665, 126.978 is Seoul City Hall, in Jung-gu, not Eunpyeong-gu.
    coords = """\
    - id: cluster-eunpyeong
      lat: 37.5665
      lon: 126.978
      precision: rooftop
      method: manual
      reviewed: true
      as_of: 2026-01-01
    """
    found = messages(make_data(tmp_path, coordinates=coords))
    assert len(found) == 1
    assert found[0].startswith(
        "data/coordinates.yml:2: record cluster-eunpyeong: lat/lon: (37.5665, 126.978) is not inside 은평구 (11380)"
    )
    assert "서울특별시 중구" in found[0]


def test_swapped_latitude_and_longitude_are_out_of_range(tmp_path):
    coords = """\
    - id: cluster-eunpyeong
      lat: 126.92
      lon: 37.6
      precision: rooftop
      method: manual
      reviewed: true
      as_of: 2026-01-01
    """
    found = messages(make_data(tmp_path, coordinates=coords))
    assert (
        found[0]
        == "data/coordinates.yml:2: record cluster-eunpyeong: lat: 126.92 is out of range: must be at least 33 and at most 39"
    )


def test_build_fails_cleanly_and_publishes_nothing(project):
    clusters = project / "data" / "clusters.yml"
    text = clusters.read_text(encoding="utf-8")
    clusters.write_text(text.replace("floor_area_m2: 1100", 'floor_area_m2: "1,100"', 1), encoding="utf-8")
    (project / "data" / "centers.yml").write_text(
        (project / "data" / "centers.yml").read_text(encoding="utf-8").replace("02-355-7913", "02-355-791", 1),
        encoding="utf-8",
    )
    result = run_build(project)
    assert result.returncode == 1
    assert "Traceback" not in result.output
    assert "The atlas data has 2 problems; nothing was published:" in result.output
    assert "data/clusters.yml:" in result.output and "record cluster-eunpyeong: floor_area_m2:" in result.output
    assert "record center-eunpyeong: phone:" in result.output
    assert not (project / "site").exists()


def test_validate_command_lists_problems(tmp_path):
    import subprocess
    import sys

    data = make_data(tmp_path, clusters=CLUSTER.replace("  tenant_count: 21", "  tenant_count: -1"))
    proc = subprocess.run(
        [sys.executable, "-m", "seatlas", "--data", str(data), "validate"], capture_output=True, text=True
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "data/clusters.yml:10: record cluster-eunpyeong: tenant_count: -1 is out of range" in proc.stderr
    (tmp_path / "ok").mkdir()
    good = make_data(tmp_path / "ok")
    ok = subprocess.run(
        [sys.executable, "-m", "seatlas", "--data", str(good), "validate"], capture_output=True, text=True
    )
    assert ok.returncode == 0, ok.stderr
    assert "all records are valid" in ok.stdout


def test_district_slugs_give_each_page_its_own_address(tmp_path):
    # Before, these ended in a traceback from the generators ("two generators produced ...").
    second = DISTRICT.replace('"11380"', '"11410"').replace("은평구", "서대문구").replace("Eunpyeong", "Seodaemun")
    found = messages(make_data(tmp_path, districts=DISTRICT + second))
    assert found == [
        "data/districts.yml:12: record 11410: slug: 'eunpyeong-gu' is already the slug of 11380 (data/districts.yml:1)"
    ]
    (tmp_path / "b").mkdir()
    found = messages(make_data(tmp_path / "b", districts=DISTRICT.replace("slug: eunpyeong-gu", "slug: seoul")))
    assert found == [
        "data/districts.yml:5: record 11380: slug: 'seoul' is the address of a city page: choose another slug"
    ]
