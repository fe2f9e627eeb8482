"""A synthetic national data folder: every district of Korea, thousands of records, for load tests.

Everything is drawn from one seeded `random.Random` in a fixed order, so a seed and a scale
always give byte-identical files. The records are plainly fake (phone numbers 0XX-000-NNNN,
one source named as synthetic) and pass the same validation as the real data.

A tool for benchmarks and tests, not part of the installed engine: scripts/make-national-data
runs it, scripts/benchmark and the tests import it with scripts/ on the module path.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from pathlib import Path

import shapely
from seatlas.model import geography

SOURCE_ID = "synthetic"
AS_OF = "2024-12-31"
ORGANISATIONS = 30_000
PLACES = 2_000  # clusters and centers together, at scale 1
HISTORY = 1_000
GSEF = 12
FIGURES = 60
# One line per record: at 30,000 records the block style would pass the 5 MiB limit of a data file.
FLOW_FILES = ("organisations.yml", "coordinates.yml")

# ---- Revised Romanization of Korean (국어의 로마자 표기법), for district names ----

_INITIALS = ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"]
_MEDIALS = [
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae",
    "oe", "yo", "u", "wo", "we", "wi", "yu", "eu", "ui", "i",
]  # fmt: skip
# Each final as heard before a consonant or at the end, and as carried over to a following vowel.
_FINALS = [
    ("", ""), ("k", "g"), ("k", "kk"), ("k", "gs"), ("n", "n"), ("n", "nj"), ("n", "n"), ("t", "d"),
    ("l", "r"), ("k", "lg"), ("m", "lm"), ("l", "lb"), ("l", "ls"), ("l", "lt"), ("p", "lp"), ("l", "r"),
    ("m", "m"), ("p", "b"), ("p", "bs"), ("t", "s"), ("t", "ss"), ("ng", "ng"), ("t", "j"), ("t", "ch"),
    ("k", "k"), ("t", "t"), ("p", "p"), ("t", ""),
]  # fmt: skip
_IEUNG, _RIEUL, _NIEUN, _MIEUM = 11, 5, 2, 6
_NASAL = {"k": "ng", "t": "n", "p": "m"}  # 백마 baengma, 십리 simni


def _jamo(syllable: str) -> tuple[int, int, int] | None:
    code = ord(syllable) - 0xAC00
    if not 0 <= code < 11172:
        return None
    return code // 588, code % 588 // 28, code % 28


def romanize(word: str) -> str:
    """Lowercase Revised Romanization of a Hangul word, with the common sound changes between syllables."""
    parts = [_jamo(c) for c in word]
    out = []
    for i, (char, jamo) in enumerate(zip(word, parts, strict=True)):
        if jamo is None:
            out.append(char.lower())
            continue
        initial, medial, final = jamo
        prev = parts[i - 1] if i else None
        nxt = parts[i + 1] if i + 1 < len(parts) else None
        onset = _INITIALS[initial]
        if prev is not None and prev[2]:
            before = _FINALS[prev[2]][0]
            if initial == _IEUNG:
                onset = ""  # the previous final was carried over to this vowel
            elif initial == _RIEUL:
                onset = "l" if before in ("l", "n") else "n"  # 신라 silla, 종로 jongno, 백로 baengno
            elif initial == _NIEUN and before == "l":
                onset = "l"  # 설날 seollal
        coda = ""
        if final:
            sound, linked = _FINALS[final]
            if nxt is None:
                coda = sound
            elif nxt[0] == _IEUNG:
                coda = linked
            elif nxt[0] in (_NIEUN, _MIEUM) or (nxt[0] == _RIEUL and sound in ("k", "p")):
                coda = _NASAL.get(sound, sound) if sound != "l" else "l"
            elif nxt[0] == _RIEUL and sound == "n":
                coda = "l"
            else:
                coda = sound
        out.append(onset + _MEDIALS[medial] + coda)
    return "".join(out)


_UNIT_SUFFIXES = {"구": "gu", "시": "si", "군": "gun"}


def _split_units(name: str) -> list[str]:
    """'수원시장안구' as the boundaries spell it → ['수원시', '장안구']."""
    m = re.fullmatch(r"(.+?시)(.+구)", name)
    return [m.group(1), m.group(2)] if m and len(name) > 3 else [name]


def english_name(name_ko: str) -> str:
    """The English name of a district, e.g. '종로구' → 'Jongno-gu', '수원시 장안구' → 'Suwon-si Jangan-gu'."""
    words = []
    for unit in name_ko.split():
        suffix = _UNIT_SUFFIXES.get(unit[-1]) if len(unit) > 1 else None
        stem = romanize(unit[:-1]) + "-" + suffix if suffix else romanize(unit)
        words.append(stem[:1].upper() + stem[1:])
    return " ".join(words)


def slugify(name_en: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name_en.lower()).strip("-")


# ---- YAML written by hand: fast, and the key order is ours ----

_PLAIN = re.compile(r"[가-힣][가-힣A-Za-z0-9 ·\-]*[가-힣A-Za-z0-9]|[가-힣]|[a-z][a-z0-9-]*|\d{4}-\d{2}-\d{2}")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def _scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if _PLAIN.fullmatch(value) and value not in _YAML_WORDS:
        return value
    return json.dumps(value, ensure_ascii=False)


def _record_lines(record: dict, indent: str = "  ") -> list[str]:
    lines = []
    for key, value in record.items():
        if isinstance(value, dict):
            lines.append(f"{indent}{key}:")
            lines.extend(_record_lines(value, indent + "  "))
        elif isinstance(value, list):
            lines.append(f"{indent}{key}: [{', '.join(_scalar(v) for v in value)}]")
        else:
            lines.append(f"{indent}{key}: {_scalar(value)}")
    return lines


def _flow(record: dict) -> str:
    items = (
        f"{k}: [{', '.join(_scalar(x) for x in v)}]" if isinstance(v, list) else f"{k}: {_scalar(v)}"
        for k, v in record.items()
    )
    return "- {" + ", ".join(items) + "}"


def dump(records: list[dict], comment: str, flow: bool = False) -> str:
    """A data file: a comment line, then one block per record, or one line per record when flow is set."""
    out = [f"# {comment}", ""]
    if flow:
        return "\n".join([*out, *(_flow(r) for r in records), ""])
    for record in records:
        lines = _record_lines(record)
        out.append("- " + lines[0][2:])
        out.extend(lines[1:])
        out.append("")
    return "\n".join(out)


# ---- The records ----

AREA_CODES = {
    "11": "02", "26": "051", "27": "053", "28": "032", "29": "062", "30": "042", "31": "052", "36": "044",
    "41": "031", "42": "033", "43": "043", "44": "041", "45": "063", "46": "061", "47": "054", "48": "055",
    "50": "064", "51": "033", "52": "063",
}  # fmt: skip
_NAME_PARTS = [
    "한빛",
    "다온",
    "누리",
    "새싹",
    "햇살",
    "마을",
    "나눔",
    "푸른",
    "함께",
    "이음",
    "모두",
    "하늘",
    "들꽃",
    "별빛",
    "두레",
    "가온",
]
_ORG_WORDS = {
    "social-enterprise": "사회적기업",
    "cooperative": "협동조합",
    "social-cooperative": "사회적협동조합",
    "village-enterprise": "마을기업",
    "social-venture": "랩",
    "company": "주식회사",
    "association": "모임",
    "network": "네트워크",
    "public": "공단",
    "platform": "장터",
}
_ACTIVITIES = [
    "돌봄 서비스",
    "도시락 배달",
    "공정무역 카페",
    "재활용 공방",
    "청소년 교육",
    "마을 인쇄소",
    "집수리",
    "로컬푸드 매장",
    "문화예술 교육",
    "공유 부엌",
]
# Short on purpose: 30,000 organisations must fit in one data file.
_SHORT_ACTIVITIES = [
    "돌봄",
    "도시락",
    "공정무역",
    "재활용",
    "교육",
    "인쇄",
    "집수리",
    "로컬푸드",
    "문화예술",
    "공유부엌",
]
_CLUSTER_KINDS = ["district-cluster", "city-space", "workshop", "hub", "center-space"]
_CLUSTER_WORDS = {
    "district-cluster": "클러스터",
    "city-space": "입주공간",
    "workshop": "공동작업장",
    "hub": "허브",
    "center-space": "공유공간",
}
_FACILITIES = ["사무실", "회의실", "교육실", "공유부엌", "코워킹룸", "창고", "다목적 홀"]
_HISTORY_CATEGORIES = [
    "founding",
    "agreement",
    "event",
    "opening",
    "launch",
    "international",
    "program",
    "plan",
    "visit",
]
_HISTORY_WORDS = {
    "founding": "지원조직 설립",
    "agreement": "업무협약 체결",
    "event": "사회적경제 장터",
    "opening": "공유공간 개소",
    "launch": "공동브랜드 출시",
    "international": "해외 도시 교류",
    "program": "창업 지원사업",
    "plan": "활성화 계획 수립",
    "visit": "사례 탐방",
}


class _Generator:
    """The state of one run: the random source and the places chosen so far."""

    def __init__(self, scale: float, seed: int):
        self.rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
        self.scale = scale
        areas = geography.districts()
        # Two parent cities (천안시, 창원시) overlap their own 구 and have no legal dongs of their own.
        self.codes = sorted(c for c in areas if geography.legal_dongs(c))
        self.areas = {c: areas[c] for c in self.codes}
        self.dongs = {c: sorted(geography.legal_dongs(c)) for c in self.codes}
        self.weights = [len(self.dongs[c]) for c in self.codes]
        self.coordinates: list[dict] = []

    def count(self, full: int, minimum: int = 1) -> int:
        return max(minimum, round(full * self.scale))

    def district(self) -> str:
        return self.rng.choices(self.codes, weights=self.weights)[0]

    def point(self, code: str, dong: str) -> tuple[float, float]:
        """A point inside both the legal dong and its district, by rejection sampling in the dong's bounds."""
        dong_geom = geography.legal_dongs(code)[dong].geometry
        district_geom = self.areas[code].geometry
        shapely.prepare(dong_geom)
        shapely.prepare(district_geom)
        minx, miny, maxx, maxy = dong_geom.bounds
        for _ in range(2000):
            lon = round(self.rng.uniform(minx, maxx), 6)
            lat = round(self.rng.uniform(miny, maxy), 6)
            if shapely.contains_xy(dong_geom, lon, lat) and shapely.contains_xy(district_geom, lon, lat):
                return lat, lon
        inner = dong_geom.intersection(district_geom).representative_point()
        return round(inner.y, 6), round(inner.x, 6)

    def place(self, record_id: str, code: str, dong: str) -> None:
        lat, lon = self.point(code, dong)
        self.coordinates.append(
            {
                "id": record_id,
                "lat": lat,
                "lon": lon,
                "precision": "rooftop",
                "method": "synthetic",
                "reviewed": True,
                "as_of": AS_OF,
            }
        )

    def road_address(self, code: str, dong: str) -> str:
        stem = re.sub(r"(\d+가|\d*동|[읍면리]|\d+)+$", "", dong) or dong
        return f"{self.name(code)} {stem}로 {self.rng.randint(1, 300)}"

    def name(self, code: str) -> str:
        area = self.areas[code]
        units = _split_units(area.name)
        if len(units) > 1 and area.parent.startswith(units[0][:-1]):
            units = units[1:]  # the boundaries write some Seoul districts as '서울시성북구'
        return " ".join(units)

    def districts(self) -> list[dict]:
        records, seen = [], set()
        for code in self.codes:
            name_ko = self.name(code)
            name_en = english_name(name_ko)
            slug = slugify(name_en)
            if slug in seen:
                slug = f"{slug}-{code}"
            seen.add(slug)
            record = {"id": code, "city": self.areas[code].parent, "name_ko": name_ko, "name_en": name_en, "slug": slug}
            if self.rng.random() < 0.1:
                record["special_zone"] = {"year": self.rng.randint(2016, 2020), "theme": self.rng.choice(_ACTIVITIES)}
            records.append(record | {"sources": [SOURCE_ID], "as_of": AS_OF})
        return records

    def centers(self) -> list[dict]:
        records = []
        for i, code in enumerate(self.codes):
            dong = self.rng.choice(self.dongs[code])
            record_id = f"center-{code}"
            records.append(
                {
                    "id": record_id,
                    "name": f"{self.name(code)} 사회적경제지원센터",
                    "kind": "district-center",
                    "district": code,
                    "phone": f"{AREA_CODES.get(code[:2], '070')}-000-{i:04d}",
                    "email": f"center-{code}@example.org",
                    "road_address": self.road_address(code, dong),
                    "legal_dong": dong,
                    "founded": str(self.rng.randint(2012, 2020)),
                    "sources": [SOURCE_ID],
                    "as_of": AS_OF,
                }
            )
            self.place(record_id, code, dong)
        return records

    def clusters(self) -> list[dict]:
        records = []
        for i in range(self.count(PLACES - len(self.codes), 0)):
            code = self.district()
            dong = self.rng.choice(self.dongs[code])
            kind = self.rng.choice(_CLUSTER_KINDS)
            record_id = f"cluster-{i + 1:05d}"
            record = {
                "id": record_id,
                "name": f"{dong} 사회적경제 {_CLUSTER_WORDS[kind]} {i + 1}",
                "kind": kind,
                "district": code,
                "road_address": self.road_address(code, dong),
                "legal_dong": dong,
                "floor_area_m2": self.rng.randint(50, 3000),
                "opened": f"{self.rng.randint(2013, 2024)}-{self.rng.randint(1, 12):02d}",
                "status": "planned" if self.rng.random() < 0.1 else "opened",
                "facilities": self.rng.sample(_FACILITIES, 3),
                "tenant_count": self.rng.randint(0, 40),
                "operator": f"center-{code}",
                "sources": [SOURCE_ID],
                "as_of": AS_OF,
            }
            records.append(record)
            self.place(record_id, code, dong)
        return records

    def organisations(self, clusters: list[dict]) -> list[dict]:
        by_district: dict[str, list[str]] = {}
        for c in clusters:
            by_district.setdefault(c["district"], []).append(c["id"])
        records = []
        kinds = list(_ORG_WORDS)
        for i in range(self.count(ORGANISATIONS)):
            code = self.district()
            dong = self.rng.choice(self.dongs[code])
            kind = self.rng.choice(kinds)
            record_id = f"o-{i + 1:05d}"
            record = {
                "id": record_id,
                "name": f"{self.rng.choice(_NAME_PARTS)} {_ORG_WORDS[kind]}",
                "kind": kind,
                "district": code,
            }
            if code in by_district and self.rng.random() < 0.1:
                record["cluster"] = self.rng.choice(by_district[code])
            record |= {
                "description": self.rng.choice(_SHORT_ACTIVITIES),
                "legal_dong": dong,
                "sources": [SOURCE_ID],
                "as_of": AS_OF,
            }
            records.append(record)
            self.place(record_id, code, dong)
        return records

    def history(self, clusters: list[dict]) -> list[dict]:
        records = []
        for i in range(self.count(HISTORY)):
            year = self.rng.randint(2013, 2024)
            precision = self.rng.random()
            date = (
                f"{year}-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"
                if precision < 0.5
                else f"{year}-{self.rng.randint(1, 12):02d}"
                if precision < 0.8
                else str(year)
            )
            category = self.rng.choice(_HISTORY_CATEGORIES)
            codes = sorted({self.district() for _ in range(self.rng.randint(1, 2))})
            record = {
                "id": f"h-{i + 1:05d}",
                "date": date,
                "title": f"{self.name(codes[0])} {_HISTORY_WORDS[category]}",
                "category": category,
                "districts": codes,
            }
            nearby = [c["id"] for c in clusters if c["district"] == codes[0]]
            if category == "opening" and nearby:
                record["clusters"] = [self.rng.choice(nearby)]
            records.append(record | {"sources": [SOURCE_ID], "as_of": f"{year}-12-31"})
        return records

    def gsef(self) -> list[dict]:
        cities = ["서울", "몬트리올", "빌바오", "더반", "보르도", "멕시코시티"]
        records = []
        for i in range(self.count(GSEF)):
            year = 2013 + i % 12
            records.append(
                {
                    "id": f"gsef-{i + 1:03d}",
                    "title": f"GSEF {year} 합성 행사 {i + 1}",
                    "start": f"{year}-{self.rng.randint(1, 12):02d}",
                    "city": self.rng.choice(cities),
                    "kind": self.rng.choice(["forum", "assembly", "meeting", "announcement"]),
                    "participants": self.rng.randint(100, 5000),
                    "sources": [SOURCE_ID],
                    "as_of": f"{year}-12-31",
                }
            )
        return records

    def figures(self) -> list[dict]:
        groups = ["growth", "finance", "gsef", "kpi", "budget", "program"]
        records = []
        for i in range(self.count(FIGURES)):
            year = 2013 + i % 12
            records.append(
                {
                    "id": f"fig-{i + 1:03d}",
                    "group": groups[i % len(groups)],
                    "label": f"합성 수치 {i + 1}",
                    "value": self.rng.randint(1, 100_000),
                    "unit": self.rng.choice(["개", "명", "억 원"]),
                    "date": str(year),
                    "sources": [SOURCE_ID],
                    "as_of": f"{year}-12-31",
                }
            )
        return records


