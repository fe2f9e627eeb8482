"""The data model: every record type and field, declared once.

The validator, the editors' guide, the JSON Schemas and the CSV columns are all
derived from these declarations, so they cannot drift apart.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property

from .types import (
    Boolean,
    Choice,
    Code,
    Date,
    Email,
    FieldType,
    Group,
    ListOf,
    Number,
    Partial,
    Phone,
    Ref,
    Slug,
    Text,
    Url,
    object_schema,
)


@dataclass(frozen=True)
class Field:
    """One key of a record."""

    name: str
    type: FieldType
    doc: str
    required: bool = False
    example: object = None


@dataclass(frozen=True)
class RecordType:
    """One kind of record, stored as a list in `data/<file>`."""

    name: str
    file: str
    title: str
    doc: str
    fields: tuple[Field, ...]
    common: bool = True
    id_type: FieldType = field(default_factory=Slug)

    def all_fields(self) -> tuple[Field, ...]:
        return self._by_name[0]

    def field(self, name: str) -> Field | None:
        return self._by_name[1].get(name)

    @cached_property
    def _by_name(self) -> tuple[tuple[Field, ...], dict[str, Field]]:
        # Asked for every record and every template attribute: made once per record type.
        head = (
            Field("id", self.id_type, "기록의 고유 식별자. 한 번 정하면 바꾸지 않습니다 (주소·링크에 쓰임).", True),
        )
        tail = COMMON_FIELDS if self.common else ()
        fields = head + self.fields + tail
        return fields, {f.name: f for f in fields}


COMMON_FIELDS = (
    Field(
        "sources",
        ListOf(Ref("sources"), min_items=1),
        "이 기록의 근거가 된 자료의 id 목록 (data/sources.yml).",
        True,
        ["report-2018"],
    ),
    Field("as_of", Date(), "이 기록의 사실이 확인된 날짜 (YYYY-MM-DD).", True, "2018-12-31"),
    Field(
        "note",
        Text(),
        "편집자 메모: 자료 사이에 차이가 있을 때 무엇을 왜 골랐는지 등. 공개 페이지에는 나오지 않습니다.",
    ),
    Field(
        "estimated",
        ListOf(Text(multiline=False)),
        "자료에 정확히 적혀 있지 않아 추정하거나 어림한 값의 필드 이름 목록. "
        "공개 페이지에 날짜는 '추정', 수는 '약'으로 표시됩니다.",
        example=["date", "value"],
    ),
)

_DISTRICT = Ref("districts", inner=Code(5))
_ADDRESS_FIELDS = (
    Field("road_address", Text(multiline=False), "도로명주소 (자료에 적힌 그대로).", example="은평구 은평로 245"),
    Field("address_detail", Text(multiline=False), "건물 이름, 층 등 상세 주소."),
    Field("legal_dong", Text(multiline=False), "법정동 이름 (예: 녹번동). 지도 위치의 확인과 대략 위치에 쓰입니다."),
    Field("admin_dong", Text(multiline=False), "자료에 행정동으로 적힌 경우 그 이름."),
    Field("postal_code", Text(r"\d{5}", "a 5-digit postal code", False), "우편번호 (다섯 자리)."),
)

SOURCES = RecordType(
    "sources",
    "sources.yml",
    "자료",
    "사실의 근거가 되는 문서. 모든 기록은 하나 이상의 자료를 가리킵니다.",
    (
        Field("title", Text(multiline=False), "자료의 제목.", True),
        Field("publisher", Text(multiline=False), "발행 기관 또는 매체.", True),
        Field("published", Partial(), "발행일 (연, 연-월 또는 연-월-일).", True),
        Field("kind", Choice("article", "report", "blog", "dataset"), "자료의 종류.", True),
        Field("authors", ListOf(Text(multiline=False)), "글쓴이."),
        Field("url", Url(), "자료의 인터넷 주소 (http:// 또는 https://)."),
        Field("language", Choice("ko", "en"), "자료의 언어."),
        Field("licence", Text(), "자료나 데이터의 이용 조건."),
        Field("note", Text(), "편집자 메모: 발행일을 어떻게 정했는지 등. 공개 페이지에는 나오지 않습니다."),
        Field("estimated", ListOf(Text(multiline=False)), "추정한 값의 필드 이름 목록 (예: [published])."),
    ),
    common=False,
)

DISTRICTS = RecordType(
    "districts",
    "districts.yml",
    "자치구",
    "시·군·구. id는 다섯 자리 시군구 코드입니다.",
    (
        Field("city", Text(multiline=False), "광역시·도 (예: 서울특별시).", True),
        Field("name_ko", Text(multiline=False), "한국어 이름 (예: 은평구).", True),
        Field("name_en", Text(multiline=False), "영어 이름 (예: Eunpyeong-gu).", True),
        Field("slug", Slug(), "페이지 주소에 쓰는 로마자 이름 (예: eunpyeong-gu). 바꾸지 않습니다.", True),
        Field(
            "special_zone",
            Group(
                Field("year", Partial(), "자료가 말하는 연도.", True),
                Field("theme", Text(multiline=False), "특구 주제 (예: 도시재생).", True),
                Field("description", Text(), "자료에 적힌 사업 설명."),
            ),
            "서울시 사회적경제 특구 주제 (2018 성과보고서).",
        ),
    ),
    id_type=Code(5),
)

CLUSTERS = RecordType(
    "clusters",
    "clusters.yml",
    "클러스터·공유공간",
    "사회적경제 기업이 함께 입주하거나 함께 쓰는 공간.",
    (
        Field("name", Text(multiline=False), "공간 이름.", True),
        Field(
            "kind",
            Choice("district-cluster", "city-space", "workshop", "hub", "center-space"),
            "공간의 종류: 자치구 클러스터, 서울시 공간, 공동작업장, 허브, 지원센터 공간.",
            True,
        ),
        Field("district", _DISTRICT, "공간이 있는 자치구의 코드.", True, "11380"),
        *_ADDRESS_FIELDS,
        Field("floor_area_m2", Number(), "연면적 (㎡, 숫자만).", example=1100),
        Field("floor_area_pyeong", Number(), "자료가 평으로만 말할 때의 면적 (평)."),
        Field("floors", Text(multiline=False), "층 (자료에 적힌 그대로, 예: 지상3~4층)."),
        Field("opened", Partial(), "개관 (또는 개관 예정) 시기.", example="2014-03"),
        Field("status", Choice("opened", "planned"), "개관했으면 opened, 예정이면 planned.", True),
        Field("facilities", ListOf(Text(multiline=False)), "시설 (사무실, 회의실 …)."),
        Field("tenant_count", Number(integer=True), "입주 조직 수.", example=21),
        Field("tenant_kinds", ListOf(Text(multiline=False)), "입주 조직의 종류 (기업, 중간지원조직 …)."),
        Field("operator", Ref("centers"), "공간을 운영하는 지원조직의 id."),
        Field("eligibility", Text(), "입주 대상."),
        Field("rent", Text(), "임대료 조건 (자료에 적힌 그대로)."),
        Field("max_term_years", Number(), "최대 입주 기간 (년)."),
        Field("description", Text(), "공간에 대해 자료가 말하는 내용."),
    ),
)

CENTERS = RecordType(
    "centers",
    "centers.yml",
    "지원센터",
    "사회적경제 지원조직: 서울시 센터와 자치구 센터·사업단.",
    (
        Field("name", Text(multiline=False), "기관 이름.", True),
        Field("kind", Choice("city-center", "district-center", "district-project"), "기관의 종류.", True),
        Field("district", _DISTRICT, "기관이 맡은 (또는 있는) 자치구의 코드.", True),
        Field("phone", Phone(), "대표 전화 (예: 02-355-7913).", example="02-355-7913"),
        Field("fax", Phone(), "팩스."),
        Field("email", Email(), "대표 이메일."),
        Field("web", Url(), "누리집 주소."),
        *_ADDRESS_FIELDS,
        Field(
            "located_in",
            Ref("clusters"),
            "센터가 들어 있는 공간(클러스터)의 id. 자료가 센터가 그 건물에 있다고 말할 때만 적고, 근거가 된 자료를 "
            "sources에, 자료의 말을 note에 적습니다. 지도에는 그 공간의 위치에 그려집니다 (주소를 옮겨 적지 않습니다).",
            example="cluster-eunpyeong",
        ),
        Field("founded", Partial(), "설립 시기."),
        Field("operator", Text(multiline=False), "위탁 운영 기관."),
        Field("directions", ListOf(Text(multiline=False)), "찾아오는 길 (대중교통 안내)."),
        Field("description", Text(), "기관에 대해 자료가 말하는 내용."),
    ),
)

GSEF = RecordType(
    "gsef",
    "gsef.yml",
    "GSEF",
    "국제사회적경제협의체(GSEF)의 주요 사건.",
    (
        Field("title", Text(multiline=False), "사건 이름.", True),
        Field("start", Partial(), "시작일.", True),
        Field("end", Partial(), "종료일 (여러 날일 때)."),
        Field("city", Text(multiline=False), "개최 도시.", True),
        Field("country", Text(multiline=False), "개최 나라."),
        Field("kind", Choice("forum", "assembly", "meeting", "announcement"), "사건의 종류.", True),
        Field("adopted", ListOf(Text(multiline=False)), "채택·발표·체결된 것 (선언, 헌장, 협정 …)."),
        Field("countries", Number(integer=True), "참가국 수 (자료의 '여'는 note에)."),
        Field("participants", Number(integer=True), "참가자 수."),
        Field("description", Text(), "자료가 말하는 내용."),
    ),
)

HISTORY = RecordType(
    "history",
    "history.yml",
    "연혁",
    "서울시사회적경제지원센터와 지역 사회적경제의 날짜가 있는 사건.",
    (
        Field("date", Partial(), "날짜 (2018, 2018-07, 2018-07-05 중 아는 만큼).", True),
        Field("end", Partial(), "끝나는 날짜 (기간일 때)."),
        Field("title", Text(multiline=False), "무엇이 있었는지 (한 줄).", True),
        Field(
            "category",
            Choice("founding", "agreement", "event", "opening", "launch", "international", "program", "plan", "visit"),
            "분류: 설립, 협약, 행사, 개소, 서비스 시작, 국제, 사업, 계획, 탐방.",
            True,
        ),
        Field("districts", ListOf(_DISTRICT), "관련 자치구 코드 목록."),
        Field("clusters", ListOf(Ref("clusters")), "관련 공간의 id 목록."),
        Field("description", Text(), "자세한 내용."),
    ),
)

ORGANISATIONS = RecordType(
    "organisations",
    "organisations.yml",
    "조직",
    "자료에 나오는 사회적경제 기업·협동조합·소셜벤처·단체.",
    (
        Field("name", Text(multiline=False), "조직 이름.", True),
        Field(
            "kind",
            Choice(
                "social-enterprise",
                "cooperative",
                "social-cooperative",
                "village-enterprise",
                "social-venture",
                "company",
                "association",
                "network",
                "public",
                "platform",
                "intermediary",
            ),
            "종류: 사회적기업, 협동조합, 사회적협동조합, 마을기업, 소셜벤처, 회사, 단체, 네트워크, 공공기관, 플랫폼, "
            "중간지원조직(지원센터 목록 밖의 지원·추진 조직).",
            True,
        ),
        Field("district", _DISTRICT, "조직이 있는 자치구 코드 (자료가 말할 때만)."),
        Field("cluster", Ref("clusters"), "입주한 공간의 id (자료가 말할 때만)."),
        Field("description", Text(), "자료가 말하는 활동 내용.", True),
        Field(
            "people",
            ListOf(
                Group(
                    Field("name", Text(multiline=False), "이름.", True), Field("role", Text(multiline=False), "직함.")
                )
            ),
            "자료에 소개된 사람.",
        ),
        *_ADDRESS_FIELDS,
        Field("web", Url(), "누리집 주소 (자료에 있을 때만)."),
    ),
)

FIGURES = RecordType(
    "figures",
    "figures.yml",
    "수치",
    "자료에 나오는 주요 수치.",
    (
        Field("group", Choice("growth", "finance", "gsef", "kpi", "budget", "program"), "수치의 묶음.", True),
        Field("label", Text(multiline=False), "무엇의 수치인지.", True),
        Field("value", Number(minimum=-1e15), "값 (숫자만).", True),
        Field("unit", Text(multiline=False), "단위 (개, 명, 원, 억 원, % …).", True),
        Field("date", Partial(), "수치가 가리키는 시점.", True),
        Field("baseline", Number(minimum=-1e15), "비교의 기준값 (증가를 말할 때)."),
        Field("baseline_date", Partial(), "기준값의 시점."),
        Field("target", Number(minimum=-1e15), "목표값 (성과지표일 때)."),
        Field("program", Text(multiline=False), "해당 사업 이름 (성과지표·예산일 때)."),
        Field(
            "flow",
            Choice("revenue", "spending"),
            "예산·정산 수치의 방향: revenue(세입, 들어온 돈) 또는 spending(세출, 쓴 돈).",
        ),
    ),
)

COORDINATES = RecordType(
    "coordinates",
    "coordinates.yml",
    "좌표",
    "검토를 마친 위치. 지오코딩 명령이 채우고 사람이 확인합니다. 빌드는 지오코더를 부르지 않습니다.",
    (
        Field("lat", Number(minimum=33, maximum=39), "위도 (WGS84).", True),
        Field("lon", Number(minimum=124, maximum=132), "경도 (WGS84).", True),
        Field("precision", Choice("rooftop", "street", "dong"), "정확도: 건물, 도로, 동 중심.", True),
        Field("method", Text(multiline=False), "어떻게 얻었는지 (지오코더 이름 또는 manual).", True),
        Field("query", Text(multiline=False), "지오코더에 보낸 주소."),
        Field("reviewed", Boolean(), "사람이 지도에서 확인했으면 true.", True),
        Field("as_of", Date(), "좌표를 얻은 날짜.", True),
        Field("note", Text(), "편집자 메모."),
    ),
    common=False,
    id_type=Ref("clusters", "centers", "organisations"),
)

RECORD_TYPES: tuple[RecordType, ...] = (
    SOURCES,
    DISTRICTS,
    CENTERS,
    CLUSTERS,
    ORGANISATIONS,
    GSEF,
    HISTORY,
    FIGURES,
    COORDINATES,
)
BY_NAME = {t.name: t for t in RECORD_TYPES}


def json_schema(record_type: RecordType, base_url: str = "") -> dict:
    """The JSON Schema of one data file (a list of records)."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{base_url}{record_type.name}.schema.json",
        "title": f"{record_type.title} ({record_type.file})",
        "description": record_type.doc,
        "type": "array",
        "items": object_schema(record_type.all_fields()),
    }


def schema_files() -> dict[str, str]:
    """The JSON Schema files, by file name, as written to `data/schemas/`."""
    return {
        f"{t.name}.schema.json": json.dumps(json_schema(t), ensure_ascii=False, indent=2) + "\n" for t in RECORD_TYPES
    }
