"""Cached loaders: one store per database address, frames cached by dataset version; and the
words the app shows for a database fault instead of a raw error.

The store is cheap to keep (each call holds the database only for its own read or write), so
``st.cache_resource`` holds one per address (``PLANNER_DB``). It migrates a new database and
loads the bundled data on its first read, and opens a file it cannot write read-only, so that
reading pages keep working. Frames are cached with ``st.cache_data`` keyed by the address and
the dataset version: loading a new dataset version gives a new version id and so fresh frames,
without any explicit invalidation.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import pandas as pd
import streamlit as st

from planner import config
from planner.formatting import fmt_datetime
from planner.i18n import t
from planner.store import NoDatasetError, Store, StoreError, open_store

# How long the current dataset version is trusted before asking the database again.
VERSION_TTL_SECONDS = 10

log = logging.getLogger(__name__)


@st.cache_resource(show_spinner=False)
def _store(*, key: str) -> Store:
    return open_store(key)  # the key is the address (cache_key)


KEY_SEPARATOR = "\x1f"
"""Between the parts of :func:`cache_key` (a unit separator: in no path, version or JSON)."""


def cache_key(*parts: object) -> str:
    """The one argument a cached function here is keyed by: its inputs as one string.

    On every call Streamlit hashes each argument of a cached function separately and looks
    the name of each positional one up in the function's signature. With five or six
    arguments a cache hit cost about 1 ms (measured), and a lever move makes some twenty-five.
    So each cached function takes this key as its only hashed argument, by keyword, and its
    inputs as keyword arguments named with a leading underscore, which Streamlit leaves
    unhashed: a hit then costs a fifth as much.

    Parameters
    ----------
    *parts : object
        The inputs the result depends on (their ``str``).

    Returns
    -------
    str
    """
    return KEY_SEPARATOR.join(str(part) for part in parts)


def db_address() -> str:
    """The configured database's address (``PLANNER_DB``: a DuckDB file or a PostgreSQL URL),
    as the caches key it."""
    return str(config.database())


def get_store() -> Store:
    """Return the shared store of the configured database (``PLANNER_DB``)."""
    return _store(key=db_address())


@st.cache_data(show_spinner=False, ttl=VERSION_TTL_SECONDS)
def _current_version(*, key: str) -> str | None:
    try:
        return _store(key=key).current_version()
    except NoDatasetError:
        return None


def current_version() -> str | None:
    """Return the current dataset version, or ``None`` when no dataset is loaded.

    Raises
    ------
    planner.store.StoreError
        For any other fault (locked beyond the timeout, damaged file...); see
        :func:`error_text`.
    """
    return _current_version(key=db_address())


@st.cache_data(show_spinner=False, max_entries=8)
def _frames(*, key: str, _address: str, _version: str) -> dict[str, Any]:
    store, version = _store(key=_address), _version
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
    address = db_address()
    version = version or _current_version(key=address)
    if version is None:
        raise LookupError("no dataset loaded")
    return _frames(key=cache_key(address, version), _address=address, _version=version)


def error_text(exc: BaseException, lang: str) -> str:
    """Return what a person is told about a database fault: ``db.error.<code>``.

    Parameters
    ----------
    exc : BaseException
        A :class:`planner.store.StoreError` (its ``code`` picks the text); anything else gets
        the generic text.
    lang : str
        ``"vi"`` or ``"en"``.

    Returns
    -------
    str
        Says what is wrong and what to do, with the error's ``details`` (a version, who,
        when) filled in; never the raw error.
    """
    if not isinstance(exc, StoreError):
        return t(f"db.error.{StoreError.code}", lang)
    fields = {name: _detail_text(value, lang) for name, value in exc.details.items()}
    return t(f"db.error.{exc.code}", lang, **fields)


def _detail_text(value: Any, lang: str) -> str:
    """A value of :attr:`planner.store.StoreError.details` as shown: a moment in the page's
    format, a missing one as a dash."""
    if value is None or value == "":
        return "–"
    return fmt_datetime(value, lang) if isinstance(value, datetime) else str(value)


@contextmanager
def shown_store_errors(lang: str) -> Iterator[None]:
    """Show a database fault raised in the block as :func:`error_text`, then stop the run.

    The fault is logged in full for the administrator; the person sees what is wrong and what
    to do (for a lock: try again in a moment), never a traceback.

    Parameters
    ----------
    lang : str
        ``"vi"`` or ``"en"``.
    """
    try:
        yield
    except StoreError as exc:
        log.warning("database fault shown to the user: %s", exc)
        st.error(error_text(exc, lang), icon=":material/database:")
        st.stop()
