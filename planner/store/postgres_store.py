"""The :class:`~planner.store.base.Store` on a shared PostgreSQL database.

Several app processes (replicas) and command lines use one database at once. Each process keeps
a small pool of connections (:mod:`psycopg_pool`); every operation borrows one, runs one short
transaction (READ COMMITTED) and gives it back. Nothing about the data is remembered between
operations: the current dataset version is read each time it is asked for, so a publish made
through one replica is seen by every other on its next read.

- The schema is the project's numbered migrations (:mod:`planner.migrations`, written in
  DuckDB's SQL and translated by :func:`postgres_statements`), applied under a session advisory
  lock (:data:`MIGRATION_LOCK`): replicas starting together migrate once, the others wait and
  then find the schema up to date.
- A change of the current version (a load, a publish, a rollback) takes the transaction
  advisory lock :data:`PUBLISH_LOCK` before it reads the current version, so the comparison
  with the base it was built on and the switch are one step (compare and swap): of two
  publishes built on one version, one commits and the other is refused with
  :class:`~planner.store.base.BaseMovedError`. A save takes the same lock shared, so the
  version it was computed on stays current until it commits.
- A server that cannot be reached (stopped, restarting) is said plainly
  (:class:`~planner.store.base.DatabaseUnreachableError`) within :data:`PROBE_EVERY` seconds;
  the pool drops broken connections (each is checked when borrowed) and connects again by
  itself once the server answers.
- The password of the address is never shown: messages, ``repr`` and the pool's name use
  :func:`redacted`.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import psycopg
from psycopg import conninfo as pg_conninfo
from psycopg_pool import ConnectionPool, PoolTimeout

from planner.dataio.canonical import dataset_files
from planner.dataset import (
    FILE_NAMES,
    Dataset,
    DataValidationError,
    conform_frame,
    file_hashes,
)
from planner.migrations import MIGRATIONS, Migration, MigrationError, check_sequence, utc_now
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
    DatabaseUnreachableError,
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
from planner.store.duckdb_store import DATA_TABLES
from planner.store.flow import SharedFlow
from planner.validation import FILE_SPECS

T = TypeVar("T")

MIGRATION_LOCK = 0x706C616E6E657201
"""The advisory lock held while migrations are checked and applied (``planner`` and 1)."""

PUBLISH_LOCK = 0x706C616E6E657202
"""The advisory lock of the current version: exclusive to change it, shared to save on it."""

POOL_SIZE = 8
"""Connections a store keeps at most (one process; the server's ``max_connections`` must cover
every replica's)."""

PROBE_EVERY = 3.0
"""Seconds an operation waits for a connection before checking that the server answers."""

CONNECT_TIMEOUT = 3
"""Seconds a new connection may take (libpq's ``connect_timeout``)."""

RECONNECT_TIMEOUT = 2.0
"""Seconds the pool keeps retrying a failed connection in the background before it lets the
next operation ask again (so recovery after an outage is prompt)."""

NOTICE_AFTER = 2.0
"""Seconds of waiting for a connection before the first :attr:`Store.wait_notice`."""

_ANY_BASE = object()

_UNREACHABLE_STATES = {"57P01", "57P02", "57P03"}  # admin/crash shutdown, cannot connect now
_READ_ONLY_STATES = {"25006", "42501"}  # read-only transaction (a standby), no privilege
_LOCKED_STATES = {"55P03", "40P01"}  # lock timeout, deadlock
_CORRUPT_STATES = {"XX001", "XX002"}  # data corrupted, index corrupted
_DISK_FULL_STATE = "53100"


def redacted(url: str) -> str:
    """The address of a database as it may be shown: everything but the password.

    Parameters
    ----------
    url : str
        A ``postgresql://`` (or ``postgres://``) address.

    Returns
    -------
    str
        ``postgresql://user@host:port/dbname`` with the parts the address names, and the
        socket folder or other options after ``?``; never the password.

    Raises
    ------
    StoreError
        When the address cannot be read; the message says why, without the password.
    """
    params = parse_address(url)
    user = params.pop("user", "")
    host = params.pop("host", "")
    port = params.pop("port", "")
    dbname = params.pop("dbname", "")
    params.pop("password", None)
    shown_host = "" if host.startswith("/") else host
    if host.startswith("/"):
        params["host"] = host
    text = "postgresql://" + (f"{user}@" if user else "") + shown_host
    text += (f":{port}" if port else "") + f"/{dbname}"
    extra = "&".join(f"{k}={v}" for k, v in sorted(params.items()))
    return text + (f"?{extra}" if extra else "")


def parse_address(url: str) -> dict[str, str]:
    """The connection parameters of an address (libpq's reading of it).

    Parameters
    ----------
    url : str

    Returns
    -------
    dict of str to str

    Raises
    ------
    StoreError
        Naming what is wrong with the address (the password never shown).
    """
    try:
        params = pg_conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError as exc:
        secret = _password_in(url)
        detail = _first_line(exc)
        if secret:
            detail = detail.replace(secret, "***")
        raise StoreError(
            f"the database address in PLANNER_DB (or --db) is not a valid PostgreSQL address "
            f"({detail}); write it as postgresql://user:password@host:5432/dbname") from None
    params = {k: str(v) for k, v in params.items() if v is not None}
    if not all(part.isdigit() for part in params.get("port", "0").split(",")):
        raise StoreError(f"the database address in PLANNER_DB (or --db) has the port "
                         f"{params['port']!r}; a port is a number such as 5432")
    return params


def _password_in(url: str) -> str:
    """The password written in an address, found without libpq (for scrubbing messages)."""
    found = re.match(r"^[a-z]+://[^:@/?]*:([^@/?]*)@", url)
    if found:
        return found.group(1)
    found = re.search(r"[?&]password=([^&]*)", url)
    return found.group(1) if found else ""


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def postgres_statements(step: str) -> list[str]:
    """A migration step written in DuckDB's SQL as PostgreSQL statements.

    DuckDB's ``DOUBLE`` is ``DOUBLE PRECISION``; a table renamed keeps its primary key's index
    name in PostgreSQL, which would clash with the key of a new table of the old name, so the
    key is renamed with it.

    Parameters
    ----------
    step : str
        One statement of a :class:`~planner.migrations.Migration`.

    Returns
    -------
    list of str
    """
    statement = re.sub(r"\bDOUBLE\b(?!\s+PRECISION)", "DOUBLE PRECISION", step)
    renamed = re.fullmatch(r"\s*ALTER TABLE (\w+) RENAME TO (\w+)\s*", statement)
    if renamed:
        old, new = renamed.groups()
        return [statement,
                f"ALTER TABLE {new} RENAME CONSTRAINT {old}_pkey TO {new}_pkey"]
    return [statement]


def _rows(frame: pd.DataFrame, columns: list[str]) -> Iterator[tuple[Any, ...]]:
    """The rows of a frame as Python values, missing values as None (NULL)."""
    lists = [frame[c].tolist() for c in columns]
    for row in zip(*lists, strict=True):
        yield tuple(None if v is None or (not isinstance(v, str) and pd.isna(v)) else v
                    for v in row)


def _frame(name: str, columns: list[str], rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    return conform_frame(name, pd.DataFrame(rows, columns=columns, dtype=object))


class PostgresStore(SharedFlow):
    """The :class:`~planner.store.base.Store` on a PostgreSQL database.

    Parameters
    ----------
    url : str
        ``postgresql://user:password@host:port/dbname`` (``postgres://`` too; libpq's options
        such as ``?host=/run/postgresql`` for a Unix socket, ``sslmode`` ...). The database must
        exist; its schema is made on first use.
    lock_timeout : float, optional
        Seconds an operation may wait for a connection of the pool or for a lock held by
        another before it raises :class:`~planner.store.base.DatabaseLockedError`.
    seed_dir : str or pathlib.Path, optional
        The data folder loaded (and fitted) as the first dataset version when a read finds the
        database empty; None (the default) loads nothing by itself.
    wait_notice : callable, optional
        See :attr:`~planner.store.base.Store.wait_notice`.
    pool_size : int, optional
        Connections kept at most (:data:`POOL_SIZE`).

    Raises
    ------
    StoreError
        When the address cannot be read (nothing is connected here).
    """

    def __init__(self, url: str, lock_timeout: float = LOCK_TIMEOUT,
                 seed_dir: str | Path | None = None, wait_notice: WaitNotice | None = None,
                 pool_size: int = POOL_SIZE):
        self.address = redacted(url)
        self._url = url
        self.lock_timeout = lock_timeout
        self.seed_dir = Path(seed_dir) if seed_dir is not None else None
        self.wait_notice = wait_notice
        self.hold_times: deque[HoldTime] = deque(maxlen=HOLD_HISTORY)
        self._secret = _password_in(url) or parse_address(url).get("password", "")
        self._pool_size = pool_size
        self._pool: ConnectionPool | None = None
        self._pool_lock = threading.Lock()
        self._migrated = False
        self._seed_tried = False
        self._seed_lock = threading.Lock()
        self._seed_problem: str | None = None

    def __repr__(self) -> str:
        return f"PostgresStore({self.address!r})"

    def close(self) -> None:
        """Close every connection of the pool (a later operation opens it again)."""
        with self._pool_lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()

    # -- messages ----------------------------------------------------------------------------

    def _scrub(self, text: str) -> str:
        return text.replace(self._secret, "***") if self._secret else text

    def _unreachable(self, exc: BaseException | None = None) -> DatabaseUnreachableError:
        why = f" ({self._scrub(_first_line(exc))})" if exc is not None else ""
        return DatabaseUnreachableError(
            f"the database server of {self.address} cannot be reached{why}; the planner "
            "connects again by itself when it answers: try again in a moment")

    def _locked_text(self) -> str:
        return (f"the database {self.address} stayed busy for {self.lock_timeout:g} s; nothing "
                "was changed: try again in a moment")

    def _translate(self, exc: BaseException) -> StoreError:
        """The :class:`StoreError` that says what a PostgreSQL error means for people."""
        if isinstance(exc, StoreError):
            return exc
        state = getattr(exc, "sqlstate", None) or ""
        detail = self._scrub(_first_line(exc))
        if state in _LOCKED_STATES:
            return DatabaseLockedError(self._locked_text())
        if state in _READ_ONLY_STATES:
            return DatabaseReadOnlyError(
                f"the database {self.address} can only be read ({detail}): nothing can be saved "
                "or loaded into it; give the planner's database user the right to write")
        if state == _DISK_FULL_STATE:
            return DiskFullError(
                f"the disk of the database server of {self.address} is full, so nothing was "
                f"written; free some space and try again ({detail})")
        if state in _CORRUPT_STATES:
            return DatabaseCorruptError(
                f"the database {self.address} is damaged ({detail}); restore it from a backup")
        if state in _UNREACHABLE_STATES or state.startswith("08") or (
                isinstance(exc, psycopg.OperationalError) and not state):
            return self._unreachable(exc)
        return StoreError(f"the database {self.address} failed: {detail}")

    # -- holding a connection ----------------------------------------------------------------

    def _configure(self, conn: psycopg.Connection) -> None:
        conn.execute("SELECT set_config('lock_timeout', %s, false)",
                     [f"{max(1, int(self.lock_timeout * 1000))}ms"])
        conn.commit()

    def _get_pool(self) -> ConnectionPool:
        with self._pool_lock:
            if self._pool is None:
                pool = ConnectionPool(
                    self._url, min_size=1, max_size=self._pool_size, open=False,
                    name=self.address, timeout=self.lock_timeout,
                    reconnect_timeout=RECONNECT_TIMEOUT, num_workers=2,
                    check=ConnectionPool.check_connection, configure=self._configure,
                    kwargs={"connect_timeout": CONNECT_TIMEOUT, "application_name": "planner"})
                pool.open(wait=False)
                self._pool = pool
            return self._pool

    def _reachable(self) -> BaseException | None:
        """None when the server answers a new connection, else why not."""
        try:
            with psycopg.connect(self._url, connect_timeout=CONNECT_TIMEOUT,
                                 application_name="planner"):
                return None
        except psycopg.Error as exc:
            return exc

    def _getconn(self) -> psycopg.Connection:
        """A connection of the pool; waits while the server answers, for ``lock_timeout``."""
        pool = self._get_pool()
        started = time.monotonic()
        deadline = started + self.lock_timeout
        while True:
            try:
                return pool.getconn(timeout=max(0.01, min(PROBE_EVERY,
                                                          deadline - time.monotonic())))
            except PoolTimeout:
                problem = self._reachable()
                if problem is not None:
                    raise self._unreachable(problem) from None
                now = time.monotonic()
                if now >= deadline:
                    raise DatabaseLockedError(self._locked_text()) from None
                if self.wait_notice is not None and now - started >= NOTICE_AFTER:
                    waiting = pool.get_stats().get("requests_waiting", 0)
                    self.wait_notice(int(waiting), now - started)

    @contextmanager
    def connect(self) -> Iterator[psycopg.Connection]:
        """Hold a connection for raw SQL, as every operation does (for tests and tools).

        Yields
        ------
        psycopg.Connection
            With an up-to-date schema, in a transaction committed when the block ends (rolled
            back on an error).
        """
        with self._hold("connect") as conn:
            yield conn

    @contextmanager
    def _hold(self, operation: str, prepare: bool = True) -> Iterator[psycopg.Connection]:
        """Borrow a connection, yield it in a transaction; commit, record, give it back."""
        asked = time.monotonic()
        conn = self._getconn()
        opened = time.monotonic()
        try:
            if prepare and not self._migrated:
                self._migrate(conn)
            yield conn
            conn.commit()
        except StoreError:
            self._rollback(conn)
            raise
        except MigrationError as exc:
            self._rollback(conn)
            translated = self._translate(exc.__cause__ or exc)
            if type(translated) is StoreError:
                raise StoreError(self._scrub(str(exc))) from exc
            raise translated from exc
        except psycopg.Error as exc:
            self._rollback(conn)
            raise self._translate(exc) from exc
        except BaseException:
            self._rollback(conn)
            raise
        finally:
            self._get_pool().putconn(conn)
            self.hold_times.append(HoldTime(operation, time.monotonic() - opened,
                                            opened - asked))

    @staticmethod
    def _rollback(conn: psycopg.Connection) -> None:
        with contextlib.suppress(psycopg.Error):  # a broken connection: the pool replaces it
            conn.rollback()

    def _read(self, operation: str, read: Callable[[psycopg.Connection], T]) -> T:
        """Run a read; when it finds no dataset, load :attr:`seed_dir` (once) and read again."""
        try:
            with self._hold(operation) as conn:
                return read(conn)
        except NoDatasetError:
            if self.seed_dir is None:
                raise
            self._seed()
        with self._hold(operation) as conn:
            return read(conn)

    def _seed(self) -> None:
        with self._seed_lock:
            if not self._seed_tried:
                self._seed_tried = True
                try:
                    self._load(self.seed_dir, fit_check, only_if_empty=True)
                except (DataValidationError, StoreError) as exc:
                    self._seed_problem = (
                        f"the bundled data in {self.seed_dir} could not be loaded: {exc}")

    # -- schema ------------------------------------------------------------------------------

    @staticmethod
    def _applied(conn: psycopg.Connection) -> list[int]:
        exists = conn.execute(
            "SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()
        if not exists or not exists[0]:
            return []
        return [v for (v,) in conn.execute(
            "SELECT version FROM schema_migrations ORDER BY version").fetchall()]

    def _migrate(self, conn: psycopg.Connection,
                 migrations: list[Migration] = MIGRATIONS) -> list[int]:
        """Apply the migrations the database lacks, each in its own transaction, under
        :data:`MIGRATION_LOCK`; nothing is written when the schema is up to date."""
        check_sequence(migrations)
        wanted = {m.version for m in migrations}
        if wanted <= set(self._applied(conn)):
            conn.commit()
            self._migrated = True
            return []
        applied_now: list[int] = []
        conn.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK])
        conn.commit()
        try:
            done = set(self._applied(conn))  # another process may have migrated meanwhile
            conn.execute("""CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    description VARCHAR NOT NULL,
    applied_at TIMESTAMP NOT NULL
)""")
            conn.commit()
            for migration in migrations:
                if migration.version in done:
                    continue
                try:
                    for step in migration.steps:
                        if callable(step):
                            step(conn)
                        else:
                            for statement in postgres_statements(step):
                                conn.execute(statement)
                    conn.execute("INSERT INTO schema_migrations VALUES (%s, %s, %s)",
                                 [migration.version, migration.description, utc_now()])
                    conn.commit()
                except Exception as exc:
                    self._rollback(conn)
                    if isinstance(exc, psycopg.OperationalError):
                        raise
                    raise MigrationError(
                        f"migration {migration.version} ({migration.description}) failed: "
                        f"{exc}") from exc
                applied_now.append(migration.version)
        finally:
            if not conn.closed:
                self._rollback(conn)
                conn.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK])
                conn.commit()
        self._migrated = True
        return applied_now

    def migrate(self) -> list[int]:
        with self._hold("migrate", prepare=False) as conn:
            return self._migrate(conn)

    def schema_version(self) -> int:
        with self._hold("schema_version") as conn:
            return max(self._applied(conn), default=0)

    def _check_tables(self, conn: psycopg.Connection) -> None:
        tables = [name for (name,) in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = "
            "current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name").fetchall()]
        for name in tables:
            quoted = '"' + name.replace('"', '""') + '"'
            try:  # hashing whole rows reads every page of the table
                conn.execute(
                    f"SELECT count(*), sum(hashtext(r__::text)::bigint) FROM {quoted} AS r__"  # noqa: S608 - names from the catalogue, quoted
                ).fetchall()
            except psycopg.Error as exc:
                translated = self._translate(exc)
                if isinstance(translated, DatabaseCorruptError | DatabaseUnreachableError):
                    raise translated from exc
                raise DatabaseCorruptError(
                    f"the database {self.address} is damaged (table {name} cannot be read: "
                    f"{self._scrub(_first_line(exc))}); restore it from a backup") from exc

    # -- dataset versions --------------------------------------------------------------------

    def _switch(self, data: Dataset, check: DatasetCheck | None, action: str, author: str,
                note: str, base: str | None | object = _ANY_BASE, only_if_empty: bool = False,
                operation: str = "publish") -> LoadReport:
        """Make ``data`` current: store its rows unless stored, switch, log; one transaction,
        under :data:`PUBLISH_LOCK` (compare and swap on the current version)."""
        author = publish_text(author, MAX_AUTHOR_LENGTH, "author")
        note = publish_text(note, MAX_NOTE_LENGTH, "note")
        counts = data.row_counts()
        with self._hold(f"{operation}.read") as conn:
            self._check_tables(conn)
            previous = self._current(conn)
            if previous is not None and (only_if_empty or previous == data.version):
                return LoadReport(previous, "unchanged", previous, counts)
            if base is not _ANY_BASE and previous != base:  # refused before the slow check
                raise self._base_moved(conn, previous, base, action)
        if check is not None:
            try:
                check(data)
            except Exception as exc:  # any failure: the model cannot use this version
                kept = f"dataset {previous}" if previous else "no dataset"
                raise UnfittableDatasetError(
                    f"dataset {data.version} was not loaded: the model cannot be fitted on it: "
                    f"{exc}. The database keeps {kept}.") from exc
        try:
            with self._hold(f"{operation}.write") as conn:
                conn.execute("SELECT pg_advisory_xact_lock(%s)", [PUBLISH_LOCK])
                current = self._current(conn)  # another process may have switched meanwhile
                if current is not None and (only_if_empty or current == data.version):
                    return LoadReport(current, "unchanged", current, counts)
                if base is not _ANY_BASE and current != base:
                    raise self._base_moved(conn, current, base, action)
                now = utc_now()
                if self._has_version(conn, data.version):
                    status = "switched"
                else:
                    if action == "rollback":
                        raise UnknownVersionError(
                            f"dataset version {data.version!r} is not in {self.address}")
                    status = "loaded"
                    conn.execute(
                        "INSERT INTO dataset_versions (version, loaded_at, file_hashes, "
                        "row_counts, is_current, author, note) "
                        "VALUES (%s, %s, %s, %s, FALSE, %s, %s)",
                        [data.version, now, json.dumps(file_hashes(dataset_files(data))),
                         json.dumps(counts), author, note])
                    for name, frame in data.frames().items():
                        self._insert_frame(conn, name, frame, data.version)
                conn.execute(
                    "UPDATE dataset_versions SET is_current = (version = %s) "
                    "WHERE is_current OR version = %s", [data.version, data.version])
                conn.execute(
                    "INSERT INTO dataset_publishes (seq, version, previous_version, action, "
                    "author, note, published_at) SELECT coalesce(max(seq), 0) + 1, %s, %s, %s, "
                    "%s, %s, %s FROM dataset_publishes",
                    [data.version, current, action, author, note, now])
        except StoreError:
            raise
        except Exception as exc:
            raise StoreError(f"could not load dataset {data.version}: {exc}") from exc
        return LoadReport(data.version, status, current, counts, now)

    def _base_moved(self, conn: psycopg.Connection, current: str | None, base: str | None,
                    action: str) -> StoreError:
        if current is None:
            return StoreError(f"dataset {base} is no longer current and none is; nothing was "
                              "changed")
        found = conn.execute(
            "SELECT author, published_at FROM dataset_publishes WHERE version = %s "
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
        with self._hold("publish_log") as conn:
            rows = conn.execute(
                f"SELECT {columns} FROM dataset_publishes ORDER BY seq DESC LIMIT %s",  # noqa: S608 - fixed column names
                [None if limit is None else max(0, int(limit))]).fetchall()
        return [dict(zip(PUBLISH_LOG_COLUMNS, row, strict=True)) for row in rows]

    @staticmethod
    def _insert_frame(conn: psycopg.Connection, name: str, frame: pd.DataFrame,
                      version: str) -> None:
        table = DATA_TABLES[name]
        columns = list(FILE_SPECS[name].columns)
        quoted = ", ".join(f'"{c}"' for c in ["dataset_version", "line", *columns])
        with conn.cursor() as cur, cur.copy(
                f'COPY "{table}" ({quoted}) FROM STDIN') as copy:  # noqa: S608 - whitelisted names
            for line, row in enumerate(_rows(frame, columns), start=1):
                copy.write_row((version, line, *row))

    @staticmethod
    def _has_version(conn: psycopg.Connection, version: str) -> bool:
        row = conn.execute(
            "SELECT count(*) FROM dataset_versions WHERE version = %s", [version]).fetchone()
        return bool(row and row[0])

    def dataset_versions(self) -> list[dict[str, Any]]:
        def read(conn: psycopg.Connection) -> list[tuple]:
            return conn.execute(
                "SELECT version, loaded_at, file_hashes, row_counts, is_current, author, note "
                'FROM dataset_versions ORDER BY loaded_at, version COLLATE "C"').fetchall()

        with self._hold("dataset_versions") as conn:
            rows = read(conn)
        if not rows and self.seed_dir is not None:
            self._seed()
            with self._hold("dataset_versions") as conn:
                rows = read(conn)
        return [
            {"version": version, "loaded_at": loaded_at.replace(tzinfo=UTC),
             "file_hashes": json.loads(hashes), "row_counts": json.loads(counts),
             "is_current": bool(is_current), "author": author, "note": note}
            for version, loaded_at, hashes, counts, is_current, author, note in rows
        ]

    # -- reading -----------------------------------------------------------------------------

    @staticmethod
    def _read_table(conn: psycopg.Connection, name: str, version: str) -> list[tuple]:
        quoted = ", ".join(f'"{c}"' for c in FILE_SPECS[name].columns)
        return conn.execute(
            f'SELECT {quoted} FROM "{DATA_TABLES[name]}" WHERE dataset_version = %s '  # noqa: S608 - whitelisted names
            "ORDER BY line", [version]).fetchall()

    def dataset(self, version: str | None = None) -> Dataset:
        def read(conn: psycopg.Connection) -> tuple[str, dict[str, list[tuple]]]:
            resolved = self._resolve(conn, version)
            return resolved, {name: self._read_table(conn, name, resolved)
                              for name in FILE_NAMES}

        resolved, raw = self._read("dataset", read)
        frames = {name: _frame(name, list(FILE_SPECS[name].columns), rows)
                  for name, rows in raw.items()}
        return Dataset(**frames, version=resolved)

    def baseline(self, version: str | None = None, indicator: str | None = None) -> pd.DataFrame:
        quoted = ", ".join(f'"{c}"' for c in BASELINE_COLUMNS)
        order = ('ORDER BY indicator COLLATE "C", geography COLLATE "C", "year", '
                 'period COLLATE "C", kind COLLATE "C", source COLLATE "C"')

        def read(conn: psycopg.Connection) -> list[tuple]:
            resolved = self._resolve(conn, version)
            if indicator is None:
                return conn.execute(
                    f"SELECT {quoted} FROM data_observations WHERE dataset_version = %s {order}",  # noqa: S608 - fixed text
                    [resolved]).fetchall()
            found = conn.execute(
                "SELECT count(*) FROM data_indicators WHERE dataset_version = %s AND id = %s",
                [resolved, indicator]).fetchone()
            if not found or not found[0]:
                raise UnknownIndicatorError(
                    f"unknown indicator {indicator!r} (not in dataset {resolved})")
            return conn.execute(
                f"SELECT {quoted} FROM data_observations "  # noqa: S608 - fixed text
                f"WHERE dataset_version = %s AND indicator = %s {order}",
                [resolved, indicator]).fetchall()

        return _frame("observations", list(BASELINE_COLUMNS), self._read("baseline", read))

    def sources(self, version: str | None = None) -> pd.DataFrame:
        def read(conn: psycopg.Connection) -> tuple[list[tuple], list[tuple]]:
            resolved = self._resolve(conn, version)
            counts = conn.execute(
                "SELECT source, count(*) FROM data_observations WHERE dataset_version = %s "
                "GROUP BY source", [resolved]).fetchall()
            return self._read_table(conn, "sources", resolved), counts

        rows, counts = self._read("sources", read)
        out = _frame("sources", list(FILE_SPECS["sources"].columns), rows).merge(
            pd.DataFrame(counts, columns=["id", "n_values"]).astype({"id": "str"}),
            on="id", how="left")
        out["n_values"] = out["n_values"].fillna(0).astype("int64")
        return out

    # -- saved scenarios ---------------------------------------------------------------------

    def insert_saved(self, row: Mapping[str, Any], require_current: bool = True) -> None:
        missing = [c for c in SAVED_COLUMNS if c not in row]
        if missing:
            raise StoreError(f"a saved scenario lacks {', '.join(missing)}")
        values = [row[c] for c in SAVED_COLUMNS]
        columns = ", ".join(SAVED_COLUMNS)
        marks = ", ".join("%s" for _ in SAVED_COLUMNS)
        version = row["dataset_version"]
        parent = row["parent_id"]
        try:
            with self._hold("insert_saved") as conn:
                # shared: saves go side by side, but no switch of the current version between
                # this check and the commit
                conn.execute("SELECT pg_advisory_xact_lock_shared(%s)", [PUBLISH_LOCK])
                found = conn.execute(
                    "SELECT is_current FROM dataset_versions WHERE version = %s",
                    [version]).fetchone()
                if found is None:
                    raise UnknownVersionError(f"unknown dataset version {version!r}")
                if require_current and not found[0]:
                    raise StaleDatasetError(
                        f"the scenario was computed on dataset {version}, but the current "
                        f"dataset is {self._current(conn)}; compute it again on the current "
                        "data")
                if parent is not None:
                    exists = conn.execute(
                        "SELECT count(*) FROM saved_scenarios WHERE id = %s",
                        [parent]).fetchone()
                    if not exists or not exists[0]:
                        raise SavedNotFoundError(f"no saved scenario has the id {parent!r}")
                conn.execute(
                    f"INSERT INTO saved_scenarios ({columns}) VALUES ({marks})",  # noqa: S608 - fixed column names
                    values)
        except StoreError as exc:
            cause = exc.__cause__
            if type(exc) is StoreError and isinstance(cause, psycopg.IntegrityError):
                raise StoreError(
                    f"could not save scenario {row['id']!r}: {self._scrub(_first_line(cause))}"
                ) from cause
            raise

    def get_saved(self, scenario_id: str) -> dict[str, Any] | None:
        columns = ", ".join(SAVED_COLUMNS)
        with self._hold("get_saved") as conn:
            found = conn.execute(
                f"SELECT {columns} FROM saved_scenarios WHERE id = %s",  # noqa: S608 - fixed column names
                [scenario_id]).fetchone()
        return None if found is None else dict(zip(SAVED_COLUMNS, found, strict=True))

    @staticmethod
    def _search_clause(search: str | None) -> tuple[str, list[Any]]:
        if not search:
            return "", []
        return "WHERE name ILIKE %s ESCAPE %s", [like_pattern(search), LIKE_ESCAPE]

    def list_saved(
        self, search: str | None = None, limit: int = 20, offset: int = 0
    ) -> list[dict[str, Any]]:
        if int(limit) < 0 or int(offset) < 0:
            raise StoreError("limit and offset must not be negative")
        where, params = self._search_clause(search)
        columns = ", ".join(SAVED_SUMMARY_COLUMNS)
        with self._hold("list_saved") as conn:
            rows = conn.execute(
                f"SELECT {columns} FROM saved_scenarios {where} "  # noqa: S608 - fixed text
                'ORDER BY created_at DESC, id COLLATE "C" DESC LIMIT %s OFFSET %s',
                [*params, int(limit), int(offset)]).fetchall()
        return [dict(zip(SAVED_SUMMARY_COLUMNS, r, strict=True)) for r in rows]

    def delete_saved(self, scenario_id: str, owner_token_hash: str) -> bool:
        with self._hold("delete_saved") as conn:
            deleted = conn.execute(
                "DELETE FROM saved_scenarios WHERE id = %s AND owner_token_hash = %s "
                "RETURNING id", [scenario_id, owner_token_hash]).fetchall()
        return bool(deleted)
