"""A data file read one top-level item at a time gives exactly what reading it whole gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from seatlas.model import records

ROOT = Path(__file__).resolve().parent.parent


def same(a, b) -> bool:
    """Equal values, types and line numbers, all the way down."""
    if type(a) is not type(b):
        return False
    if isinstance(a, records.LinedMap):
        return (a.line, a.key_lines, a.duplicate_keys, list(a)) == (
            b.line,
            b.key_lines,
            b.duplicate_keys,
            list(b),
        ) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, records.LinedList):
        return (a.line, a.item_lines, len(a)) == (b.line, b.item_lines, len(b)) and all(map(same, a, b))
    return a == b


@pytest.mark.parametrize("path", sorted((ROOT / "data").glob("*.yml")), ids=lambda p: p.name)
def test_real_data_files_read_alike(path):
    text = path.read_text(encoding="utf-8-sig")
    by_items = records._load_by_items(text)
    whole = records._load(text)
    assert by_items is None and whole == [] or same(by_items, whole)


READ_BY_ITEMS = {
    "comments and blank lines": "# top\n\n- id: a\n  n: 1\n# between\n\n- id: b\n  tags: [x, y]\n",
    "item on its own line": "-\n  id: a\n  when: 2018-05-31\n- id: b\n",
    "block scalar": "- id: a\n  text: |\n    one\n    - two\n\n- id: b\n",
    "duplicate key": "- id: a\n  id: b\n- id: c\n",
    "multi-line plain text": "- id: a\n  text: one\n    two\n- id: b\n",
    "nested lists": "- - 1\n  - 2\n- - 3\n",
}
READ_WHOLE = {
    "anchor used in a later item": "- &x {id: a}\n- *x\n",
    "quoted text across an item line": '- id: a\n  text: "one\n- two"\n',
    "flow list across an item line": "- id: a\n  tags: [x,\n- y]\n",
    "document marker": "---\n- id: a\n",
    "mapping at the top": "id: a\nname: b\n",
    "empty list": "[]\n",
    "indented list": "  - id: a\n  - id: b\n",
}


@pytest.mark.parametrize("text", READ_BY_ITEMS.values(), ids=READ_BY_ITEMS.keys())
def test_list_files_are_read_by_items_alike(text):
    by_items = records._load_by_items(text)
    assert by_items is not None
    assert same(by_items, records._load(text))


@pytest.mark.parametrize("text", READ_WHOLE.values(), ids=READ_WHOLE.keys())
def test_anything_else_is_read_whole(text):
    assert records._load_by_items(text) is None


def test_error_messages_come_from_the_whole_file(tmp_path):
    path = tmp_path / "x.yml"
    path.write_text('- id: a\n- id: b\n  name: "open\n- id: c\n', encoding="utf-8")
    with pytest.raises(records.ReadError) as err:
        records.read_yaml(path)
    # The whole file's message: the line and record of the quote left open, in plain words.
    assert (err.value.line, err.value.record) == (3, "b")
    assert "따옴표" in err.value.message
