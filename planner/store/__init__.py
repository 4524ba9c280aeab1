"""Storage of the planner: the :class:`Store` interface, its DuckDB implementation, and
:func:`open_store`, which turns an address (``PLANNER_DB``, ``--db``) into a store.

``base`` holds the interface, its errors and reports; ``duckdb_store`` the DuckDB file store;
``opening`` the choice of store by address.
"""

from planner.store.base import (
    BASELINE_COLUMNS,
    HOLD_HISTORY,
    LIKE_ESCAPE,
    LOCK_TIMEOUT,
    SAVED_COLUMNS,
    SAVED_SUMMARY_COLUMNS,
    BackendUnavailableError,
    DatabaseCorruptError,
    DatabaseLockedError,
    DatabaseReadOnlyError,
    DatasetCheck,
    DiskFullError,
    HoldTime,
    LoadReport,
    NoDatasetError,
    SavedNotFoundError,
    StaleDatasetError,
    Store,
    StoreError,
    UnfittableDatasetError,
    UnknownIndicatorError,
    UnknownVersionError,
    fit_check,
    like_pattern,
)
from planner.store.duckdb_store import DATA_TABLES, DuckDBStore
from planner.store.opening import open_store

__all__ = [
    "BASELINE_COLUMNS",
    "DATA_TABLES",
    "HOLD_HISTORY",
    "LIKE_ESCAPE",
    "LOCK_TIMEOUT",
    "SAVED_COLUMNS",
    "SAVED_SUMMARY_COLUMNS",
    "BackendUnavailableError",
    "DatabaseCorruptError",
    "DatabaseLockedError",
    "DatabaseReadOnlyError",
    "DatasetCheck",
    "DiskFullError",
    "DuckDBStore",
    "HoldTime",
    "LoadReport",
    "NoDatasetError",
    "SavedNotFoundError",
    "StaleDatasetError",
    "Store",
    "StoreError",
    "UnfittableDatasetError",
    "UnknownIndicatorError",
    "UnknownVersionError",
    "fit_check",
    "like_pattern",
    "open_store",
]
