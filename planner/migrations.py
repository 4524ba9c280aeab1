"""Numbered schema migrations of the planner database.

The schema only ever moves forward: each :class:`Migration` is applied once, in order of
``version``, inside its own transaction, and recorded in ``schema_migrations``. A migration that
has shipped is never edited; a change of schema is a new entry appended to :data:`MIGRATIONS`.

Every data table holds all dataset versions side by side (``dataset_version`` is part of its
key), so a saved scenario pinned to an old version can always be recomputed. The data tables are
named ``data_<file>`` (``data_observations`` for ``observations.csv``), which leaves plain names
such as ``scenarios`` free for the tables of saved work.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import NamedTuple

import duckdb

Step = str | Callable[[duckdb.DuckDBPyConnection], None]
"""One step of a migration: an SQL statement, or a function given the open connection."""


class Migration(NamedTuple):
    """One schema change.

    Attributes
    ----------
    version : int
        Position in the sequence; strictly increasing from 1.
    description : str
        What the change does, in a few words.
    steps : tuple of Step
        SQL statements (no values formatted in) or functions of the connection, run in order.
    """

    version: int
    description: str
    steps: tuple[Step, ...]


class MigrationError(RuntimeError):
    """A migration failed; the database stays at the previous schema version."""


def _data_table(name: str, columns: str, key: str) -> str:
    return (
        f"CREATE TABLE data_{name} (\n"
        "    dataset_version VARCHAR NOT NULL,\n"
        "    line INTEGER NOT NULL,\n"
        f"{columns},\n"
        f"    PRIMARY KEY (dataset_version, {key})\n"
        ")"
    )


MIGRATIONS: list[Migration] = [
    Migration(
        1,
        "dataset versions and one table per data file",
        (
            """CREATE TABLE dataset_versions (
    version VARCHAR PRIMARY KEY,
    loaded_at TIMESTAMP NOT NULL,
    file_hashes VARCHAR NOT NULL,
    row_counts VARCHAR NOT NULL,
    is_current BOOLEAN NOT NULL DEFAULT FALSE
)""",
            _data_table(
                "units",
                """    id VARCHAR NOT NULL,
    label_vi VARCHAR NOT NULL,
    label_en VARCHAR NOT NULL,
    "min" DOUBLE,
    "max" DOUBLE,
    decimals INTEGER NOT NULL""",
                "id",
            ),
            _data_table(
                "sources",
                """    id VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    publisher VARCHAR NOT NULL,
    "date" VARCHAR NOT NULL,
    address VARCHAR NOT NULL""",
                "id",
            ),
            _data_table(
                "indicators",
                """    id VARCHAR NOT NULL,
    label_vi VARCHAR NOT NULL,
    label_en VARCHAR NOT NULL,
    unit VARCHAR NOT NULL,
    pillar VARCHAR NOT NULL,
    higher_is_better BOOLEAN NOT NULL,
    definition_vi VARCHAR NOT NULL,
    definition_en VARCHAR NOT NULL""",
                "id",
            ),
            _data_table(
                "observations",
                """    indicator VARCHAR NOT NULL,
    geography VARCHAR NOT NULL,
    "year" INTEGER NOT NULL,
    period VARCHAR NOT NULL,
    "value" DOUBLE NOT NULL,
    unit VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    source_date VARCHAR NOT NULL,
    quote VARCHAR NOT NULL,
    note VARCHAR NOT NULL,
    conflict VARCHAR NOT NULL""",
                'indicator, geography, "year", period, kind, source',
            ),
            _data_table(
                "assumptions",
                """    id VARCHAR NOT NULL,
    "value" DOUBLE NOT NULL,
    unit VARCHAR NOT NULL,
    low DOUBLE NOT NULL,
    high DOUBLE NOT NULL,
    label_vi VARCHAR NOT NULL,
    label_en VARCHAR NOT NULL,
    rationale VARCHAR NOT NULL,
    source VARCHAR NOT NULL""",
                "id",
            ),
            _data_table(
                "levers",
                """    id VARCHAR NOT NULL,
    indicator VARCHAR NOT NULL,
    label_vi VARCHAR NOT NULL,
    label_en VARCHAR NOT NULL,
    unit VARCHAR NOT NULL,
    "min" DOUBLE NOT NULL,
    "max" DOUBLE NOT NULL,
    step DOUBLE""",
                "id",
            ),
            _data_table(
                "models",
                """    indicator VARCHAR NOT NULL,
    method VARCHAR NOT NULL,
    fit_from_year INTEGER,
    level_assumption VARCHAR NOT NULL,
    growth_assumption VARCHAR NOT NULL,
    anchor_year INTEGER""",
                "indicator",
            ),
            _data_table(
                "links",
                """    outcome VARCHAR NOT NULL,
    lever VARCHAR NOT NULL,
    assumption VARCHAR NOT NULL""",
                "outcome, lever",
            ),
            _data_table(
                "scenarios",
                """    id VARCHAR NOT NULL,
    label_vi VARCHAR NOT NULL,
    label_en VARCHAR NOT NULL,
    note_vi VARCHAR NOT NULL,
    note_en VARCHAR NOT NULL,
    settings VARCHAR NOT NULL""",
                "id",
            ),
        ),
    ),
    Migration(
        2,
        "saved scenarios",
        (
            # Saved scenarios are immutable: rows are inserted and deleted, never updated (an
            # edit is a new row whose parent_id names the row it came from). ``settings`` is the
            # canonical Scenario JSON, ``snapshot`` the JSON of the numbers shown when saved,
            # ``digest`` the SHA-256 of the canonical payload (see planner.saved) and
            # ``owner_token_hash`` the SHA-256 of the owner token, which is never stored.
            # No secondary index: DuckDB's ART indexes serve point lookups and constraints
            # (the primary key covers lookups by id); listing and searching scan the table,
            # pruned by zone maps.
            """CREATE TABLE saved_scenarios (
    id VARCHAR PRIMARY KEY,
    parent_id VARCHAR,
    name VARCHAR NOT NULL,
    note VARCHAR NOT NULL DEFAULT '',
    author VARCHAR NOT NULL DEFAULT '',
    settings VARCHAR NOT NULL,
    lang VARCHAR NOT NULL,
    dataset_version VARCHAR NOT NULL,
    model_version VARCHAR NOT NULL,
    draws INTEGER NOT NULL,
    seed BIGINT NOT NULL,
    snapshot VARCHAR NOT NULL,
    digest VARCHAR NOT NULL,
    owner_token_hash VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL
)""",
        ),
    ),
    Migration(
        3,
        "publish log: who published each dataset version, when, why, and what it replaced",
        (
            # Every change of the current dataset version is one row of dataset_publishes,
            # written in the same transaction as the change: ``action`` is ``load`` (a data
            # folder, db upgrade), ``publish`` (a new dataset from the editors' page or db
            # import) or ``rollback`` (a stored version made current again, db use).
            # ``seq`` orders them (max + 1 inside the transaction: one writer at a time holds
            # the file). The log starts here: versions stored before have empty author and note.
            "ALTER TABLE dataset_versions ADD COLUMN author VARCHAR NOT NULL DEFAULT ''",
            "ALTER TABLE dataset_versions ADD COLUMN note VARCHAR NOT NULL DEFAULT ''",
            """CREATE TABLE dataset_publishes (
    seq INTEGER PRIMARY KEY,
    version VARCHAR NOT NULL,
    previous_version VARCHAR,
    action VARCHAR NOT NULL,
    author VARCHAR NOT NULL,
    note VARCHAR NOT NULL,
    published_at TIMESTAMP NOT NULL
)""",
        ),
    ),
    Migration(
        4,
        "observation notes and assumption rationales in Vietnamese and English",
        (
            # The English text keeps its values under a new name; the Vietnamese column is new
            # and empty for the versions stored before (readers fall back to the English).
            # The tables are rebuilt so their columns keep the files' order.
            "ALTER TABLE data_observations RENAME TO data_observations_v3",
            _data_table(
                "observations",
                """    indicator VARCHAR NOT NULL,
    geography VARCHAR NOT NULL,
    "year" INTEGER NOT NULL,
    period VARCHAR NOT NULL,
    "value" DOUBLE NOT NULL,
    unit VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    source_date VARCHAR NOT NULL,
    quote VARCHAR NOT NULL,
    note_vi VARCHAR NOT NULL,
    note_en VARCHAR NOT NULL,
    conflict VARCHAR NOT NULL""",
                'indicator, geography, "year", period, kind, source',
            ),
            """INSERT INTO data_observations SELECT dataset_version, line, indicator, geography,
    "year", period, "value", unit, kind, source, source_date, quote, '', note, conflict
    FROM data_observations_v3""",
            "DROP TABLE data_observations_v3",
            "ALTER TABLE data_assumptions RENAME TO data_assumptions_v3",
            _data_table(
                "assumptions",
                """    id VARCHAR NOT NULL,
    "value" DOUBLE NOT NULL,
    unit VARCHAR NOT NULL,
    low DOUBLE NOT NULL,
    high DOUBLE NOT NULL,
    label_vi VARCHAR NOT NULL,
    label_en VARCHAR NOT NULL,
    rationale_vi VARCHAR NOT NULL,
    rationale_en VARCHAR NOT NULL,
    source VARCHAR NOT NULL""",
                "id",
            ),
            """INSERT INTO data_assumptions SELECT dataset_version, line, id, "value", unit, low,
    high, label_vi, label_en, '', rationale, source FROM data_assumptions_v3""",
            "DROP TABLE data_assumptions_v3",
        ),
    ),
    Migration(
        5,
        "the indicators' display order and chart group",
        (
            # Two columns at the end of indicators.csv. The versions stored before get the
            # order and groups the code held then, so they show as they did.
            "ALTER TABLE data_indicators ADD COLUMN display_order INTEGER",
            "ALTER TABLE data_indicators ADD COLUMN chart_group VARCHAR NOT NULL DEFAULT ''",
            """UPDATE data_indicators SET display_order = CASE id
    WHEN 'dti_overall' THEN 1 WHEN 'dti_overall_rank' THEN 2
    WHEN 'dti_digital_government' THEN 3 WHEN 'dti_digital_economy' THEN 4
    WHEN 'dti_digital_society' THEN 5 WHEN 'digital_economy_share_grdp' THEN 6
    WHEN 'dossiers_processed_fully_online' THEN 7 WHEN 'online_filing_rate' THEN 8
    WHEN 'cashless_adoption' THEN 9 WHEN 'ecommerce_uptake' THEN 10 END,
  chart_group = CASE
    WHEN id IN ('dti_overall', 'dti_overall_rank', 'dti_digital_government',
                'dti_digital_economy', 'dti_digital_society') THEN 'dti'
    ELSE 'programme' END
