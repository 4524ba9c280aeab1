"""Storage of the baseline dataset: the :class:`Store` interface and its DuckDB implementation.

Every call of :class:`DuckDBStore` opens a short-lived connection and closes it before
returning, so several processes (the app, the command line, tests) can share one database file:
DuckDB lets one process at a time open a file, and a file held by another process is retried
with exponential backoff. All SQL is parameterised; table names come from a fixed list.
"""

from __future__ import annotations

import abc
import json
import random
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import duckdb
import pandas as pd

from planner import config
from planner.dataset import (
    FILE_NAMES,
    Dataset,
    conform_frame,
    file_hashes,
    parse_files,
    read_files,
)
from planner.migrations import applied_versions, migrate, rollback, utc_now
from planner.validation import FILE_SPECS

DATA_TABLES: dict[str, str] = {name: f"data_{name}" for name in FILE_NAMES}
"""The table of every data file; the only table names data queries are built from."""

BASELINE_COLUMNS: tuple[str, ...] = FILE_SPECS["observations"].columns
"""The columns of :meth:`Store.baseline`."""

LOCK_TIMEOUT = 15.0
"""Seconds to keep retrying a database file locked by another process."""

SAVED_COLUMNS: tuple[str, ...] = (
    "id",
    "parent_id",
    "name",
    "note",
    "author",
    "settings",
    "lang",
    "dataset_version",
    "model_version",
    "draws",
    "seed",
    "snapshot",
    "digest",
    "owner_token_hash",
    "created_at",
)
"""The columns of a saved scenario, as :meth:`Store.insert_saved` takes them."""

SAVED_SUMMARY_COLUMNS: tuple[str, ...] = (
    "id",
    "parent_id",
    "name",
    "note",
    "author",
    "lang",
    "dataset_version",
    "model_version",
    "created_at",
)
"""The columns :meth:`Store.list_saved` returns (no settings, snapshot or hashes)."""

LIKE_ESCAPE = "\\"
"""The escape character of the ``ILIKE`` patterns built by :func:`like_pattern`."""


class StoreError(Exception):
    """A problem with the database or a request to it."""


class DatabaseLockedError(StoreError):
    """Another process kept the database file locked for longer than the timeout."""


class NoDatasetError(StoreError):
    """No dataset has been loaded into the database yet."""


class UnknownVersionError(StoreError, KeyError):
    """The requested dataset version is not in the database."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown dataset version"


class UnknownIndicatorError(StoreError, KeyError):
    """The requested indicator is not in the dataset."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown indicator"


