"""The editors' guide: every field documented, and the generated field reference lists them all."""

from __future__ import annotations

import html
import re

import pytest
from seatlas.model import schema
from seatlas.model.types import Group, ListOf
from seatlas.site import guide


def every_field():
    """(record type, dotted field name, Field) for every field, nested groups included."""

    def walk(t, fields, prefix=""):
        for f in fields:
            yield t, prefix + f.name, f
            inner = f.type.inner if isinstance(f.type, ListOf) else f.type
            if isinstance(inner, Group):
                yield from walk(t, inner.fields, f"{prefix}{f.name}.")

    for t in schema.RECORD_TYPES:
        yield from walk(t, t.all_fields())


FIELDS = list(every_field())


@pytest.mark.parametrize(("record_type", "name", "field"), FIELDS, ids=[f"{t.name}.{n}" for t, n, _ in FIELDS])
def test_every_field_has_documentation(record_type, name, field):
    assert field.doc.strip(), f"{record_type.name}.{name} has no doc in schema.py"


def test_every_record_type_has_a_title_and_doc():
    for t in schema.RECORD_TYPES:
        assert t.title.strip() and t.doc.strip(), t.name


def sections_of(page_html: str) -> dict[str, str]:
    """The HTML of each h2 section of the field reference, by its anchor (the record type name)."""
    parts = re.split(r'<h2 id="([^"]+)"', page_html)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def test_generated_reference_lists_every_field_of_every_type(real_site):
    page = real_site.html("guide/fields/")
    sections = sections_of(page)
    assert set(sections) >= {t.name for t in schema.RECORD_TYPES}
    missing = []
    for t, name, field in FIELDS:
        section = sections[t.name]
        row = re.search(rf"<tr>\s*<td><code>{re.escape(name)}</code></td>(.*?)</tr>", section, re.S)
        if row is None:
            missing.append(f"{t.name}.{name}")
            continue
        cells = [html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td>(.*?)</td>", row[1], re.S)]
        required, type_text, doc = cells[0], cells[1], cells[2]
        assert required.startswith("필수") == field.required, f"{t.name}.{name}"
        assert type_text, f"{t.name}.{name} has no type label"
        assert doc == " ".join(field.doc.split()), f"{t.name}.{name}"
        if field.example is not None:
            assert cells[3].startswith(f"{name.split('.')[-1]}: "), f"{t.name}.{name}"
    assert not missing, f"fields missing from guide/fields.md: {missing}"


def test_choice_values_are_listed():
    rows = {r.name: r for r in guide.rows(schema.CLUSTERS.all_fields())}
    for value in ("district-cluster", "city-space", "workshop", "hub", "center-space"):
        assert f"<code>{value}</code>" in rows["kind"].type


def test_code_cells_cannot_break_the_table():
    assert str(guide.code("a|b<c>")) == "<code>a&#124;b&lt;c&gt;</code>"


def test_guide_page_explains_the_editing_loop(real_site):
    page = real_site.html("guide/")
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    for needle in ("scripts/serve", "scripts/geocode", "reviewed: true", "scripts/new-record", "파일:줄"):
        assert needle in text, needle
    # The hand-written guide links to both generated editor pages, and MkDocs resolved the links.
    assert 'href="fields/"' in page
    assert 'href="stale/"' in page


def test_editors_pages_are_reached_from_the_footer_and_the_guide(real_site):
    # Out of the citizens' menu (tests/test_public.py), in the editors' corner: the footer link, then the guide.
    home = real_site.html("")
    assert 'href="downloads/"' in home
    assert '<a href="guide/">편집자 안내</a>' in home[home.index("<footer") :]
    guide = real_site.html("guide/")
    for href in ("fields/", "stale/", "../benchmarks/"):
        assert f'href="{href}"' in guide, href