WHERE id IN ('dti_overall', 'dti_overall_rank', 'dti_digital_government',
             'dti_digital_economy', 'dti_digital_society', 'digital_economy_share_grdp',
             'dossiers_processed_fully_online', 'online_filing_rate', 'cashless_adoption',
             'ecommerce_uptake')""",
        ),
    ),
    Migration(
        6,
        "the levers' documented plausible ranges",
        (
            # Five optional columns at the end of levers.csv; the versions stored before have
            # none (no lever of theirs is flagged beyond a plausible range).
            "ALTER TABLE data_levers ADD COLUMN plausible_low DOUBLE",
            "ALTER TABLE data_levers ADD COLUMN plausible_high DOUBLE",
            "ALTER TABLE data_levers ADD COLUMN rationale_vi VARCHAR NOT NULL DEFAULT ''",
            "ALTER TABLE data_levers ADD COLUMN rationale_en VARCHAR NOT NULL DEFAULT ''",
            "ALTER TABLE data_levers ADD COLUMN source VARCHAR NOT NULL DEFAULT ''",
        ),
    ),
    # Append new migrations here: Migration(7, "...", ("...",)),
]
"""Every migration, in order. Append only; never edit or reorder a shipped entry."""

_BOOKKEEPING = """CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    description VARCHAR NOT NULL,
    applied_at TIMESTAMP NOT NULL
)"""

_LOCK = threading.Lock()


def utc_now() -> datetime:
    """Return the current UTC time without a time zone (as stored in TIMESTAMP columns).

    Returns
    -------
    datetime.datetime
    """
    return datetime.now(UTC).replace(tzinfo=None)


def rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back the open transaction, ignoring the error raised when none is open.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
    """
    with contextlib.suppress(duckdb.Error):
        con.execute("ROLLBACK")


