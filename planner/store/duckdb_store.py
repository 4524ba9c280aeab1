"""The :class:`~planner.store.base.Store` on an embedded DuckDB file.

DuckDB lets one process at a time open a database file. Every operation therefore holds the
file as briefly as it can: it takes its turn, opens the file, does one read or one short write
transaction, closes the file and lets the next one in. Turns are handed out first come, first
served, across processes and threads (:mod:`planner.store.turns`: a line of tickets in
``<file>.queue/``, then a lock per path within the process and an ``flock`` on ``<file>.lock``);
a file held by a program that takes no turns (the ``duckdb`` shell) is retried with backoff.
An operation waits as long as the line ahead of it moves, and gives up only when one holder
kept the file for ``lock_timeout`` seconds. Slow work (validating and fitting a data folder,
simulating a scenario) happens with the file released. All SQL is parameterised; table names
come from a fixed list or from the database's own catalogue.
"""

from __future__ import annotations

import errno
import json
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pandas as pd

from planner.dataio.canonical import dataset_files
from planner.dataset import (
    FILE_NAMES,
    Dataset,
    DataValidationError,
    conform_frame,
    file_hashes,
)
from planner.migrations import (
    MigrationError,
    applied_versions,
    latest_version,
    migrate,
    rollback,
    utc_now,
)
from planner.store.base import (
    BASELINE_COLUMNS,
    HOLD_HISTORY,
    LIKE_ESCAPE,
    LOCK_TIMEOUT,
    MAX_AUTHOR_LENGTH,
    MAX_NOTE_LENGTH,
    PUBLISH_LOG_COLUMNS,
    SAVED_COLUMNS,
    SAVED_SUMMARY_COLUMNS,
    BaseMovedError,
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
    StoreError,
    UnfittableDatasetError,
    UnknownIndicatorError,
    UnknownVersionError,
    WaitNotice,
    fit_check,
    like_pattern,
    publish_text,
)
from planner.store.flow import SharedFlow
from planner.store.turns import Turn, TurnTimeout, backoff
from planner.validation import FILE_SPECS

DATA_TABLES: dict[str, str] = {name: f"data_{name}" for name in FILE_NAMES}
"""The table of every data file; the only table names data queries are built from."""

T = TypeVar("T")

_ANY_BASE = object()
"""The base of a load: none is checked (a load replaces whatever is current)."""

Columns = dict[str, Any]
"""A query result as fetched while the file is held: column name to numpy array. Frames are
built from it after the file is let go."""

_OPEN_CLOSE_LOCK = threading.Lock()
"""Opening and closing connections are serialised within a process: DuckDB shares one database
instance between the connections of a process and detaches the file when the last one closes;
a connection opened by another thread at that moment would clash with the closing instance."""

_DISK_FULL_ERRNOS = (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)
_READ_ONLY_ERRNOS = (errno.EACCES, errno.EPERM, errno.EROFS)


def _errno_texts(codes: tuple[int, ...]) -> tuple[str, ...]:
    """The operating system's words for each error number, as DuckDB quotes them."""
    return tuple(os.strerror(code).lower() for code in codes)


