"""Value types for record fields: each checks and converts one YAML value."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit


class Invalid(ValueError):
    """A value that does not fit its field type; the message is for editors."""


def _show(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f'"{value}"'
    return text if len(text) <= 60 else text[:57] + '..."'


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def iso(self) -> str:
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def korean(self) -> str:
        if self.day:
            return f"{self.year}년 {self.month}월 {self.day}일"
        if self.month:
            return f"{self.year}년 {self.month}월"
        return f"{self.year}년"

    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    def __str__(self) -> str:
        return self.iso()


_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class FieldType:
    """Base class: `check` returns the converted value or raises Invalid."""

    label = "value"

    def check(self, value: Any) -> Any:
        raise NotImplementedError

    def json_schema(self) -> dict:
        raise NotImplementedError


class Text(FieldType):
    label = "text"

    def __init__(self, pattern: str | None = None, hint: str = "", multiline: bool = True):
        self.pattern = re.compile(pattern) if pattern else None
        self.hint = hint
        self.multiline = multiline

    def check(self, value: Any) -> str:
        if isinstance(value, dict):
            raise Invalid(
                f"expected text, got {_show(value)}: a ': ' inside text starts a new key, so put the text in quotes"
            )
        if not isinstance(value, str):
            raise Invalid(f"expected text, got {_show(value)}")
        value = value.strip()
        if not value:
            raise Invalid("must not be empty")
        if not self.multiline and "\n" in value:
            raise Invalid("must be a single line")
        if self.pattern and not self.pattern.fullmatch(value):
            raise Invalid(f"{_show(value)} is not {self.hint}")
        return value

    def json_schema(self) -> dict:
        schema: dict[str, Any] = {"type": "string", "minLength": 1}
        if self.pattern:
            schema["pattern"] = self.pattern.pattern
        return schema


class Slug(Text):
    label = "id"

    def __init__(self) -> None:
        super().__init__(r"[a-z0-9]+(?:-[a-z0-9]+)*", "lowercase letters, digits and hyphens")


class Code(FieldType):
    """A numeric administrative code; YAML may read it as a number, so both are accepted."""

    label = "code"

    def __init__(self, digits: int):
        self.digits = digits

    def check(self, value: Any) -> str:
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise Invalid(f"expected a {self.digits}-digit code, got {_show(value)}")
        text = str(value).strip()
        if not re.fullmatch(rf"\d{{{self.digits}}}", text):
            raise Invalid(f"expected a {self.digits}-digit code, got {_show(value)}")
        return text

    def json_schema(self) -> dict:
        return {
            "anyOf": [
                {"type": "string", "pattern": rf"^\d{{{self.digits}}}$"},
                {"type": "integer", "minimum": 10 ** (self.digits - 1), "maximum": 10**self.digits - 1},
            ]
        }


class Phone(Text):
    """A Korean phone number written with hyphens, as printed in the sources."""

    label = "phone"

    def __init__(self) -> None:
        super().__init__(r"0\d{1,2}-\d{3,4}-\d{4}", "a phone number like 02-355-7913", False)


class Email(Text):
    label = "e-mail"

    def __init__(self) -> None:
        super().__init__(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}", "an e-mail address", False)


class Url(FieldType):
    label = "URL"

    def check(self, value: Any) -> str:
        if not isinstance(value, str):
            raise Invalid(f"expected a URL, got {_show(value)}")
        value = value.strip()
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise Invalid(f"{_show(value)} is not an http:// or https:// address")
        if any(c in value for c in " <>\"'`"):
            raise Invalid(f"{_show(value)} contains characters not allowed in a URL")
        return value

    def json_schema(self) -> dict:
        return {"type": "string", "pattern": r"^https?://[^\s<>\"'`]+$"}


class Number(FieldType):
    label = "number"

    def __init__(self, minimum: float = 0, integer: bool = False, maximum: float | None = None):
        self.minimum = minimum
        self.maximum = maximum
        self.integer = integer

    def check(self, value: Any) -> int | float:
        ok = int if self.integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, ok):
            kind = "a whole number" if self.integer else "a number"
            hint = " (write it without commas or units)" if isinstance(value, str) else ""
            raise Invalid(f"expected {kind}, got {_show(value)}{hint}")
        if value != value or value < self.minimum or (self.maximum is not None and value > self.maximum):
            top = f" and at most {self.maximum}" if self.maximum is not None else ""
            raise Invalid(f"{value} is out of range: must be at least {self.minimum}{top}")
        return value

    def json_schema(self) -> dict:
        schema: dict[str, Any] = {"type": "integer" if self.integer else "number", "minimum": self.minimum}
        if self.maximum is not None:
            schema["maximum"] = self.maximum
        return schema


class Boolean(FieldType):
    label = "yes/no"

    def check(self, value: Any) -> bool:
        if not isinstance(value, bool):
            raise Invalid(f"expected true or false, got {_show(value)}")
        return value

    def json_schema(self) -> dict:
        return {"type": "boolean"}


class Date(FieldType):
    """A full calendar date, YYYY-MM-DD."""

    label = "date"

    def check(self, value: Any) -> dt.date:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise Invalid(f"expected a date like 2018-12-31, got {_show(value)}")

    def json_schema(self) -> dict:
        return {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}


class Partial(FieldType):
    """A date known to the year (2018), the month (2018-07) or the day (2018-07-05)."""

    label = "date"

    def check(self, value: Any) -> PartialDate:
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return PartialDate(value.year, value.month, value.day)
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if isinstance(value, str):
            m = _PARTIAL.fullmatch(value.strip())
            if m:
                year, month, day = (int(g) if g else None for g in m.groups())
                try:
                    dt.date(year, month or 1, day or 1)
                except ValueError as exc:
                    raise Invalid(f"{_show(value)} is not a real date ({exc})") from None
                return PartialDate(year, month, day)
        raise Invalid(f"expected a date like 2018, 2018-07 or 2018-07-05, got {_show(value)}")

    def json_schema(self) -> dict:
        pattern = r"^\d{4}(-\d{2}(-\d{2})?)?$"
        return {"anyOf": [{"type": "string", "pattern": pattern}, {"type": "integer", "minimum": 1000}]}


class Choice(FieldType):
    label = "choice"

    def __init__(self, *values: str):
        self.values = values

    def check(self, value: Any) -> str:
        if value not in self.values:
            raise Invalid(f"{_show(value)} is not one of: {', '.join(self.values)}")
        return value

    def json_schema(self) -> dict:
        return {"type": "string", "enum": list(self.values)}


class Ref(FieldType):
    """The id of another record; existence is checked after all files are read."""

    label = "reference"

    def __init__(self, *kinds: str, inner: FieldType | None = None):
        self.kinds = kinds
        self.inner = inner or Slug()

    def check(self, value: Any) -> str:
        return self.inner.check(value)

    def json_schema(self) -> dict:
        return self.inner.json_schema()


class ListOf(FieldType):
    label = "list"

    def __init__(self, inner: FieldType, min_items: int = 0):
        self.inner = inner
        self.min_items = min_items

    def check(self, value: Any) -> list:
        # The items are checked one by one by the validator, to report each position.
        if not isinstance(value, list):
            raise Invalid(f"expected a list (lines starting with '- '), got {_show(value)}")
        if len(value) < self.min_items:
            raise Invalid(f"needs at least {self.min_items} item(s)")
        return value

    def json_schema(self) -> dict:
        schema = {"type": "array", "items": self.inner.json_schema()}
        if self.min_items:
            schema["minItems"] = self.min_items
        return schema


class Group(FieldType):
    """A nested mapping with its own fields."""

    label = "group"

    def __init__(self, *fields: Any):
        self.fields = fields

    def check(self, value: Any) -> dict:
        if not isinstance(value, dict):
            raise Invalid(f"expected a group of fields (key: value lines), got {_show(value)}")
        return value

    def json_schema(self) -> dict:
        return object_schema(self.fields)


def object_schema(fields: tuple[Any, ...]) -> dict:
    """JSON Schema of a mapping with exactly these fields (schema.Field objects)."""
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [f.name for f in fields if f.required],
        "properties": {f.name: {"description": f.doc, **f.type.json_schema()} for f in fields},
    }
