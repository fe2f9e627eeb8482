"""Broken data never crashes the loader, the validator or the build: a located message and exit code 1."""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from conftest import START_ENV, copy_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from seatlas.model.load import load_data
from test_validation import CLUSTER, make_data

PROBLEM = re.compile(r"^data/[a-z_]+\.yml(:\d+)?: ")
FILES = ["clusters", "centers", "districts", "sources", "history"]
PROPERTY_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def load_problems(data_file: str, content: bytes) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        data = make_data(Path(tmp))
        (data / f"{data_file}.yml").write_bytes(content)
        _, problems = load_data(data)
        return [str(p) for p in problems]


# Pieces of YAML syntax glued together at random.
yamlish = st.lists(
    st.sampled_from([*"- :\n\t'\"#[]{}&*!|>%@`,?abcid0129은평구\\", "id: ", "\n- ", "name: ", "  ", "---", "..."]),
    max_size=80,
).map("".join)


@PROPERTY_SETTINGS
@given(file=st.sampled_from(FILES), text=yamlish)
def test_random_yamlish_text_never_raises(file, text):
    for problem in load_problems(file, text.encode("utf-8")):
        assert PROBLEM.match(problem), problem


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.dates(),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
field_names = st.sampled_from(
    ["id", "name", "kind", "district", "road_address", "opened", "status", "floor_area_m2", "sources", "as_of", "lat"]
) | st.text(max_size=10)


@PROPERTY_SETTINGS
@given(file=st.sampled_from(FILES), records=st.lists(st.dictionaries(field_names, values, max_size=8), max_size=3))
def test_random_records_never_raise(file, records):
    text = yaml.safe_dump(records, allow_unicode=True)
    for problem in load_problems(file, text.encode("utf-8")):
        assert PROBLEM.match(problem), problem


@PROPERTY_SETTINGS
@given(file=st.sampled_from(FILES), blob=st.binary(max_size=300))
def test_random_bytes_never_raise(file, blob):
    for problem in load_problems(file, blob):
        assert PROBLEM.match(problem), problem


BROKEN = {
    "syntax error": CLUSTER.replace("  name: 은평구", '  name: "은평구').encode(),
    "wrong type": CLUSTER.replace("floor_area_m2: 1100", "floor_area_m2: [1100]").encode(),
    "missing field": CLUSTER.replace("  status: opened\n", "").encode(),
    "unknown reference": CLUSTER.replace('district: "11380"', 'district: "99999"').encode(),
    "empty file": b"",
    "10 MB file": b"- id: x\n" + b"#" * (10 * 1024 * 1024) + b"\n",
    "UTF-16": CLUSTER.encode("utf-16"),
    "EUC-KR": CLUSTER.encode("euc-kr"),
    "binary garbage": bytes(range(256)) * 8,
}


BUILT = ["syntax error", "wrong type", "empty file", "10 MB file", "UTF-16", "binary garbage"]


def run_together(commands: dict[str, tuple[list[str], Path]]) -> dict[str, subprocess.CompletedProcess]:
    """Run independent commands at once: each spends most of its time starting Python and importing."""
    started = {
        key: subprocess.Popen(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=START_ENV)
        for key, (argv, cwd) in commands.items()
    }
    done = {}
    try:
        for key, proc in started.items():
            out, err = proc.communicate(timeout=600)
            done[key] = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
    finally:
        for proc in started.values():
            proc.kill()
            proc.wait()
    return done


@pytest.fixture(scope="module")
def validated(tmp_path_factory) -> dict[str, subprocess.CompletedProcess]:
    """`seatlas validate` of each broken case."""
    commands = {}
    for case, content in BROKEN.items():
        data = make_data(tmp_path_factory.mktemp("validate"))
        (data / "clusters.yml").write_bytes(content)
        commands[case] = ([sys.executable, "-m", "seatlas", "--data", str(data), "validate"], data.parent)
    return run_together(commands)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, tuple[Path, subprocess.CompletedProcess]]:
    """`mkdocs build --strict` of a copy of the project with each broken case."""
    roots = {case: copy_project(tmp_path_factory.mktemp("broken")) for case in BUILT}
    for case, root in roots.items():
        (root / "data" / "clusters.yml").write_bytes(BROKEN[case])
    done = run_together(
        {case: ([sys.executable, "-m", "mkdocs", "build", "--strict"], root) for case, root in roots.items()}
    )
    return {case: (roots[case], done[case]) for case in BUILT}


@pytest.mark.parametrize("case", list(BROKEN))
def test_validate_command_rejects_broken_data(validated, case):
    proc = validated[case]
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert lines[0].startswith("The atlas data has ")
    assert all(PROBLEM.match(line.strip()) for line in lines[1:]), proc.stderr
    assert any(line.strip().startswith("data/clusters.yml") for line in lines[1:]), proc.stderr


@pytest.mark.parametrize("case", BUILT)
def test_build_rejects_broken_data_and_publishes_nothing(built, case):
    project, proc = built[case]
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output
    assert "Traceback" not in output
    assert "nothing was published" in output
    assert re.search(r"^\s*data/clusters\.yml(:\d+)?: ", output, re.MULTILINE), output
    assert not (project / "site").exists()