def _fault(exc: BaseException) -> str | None:
    """What a DuckDB or OS error means: ``busy``, ``disk_full``, ``read_only``, ``corrupt``, or
    None (any other failure).

    Decided by the exception's class and, for the operating system's faults, by the error
    number. DuckDB raises :class:`duckdb.IOException` for every file fault and keeps no
    ``errno``: its message quotes the operating system's words for the number (``strerror``,
    from the same C library as :func:`os.strerror` in this process), so a number is known by
    those words. The text of DuckDB's own messages is read only where no class tells the cases
    apart; each such case is named below.
    """
    if isinstance(exc, OSError):
        if exc.errno in _DISK_FULL_ERRNOS:
            return "disk_full"
        if exc.errno in _READ_ONLY_ERRNOS:
            return "read_only"
        return None
    if not isinstance(exc, duckdb.Error):
        return None
    text = str(exc).lower()
    # A full disk surfaces as IOException (a write), TransactionException (a commit's log) or
    # FatalException (a checkpoint, and every use after it); the errno's words name it.
    if any(words in text for words in _errno_texts(_DISK_FULL_ERRNOS)):
        return "disk_full"
    if isinstance(exc, duckdb.PermissionException):
        return "read_only"
    if isinstance(exc, duckdb.IOException):
        if any(words in text for words in _errno_texts(_READ_ONLY_ERRNOS)):
            return "read_only"
        # Text: a file locked by another process is an IOException like any other file fault.
        if "could not set lock on file" in text:
            return "busy"
        # Text: so are a file cut short and a file that is not a DuckDB database at all.
        if "could not read enough bytes" in text or "not a valid duckdb database" in text:
            return "corrupt"
        return None
    if isinstance(exc, duckdb.ConnectionException):  # held by this process otherwise opened
        return "busy"
    # Text: BinderException is every binding mistake, and also the file still being detached
    # by a closing instance of this process.
    if isinstance(exc, duckdb.BinderException) and "unique file handle conflict" in text:
        return "busy"
    # Text: InvalidInputException is any bad input, and also a write on a read-only file.
    if isinstance(exc, duckdb.InvalidInputException) and "read-only mode" in text:
        return "read_only"
    # A block failing its checksum raises DuckDB's base class itself (no subclass names it); a
    # catalogue or block that cannot be decoded raises SerializationException; a database that
    # failed while writing is invalidated with FatalException.
    if type(exc) is duckdb.Error or isinstance(
            exc, duckdb.SerializationException | duckdb.FatalException):
        return "corrupt"
    return None  # InternalException (a DuckDB bug), OutOfMemoryException and the rest


def _is_transient(exc: BaseException) -> bool:
    """Whether opening failed only because the file is busy (another process, or an instance of
    this process still closing), so that trying again later can succeed."""
    return _fault(exc) == "busy"


def _frame(name: str, columns: Columns) -> pd.DataFrame:
    """The frame of one data file from fetched columns (NULLs, masked in numpy, become NA)."""
    frame = pd.DataFrame({column: pd.Series(values) for column, values in columns.items()})
    return conform_frame(name, frame)


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