class SavedNotFoundError(StoreError, KeyError):
    """No saved scenario has the requested id."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown saved scenario"


class StaleDatasetError(StoreError):
    """A scenario was computed on a dataset version that is no longer the current one."""


def like_pattern(text: str) -> str:
    """Return the ``ILIKE`` pattern matching ``text`` anywhere, wildcards in it taken literally.

    Parameters
    ----------
    text : str
        The substring searched for; ``%``, ``_`` and the escape character are escaped.

    Returns
    -------
    str
        ``%<escaped text>%``, to be used with ``ESCAPE`` :data:`LIKE_ESCAPE`.
    """
    escaped = (
        text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
        .replace("%", LIKE_ESCAPE + "%")
        .replace("_", LIKE_ESCAPE + "_")
    )
    return f"%{escaped}%"


@dataclass(frozen=True)
class LoadReport:
    """What :meth:`Store.load_dataset` did.

    Attributes
    ----------
    version : str
        The dataset version of the data folder, now the current one.
    status : {"loaded", "switched", "unchanged"}
        ``loaded``: a new version was inserted; ``switched``: the version was already stored and
        became current again; ``unchanged``: it was already the current version.
    previous_version : str or None
        The current version before the call.
    row_counts : dict of str to int
        Rows per data file of ``version``.
    """

    version: str
    status: Literal["loaded", "switched", "unchanged"]
    previous_version: str | None
    row_counts: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        """Whether the current dataset version changed."""
        return self.status != "unchanged"

    def describe(self) -> str:
        """Return one line saying what happened.

        Returns
        -------
        str
        """
        total = sum(self.row_counts.values())
        if self.status == "loaded":
            return f"dataset {self.version}: loaded ({total} rows), now current"
        if self.status == "switched":
            return f"dataset {self.version}: already stored, made current again (was {self.previous_version})"
        return f"dataset {self.version}: unchanged"


class Store(abc.ABC):
    """The storage interface of the planner (a DuckDB implementation now, PostgreSQL later)."""

    @abc.abstractmethod
    def migrate(self) -> list[int]:
        """Bring the schema up to date.

        Returns
        -------
        list of int
            The migration versions applied now (empty when already up to date).
        """

    @abc.abstractmethod
    def schema_version(self) -> int:
        """Return the highest migration version applied.

        Returns
        -------
        int
        """

    @abc.abstractmethod
    def load_dataset(self, data_dir: str | Path) -> LoadReport:
        """Validate a data folder and make it the current dataset version.

        Parameters
        ----------
        data_dir : str or pathlib.Path
            The folder of the data files.

        Returns
        -------
        LoadReport

        Raises
        ------
        planner.dataset.DataValidationError
            When any file or row is invalid; the database is left as it was.
        """

    @abc.abstractmethod
    def current_version(self) -> str:
        """Return the current dataset version.

        Returns
        -------
        str

        Raises
        ------
        NoDatasetError
            When no dataset was loaded.
        """

    @abc.abstractmethod
    def dataset_versions(self) -> list[dict[str, Any]]:
        """Return every stored dataset version, oldest first.

        Returns
        -------
        list of dict
            Keys ``version``, ``loaded_at`` (UTC datetime), ``file_hashes``, ``row_counts``,
            ``is_current``.
        """

    @abc.abstractmethod
    def dataset(self, version: str | None = None) -> Dataset:
        """Return every frame of one dataset version.

        Parameters
        ----------
        version : str, optional
            The dataset version; the current one when None.

        Returns
        -------
        planner.dataset.Dataset

        Raises
        ------
        UnknownVersionError
            When ``version`` is not stored.
        """

    @abc.abstractmethod
    def baseline(self, version: str | None = None, indicator: str | None = None) -> pd.DataFrame:
        """Return the observations of a dataset version.

        Parameters
        ----------
        version : str, optional
            The dataset version; the current one when None.
        indicator : str, optional
            Only this indicator's observations.

        Returns
        -------
        pandas.DataFrame
            The columns of ``observations.csv``, sorted by indicator, geography, year.

        Raises
        ------
        UnknownIndicatorError
            When ``indicator`` is not an indicator of that version.
        """

    @abc.abstractmethod
    def sources(self, version: str | None = None) -> pd.DataFrame:
        """Return the sources of a dataset version with how many values each backs.

        Parameters
        ----------
        version : str, optional
            The dataset version; the current one when None.

        Returns
        -------
        pandas.DataFrame
            The columns of ``sources.csv`` and ``n_values`` (observations citing the source).
        """

    # -- saved scenarios (rows are inserted and deleted, never updated) ------------------------

    @abc.abstractmethod
    def insert_saved(self, row: Mapping[str, Any], require_current: bool = True) -> None:
        """Insert one saved scenario in a single transaction.

        Parameters
        ----------
        row : mapping
            A value for every column of :data:`SAVED_COLUMNS` (``parent_id`` may be None).
        require_current : bool, optional
            Refuse the row unless its ``dataset_version`` is the current one (default).

        Raises
        ------
        UnknownVersionError
            When ``dataset_version`` is not stored.
        StaleDatasetError
            When ``require_current`` and ``dataset_version`` is not the current version.
        SavedNotFoundError
            When ``parent_id`` is given and names no saved scenario.
        StoreError
            When the insert fails (for example a duplicate id); nothing is written.
        """

    @abc.abstractmethod
    def get_saved(self, scenario_id: str) -> dict[str, Any] | None:
        """Return one saved scenario.

        Parameters
        ----------
        scenario_id : str

        Returns
        -------
        dict or None
            Every column of :data:`SAVED_COLUMNS` (``created_at`` naive UTC), or None when no
            row has that id.
        """

    @abc.abstractmethod
    def list_saved(
        self, search: str | None = None, limit: int = 20, offset: int = 0
    ) -> list[dict[str, Any]]:
        """Return a page of saved scenarios, newest first.

        Parameters
        ----------
        search : str, optional
            Keep names containing this text, case-insensitively (``%`` and ``_`` are literal).
        limit : int, optional
            At most this many rows.
        offset : int, optional
            Rows to skip.

        Returns
        -------
        list of dict
            The columns of :data:`SAVED_SUMMARY_COLUMNS`.
        """

    @abc.abstractmethod
    def count_saved(self, search: str | None = None) -> int:
        """Return how many saved scenarios :meth:`list_saved` can page through.

        Parameters
        ----------
        search : str, optional
            As for :meth:`list_saved`.

        Returns
        -------
        int
        """

    @abc.abstractmethod
    def delete_saved(self, scenario_id: str, owner_token_hash: str) -> bool:
        """Delete a saved scenario whose id and owner-token hash both match.

        Parameters
        ----------
        scenario_id : str
        owner_token_hash : str
            The hash of the owner token (see :func:`planner.saved.hash_token`).

        Returns
        -------
        bool
            Whether a row was deleted.
        """


_LOAD_LOCK = threading.Lock()

_OPEN_CLOSE_LOCK = threading.Lock()
"""Opening and closing connections are serialised within a process: DuckDB shares one database
instance between the connections of a process and detaches the file when the last one closes;
a connection opened by another thread at that moment would clash with the closing instance."""


def _is_transient(exc: BaseException) -> bool:
    """Whether opening failed only because the file is busy (another process, or an instance of
    this process still closing), so that trying again later can succeed."""
    text = str(exc).lower()
    held_elsewhere = "lock" in text and ("conflicting" in text or "could not set" in text)
    closing_here = "unique file handle conflict" in text or "already attached" in text
    return held_elsewhere or closing_here


class DuckDBStore(Store):
    """The :class:`Store` on an embedded DuckDB file.

    Parameters
    ----------
    path : str or pathlib.Path
        The database file; it and its parent folder are created on first use.
    lock_timeout : float, optional
        Seconds to keep retrying while another process holds the file.
    """

    def __init__(self, path: str | Path, lock_timeout: float = LOCK_TIMEOUT):
        self.path = Path(path)
        self.lock_timeout = lock_timeout
        self._migrated = False

    def __repr__(self) -> str:
        return f"DuckDBStore({str(self.path)!r})"

    # -- connections -------------------------------------------------------------------------

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Open a short-lived connection with an up-to-date schema.

        Yields
        ------
        duckdb.DuckDBPyConnection
            Closed when the ``with`` block ends.

        Raises
        ------
        DatabaseLockedError
            When another process keeps the file locked beyond ``lock_timeout``.
        """
        with self._raw_connection() as con:
            if not self._migrated:
                migrate(con)
                self._migrated = True
            yield con

    @contextmanager
    def _raw_connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + self.lock_timeout
        delay = 0.01
        while True:
            try:
                with _OPEN_CLOSE_LOCK:
                    con = duckdb.connect(str(self.path))
                break
            except duckdb.Error as exc:
                if not _is_transient(exc):
                    raise StoreError(f"cannot open the database {self.path}: {exc}") from exc
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise DatabaseLockedError(
                        f"the database {self.path} stayed locked by another process for "
                        f"{self.lock_timeout:g} s; try again when it is free"
                    ) from exc
                time.sleep(min(remaining, delay * (0.5 + random.random())))
                delay = min(delay * 2, 0.25)
        try:
            yield con
        finally:
            with _OPEN_CLOSE_LOCK:
                con.close()

    # -- schema ------------------------------------------------------------------------------

    def migrate(self) -> list[int]:
        """Bring the schema up to date (idempotent).

        Returns
        -------
        list of int
            The migration versions applied now.
        """
        with self._raw_connection() as con:
            applied = migrate(con)
        self._migrated = True
        return applied

    def schema_version(self) -> int:
        """Return the highest migration version applied.

        Returns
        -------
        int
        """
        with self.connect() as con:
            return max(applied_versions(con), default=0)

    # -- dataset versions --------------------------------------------------------------------

    def load_dataset(self, data_dir: str | Path) -> LoadReport:
        """Validate a data folder and make it the current dataset version.

        Every file is validated before the database is touched. A version already stored is
        only made current; a new one is inserted in a single transaction.

        Parameters
        ----------
        data_dir : str or pathlib.Path
            The folder of the data files.

        Returns
        -------
        LoadReport

        Raises
        ------
        planner.dataset.DataValidationError
            When any file or row is invalid; the database is left as it was.
        StoreError
            When writing fails; the transaction is rolled back.
        """
        files = read_files(data_dir)
        data = parse_files(files)
        hashes = file_hashes(files)
        counts = data.row_counts()
        with _LOAD_LOCK, self.connect() as con:
            previous = self._current(con)
            if self._has_version(con, data.version):
                if previous == data.version:
                    return LoadReport(data.version, "unchanged", previous, counts)
                con.execute("BEGIN TRANSACTION")
                try:
                    self._make_current(con, data.version)
                    con.execute("COMMIT")
                except Exception as exc:
                    rollback(con)
                    raise StoreError(f"could not switch to dataset {data.version}: {exc}") from exc
                return LoadReport(data.version, "switched", previous, counts)

            con.execute("BEGIN TRANSACTION")
            try:
                con.execute(
                    "INSERT INTO dataset_versions (version, loaded_at, file_hashes, row_counts, is_current) "
                    "VALUES (?, ?, ?, ?, FALSE)",
                    [data.version, utc_now(), json.dumps(hashes), json.dumps(counts)],
                )
                for name, frame in data.frames().items():
                    self._insert_frame(con, name, frame, data.version)
                self._make_current(con, data.version)
                con.execute("COMMIT")
            except Exception as exc:
                rollback(con)
                raise StoreError(f"could not load dataset {data.version}: {exc}") from exc
        return LoadReport(data.version, "loaded", previous, counts)

    @staticmethod
    def _insert_frame(
        con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame, version: str
    ) -> None:
        table = DATA_TABLES[name]
        columns = ["dataset_version", "line", *FILE_SPECS[name].columns]
        incoming = frame.copy()
        incoming.insert(0, "line", range(1, len(incoming) + 1))
        incoming.insert(0, "dataset_version", version)
        quoted = ", ".join(f'"{c}"' for c in columns)
        view = f"incoming_{name}"
        con.register(view, incoming)
        try:
            con.execute(f'INSERT INTO "{table}" ({quoted}) SELECT {quoted} FROM "{view}"')  # noqa: S608 - whitelisted names
        finally:
            con.unregister(view)

    @staticmethod
    def _make_current(con: duckdb.DuckDBPyConnection, version: str) -> None:
        con.execute(
            "UPDATE dataset_versions SET is_current = (version = ?) "
            "WHERE is_current OR version = ?",
            [version, version],
        )

    @staticmethod
    def _has_version(con: duckdb.DuckDBPyConnection, version: str) -> bool:
        row = con.execute("SELECT count(*) FROM dataset_versions WHERE version = ?", [version]).fetchone()
        return bool(row and row[0])

    @staticmethod
    def _current(con: duckdb.DuckDBPyConnection) -> str | None:
        row = con.execute(
            "SELECT version FROM dataset_versions WHERE is_current ORDER BY loaded_at DESC LIMIT 1"
        ).fetchone()
        return row[0] if row else None

    def _resolve(self, con: duckdb.DuckDBPyConnection, version: str | None) -> str:
        if version is None:
            current = self._current(con)
            if current is None:
                raise NoDatasetError(
                    f"no dataset is loaded in {self.path}; run `python -m planner db upgrade`"
                )
            return current
        if not self._has_version(con, version):
            raise UnknownVersionError(f"dataset version {version!r} is not in {self.path}")
        return version

    def current_version(self) -> str:
        """Return the current dataset version.

        Returns
        -------
        str

        Raises
        ------
        NoDatasetError
            When no dataset was loaded.
        """
        with self.connect() as con:
            return self._resolve(con, None)

    def dataset_versions(self) -> list[dict[str, Any]]:
        """Return every stored dataset version, oldest first.

        Returns
        -------
        list of dict
            Keys ``version``, ``loaded_at`` (UTC datetime), ``file_hashes``, ``row_counts``,
            ``is_current``.
        """
        with self.connect() as con:
            rows = con.execute(
                "SELECT version, loaded_at, file_hashes, row_counts, is_current "
                "FROM dataset_versions ORDER BY loaded_at, version"
            ).fetchall()
        return [
            {
                "version": version,
                "loaded_at": loaded_at.replace(tzinfo=UTC) if isinstance(loaded_at, datetime) else loaded_at,
                "file_hashes": json.loads(hashes),
                "row_counts": json.loads(counts),
                "is_current": bool(is_current),
            }
            for version, loaded_at, hashes, counts, is_current in rows
        ]

    # -- reading -----------------------------------------------------------------------------

    @staticmethod
    def _read_table(con: duckdb.DuckDBPyConnection, name: str, version: str) -> pd.DataFrame:
        table = DATA_TABLES[name]
        quoted = ", ".join(f'"{c}"' for c in FILE_SPECS[name].columns)
        frame = con.execute(
            f'SELECT {quoted} FROM "{table}" WHERE dataset_version = ? ORDER BY line',  # noqa: S608 - whitelisted names
            [version],
        ).df()
        return conform_frame(name, frame)

    def dataset(self, version: str | None = None) -> Dataset:
        """Return every frame of one dataset version, rows in file order.

        Parameters
        ----------
        version : str, optional
            The dataset version; the current one when None.

        Returns
        -------
        planner.dataset.Dataset

        Raises
        ------
        UnknownVersionError
            When ``version`` is not stored.
        NoDatasetError
            When ``version`` is None and no dataset was loaded.
        """
        with self.connect() as con:
            resolved = self._resolve(con, version)
            frames = {name: self._read_table(con, name, resolved) for name in FILE_NAMES}
        return Dataset(**frames, version=resolved)

    def baseline(self, version: str | None = None, indicator: str | None = None) -> pd.DataFrame:
        """Return the observations of a dataset version.

        Parameters
        ----------
        version : str, optional
            The dataset version; the current one when None.
        indicator : str, optional
            Only this indicator's observations.

        Returns
        -------
        pandas.DataFrame
            The columns of ``observations.csv`` (:data:`BASELINE_COLUMNS`), sorted by indicator,
            geography, year, then period, kind and source.

        Raises
        ------
        UnknownIndicatorError
            When ``indicator`` is not an indicator of that version.
        UnknownVersionError
            When ``version`` is not stored.
        """
        quoted = ", ".join(f'"{c}"' for c in BASELINE_COLUMNS)
        order = 'ORDER BY indicator, geography, "year", period, kind, source'
        with self.connect() as con:
            resolved = self._resolve(con, version)
            if indicator is None:
                frame = con.execute(
                    f"SELECT {quoted} FROM data_observations WHERE dataset_version = ? {order}",  # noqa: S608 - fixed text
                    [resolved],
                ).df()
            else:
                found = con.execute(
                    "SELECT count(*) FROM data_indicators WHERE dataset_version = ? AND id = ?",
                    [resolved, indicator],
                ).fetchone()
                if not found or not found[0]:
                    raise UnknownIndicatorError(
                        f"unknown indicator {indicator!r} (not in dataset {resolved})"
                    )
                frame = con.execute(
                    f"SELECT {quoted} FROM data_observations "  # noqa: S608 - fixed text
                    f"WHERE dataset_version = ? AND indicator = ? {order}",
                    [resolved, indicator],
                ).df()
        return conform_frame("observations", frame)

    def sources(self, version: str | None = None) -> pd.DataFrame:
        """Return the sources of a dataset version with how many values each backs.

        Parameters
        ----------
        version : str, optional
            The dataset version; the current one when None.

        Returns
        -------
        pandas.DataFrame
            The columns of ``sources.csv`` in file order, and ``n_values``: the number of
            observations citing the source (0 when none).

        Raises
        ------
        UnknownVersionError
            When ``version`` is not stored.
        """
        with self.connect() as con:
            resolved = self._resolve(con, version)
            sources = self._read_table(con, "sources", resolved)
            counts = con.execute(
                "SELECT source AS id, count(*) AS n_values FROM data_observations "
                "WHERE dataset_version = ? GROUP BY source",
                [resolved],
            ).df()
        out = sources.merge(counts, on="id", how="left")
        out["n_values"] = out["n_values"].fillna(0).astype("int64")
        return out


    # -- saved scenarios ---------------------------------------------------------------------

    def insert_saved(self, row: Mapping[str, Any], require_current: bool = True) -> None:
        """Insert one saved scenario in a single transaction.

        Parameters
        ----------
        row : mapping
            A value for every column of :data:`SAVED_COLUMNS` (``parent_id`` may be None).
        require_current : bool, optional
            Refuse the row unless its ``dataset_version`` is the current one (default).

        Raises
        ------
        UnknownVersionError
            When ``dataset_version`` is not stored.
        StaleDatasetError
            When ``require_current`` and ``dataset_version`` is not the current version.
        SavedNotFoundError
            When ``parent_id`` is given and names no saved scenario.
        StoreError
            When the insert fails (for example a duplicate id); nothing is written.
        """
        missing = [c for c in SAVED_COLUMNS if c not in row]
        if missing:
            raise StoreError(f"a saved scenario lacks {', '.join(missing)}")
        values = [row[c] for c in SAVED_COLUMNS]
        columns = ", ".join(SAVED_COLUMNS)
        marks = ", ".join("?" for _ in SAVED_COLUMNS)
        version = row["dataset_version"]
        with self.connect() as con:
            con.execute("BEGIN TRANSACTION")
            try:
                found = con.execute(
                    "SELECT is_current FROM dataset_versions WHERE version = ?", [version]
                ).fetchone()
                if found is None:
                    raise UnknownVersionError(f"unknown dataset version {version!r}")
                if require_current and not found[0]:
                    current = self._current(con)
                    raise StaleDatasetError(
                        f"the scenario was computed on dataset {version}, but the current "
                        f"dataset is {current}; compute it again on the current data"
                    )
                parent = row["parent_id"]
                if parent is not None:
                    exists = con.execute(
                        "SELECT count(*) FROM saved_scenarios WHERE id = ?", [parent]
                    ).fetchone()
                    if not exists or not exists[0]:
                        raise SavedNotFoundError(f"no saved scenario has the id {parent!r}")
                con.execute(
                    f"INSERT INTO saved_scenarios ({columns}) VALUES ({marks})",  # noqa: S608 - fixed column names
                    values,
                )
                con.execute("COMMIT")
            except StoreError:
                rollback(con)
                raise
            except duckdb.Error as exc:
                rollback(con)
                raise StoreError(f"could not save scenario {row['id']!r}: {exc}") from exc

    def get_saved(self, scenario_id: str) -> dict[str, Any] | None:
        """Return one saved scenario.

        Parameters
        ----------
        scenario_id : str

        Returns
        -------
        dict or None
            Every column of :data:`SAVED_COLUMNS` (``created_at`` naive UTC), or None when no
            row has that id.
        """
        columns = ", ".join(SAVED_COLUMNS)
        with self.connect() as con:
            found = con.execute(
                f"SELECT {columns} FROM saved_scenarios WHERE id = ?",  # noqa: S608 - fixed column names
                [scenario_id],
            ).fetchone()
        return None if found is None else dict(zip(SAVED_COLUMNS, found, strict=True))

    @staticmethod
    def _search_clause(search: str | None) -> tuple[str, list[Any]]:
        if not search:
            return "", []
        return "WHERE name ILIKE ? ESCAPE ?", [like_pattern(search), LIKE_ESCAPE]

    def list_saved(
        self, search: str | None = None, limit: int = 20, offset: int = 0
    ) -> list[dict[str, Any]]:
        """Return a page of saved scenarios, newest first (ties by id).

        Parameters
        ----------
        search : str, optional
            Keep names containing this text, case-insensitively (``%`` and ``_`` are literal).
        limit : int, optional
            At most this many rows (at least 0).
        offset : int, optional
            Rows to skip (at least 0).

        Returns
        -------
        list of dict
            The columns of :data:`SAVED_SUMMARY_COLUMNS`.
        """
        if int(limit) < 0 or int(offset) < 0:
            raise StoreError("limit and offset must not be negative")
        where, params = self._search_clause(search)
        columns = ", ".join(SAVED_SUMMARY_COLUMNS)
        with self.connect() as con:
            rows = con.execute(
                f"SELECT {columns} FROM saved_scenarios {where} "  # noqa: S608 - fixed text
                "ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
                [*params, int(limit), int(offset)],
            ).fetchall()
        return [dict(zip(SAVED_SUMMARY_COLUMNS, r, strict=True)) for r in rows]

    def count_saved(self, search: str | None = None) -> int:
        """Return how many saved scenarios :meth:`list_saved` can page through.

        Parameters
        ----------
        search : str, optional
            As for :meth:`list_saved`.

        Returns
        -------
        int
        """
        where, params = self._search_clause(search)
        with self.connect() as con:
            found = con.execute(
                f"SELECT count(*) FROM saved_scenarios {where}",  # noqa: S608 - fixed text
                params,
            ).fetchone()
        return int(found[0]) if found else 0

    def delete_saved(self, scenario_id: str, owner_token_hash: str) -> bool:
        """Delete a saved scenario whose id and owner-token hash both match.

        Parameters
        ----------
        scenario_id : str
        owner_token_hash : str
            The hash of the owner token (see :func:`planner.saved.hash_token`).

        Returns
        -------
        bool
            Whether a row was deleted.
        """
        with self.connect() as con:
            deleted = con.execute(
                "DELETE FROM saved_scenarios WHERE id = ? AND owner_token_hash = ? RETURNING id",
                [scenario_id, owner_token_hash],
            ).fetchall()
        return bool(deleted)


def open_store() -> DuckDBStore:
    """Return the store on the configured database file (``PLANNER_DB``).

    Returns
    -------
    DuckDBStore
    """
    return DuckDBStore(config.db_path())
