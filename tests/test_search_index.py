"""The search index every page fetches: within its budget, and every place findable by its name."""

from __future__ import annotations

import json

# Uncompressed bytes of search/search_index.json for the real atlas (issue: a phone downloads it whole).
BUDGET = 150_000


def index(site) -> list[dict]:
    return json.loads((site.site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]


def test_search_index_of_the_real_atlas_is_within_budget(real_site):
    size = (real_site.site / "search" / "search_index.json").stat().st_size
    assert size <= BUDGET, f"search index is {size:,} bytes, budget {BUDGET:,}"


def test_every_cluster_and_center_is_found_by_its_name(real_site):
    from seatlas.model.load import load_data

    atlas, _ = load_data(real_site.root / "data")
    docs = index(real_site)
    titles = {d["title"] for d in docs}
    missing = [r["name"] for kind in ("clusters", "centers") for r in atlas.all(kind) if r["name"] not in titles]
    assert missing == []


def test_citations_snippets_and_organisations_stay_out_of_the_index(real_site):
    from seatlas.model.load import load_data

    atlas, _ = load_data(real_site.root / "data")
    text = " ".join(d["title"] + " " + d["text"] for d in index(real_site) if d["location"].startswith("districts/"))
    assert "출처" not in text  # citations end every section: shown, not indexed
    assert "<iframe" not in text and "embed/" not in text  # copy-paste snippets
    assert "카카오맵에서 보기" not in text
    orgs = [o["name"] for o in atlas.all("organisations") if o["name"] in text]
    assert orgs == []
    page = real_site.html("districts/eunpyeong-gu/")
    assert "허스토리마실" in page and "출처" in page  # still on the page
    assert "data-search-exclude" not in page  # the theme removes its marks from the page


def test_the_map_pages_list_adds_no_entries_of_its_own(real_site):
    # The list beside the map repeats what district pages index; its headings were entries with no text.
    sections = [d["title"] for d in index(real_site) if d["location"].startswith("map/")]
    assert sections == ["사회적경제 지도", "목록으로 보기", "이메일·인쇄용 지도"]
