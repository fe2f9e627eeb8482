"""The engine's layers, checked by import-linter with the contracts in pyproject.toml."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp
from conftest import ROOT


def test_import_contracts_are_kept():
    """Layers (glue > cli > site > maps > render > model), MkDocs only in the glue, no cycles anywhere."""
    lint_imports = Path(sys.executable).parent / "lint-imports"
    proc = subprocess.run([str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout


def test_function_level_imports_count():
    """The contracts see imports inside functions too: chart_drawing imports Matplotlib only there."""
    graph = grimp.build_graph("seatlas", include_external_packages=True, cache_dir=None)
    assert graph.direct_import_exists(importer="seatlas.site.chart_drawing", imported="matplotlib")
    source = (ROOT / "hooks" / "seatlas" / "site" / "chart_drawing.py").read_text(encoding="utf-8")
    top_level = [line for line in source.splitlines() if line.startswith(("import matplotlib", "from matplotlib"))]
    assert top_level == []