def check_sequence(migrations: Sequence[Migration]) -> None:
    """Check that migration versions run 1, 2, 3, ... without gaps or repeats.

    Parameters
    ----------
    migrations : sequence of Migration

    Raises
    ------
    MigrationError
        When the sequence is out of order.
    """
    versions = [m.version for m in migrations]
    if versions != list(range(1, len(versions) + 1)):
        raise MigrationError(f"migration versions must run 1, 2, 3, ...; found {versions}")


def latest_version(migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Return the schema version this code expects.

    Parameters
    ----------
    migrations : sequence of Migration, optional
        Defaults to :data:`MIGRATIONS`.

    Returns
    -------
    int
        The highest migration version, 0 when there is none.
    """
    return max((m.version for m in migrations), default=0)


def applied_versions(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Return the versions of the migrations already applied to a database.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        An open connection.

    Returns
    -------
    list of int
        Sorted; empty for a new database.
    """
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
    ).fetchone()
    if not exists or not exists[0]:
        return []
    return [v for (v,) in con.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()]


def migrate(
    con: duckdb.DuckDBPyConnection, migrations: Sequence[Migration] = MIGRATIONS
) -> list[int]:
    """Apply the migrations a database lacks, each in its own transaction.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        An open connection, outside any transaction.
    migrations : sequence of Migration, optional
        Defaults to :data:`MIGRATIONS`.

    Returns
    -------
    list of int
        The versions applied now (empty when the schema was already up to date, in which case
        nothing is written: a read-only database can be checked).

    Raises
    ------
    MigrationError
        When a migration fails; it is rolled back and later ones are not tried.
    """
    check_sequence(migrations)
    applied_now: list[int] = []
    with _LOCK:
        done = set(applied_versions(con))
        if all(m.version in done for m in migrations):
            return applied_now  # up to date: nothing is written
        con.execute(_BOOKKEEPING)
        for migration in migrations:
            if migration.version in done:
                continue
            con.execute("BEGIN TRANSACTION")
            try:
                for step in migration.steps:
                    if callable(step):
                        step(con)
                    else:
                        con.execute(step)
                con.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                    [migration.version, migration.description, utc_now()],
                )
                con.execute("COMMIT")
            except Exception as exc:
                rollback(con)
                raise MigrationError(
                    f"migration {migration.version} ({migration.description}) failed: {exc}"
                ) from exc
            applied_now.append(migration.version)
    return applied_now
