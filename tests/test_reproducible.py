"""Two builds of the same sources give byte-identical sites."""

from __future__ import annotations

from pathlib import Path


def tree(site: Path) -> dict[str, bytes]:
    return {f.relative_to(site).as_posix(): f.read_bytes() for f in sorted(site.rglob("*")) if f.is_file()}


def test_two_builds_are_byte_identical(real_site, rebuilt_site):
    # A second copy in another folder, built at another time: neither path, clock nor time zone may leak in.
    assert real_site.root != rebuilt_site.root
    first, second = tree(real_site.site), tree(rebuilt_site.site)
    assert sorted(first) == sorted(second), set(first) ^ set(second)
    differing = [path for path in first if first[path] != second[path]]
    assert differing == [], f"files that differ between two builds: {differing}"
