"""Slow renders (PNG maps, SVG charts) kept between the rebuilds of one `mkdocs serve`.

MkDocs rebuilds the whole site on every save; an editor changing a tenant count should not
wait for every map image to be drawn again. Results are keyed by everything they are drawn
from, so a hit is always the same bytes a fresh render would give.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
LIMIT = 4096  # entries; a national atlas has about 300 images
_store: OrderedDict[str, object] = OrderedDict()


def cached(namespace: str, key: object, compute: Callable[[], T]) -> T:
    """compute(), or its earlier result for an equal key (compared by its repr)."""
    digest = hashlib.sha256(f"{namespace}\0{key!r}".encode()).hexdigest()
    if digest in _store:
        _store.move_to_end(digest)
        return _store[digest]  # type: ignore[return-value]
    value = compute()
    _store[digest] = value
    if len(_store) > LIMIT:
        _store.popitem(last=False)
    return value


def clear() -> None:
    _store.clear()
