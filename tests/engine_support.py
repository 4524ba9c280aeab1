"""Shared helpers for the engine tests: the small literal dataset in ``tests/fixtures/engine``."""

from __future__ import annotations

import functools
from pathlib import Path

from planner.dataset import read_data_dir
from planner.engine import fit_dataset

ENGINE_FIXTURE = Path(__file__).parent / "fixtures" / "engine"


@functools.cache
def mini_dataset():
    """The small literal dataset (read once; frames are not mutated by the engine)."""
    return read_data_dir(ENGINE_FIXTURE)


@functools.cache
def mini_model():
    """The model fitted on the small literal dataset."""
    return fit_dataset(mini_dataset())
