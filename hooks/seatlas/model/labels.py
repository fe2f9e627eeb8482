"""Korean labels of the choice values in the schema, declared once for pages, maps, charts and timelines."""

from __future__ import annotations

CLUSTER_KIND_LABELS = {
    "district-cluster": "자치구 클러스터",
    "city-space": "서울시 입주공간",
    "workshop": "공동작업장",
    "hub": "협동허브",
    "center-space": "지원센터 공간",
}
ORG_KIND_LABELS = {
    "social-enterprise": "사회적기업",
    "cooperative": "협동조합",
    "social-cooperative": "사회적협동조합",
    "village-enterprise": "마을기업",
    "social-venture": "소셜벤처",
    "company": "기업",
    "association": "단체",
    "network": "네트워크",
    "public": "공공기관",
    "platform": "플랫폼·판로",
    "intermediary": "중간지원조직",
}
CENTER_KIND_LABELS = {"city-center": "광역 지원센터", "district-center": "지원센터", "district-project": "사업단"}
GSEF_KIND_LABELS = {"forum": "포럼", "assembly": "총회", "meeting": "회의", "announcement": "발표"}
# History categories, plus the two the timelines add: cluster openings and GSEF events.
CATEGORY_LABELS = {
    "founding": "설립",
    "agreement": "협약",
    "event": "행사",
    "opening": "개소·개관",
    "launch": "서비스 시작",
    "international": "국제",
    "program": "사업",
    "plan": "계획",
    "visit": "탐방",
    "gsef": "GSEF",
}

# The kinds of place on the maps and in their lists (PNG legends, map views, the map page).
PLACE_KIND_LABELS = {"clusters": "클러스터·공유공간", "centers": "지원센터", "organisations": "사회적경제 조직"}
# Where a place is drawn: at the middle of its legal dong (its address not located; the short form
# in list rows), at its own coordinates, or nowhere; and the layer of district boundaries.
APPROXIMATE_PLACE = "대략적 위치 (동 중심)"
APPROXIMATE_PLACE_SHORT = "대략적 위치"
EXACT_PLACE = "확인된 좌표"
NO_PLACE = "위치 정보 없음"
BOUNDARIES = "자치구 경계"
