"""`seatlas new KIND`: append a commented, empty record to a data file for an editor to fill in.

Required fields are left empty, so the validator rejects the record until each one is filled;
optional fields are commented out, ready to be switched on by removing the leading '# '.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import yaml

from ..model.schema import BY_NAME, RECORD_TYPES, Field, RecordType
from ..model.types import Choice, Code, FieldType, Group, ListOf, Ref, Slug

FILL = "◀ 필수: 채우세요."
KEY_WIDTH = 22

_LABELS = {
    "text": "글",
    "id": "영소문자·숫자·-",
    "code": "코드",
    "phone": "전화번호",
    "e-mail": "이메일",
    "URL": "http(s):// 주소",
    "number": "숫자",
    "yes/no": "true 또는 false",
    "date": "날짜",
    "choice": "선택",
    "reference": "id",
    "list": "목록",
    "group": "묶음",
}


def describe(kind: FieldType) -> str:
    """A short Korean description of what a value of this type looks like."""
    if isinstance(kind, ListOf):
        return f"목록 ([a, b] 또는 '- ' 줄), 항목: {describe(kind.inner)}"
    if isinstance(kind, Choice):
        return "다음 중 하나: " + ", ".join(kind.values)
    if isinstance(kind, Ref):
        inner = describe(kind.inner) if isinstance(kind.inner, Code) else "id"
        return " 또는 ".join(f"data/{k}.yml의 {inner}" for k in kind.kinds)
    if isinstance(kind, Code):
        return f'{kind.digits}자리 코드, 따옴표로 감쌈 (예: "11380")'
    if type(kind).__name__ == "Date":
        return "날짜 YYYY-MM-DD"
    if kind.label == "date":
        return '날짜 "2018", "2018-07" 또는 "2018-07-05"'
    return _LABELS.get(kind.label, kind.label)


def _comment(f: Field, required: bool) -> str:
    example = f" 예: {f.example}" if f.example is not None and not isinstance(f.example, list) else ""
    if isinstance(f.example, list):
        example = f" 예: [{', '.join(map(str, f.example))}]"
    head = FILL if required else "선택:"
    return f"# {head} {f.doc} [{describe(f.type)}]{example}"


def _line(indent: str, key: str, comment: str, value: str = "", commented: bool = False) -> str:
    body = f"{key}: {value}".rstrip() if value else f"{key}:"
    text = f"{'# ' if commented else ''}{body}"
    return f"{indent}{text.ljust(KEY_WIDTH)}  {comment}"


def _field_lines(f: Field, indent: str) -> list[str]:
    optional = not f.required
    lines = [_line(indent, f.name, _comment(f, f.required), commented=optional)]
    inner = f.type.inner if isinstance(f.type, ListOf) else f.type
    if isinstance(inner, Group):
        is_list = isinstance(f.type, ListOf)
        for i, sub in enumerate(inner.fields):
            lead = ("- " if i == 0 else "  ") if is_list else ""
            lines.append(_nested_line(sub, indent, "  " + lead, optional))
    return lines


def _nested_line(sub: Field, indent: str, lead: str, commented: bool) -> str:
    # The '# ' goes before the nested indent, so removing it restores the exact YAML indentation.
    note = "묶음을 쓰면 필수:" if sub.required else "선택:"
    comment = f"# {note} {sub.doc} [{describe(sub.type)}]"
    key = f"{'# ' if commented else ''}{lead}{sub.name}:"
    return f"{indent}{key.ljust(KEY_WIDTH)}  {comment}"


def singular(name: str) -> str:
    return name[:-1] if name.endswith("s") else name


def next_id(record_type: RecordType, text: str) -> str | None:
    """A placeholder id that is valid and unused, or None when the id must be a code or a reference."""
    if type(record_type.id_type) is not Slug:
        return None
    used = set(re.findall(r"^-\s+id:\s*[\"']?([^\s\"'#]+)", text, re.MULTILINE))
    n = 1
    while f"new-{singular(record_type.name)}-{n}" in used:
        n += 1
    return f"new-{singular(record_type.name)}-{n}"


def record_template(record_type: RecordType, record_id: str | None) -> str:
    """The commented YAML of one new record (without a trailing blank line)."""
    lines = [
        f"# ── 새 {record_type.title} 기록 (scripts/new-record {record_type.name}) ──",
        f"# '{FILL}' 줄을 모두 채우세요. 쓸 선택 필드는 줄 맨 앞의 '# '를 지우고 값을 적습니다.",
        "# 필드의 뜻: 사이트의 '편집자 안내 > 필드 설명' 페이지.",
    ]
    fields = record_type.all_fields()
    id_field, rest = fields[0], fields[1:]
    if record_id:
        id_comment = f"# 바꿔도 됩니다: {id_field.doc} [{describe(id_field.type)}]"
        lines.append(_line("- ", "id", id_comment, record_id))
    else:
        lines.append(_line("- ", "id", _comment(id_field, True)))
    for f in rest:
        lines += _field_lines(f, "  ")
    return "\n".join(lines) + "\n"


def append(data_dir: Path, kind: str) -> tuple[Path, int]:
    """Append a new record of `kind` to its data file; return the file and the line of its `- id:`."""
    record_type = BY_NAME[kind]
    path = data_dir / record_type.file
    if path.exists():
        text = path.read_text(encoding="utf-8")
    else:
        text = f"# yaml-language-server: $schema=schemas/{record_type.name}.schema.json\n"
    # An empty list written as '[]' cannot be followed by block items.
    if yaml.safe_load(text) == [] and re.search(r"^\[\]\s*$", text, re.MULTILINE):
        text = re.sub(r"^\[\]\s*$\n?", "", text, count=1, flags=re.MULTILINE)
    if text and not text.endswith("\n"):
        text += "\n"
    block = record_template(record_type, next_id(record_type, text))
    prefix = text + ("\n" if text.strip() else "")
    new_text = prefix + block
    line = prefix.count("\n") + next(i for i, ln in enumerate(block.splitlines()) if ln.startswith("- id:")) + 1
    path.write_text(new_text, encoding="utf-8")
    return path, line


def new_command(args: argparse.Namespace) -> int:
    path, line = append(Path(args.data), args.kind)
    print(f"{args.data}/{path.name}:{line}: added a new {args.kind} record; fill the lines marked '◀ 필수'")
    return 0


def add_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("kind", choices=[t.name for t in RECORD_TYPES], help="record type (data file) to add to")
