"""Two builds of the same sources give byte-identical sites."""

from __future__ import annotations

from pathlib import Path

from conftest import copy_project, run_build


def tree(site: Path) -> dict[str, bytes]:
    return {f.relative_to(site).as_posix(): f.read_bytes() for f in sorted(site.rglob("*")) if f.is_file()}


def test_two_builds_are_byte_identical(real_site, tmp_path):
    # A second copy in another folder, built at another time: neither path, clock nor time zone may leak in.
    again = run_build(copy_project(tmp_path), env={"TZ": "Pacific/Kiritimati"})
    assert again.returncode == 0, again.output
    first, second = tree(real_site.site), tree(again.site)
    assert sorted(first) == sorted(second), set(first) ^ set(second)
    differing = [path for path in first if first[path] != second[path]]
    assert differing == [], f"files that differ between two builds: {differing}"