class DuckDBStore(SharedFlow):
    """The :class:`~planner.store.base.Store` on an embedded DuckDB file.

    Parameters
    ----------
    path : str or pathlib.Path
        The database file; it and its parent folder are created on first use. When the file
        cannot be written it is opened read-only: reads work, writes raise
        :class:`~planner.store.base.DatabaseReadOnlyError`.
    lock_timeout : float, optional
        Seconds the file may stay with one holder (or the line stand still) before an operation
        waiting for its turn raises :class:`~planner.store.base.DatabaseLockedError`; an
        operation whose line moves waits as long as it takes.
    seed_dir : str or pathlib.Path, optional
        The data folder loaded (and fitted) as the first dataset version when a read finds the
        database empty; None (the default) loads nothing by itself.
    wait_notice : callable, optional
        See :attr:`~planner.store.base.Store.wait_notice`.
    """

    def __init__(self, path: str | Path, lock_timeout: float = LOCK_TIMEOUT,
                 seed_dir: str | Path | None = None, wait_notice: WaitNotice | None = None):
        self.path = Path(path)
        self.address = str(self.path)
        self.lock_timeout = lock_timeout
        self.seed_dir = Path(seed_dir) if seed_dir is not None else None
        self.wait_notice = wait_notice
        self.hold_times: deque[HoldTime] = deque(maxlen=HOLD_HISTORY)
        self._migrated = False
        self._read_only: bool | None = None
        self._seed_tried = False
        self._seed_lock = threading.Lock()
        self._seed_problem: str | None = None

    def __repr__(self) -> str:
        return f"DuckDBStore({str(self.path)!r})"

    @property
    def read_only(self) -> bool:
        """Whether the file can only be read (decided once, when first needed)."""
        if self._read_only is None:
            self._read_only = self._cannot_write()
        return self._read_only

    def _cannot_write(self) -> bool:
        if not self.path.exists():
            return False
        try:
            os.close(os.open(self.path, os.O_RDWR))
        except OSError as exc:
            return exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS)
        return False

    # -- messages ----------------------------------------------------------------------------

    def _locked_text(self) -> str:
        return (f"the database {self.path} stayed locked by another process for "
                f"{self.lock_timeout:g} s; nothing was changed: try again in a moment")

    def _read_only_text(self) -> str:
        return (f"the database {self.path} is read-only: it can be read, but nothing can be "
                "saved or loaded into it; give the planner write access to the file and its "
                "folder to save")

    def _corrupt_text(self, detail: str) -> str:
        return (f"the database {self.path} is damaged ({detail}); restore it from a backup, or "
                "move it aside and run `python -m planner db upgrade` to start a new one")

    def _translate(self, exc: BaseException) -> StoreError:
        """The :class:`StoreError` that says what a DuckDB or OS error means for people."""
        if isinstance(exc, StoreError):
            return exc
        fault = _fault(exc)
        if fault == "busy":
            return DatabaseLockedError(self._locked_text())
        if fault == "disk_full":
            return DiskFullError(
                f"the disk holding the database {self.path} is full, so nothing was written; "
                f"free some space and try again ({_first_line(exc)})")
        if fault == "read_only":
            return DatabaseReadOnlyError(self._read_only_text())
        if fault == "corrupt":
            return DatabaseCorruptError(self._corrupt_text(_first_line(exc)))
        return StoreError(f"the database {self.path} failed: {_first_line(exc)}")

    # -- holding the file --------------------------------------------------------------------

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Hold the database for raw SQL, as every operation does (for tests and tools).

        Yields
        ------
        duckdb.DuckDBPyConnection
            With an up-to-date schema; closed, and the file let go, when the block ends.

        Raises
        ------
        DatabaseLockedError
            When the turn does not come (see ``lock_timeout``).
        """
        with self._hold("connect") as con:
            yield con

    @contextmanager
    def _hold(self, operation: str, write: bool = False, prepare: bool = True
              ) -> Iterator[duckdb.DuckDBPyConnection]:
        """Take a turn, open the file, yield the connection; close, record, let go."""
        if write and self.read_only:
            raise DatabaseReadOnlyError(self._read_only_text())
        asked = time.monotonic()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise self._translate(exc) from exc
        turn = Turn(self.path, self.lock_timeout, self.wait_notice)
        try:
            turn.acquire()
        except TurnTimeout:
            raise DatabaseLockedError(self._locked_text()) from None
        except OSError as exc:
            raise self._translate(exc) from exc
        try:
            con, opened = self._open(time.monotonic() + self.lock_timeout)
            try:
                if prepare and not self._migrated:
                    if not self.read_only:
                        migrate(con)
                    self._migrated = True
                yield con
            except duckdb.Error as exc:
                rollback(con)
                raise self._translate(exc) from exc
            except MigrationError as exc:  # a full disk or a damaged file, said plainly
                translated = self._translate(exc.__cause__ or exc)
                if type(translated) is StoreError:
                    raise
                raise translated from exc
            finally:
                try:
                    with _OPEN_CLOSE_LOCK:
                        con.close()
                except duckdb.Error as exc:
                    raise self._translate(exc) from exc
                finally:
                    self.hold_times.append(
                        HoldTime(operation, time.monotonic() - opened, opened - asked))
        finally:
            turn.release()

    def _open(self, deadline: float) -> tuple[duckdb.DuckDBPyConnection, float]:
        """Open the file, retrying while a program that takes no turns holds it."""
        delay = 0.005
        while True:
            started = time.monotonic()
            try:
                with _OPEN_CLOSE_LOCK:
                    con = duckdb.connect(str(self.path), read_only=self.read_only)
                return con, started
            except duckdb.Error as exc:
                if not _is_transient(exc):
                    raise self._translate(exc) from exc
                if time.monotonic() >= deadline:
                    raise DatabaseLockedError(self._locked_text()) from exc
                delay = backoff(delay, deadline, 0.1)

    def _read(self, operation: str, read: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
        """Run a read; when it finds no dataset, load :attr:`seed_dir` (once) and read again."""
        try:
            with self._hold(operation) as con:
                return read(con)
        except NoDatasetError:
            if self.seed_dir is None:
                raise
            self._seed()
        with self._hold(operation) as con:
            return read(con)

    def _seed(self) -> None:
        """Load :attr:`seed_dir` into an empty database, once per store (other threads wait for
        it); remember why when that fails."""
        with self._seed_lock:
            if not self._seed_tried:
                self._seed_tried = True
                self._seed_once()

    def _seed_once(self) -> None:
        if self.read_only:
            self._seed_problem = "the database is read-only, so the bundled data was not loaded"
            return
        try:
            self._load(self.seed_dir, fit_check, only_if_empty=True)
        except (DataValidationError, StoreError) as exc:
            self._seed_problem = f"the bundled data in {self.seed_dir} could not be loaded: {exc}"

    # -- schema ------------------------------------------------------------------------------

    def migrate(self) -> list[int]:
        with self._hold("migrate", prepare=False) as con:
            if self.read_only:
                if applied_versions(con)[-1:] != [latest_version()]:
                    raise DatabaseReadOnlyError(self._read_only_text())
                applied: list[int] = []
            else:
                applied = migrate(con)
        self._migrated = True
        return applied

    def schema_version(self) -> int:
        with self._hold("schema_version") as con:
            return max(applied_versions(con), default=0)

    def _check_tables(self, con: duckdb.DuckDBPyConnection) -> None:
        tables = [name for (name,) in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
            "ORDER BY table_name").fetchall()]
        for name in tables:
            quoted = '"' + name.replace('"', '""') + '"'
            try:  # hashing whole rows reads (and so checksums) every block of the table
                con.execute(f"SELECT count(*), bit_xor(hash(r__)) FROM {quoted} AS r__").fetchall()  # noqa: S608 - names from the catalogue, quoted
            except duckdb.Error as exc:
                raise DatabaseCorruptError(
                    self._corrupt_text(f"table {name} cannot be read: {_first_line(exc)}")
                ) from exc

    # -- dataset versions --------------------------------------------------------------------

    def _switch(self, data: Dataset, check: DatasetCheck | None, action: str, author: str,
                note: str, base: str | None | object = _ANY_BASE, only_if_empty: bool = False,
                operation: str = "publish") -> LoadReport:
        """Make ``data`` current: store its rows unless stored, switch, log; one transaction.

        The check runs with the file released, between a read of the current version and the
        write transaction, which reads it again: another process may have switched meanwhile.
        A publish or rollback then goes ahead only if its ``base`` is still current at the
        commit (compare and swap); a load (``base`` left out) replaces whatever is current, and
        the log's ``previous_version`` is what was current at the commit.
        """
        author = publish_text(author, MAX_AUTHOR_LENGTH, "author")
        note = publish_text(note, MAX_NOTE_LENGTH, "note")
        counts = data.row_counts()
        if self.read_only:
            raise DatabaseReadOnlyError(self._read_only_text())
        with self._hold(f"{operation}.read") as con:
            self._check_tables(con)
            previous = self._current(con)
            if previous is not None and (only_if_empty or previous == data.version):
                return LoadReport(previous, "unchanged", previous, counts)
            if base is not _ANY_BASE and previous != base:  # refused before the slow check
                raise self._base_moved(con, previous, base, action)
        if check is not None:
            try:
                check(data)
            except Exception as exc:  # any failure: the model cannot use this version
                kept = f"dataset {previous}" if previous else "no dataset"
                raise UnfittableDatasetError(
                    f"dataset {data.version} was not loaded: the model cannot be fitted on it: "
                    f"{exc}. The database keeps {kept}.") from exc
        with self._hold(f"{operation}.write", write=True) as con:
            con.execute("BEGIN TRANSACTION")
            try:
                current = self._current(con)  # another process may have switched meanwhile
                if current is not None and (only_if_empty or current == data.version):
                    rollback(con)
                    return LoadReport(current, "unchanged", current, counts)
                if base is not _ANY_BASE and current != base:
                    raise self._base_moved(con, current, base, action)
                now = utc_now()
                if self._has_version(con, data.version):
                    status = "switched"
                else:
                    if action == "rollback":
                        raise UnknownVersionError(
                            f"dataset version {data.version!r} is not in {self.path}")
                    status = "loaded"
                    con.execute(
                        "INSERT INTO dataset_versions (version, loaded_at, file_hashes, "
                        "row_counts, is_current, author, note) VALUES (?, ?, ?, ?, FALSE, ?, ?)",
                        [data.version, now, json.dumps(file_hashes(dataset_files(data))),
                         json.dumps(counts), author, note],
                    )
                    for name, frame in data.frames().items():
                        self._insert_frame(con, name, frame, data.version)
                self._make_current(con, data.version)
                con.execute(
                    "INSERT INTO dataset_publishes (seq, version, previous_version, action, "
                    "author, note, published_at) SELECT coalesce(max(seq), 0) + 1, ?, ?, ?, ?, "
                    "?, ? FROM dataset_publishes",
                    [data.version, current, action, author, note, now],
                )
                con.execute("COMMIT")
            except StoreError:
                rollback(con)
                raise
            except Exception as exc:
                rollback(con)
                if isinstance(exc, duckdb.Error | OSError):
                    translated = self._translate(exc)
                    if type(translated) is not StoreError:
                        raise translated from exc
                raise StoreError(f"could not load dataset {data.version}: {exc}") from exc
        return LoadReport(data.version, status, current, counts, now)

    def _base_moved(self, con: duckdb.DuckDBPyConnection, current: str | None,
                    base: str | None, action: str) -> StoreError:
        """The refusal of a publish or rollback whose base is no longer current, naming who
        made which version current when (from the publish log)."""
        if current is None:  # not reached by people: a version is never made not current
            return StoreError(f"dataset {base} is no longer current and none is; nothing was "
                              "changed")
        found = con.execute(
            "SELECT author, published_at FROM dataset_publishes WHERE version = ? "
            "ORDER BY seq DESC LIMIT 1", [current]).fetchone()
        author, when = found if found else ("", None)
        who = f"another editor ({author})" if author else "another editor"
        at = f" (at {when:%Y-%m-%d %H:%M:%S} UTC)" if when is not None else ""
        built = f"dataset {base}" if base is not None else "an empty database"
        if action == "rollback":
            what = (f"while this rollback was chosen with {built} current; nothing was changed: "
                    "look at the versions again and choose again")
        else:
            what = (f"while this {action} was built on {built}; nothing was changed: check the "
                    f"data again against {current} (download it again, or run the import "
                    "again, which then builds on it)")
        return BaseMovedError(f"{who} made dataset {current} current first{at}, {what}",
                              version=current, base=base, author=author or "", time=when)

    def publish_log(self, limit: int | None = None) -> list[dict[str, Any]]:
        columns = ", ".join(PUBLISH_LOG_COLUMNS)
        with self._hold("publish_log") as con:
            rows = con.execute(
                f"SELECT {columns} FROM dataset_publishes ORDER BY seq DESC LIMIT ?",  # noqa: S608 - fixed column names
                [None if limit is None else max(0, int(limit))],
            ).fetchall()
        return [dict(zip(PUBLISH_LOG_COLUMNS, row, strict=True)) for row in rows]

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
        row = con.execute(
            "SELECT count(*) FROM dataset_versions WHERE version = ?", [version]).fetchone()
        return bool(row and row[0])

    def dataset_versions(self) -> list[dict[str, Any]]:
        def read(con: duckdb.DuckDBPyConnection) -> list[tuple]:
            return con.execute(
                "SELECT version, loaded_at, file_hashes, row_counts, is_current, author, note "
                "FROM dataset_versions ORDER BY loaded_at, version").fetchall()

        with self._hold("dataset_versions") as con:
            rows = read(con)
        if not rows and self.seed_dir is not None:
            self._seed()
            with self._hold("dataset_versions") as con:
                rows = read(con)
        return [
            {
                "version": version,
                "loaded_at": (loaded_at.replace(tzinfo=UTC) if isinstance(loaded_at, datetime)
                              else loaded_at),
                "file_hashes": json.loads(hashes),
                "row_counts": json.loads(counts),
                "is_current": bool(is_current),
                "author": author,
                "note": note,
            }
            for version, loaded_at, hashes, counts, is_current, author, note in rows
        ]

    # -- reading -----------------------------------------------------------------------------

    @staticmethod
    def _read_table(con: duckdb.DuckDBPyConnection, name: str, version: str) -> Columns:
        table = DATA_TABLES[name]
        quoted = ", ".join(f'"{c}"' for c in FILE_SPECS[name].columns)
        return con.execute(
            f'SELECT {quoted} FROM "{table}" WHERE dataset_version = ? ORDER BY line',  # noqa: S608 - whitelisted names
            [version],
        ).fetchnumpy()

    def dataset(self, version: str | None = None) -> Dataset:
        def read(con: duckdb.DuckDBPyConnection) -> tuple[str, dict[str, Columns]]:
            resolved = self._resolve(con, version)
            return resolved, {name: self._read_table(con, name, resolved) for name in FILE_NAMES}

        resolved, raw = self._read("dataset", read)
        frames = {name: _frame(name, columns) for name, columns in raw.items()}
        return Dataset(**frames, version=resolved)

    def baseline(self, version: str | None = None, indicator: str | None = None) -> pd.DataFrame:
        quoted = ", ".join(f'"{c}"' for c in BASELINE_COLUMNS)
        order = 'ORDER BY indicator, geography, "year", period, kind, source'

        def read(con: duckdb.DuckDBPyConnection) -> Columns:
            resolved = self._resolve(con, version)
            if indicator is None:
                return con.execute(
                    f"SELECT {quoted} FROM data_observations WHERE dataset_version = ? {order}",  # noqa: S608 - fixed text
                    [resolved],
                ).fetchnumpy()
            found = con.execute(
                "SELECT count(*) FROM data_indicators WHERE dataset_version = ? AND id = ?",
                [resolved, indicator],
            ).fetchone()
            if not found or not found[0]:
                raise UnknownIndicatorError(
                    f"unknown indicator {indicator!r} (not in dataset {resolved})")
            return con.execute(
                f"SELECT {quoted} FROM data_observations "  # noqa: S608 - fixed text
                f"WHERE dataset_version = ? AND indicator = ? {order}",
                [resolved, indicator],
            ).fetchnumpy()

        return _frame("observations", self._read("baseline", read))

    def sources(self, version: str | None = None) -> pd.DataFrame:
        def read(con: duckdb.DuckDBPyConnection) -> tuple[Columns, Columns]:
            resolved = self._resolve(con, version)
            counts = con.execute(
                "SELECT source AS id, count(*) AS n_values FROM data_observations "
                "WHERE dataset_version = ? GROUP BY source",
                [resolved],
            ).fetchnumpy()
            return self._read_table(con, "sources", resolved), counts

        sources, counts = self._read("sources", read)
        out = _frame("sources", sources).merge(pd.DataFrame(counts), on="id", how="left")
        out["n_values"] = out["n_values"].fillna(0).astype("int64")
        return out

    # -- saved scenarios ---------------------------------------------------------------------

    def insert_saved(self, row: Mapping[str, Any], require_current: bool = True) -> None:
        missing = [c for c in SAVED_COLUMNS if c not in row]
        if missing:
            raise StoreError(f"a saved scenario lacks {', '.join(missing)}")
        values = [row[c] for c in SAVED_COLUMNS]
        columns = ", ".join(SAVED_COLUMNS)
        marks = ", ".join("?" for _ in SAVED_COLUMNS)
        version = row["dataset_version"]
        parent = row["parent_id"]
        with self._hold("insert_saved", write=True) as con:
            con.execute("BEGIN TRANSACTION")
            found = con.execute(
                "SELECT is_current FROM dataset_versions WHERE version = ?", [version]
            ).fetchone()
            if found is None:
                raise UnknownVersionError(f"unknown dataset version {version!r}")
            if require_current and not found[0]:
                raise StaleDatasetError(
                    f"the scenario was computed on dataset {version}, but the current "
                    f"dataset is {self._current(con)}; compute it again on the current data")
            if parent is not None:
                exists = con.execute(
                    "SELECT count(*) FROM saved_scenarios WHERE id = ?", [parent]).fetchone()
                if not exists or not exists[0]:
                    raise SavedNotFoundError(f"no saved scenario has the id {parent!r}")
            try:
                con.execute(
                    f"INSERT INTO saved_scenarios ({columns}) VALUES ({marks})",  # noqa: S608 - fixed column names
                    values,
                )
                con.execute("COMMIT")
            except duckdb.Error as exc:
                rollback(con)
                translated = self._translate(exc)
                if type(translated) is not StoreError:
                    raise translated from exc
                raise StoreError(f"could not save scenario {row['id']!r}: {exc}") from exc

    def get_saved(self, scenario_id: str) -> dict[str, Any] | None:
        columns = ", ".join(SAVED_COLUMNS)
        with self._hold("get_saved") as con:
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
        if int(limit) < 0 or int(offset) < 0:
            raise StoreError("limit and offset must not be negative")
        where, params = self._search_clause(search)
        columns = ", ".join(SAVED_SUMMARY_COLUMNS)
        with self._hold("list_saved") as con:
            rows = con.execute(
                f"SELECT {columns} FROM saved_scenarios {where} "  # noqa: S608 - fixed text
                "ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
                [*params, int(limit), int(offset)],
            ).fetchall()
        return [dict(zip(SAVED_SUMMARY_COLUMNS, r, strict=True)) for r in rows]

    def delete_saved(self, scenario_id: str, owner_token_hash: str) -> bool:
        with self._hold("delete_saved", write=True) as con:
            deleted = con.execute(
                "DELETE FROM saved_scenarios WHERE id = ? AND owner_token_hash = ? RETURNING id",
                [scenario_id, owner_token_hash],
            ).fetchall()
        return bool(deleted)

