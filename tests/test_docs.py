"""Every command, script and setting is documented where editors and developers look."""

from __future__ import annotations

from pathlib import Path

from seatlas.cli import main as cli
from seatlas.glue.config import AtlasConfig

ROOT = Path(__file__).resolve().parent.parent
GUIDE = (ROOT / "content" / "guide.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_cli_command_is_in_the_guide():
    commands = cli.parser()._subparsers._group_actions[0].choices
    missing = [name for name in commands if f"seatlas {name}" not in GUIDE]
    assert sorted(commands) == sorted(cli.COMMANDS)
    assert missing == []


def test_every_script_is_documented():
    scripts = sorted(p.name for p in (ROOT / "scripts").iterdir() if p.is_file())
    missing = [s for s in scripts if f"scripts/{s}" not in GUIDE + README]
    assert missing == []


def test_every_setting_is_documented():
    missing = [name for name in (key for key, _ in AtlasConfig._schema) if name not in GUIDE]
    assert missing == []
