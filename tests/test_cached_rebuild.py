"""Renders kept in the cache between rebuilds give exactly what a fresh render gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from mkdocs.config import load_config
from seatlas.glue import events
from seatlas.site import build


def generate(root: Path) -> dict[str, bytes | str]:
    config = load_config(str(root / "mkdocs.yml"))
    events.on_config(config)
    return {o.path: o.content for o in build.generate(events.state.ctx)}


@pytest.mark.slow
def test_cached_rebuild_equals_fresh_build(project):
    fresh = generate(project)
    clusters = project / "data" / "clusters.yml"
    clusters.write_text(
        clusters.read_text(encoding="utf-8").replace("tenant_count: 21", "tenant_count: 23", 1), "utf-8"
    )
    warm = generate(project)  # maps and charts come from the cache where their inputs did not change
    shutil.rmtree(project / ".cache")
    cold = generate(project)
    assert warm == cold
    changed = sorted(p for p in fresh if fresh[p] != cold[p])
    # The tenant count is drawn in the clusters chart and listed on pages, but not on the PNG maps.
    assert "assets/charts/clusters.svg" in changed
    assert not any(p.endswith(".png") for p in changed)
    # Map views carry the tenant count in their popup data: only the views showing Eunpyeong change.
    assert "embed/eunpyeong-gu/index.html" in changed and "map/atlas.html" in changed
    assert "embed/gwanak-gu/index.html" not in changed
