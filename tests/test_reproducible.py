"""Two builds of the same sources give byte-identical sites."""

from __future__ import annotations

from conftest import tree


def test_two_builds_are_byte_identical(real_site, rebuilt_site):
    # A second copy in another folder, built at another time: neither path, clock nor time zone may leak in.
    assert real_site.root != rebuilt_site.root
    first, second = tree(real_site.site), tree(rebuilt_site.site)
    assert sorted(first) == sorted(second), set(first) ^ set(second)
    differing = [path for path in first if first[path] != second[path]]
    assert differing == [], f"files that differ between two builds: {differing}"