def _source() -> dict:
    return {
        "id": SOURCE_ID,
        "title": "합성 전국 시험 자료 (synthetic national test data)",
        "publisher": "서울 사회적경제 지도",
        "published": "2024",
        "kind": "dataset",
        "language": "ko",
        "note": "성능과 규모를 시험하려고 무작위로 만든 가짜 기록입니다. 실제 기관이나 사실이 아닙니다.",
    }


def generate(out_dir: Path, scale: float = 1.0, seed: int = 1) -> dict[str, int]:
    """Write every data file of a synthetic national atlas into out_dir; return the record counts by file."""
    gen = _Generator(scale, seed)
    districts = gen.districts()
    centers = gen.centers()
    clusters = gen.clusters()
    files = {
        "sources.yml": [_source()],
        "districts.yml": districts,
        "centers.yml": centers,
        "clusters.yml": clusters,
        "organisations.yml": gen.organisations(clusters),
        "history.yml": gen.history(clusters),
        "gsef.yml": gen.gsef(),
        "figures.yml": gen.figures(),
        "coordinates.yml": gen.coordinates,
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, records in files.items():
        comment = f"합성 전국 시험 자료 (scale {scale}, seed {seed}): 실제 기록이 아닙니다."
        flow = name in FLOW_FILES
        (out_dir / name).write_text(dump(records, comment, flow), encoding="utf-8")
    return {name: len(records) for name, records in files.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="write a synthetic national data folder for load tests")
    parser.add_argument("out_dir", type=Path, help="folder to write the YAML files into")
    parser.add_argument(
        "--scale", type=float, default=1.0, help="fraction of the full size (1.0: 30,000 organisations)"
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the random choices")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    counts = generate(args.out_dir, args.scale, args.seed)
    summary = ", ".join(f"{n} {name.removesuffix('.yml')}" for name, n in counts.items())
    print(f"{args.out_dir}: wrote {summary} in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
