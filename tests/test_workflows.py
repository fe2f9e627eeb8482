"""The hosted workflows: each runs the README's test command and builds with the cache of earlier runs."""

from __future__ import annotations

import pytest
import yaml
from conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def steps(workflow) -> list[dict]:
    jobs = yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"]
    return [step for job in jobs.values() for step in job.get("steps", [])]


def test_there_are_a_publishing_workflow_and_pull_request_checks():
    assert [w.name for w in WORKFLOWS] == ["checks.yml", "publish.yml"]


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda w: w.name)
def test_a_workflow_tests_then_builds_strictly_with_the_kept_cache(workflow):
    runs = [step.get("run", "") for step in steps(workflow)]
    uses = [step.get("uses", "") for step in steps(workflow)]
    test = runs.index("scripts/test")
    build = next(i for i, run in enumerate(runs) if "mkdocs build --strict" in run)
    cache = next(i for i, use in enumerate(uses) if use.startswith("actions/cache@"))
    assert test < cache < build
    kept = steps(workflow)[cache]["with"]
    assert kept["path"] == ".cache"
    # Keyed by every input of the build, and restored from the newest entry when one changed.
    for inputs in ("data/**", "hooks/**", "mkdocs.yml", "pyproject.toml"):
        assert f"'{inputs}'" in kept["key"]
    assert kept["restore-keys"].strip() == kept["key"].split("$")[0]
