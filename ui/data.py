"""Cached loaders: one store object per database path, frames cached by dataset version.

The store is cheap to keep (it opens a short-lived connection per call), so
``st.cache_resource`` holds one per database path. Frames are cached with ``st.cache_data``
keyed by the database path and the dataset version: loading a new dataset version gives a new
version id and so fresh frames, without any explicit invalidation.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from planner.config import db_path
from planner.store import DuckDBStore, NoDatasetError

# How long the current dataset version is trusted before asking the database again.
VERSION_TTL_SECONDS = 10


@st.cache_resource(show_spinner=False)
def _store(path: str) -> DuckDBStore:
    return DuckDBStore(path)


def get_store() -> DuckDBStore:
    """Return the shared store of the configured database (``PLANNER_DB``)."""
    return _store(str(db_path()))


@st.cache_data(show_spinner=False, ttl=VERSION_TTL_SECONDS)
def _current_version(path: str) -> str | None:
    try:
        return _store(path).current_version()
    except NoDatasetError:
        return None


def current_version() -> str | None:
    """Return the current dataset version, or ``None`` when no dataset is loaded."""
    return _current_version(str(db_path()))


@st.cache_data(show_spinner=False, max_entries=8)
def _frames(path: str, version: str) -> dict[str, Any]:
    store = _store(path)
    dataset = store.dataset(version)
    return {
        "units": dataset.units,
        "indicators": dataset.indicators,
        "sources": store.sources(version),
        "observations": store.baseline(version),
    }


def frames(version: str | None = None) -> dict[str, pd.DataFrame]:
    """Return the frames the pages read, for one dataset version.

    Parameters
    ----------
    version : str, optional
        Dataset version; the current one by default.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``units``, ``indicators``, ``sources`` (with ``n_values``) and ``observations``
        (the tidy baseline).
        The frames are shared between sessions: copy before changing them.
    """
    path = str(db_path())
    version = version or _current_version(path)
    if version is None:
        raise LookupError("no dataset loaded")
    return _frames(path, version)
