"""Plain Korean words for YAML syntax errors: the line, the record it is in, and what to write instead.

PyYAML (and libyaml, which words some errors differently) describe what the parser expected
("did not find expected key"); editors need to know what they typed wrong. The original English
is kept in brackets so a search for it still finds help.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

_KEY = re.compile(r"^(\s*)(-\s+)?([^\s:#'\"\[{-][^:#]*?):(\s|$)")
_ID = re.compile(r"^(?:-\s+|\s+)id:\s*(.*?)\s*(?:#.*)?$")
# A value that opens with a quote, after a key or a list dash (a bare line may be folded text).
_VALUE_QUOTE = re.compile(r"""^\s*(?:-\s+|[^\s:#'"-][^:#]*?:\s+|-\s+[^\s:#'"][^:#]*?:\s+)(["'])""")


@dataclass(frozen=True)
class Explained:
    """A YAML error put in editors' words."""

    line: int
    record: str
    message: str


def explain(exc: yaml.MarkedYAMLError, text: str) -> Explained:
    """The line, record and plain message for a YAML error in `text`."""
    lines = text.splitlines()
    problem, context = exc.problem or "", exc.context or ""
    pm, cm = exc.problem_mark, exc.context_mark
    where = pm or cm
    error_line = where.line + 1 if where else 0
    original = f" (YAML: {problem or context or 'syntax error'})"

    def done(line: int, message: str) -> Explained:
        return Explained(line, record_at(lines, line), message + original)

    def line_text(n: int) -> str:
        return lines[n - 1] if 0 < n <= len(lines) else ""

    # A tab anywhere in the indentation of the reported lines is the cause, whatever the parser says.
    for n in dict.fromkeys(m.line + 1 for m in (pm, cm) if m):
        indent = re.match(r"^[ \t]*", line_text(n)).group(0)
        if "\t" in indent or "tab" in problem or "\\t" in problem:
            return done(n, "탭 문자는 쓸 수 없습니다: 스페이스로 들여쓰세요")
    if context == "while scanning a quoted scalar" and cm:
        unclosed = (cm.line + 1, line_text(cm.line + 1)[cm.column : cm.column + 1] or '"')
    else:
        unclosed = _unclosed_quote(lines, _record_start(lines, _record_start(lines, error_line) - 1), error_line)
    if unclosed:
        n, quote = unclosed
        fixed = line_text(n).rstrip() + quote
        return done(n, f"따옴표({quote})가 닫히지 않았습니다: 값 끝에 {quote}를 붙이세요, 예: {fixed.strip()}")
    for n in range(1, min(error_line, len(lines)) + 1):
        if re.match(r"^-[^\s-]", line_text(n)):
            return done(n, f"'-' 뒤에 빈칸이 필요합니다: - {line_text(n)[1:].strip()}")
    if context.startswith("while parsing a flow"):
        n = cm.line + 1
        opening = line_text(n)[cm.column : cm.column + 1] or "["
        closing = {"[": "]", "{": "}"}.get(opening, "]")
        return done(n, f"'{opening}'가 닫히지 않았습니다: 같은 줄 끝에 '{closing}'를 쓰세요")
    if "could not find expected ':'" in problem and cm:
        n = cm.line + 1
        return done(n, _missing_colon(line_text(n)))
    if problem.startswith("mapping values are not allowed") and pm:
        n = pm.line + 1
        text_line = line_text(n)
        key = _KEY.match(text_line)
        if key and len(key.group(0)) <= pm.column:
            value = text_line[key.end() :].strip()
            fixed = f'{key.group(0).strip()} "{value}"'
            return done(n, f"값 안에 ': '가 있습니다: 값 전체를 따옴표로 감싸세요, 예: {fixed}")
        expected = _sibling_indent(lines, n)
        hint = f" (스페이스 {expected}칸)" if expected is not None else ""
        return done(n, f"이 줄이 윗줄보다 더 들여 쓰여 있습니다: 윗줄의 필드와 같은 칸에서 시작하세요{hint}")
    dedent = (
        problem.startswith("did not find expected '-' indicator")
        or problem.startswith("did not find expected key")
        or problem.startswith("expected <block end>")
    )
    if dedent and pm:
        n = pm.line + 1
        if line_text(n).lstrip().startswith("- "):
            return done(n, "새 기록의 '- '는 줄 맨 앞(0칸)에서 시작하세요")
        expected = _sibling_indent(lines, n)
        hint = f" (스페이스 {expected}칸)" if expected is not None else ""
        return done(
            n, f"이 줄이 윗줄보다 덜 들여 쓰여 있습니다: 같은 기록의 필드는 윗줄의 필드와 같은 칸에서 시작하세요{hint}"
        )
    column = f" {where.column + 1}번째 칸" if where else ""
    return done(error_line, f"YAML 문법 오류{column}: 이 줄과 윗줄의 들여쓰기, 따옴표, 쌍점(:)을 확인하세요")


def _record_start(lines: list[str], line: int) -> int:
    """The line of the '- ' that opens the top-level record holding a line (0 above the first)."""
    return next((n for n in range(min(line, len(lines)), 0, -1) if lines[n - 1].startswith("-")), 0)


def record_at(lines: list[str], line: int) -> str:
    """The id of the top-level record holding a line, or its position (#3), or '' above the first."""
    start = _record_start(lines, line)
    if not start:
        return ""
    for n in range(start, len(lines) + 1):
        if n > start and lines[n - 1].startswith("-"):
            break
        found = _ID.match(lines[n - 1])
        if found and found.group(1):
            return found.group(1).strip("'\"")
    return f"#{sum(1 for n in range(1, start + 1) if lines[n - 1].startswith('-'))}"


def _unclosed_quote(lines: list[str], first: int, last: int) -> tuple[int, str] | None:
    """The first line from `first` to `last` whose value opens a quote that the line does not close."""
    for n in range(max(first, 1), min(last, len(lines)) + 1):
        text = lines[n - 1]
        found = _VALUE_QUOTE.match(text)
        if not found:
            continue
        quote = found.group(1)
        rest = text[found.end() :]
        rest = rest.replace("''", "") if quote == "'" else rest.replace('\\"', "")
        if quote not in rest:
            return n, quote
    return None


def _missing_colon(text: str) -> str:
    body = text.strip()
    dash = "- " if body.startswith("- ") else ""
    body = body[len(dash) :]
    if ":" in body:
        key, _, value = body.partition(":")
        return f"쌍점(:) 뒤에 빈칸이 필요합니다: {dash}{key}: {value.strip()}"
    key, _, value = body.partition(" ")
    return f"필드 이름 뒤에 쌍점(:)이 없습니다: {dash}{key}: {value.strip()}"


def _sibling_indent(lines: list[str], line: int) -> int | None:
    """Where the keys of the mapping above a line start (2 for the fields of a record)."""
    for n in range(line - 1, 0, -1):
        text = lines[n - 1]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        key = _KEY.match(text)
        if key:
            return len(key.group(1)) + len(key.group(2) or "")
        return None
    return None
