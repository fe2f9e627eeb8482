"""The whole generated site of the real atlas, compared with the expected output committed in tests/golden/.

Every file the hooks generate (Markdown pages, map HTML, SVG, CSV, JSON, GeoJSON) is kept as text; binary or
copied files (PNG maps, vendored Leaflet) are kept as a sha256 manifest. A change of output must be made on
purpose: refresh with `scripts/update-golden` and review the diff of tests/golden/ before committing it.
"""

from __future__ import annotations

import difflib
import hashlib
import shutil
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"
TEXT_DIR = GOLDEN / "site"
MANIFEST = GOLDEN / "binary.sha256"
TEXT_SUFFIXES = {".md", ".html", ".svg", ".csv", ".json", ".geojson", ".txt"}
MAX_DIFF_LINES = 120


def is_text(path: str) -> bool:
    """Files drawn from the data are compared as text; vendored and binary files by their hash."""
    return not path.startswith("assets/") and Path(path).suffix in TEXT_SUFFIXES


@pytest.fixture(scope="module")
def generated(in_process_build) -> dict[str, bytes]:
    return in_process_build.files


def expected() -> tuple[dict[str, str], dict[str, str]]:
    texts = {
        p.relative_to(TEXT_DIR).as_posix(): p.read_bytes().decode("utf-8") for p in TEXT_DIR.rglob("*") if p.is_file()
    }
    hashes = {}
    for line in MANIFEST.read_text(encoding="utf-8").splitlines():
        digest, path = line.split("  ", 1)
        hashes[path] = digest
    return texts, hashes


def write_golden(files: dict[str, bytes]) -> None:
    shutil.rmtree(GOLDEN, ignore_errors=True)
    TEXT_DIR.mkdir(parents=True)
    lines = []
    for path, content in sorted(files.items()):
        if is_text(path):
            target = TEXT_DIR / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        else:
            lines.append(f"{hashlib.sha256(content).hexdigest()}  {path}\n")
    MANIFEST.write_text("".join(lines), encoding="utf-8")


def test_generated_site_matches_golden(generated, request):
    if request.config.getoption("--update-golden"):
        write_golden(generated)
        pytest.skip("golden output rewritten; review `git diff tests/golden` before committing")
    texts, hashes = expected()
    actual_texts = {p: c.decode("utf-8") for p, c in generated.items() if is_text(p)}
    actual_hashes = {p: hashlib.sha256(c).hexdigest() for p, c in generated.items() if not is_text(p)}

    problems = []
    for name, want, got in (("text", texts, actual_texts), ("binary", hashes, actual_hashes)):
        if missing := sorted(set(want) - set(got)):
            problems.append(f"{name} files no longer generated: {missing}")
        if extra := sorted(set(got) - set(want)):
            problems.append(f"new {name} files: {extra}")
    changed_binary = sorted(p for p in set(hashes) & set(actual_hashes) if hashes[p] != actual_hashes[p])
    if changed_binary:
        problems.append(f"binary files whose content changed: {changed_binary}")
    diff_lines: list[str] = []
    changed_text = sorted(p for p in set(texts) & set(actual_texts) if texts[p] != actual_texts[p])
    for path in changed_text:
        if len(diff_lines) >= MAX_DIFF_LINES:
            break
        diff = difflib.unified_diff(
            texts[path].splitlines(),
            actual_texts[path].splitlines(),
            f"golden/{path}",
            f"built/{path}",
            lineterm="",
            n=2,
        )
        diff_lines.extend(line[:300] for line in diff)
    if changed_text:
        problems.append(f"{len(changed_text)} text files differ: {changed_text[:20]}")
        problems.append("\n".join(diff_lines[:MAX_DIFF_LINES]))
    assert not problems, "\n".join(problems) + "\n\nIf the change is intended, run scripts/update-golden."
