"""Where generated pages live in the site sources, and links between them."""

from __future__ import annotations

import functools
import posixpath

from ..model.records import Record

# Province-level code prefixes of the 5-digit district codes, with stable URL names.
CITY_SLUGS = {
    "11": "seoul",
    "26": "busan",
    "27": "daegu",
    "28": "incheon",
    "29": "gwangju",
    "30": "daejeon",
    "31": "ulsan",
    "36": "sejong",
    "41": "gyeonggi",
    "42": "gangwon",
    "43": "chungbuk",
    "44": "chungnam",
    "45": "jeonbuk",
    "46": "jeonnam",
    "47": "gyeongbuk",
    "48": "gyeongnam",
    "50": "jeju",
    "51": "gangwon",
    "52": "jeonbuk",
}


def district_path(d: Record) -> str:
    return f"districts/{d['slug']}.md"


def city_slug(code: str) -> str:
    return CITY_SLUGS.get(code[:2], f"region-{code[:2]}")


def by_city(districts) -> dict[str, list[Record]]:
    """Districts grouped by city slug, cities and districts in code order."""
    groups: dict[str, list[Record]] = {}
    for d in sorted(districts, key=lambda d: d.id):
        groups.setdefault(city_slug(d.id), []).append(d)
    return groups


def check_slugs(atlas, report) -> None:
    """Each district page has an address of its own: slugs unique, and not a city page's or the index's."""
    taken = {slug: "a city page" for slug in CITY_SLUGS.values()} | {"index": "the districts index"}
    taken.update({f"region-{d.id[:2]}": "a city page" for d in atlas.all("districts")})
    seen: dict[str, Record] = {}
    for d in atlas.all("districts"):
        slug, line = d["slug"], d.lines.get("slug", d.line)
        if slug in seen:
            first = seen[slug]
            report.add(
                d.file, line, d.id, "slug", f"'{slug}' is already the slug of {first.id} ({first.file}:{first.line})"
            )
        elif slug in taken:
            report.add(d.file, line, d.id, "slug", f"'{slug}' is the address of {taken[slug]}: choose another slug")
        seen.setdefault(slug, d)


# Checks of the data that the page addresses need, run with the data checks (see model.load).
PAGE_CHECKS = (check_slugs,)


def city_path(code: str) -> str:
    return f"districts/{city_slug(code)}.md"


@functools.cache  # a few thousand distinct pairs, asked for hundreds of thousands of times at national scale
def rel(page: str, target: str) -> str:
    """Relative link from one source page to another (MkDocs checks and rewrites it)."""
    base, _, anchor = target.partition("#")
    out = posixpath.relpath(base, posixpath.dirname(page) or ".")
    return f"{out}#{anchor}" if anchor else out
