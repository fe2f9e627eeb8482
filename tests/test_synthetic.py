"""The synthetic national data: romanization, determinism, validity and points inside their places."""

from __future__ import annotations

import subprocess
from pathlib import Path

import atlas_synthetic as synthetic
import pytest
import yaml
from seatlas.model import geography
from seatlas.model.load import load_data
from seatlas.model.schema import BY_NAME, RECORD_TYPES
from shapely.geometry import Point

ROOT = Path(__file__).resolve().parent.parent
SCALE = 0.01


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("종로", "jongno"),
        ("은평", "eunpyeong"),
        ("강남", "gangnam"),
        ("서대문", "seodaemun"),
        ("영등포", "yeongdeungpo"),
        ("광진", "gwangjin"),
        ("중랑", "jungnang"),
        ("강릉", "gangneung"),
        ("신라", "silla"),
        ("울릉", "ulleung"),
        ("밀양", "miryang"),
        ("덕양", "deogyang"),
        ("의정부", "uijeongbu"),
        ("왕십리", "wangsimni"),
        ("독립문", "dongnimmun"),
        ("합천", "hapcheon"),
    ],
)
def test_romanize_known_words(word, expected):
    assert synthetic.romanize(word) == expected


def test_english_names_keep_the_unit_suffix_apart():
    assert synthetic.english_name("종로구") == "Jongno-gu"
    assert synthetic.english_name("중구") == "Jung-gu"
    assert synthetic.english_name("울릉군") == "Ulleung-gun"
    assert synthetic.english_name("수원시 장안구") == "Suwon-si Jangan-gu"
    assert synthetic.slugify("Suwon-si Jangan-gu") == "suwon-si-jangan-gu"


@pytest.mark.parametrize(
    "text",
    ["yes", "No", "null", "2018", "2018-07", "a: b", "# x", "- x", "[a]", "서울, 부산", "값: 1", "'따옴표'", "x "],
)
def test_scalars_read_back_as_the_same_text(text):
    assert yaml.safe_load(f"key: {synthetic._scalar(text)}") == {"key": text}
    assert yaml.safe_load(f"key: [{synthetic._scalar(text)}]") == {"key": [text]}


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("national")
    synthetic.generate(out, scale=SCALE, seed=1)
    return out


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_every_data_file_is_written(small):
    assert sorted(_files(small)) == sorted(t.file for t in RECORD_TYPES)


def test_same_seed_gives_identical_files_and_another_seed_differs(small, tmp_path):
    again = tmp_path / "again"
    subprocess.run(
        [ROOT / "scripts" / "make-national-data", again, "--scale", str(SCALE), "--seed", "1"],
        check=True,
        capture_output=True,
    )
    assert _files(again) == _files(small)
    other = tmp_path / "other"
    synthetic.generate(other, scale=SCALE, seed=2)
    assert _files(other)["organisations.yml"] != _files(small)["organisations.yml"]


def test_the_data_passes_validation_with_every_district(small):
    atlas, problems = load_data(small)
    assert problems == []
    with_dongs = {c for c in geography.districts() if geography.legal_dongs(c)}
    assert {d.id for d in atlas.all("districts")} == with_dongs
    assert len(atlas.all("centers")) == len(with_dongs)
    assert len(atlas.all("organisations")) == round(synthetic.ORGANISATIONS * SCALE)
    slugs = [d["slug"] for d in atlas.all("districts")]
    assert len(set(slugs)) == len(slugs)
    by_code = {d.id: d for d in atlas.all("districts")}
    assert by_code["11110"]["slug"] == "jongno-gu"
    assert by_code["28260"]["slug"] == "seo-gu-28260"
    sourced = [r for r in atlas if BY_NAME[r.record_type].common]
    assert sourced and all(r["sources"] == [synthetic.SOURCE_ID] for r in sourced)


def test_organisation_points_fall_inside_their_district_and_legal_dong(small):
    atlas, _ = load_data(small)
    organisations = atlas.all("organisations")
    assert organisations
    for org in organisations:
        coord = atlas.get("coordinates", org.id)
        point = Point(coord["lon"], coord["lat"])
        assert geography.districts()[org["district"]].geometry.contains(point), org.id
        assert geography.legal_dongs(org["district"])[org["legal_dong"]].geometry.contains(point), org.id
        assert (coord["precision"], coord["method"], coord["reviewed"]) == ("rooftop", "synthetic", True)
