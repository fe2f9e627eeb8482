"""Command line: `seatlas validate`, `seatlas schemas`, and the editors' other commands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..model import schema
from ..model.load import load_data
from ..model.schema import schema_files
from ..model.validation import format_problems
from ..render.paths import PAGE_CHECKS
from . import geocode, scaffold


def _validate(args: argparse.Namespace) -> int:
    atlas, problems = load_data(Path(args.data), extra_checks=PAGE_CHECKS)
    if problems:
        print(format_problems(problems), file=sys.stderr)
        return 1
    counts = ", ".join(f"{len(atlas.all(t.name))} {t.name}" for t in schema.RECORD_TYPES)
    print(f"{args.data}: all records are valid ({counts})")
    return 0


def _schemas(args: argparse.Namespace) -> int:
    out = Path(args.data) / "schemas"
    out.mkdir(parents=True, exist_ok=True)
    for name, text in schema_files().items():
        (out / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(schema.RECORD_TYPES)} JSON Schemas to {out}")
    return 0


COMMANDS = {
    "validate": (_validate, "check every data file and list all problems, without building the site"),
    "schemas": (_schemas, "write the JSON Schemas (for editor autocompletion) into DATA/schemas/"),
    "new": (scaffold.new_command, "append an empty, commented record of one type to its data file, to fill in"),
    "geocode": (geocode.command, "look up coordinates of addresses not yet in DATA/coordinates.yml and append them"),
}


def parser() -> argparse.ArgumentParser:
    """The argument parser, with one sub-command per entry of COMMANDS and EXTRA_COMMANDS."""
    top = argparse.ArgumentParser(prog="seatlas", description="Seoul Social Economy Atlas tools")
    top.add_argument("--data", default="data", help="data folder (default: data)")
    subs = top.add_subparsers(dest="command", required=True)
    for name, (func, help_text) in COMMANDS.items():
        sub = subs.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(func=func)
        for add_arguments in EXTRA_ARGUMENTS.get(name, ()):
            add_arguments(sub)
    return top


# Modules with their own commands add an argument builder here (see geocode, scaffold).
EXTRA_ARGUMENTS: dict[str, list] = {}
EXTRA_ARGUMENTS["new"] = [scaffold.add_arguments]
EXTRA_ARGUMENTS["geocode"] = [geocode.add_arguments]


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)
