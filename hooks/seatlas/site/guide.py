"""The editors' field reference, generated from the schema so it never drifts from the validator."""

from __future__ import annotations

import json
from dataclasses import dataclass

from markupsafe import Markup

from ..model.schema import RECORD_TYPES, Field, RecordType
from ..model.types import Choice, Code, FieldType, Group, ListOf, Number, Ref, Text
from ..render.context import Context, Output
from ..render.markdown import attr, front_matter
from ..render.templates import render

PAGE = "guide/fields.md"
NOTES_PAGE = "guide/notes.md"

TYPE_LABELS = {
    "text": "글",
    "id": "식별자 (영소문자·숫자·-)",
    "code": "코드",
    "phone": "전화번호",
    "e-mail": "이메일",
    "URL": "인터넷 주소",
    "number": "숫자",
    "yes/no": "true 또는 false",
    "date": "날짜",
    "choice": "선택",
    "reference": "다른 기록의 id",
    "list": "목록",
    "group": "묶음",
}


def code(value: object) -> Markup:
    """Inline code that is safe inside a Markdown table cell."""
    inner = str(attr(value)).replace("|", "&#124;")
    return Markup(f"<code>{inner}</code>")


def type_label(kind: FieldType) -> Markup:
    """The Korean description of a field type, with its allowed values where there are few."""
    base = TYPE_LABELS.get(kind.label, kind.label)
    if isinstance(kind, ListOf):
        return Markup(f"{base}: {type_label(kind.inner)}")
    if isinstance(kind, Choice):
        return Markup(f"{base}: " + ", ".join(code(v) for v in kind.values))
    if isinstance(kind, Ref):
        return Markup(f"{base} ({', '.join(code(k + '.yml') for k in kind.kinds)})")
    if isinstance(kind, Code):
        return Markup(f"{base} ({kind.digits}자리)")
    if kind.label == "date" and type(kind).__name__ == "Date":
        return Markup("날짜 (YYYY-MM-DD)")
    if kind.label == "date":
        return Markup("날짜 (연, 연-월 또는 연-월-일)")
    if isinstance(kind, Number):
        whole = "정수" if kind.integer else base
        if kind.maximum is not None:
            return Markup(f"{whole} ({kind.minimum:g}~{kind.maximum:g})")
        return Markup(f"{whole} ({kind.minimum:g} 이상)" if kind.minimum > -1e15 else whole)
    if isinstance(kind, Text) and type(kind) is Text and not kind.multiline:
        return Markup(f"{base} (한 줄)")
    return Markup(base)


def example(f: Field) -> Markup:
    if f.example is None:
        return Markup("")
    text = json.dumps(f.example, ensure_ascii=False) if not isinstance(f.example, str) else f.example
    return code(f"{f.name}: {text}")


@dataclass(frozen=True)
class Row:
    name: str
    required: str
    type: Markup
    doc: str
    example: Markup


def rows(fields: tuple[Field, ...], prefix: str = "") -> list[Row]:
    """One row per field, nested group fields following their group as group.field."""
    out = []
    for f in fields:
        required = ("필수 (묶음을 쓸 때)" if prefix else "필수") if f.required else "–"
        out.append(Row(prefix + f.name, required, type_label(f.type), f.doc, example(f)))
        inner = f.type.inner if isinstance(f.type, ListOf) else f.type
        if isinstance(inner, Group):
            out += rows(inner.fields, f"{prefix}{f.name}.")
    return out


def sections() -> list[tuple[RecordType, list[Row]]]:
    return [(t, rows(t.all_fields())) for t in RECORD_TYPES]


def generate(ctx: Context) -> list[Output]:
    body = render("guide_fields.md.j2", sections=sections(), code=code)
    desc = "데이터 파일의 모든 기록 종류와 필드: 이름, 필수 여부, 값의 종류, 설명, 예."
    fields = Output(PAGE, front_matter("필드 설명", desc, search={"exclude": True}) + body)
    # Editors' notes live here (and in the downloads), never on the public pages.
    groups = [(t.title, [r for r in ctx.atlas.all(t.name) if r.get("note")]) for t in RECORD_TYPES]
    body = render("notes.md.j2", groups=[(title, records) for title, records in groups if records])
    desc = "기록마다 편집자가 남긴 메모: 자료 사이의 차이와 값을 고른 이유 (편집자용)."
    notes = Output(NOTES_PAGE, front_matter("편집자 메모", desc, search={"exclude": True}) + body)
    return [fields, notes]
