"""The build's cache: generated artefacts kept on disk between builds (store), keyed by fingerprints of
their inputs (fingerprints), and made in other processes while the build goes on (parallel).

The lowest layer: it knows nothing of MkDocs, the model or the pages; what it stores is bytes.
"""

from . import fingerprints
from .parallel import start_all, start_helper, stop_helper, workers
from .store import CACHE_DIR, Pending, Store, kept, open_project, store

__all__ = [
    "CACHE_DIR",
    "Pending",
    "Store",
    "fingerprints",
    "kept",
    "open_project",
    "start_all",
    "start_helper",
    "stop_helper",
    "store",
    "workers",
]
