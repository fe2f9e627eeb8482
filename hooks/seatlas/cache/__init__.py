"""The build's cache: generated artefacts kept on disk between builds (store), keyed by fingerprints of
their inputs (fingerprints), and made in worker processes when there are many to make.

The lowest layer: it knows nothing of MkDocs, the model or the pages; what it stores is bytes.
"""

from . import fingerprints
from .store import CACHE_DIR, Pending, Store, kept, open_project, start_all, store, workers

__all__ = [
    "CACHE_DIR",
    "Pending",
    "Store",
    "fingerprints",
    "kept",
    "open_project",
    "start_all",
    "store",
    "workers",
]
