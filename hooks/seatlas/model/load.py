"""Loading a data folder: records, every problem in them, and the boundary checks of their places."""

from __future__ import annotations

from pathlib import Path

from . import geography, validation
from .records import Atlas


def load_data(
    data_dir: Path, extra_checks: tuple[validation.ExtraCheck, ...] = ()
) -> tuple[Atlas, list[validation.Problem]]:
    """Records of a data folder and every problem in them, boundary checks included.

    Layers above add their own checks (render.paths.PAGE_CHECKS: each district page needs its own address).
    """
    return validation.load(data_dir, extra_checks=(geography.check_places, *extra_checks))
