"""The DuckDB store: migrations, loading, versions, reading back, concurrency, configuration."""

from __future__ import annotations

import multiprocessing
import threading
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from planner import config
from planner.dataset import FILE_NAMES, DataValidationError, read_data_dir
from planner.migrations import (
    MIGRATIONS,
    Migration,
    MigrationError,
    applied_versions,
    check_sequence,
    latest_version,
    migrate,
)
from planner.store import (
    BASELINE_COLUMNS,
    DATA_TABLES,
    DatabaseLockedError,
    DuckDBStore,
    NoDatasetError,
    Store,
    StoreError,
    UnknownIndicatorError,
    UnknownVersionError,
    open_store,
)
from planner.validation import FILE_SPECS


def edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {name}"
    path.write_text(text.replace(old, new), encoding="utf-8", newline="")


def snapshot(path: Path) -> dict[str, object]:
    """Everything a failed load must leave untouched: versions and every table's row count."""
    con = duckdb.connect(str(path))
    try:
        state: dict[str, object] = {
            "versions": con.execute(
                "SELECT version, is_current, row_counts FROM dataset_versions ORDER BY version"
            ).fetchall()
        }
        for table in DATA_TABLES.values():
            state[table] = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    finally:
        con.close()
    return state


@pytest.fixture
def small_store(tmp_db_path: Path, small_data_dir: Path) -> DuckDBStore:
    store = DuckDBStore(tmp_db_path)
    store.load_dataset(small_data_dir)
    return store


# -- migrations -------------------------------------------------------------------------------


def test_migrate_creates_the_schema_once(tmp_db_path: Path) -> None:
    store = DuckDBStore(tmp_db_path)
    assert store.migrate() == [m.version for m in MIGRATIONS]
    assert store.migrate() == []
    assert store.schema_version() == latest_version() >= 1
    con = duckdb.connect(str(tmp_db_path))
    try:
        rows = con.execute("SELECT version, description FROM schema_migrations").fetchall()
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    finally:
        con.close()
    assert rows == [(m.version, m.description) for m in MIGRATIONS]
    assert {"dataset_versions", "schema_migrations", *DATA_TABLES.values()} <= tables
    assert "scenarios" not in tables, "the saved-scenarios table belongs to a later migration"


def test_data_tables_have_the_file_columns_and_a_version_key(tmp_db_path: Path) -> None:
    DuckDBStore(tmp_db_path).migrate()
    con = duckdb.connect(str(tmp_db_path))
    try:
        for name, table in DATA_TABLES.items():
            columns = [
                r[0]
                for r in con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                    "ORDER BY ordinal_position",
                    [table],
                ).fetchall()
            ]
            assert columns == ["dataset_version", "line", *FILE_SPECS[name].columns]
            key = con.execute(
                "SELECT constraint_column_names FROM duckdb_constraints() "
                "WHERE table_name = ? AND constraint_type = 'PRIMARY KEY'",
                [table],
            ).fetchone()[0]
            assert list(key) == ["dataset_version", *FILE_SPECS[name].key]
    finally:
        con.close()


def test_a_failed_migration_is_rolled_back(tmp_db_path: Path) -> None:
    steps = [
        *MIGRATIONS,
        Migration(len(MIGRATIONS) + 1, "half a change", ("CREATE TABLE half (a INTEGER)", "SELECT * FROM nowhere")),
    ]
    con = duckdb.connect(str(tmp_db_path))
    try:
        with pytest.raises(MigrationError, match="half a change"):
            migrate(con, steps)
        assert applied_versions(con) == [m.version for m in MIGRATIONS]
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        assert "half" not in tables
        # the next migration is a one-entry change
        fixed = [*MIGRATIONS, Migration(len(MIGRATIONS) + 1, "whole change", ("CREATE TABLE whole (a INTEGER)",))]
        assert migrate(con, fixed) == [len(MIGRATIONS) + 1]
    finally:
        con.close()


def test_migration_steps_may_be_functions(tmp_db_path: Path) -> None:
    seen = []

    def step(con: duckdb.DuckDBPyConnection) -> None:
        seen.append(con.execute("SELECT count(*) FROM dataset_versions").fetchone()[0])

    con = duckdb.connect(str(tmp_db_path))
    try:
        migrate(con, [*MIGRATIONS, Migration(len(MIGRATIONS) + 1, "data step", (step,))])
    finally:
        con.close()
    assert seen == [0]


@pytest.mark.parametrize("versions", [[2], [1, 1], [1, 3]])
def test_migration_sequence_must_be_contiguous(versions: list[int]) -> None:
    with pytest.raises(MigrationError):
        check_sequence([Migration(v, "x", ()) for v in versions])


def test_shipped_migrations_are_contiguous() -> None:
    check_sequence(MIGRATIONS)


# -- loading ----------------------------------------------------------------------------------


def test_store_implements_the_interface(tmp_db_path: Path) -> None:
    assert isinstance(DuckDBStore(tmp_db_path), Store)


def test_load_creates_the_database_and_reads_back_the_same_frames(
    tmp_db_path: Path, small_data_dir: Path
) -> None:
    assert not tmp_db_path.exists()
    store = DuckDBStore(tmp_db_path)
    report = store.load_dataset(small_data_dir)
    expected = read_data_dir(small_data_dir)
    assert report.status == "loaded"
    assert report.changed
    assert report.previous_version is None
    assert report.version == expected.version == store.current_version()
    assert report.row_counts == expected.row_counts()
    stored = store.dataset()
    assert stored.version == expected.version
    for name in FILE_NAMES:
        pd.testing.assert_frame_equal(getattr(stored, name), getattr(expected, name), obj=name)


def test_second_load_changes_nothing(small_store: DuckDBStore, small_data_dir: Path) -> None:
    before = snapshot(small_store.path)
    report = small_store.load_dataset(small_data_dir)
    assert report.status == "unchanged"
    assert not report.changed
    assert report.previous_version == report.version
    assert snapshot(small_store.path) == before
    assert len(small_store.dataset_versions()) == 1


def test_dataset_versions_record_hashes_counts_and_time(small_store: DuckDBStore, small_data_dir: Path) -> None:
    (entry,) = small_store.dataset_versions()
    assert entry["is_current"] is True
    assert entry["version"] == read_data_dir(small_data_dir).version
    assert set(entry["file_hashes"]) == {f"{name}.csv" for name in FILE_NAMES}
    assert entry["row_counts"]["observations"] == 9
    assert entry["loaded_at"].tzinfo is not None


BAD_EDITS = [
    pytest.param("observations.csv", "dti_overall,Quảng Ninh,2022", "dti_overal,Quảng Ninh,2022", id="unknown-indicator"),
    pytest.param("observations.csv", "3,rank_of_63,observed,mic_dti_2022,", "3,rank_of_63,observed,,", id="missing-source"),
    pytest.param("observations.csv", "0.7024,index_0_1", "1.7024,index_0_1", id="value-out-of-range"),
    pytest.param("observations.csv", "0.7024,index_0_1", "abc,index_0_1", id="malformed-number"),
    pytest.param(
        "observations.csv",
        "2022,year,0.7024,index_0_1,observed,mic_dti_2022",
        "2021,year,0.7024,index_0_1,observed,000_b19f354a6a4d82ea.txt",
        id="duplicate-key",
    ),
    pytest.param("scenarios.csv", '"{""levers"": {}}"', '"{""levers"": "', id="bad-json"),
]


@pytest.mark.parametrize(("file", "old", "new"), BAD_EDITS)
def test_bad_data_leaves_the_database_unchanged(
    small_store: DuckDBStore, small_data_dir: Path, file: str, old: str, new: str
) -> None:
    version = small_store.current_version()
    before = snapshot(small_store.path)
    edit(small_data_dir, file, old, new)
    with pytest.raises(DataValidationError) as info:
        small_store.load_dataset(small_data_dir)
    assert info.value.file == file
    assert info.value.row is not None and info.value.column is not None
    assert str(info.value).startswith(f"{file}, line {info.value.row}, column {info.value.column}: ")
    assert snapshot(small_store.path) == before
    assert small_store.current_version() == version


def test_missing_file_leaves_the_database_unchanged(small_store: DuckDBStore, small_data_dir: Path) -> None:
    before = snapshot(small_store.path)
    (small_data_dir / "levers.csv").unlink()
    with pytest.raises(DataValidationError, match=r"^levers\.csv: file is missing"):
        small_store.load_dataset(small_data_dir)
    assert snapshot(small_store.path) == before


def test_bad_data_into_a_new_database_loads_nothing(tmp_db_path: Path, small_data_dir: Path) -> None:
    edit(small_data_dir, "observations.csv", "0.7024,index_0_1", "abc,index_0_1")
    store = DuckDBStore(tmp_db_path)
    with pytest.raises(DataValidationError):
        store.load_dataset(small_data_dir)
    assert store.dataset_versions() == []
    with pytest.raises(NoDatasetError, match="db upgrade"):
        store.current_version()


def test_a_failure_while_writing_rolls_everything_back(
    small_store: DuckDBStore, small_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(small_store.path)
    version = small_store.current_version()
    edit(small_data_dir, "observations.csv", "0.7024", "0.7025")
    original = DuckDBStore._insert_frame

    def failing(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame, version: str) -> None:
        if name == "links":  # after most tables were written
            raise RuntimeError("disk full")
        original(con, name, frame, version)

    monkeypatch.setattr(DuckDBStore, "_insert_frame", staticmethod(failing))
    with pytest.raises(StoreError, match="disk full"):
        small_store.load_dataset(small_data_dir)
    assert snapshot(small_store.path) == before
    assert small_store.current_version() == version


# -- versions ---------------------------------------------------------------------------------


def test_a_new_version_keeps_the_old_one_addressable(small_store: DuckDBStore, small_data_dir: Path) -> None:
    old = small_store.current_version()
    old_data = small_store.dataset()
    edit(small_data_dir, "observations.csv", "0.7024,index_0_1", "0.7031,index_0_1")
    report = small_store.load_dataset(small_data_dir)
    assert report.status == "loaded"
    assert report.previous_version == old
    assert report.version != old
    assert small_store.current_version() == report.version
    versions = small_store.dataset_versions()
    assert [v["version"] for v in versions] == [old, report.version]
    assert [v["is_current"] for v in versions] == [False, True]

    again = small_store.dataset(old)
    for name in FILE_NAMES:
        pd.testing.assert_frame_equal(getattr(again, name), getattr(old_data, name), obj=name)

    def dti_2022(frame: pd.DataFrame) -> float:
        rows = frame[(frame["geography"] == "Quảng Ninh") & (frame["year"] == 2022)]
        return float(rows["value"].iloc[0])

    assert dti_2022(small_store.baseline(version=old, indicator="dti_overall")) == 0.7024
    assert dti_2022(small_store.baseline(indicator="dti_overall")) == 0.7031


def test_going_back_to_earlier_files_switches_without_copying(
    small_store: DuckDBStore, small_data_dir: Path
) -> None:
    first = small_store.current_version()
    edit(small_data_dir, "observations.csv", "0.7024,index_0_1", "0.7031,index_0_1")
    second = small_store.load_dataset(small_data_dir).version
    edit(small_data_dir, "observations.csv", "0.7031,index_0_1", "0.7024,index_0_1")
    before = snapshot(small_store.path)
    report = small_store.load_dataset(small_data_dir)
    assert (report.status, report.version, report.previous_version) == ("switched", first, second)
    assert small_store.current_version() == first
    after = snapshot(small_store.path)
    assert {k: v for k, v in after.items() if k != "versions"} == {
        k: v for k, v in before.items() if k != "versions"
    }
    assert sum(v["is_current"] for v in small_store.dataset_versions()) == 1


def test_unknown_version_is_named(small_store: DuckDBStore) -> None:
    with pytest.raises(UnknownVersionError, match="'0123456789abcdef'") as info:
        small_store.dataset("0123456789abcdef")
    assert isinstance(info.value, KeyError)
    assert str(info.value).startswith("dataset version '0123456789abcdef' is not in")
    with pytest.raises(UnknownVersionError):
        small_store.baseline(version="0123456789abcdef")
    with pytest.raises(UnknownVersionError):
        small_store.sources(version="0123456789abcdef")


def test_empty_database_says_to_load(tmp_db_path: Path) -> None:
    store = DuckDBStore(tmp_db_path)
    for call in (store.current_version, store.dataset, store.baseline, store.sources):
        with pytest.raises(NoDatasetError, match="no dataset is loaded"):
            call()


# -- reading ----------------------------------------------------------------------------------


def test_baseline_columns_and_order(small_store: DuckDBStore) -> None:
    frame = small_store.baseline()
    assert tuple(frame.columns) == BASELINE_COLUMNS
    assert len(frame) == 9
    keys = list(zip(frame["indicator"], frame["geography"], frame["year"], strict=True))
    assert keys == sorted(keys)
    assert frame["year"].dtype == "int64"
    conflict = frame[frame["conflict"] == "fr_2022"]
    assert sorted(conflict["value"]) == [60.0, 65.0]


def test_baseline_for_one_indicator(small_store: DuckDBStore) -> None:
    frame = small_store.baseline(indicator="dti_overall_rank")
    assert set(frame["indicator"]) == {"dti_overall_rank"}
    assert list(frame["year"]) == [2022, 2025]
    assert list(frame["unit"]) == ["rank_of_63", "rank_of_34"]


def test_baseline_for_an_unknown_indicator_is_an_error(small_store: DuckDBStore) -> None:
    with pytest.raises(UnknownIndicatorError, match="unknown indicator 'nope'") as info:
        small_store.baseline(indicator="nope")
    assert isinstance(info.value, KeyError)


def test_baseline_for_an_indicator_without_values_is_empty(
    small_store: DuckDBStore, small_data_dir: Path
) -> None:
    with (small_data_dir / "indicators.csv").open("a", encoding="utf-8") as f:
        f.write("cashless_adoption,Thanh toán không tiền mặt,Cashless adoption,percent,digital_economy,true,,\n")
    small_store.load_dataset(small_data_dir)
    frame = small_store.baseline(indicator="cashless_adoption")
    assert frame.empty
    assert tuple(frame.columns) == BASELINE_COLUMNS


def test_sources_count_the_values_they_back(small_store: DuckDBStore) -> None:
    frame = small_store.sources()
    assert tuple(frame.columns) == (*FILE_SPECS["sources"].columns, "n_values")
    counts = dict(zip(frame["id"], frame["n_values"], strict=True))
    assert counts == {"000_b19f354a6a4d82ea.txt": 5, "mic_dti_2022": 4, "unused_source": 0}
    assert frame["n_values"].dtype == "int64"
    assert frame["n_values"].sum() == len(small_store.baseline())


def test_text_round_trips_unchanged(small_store: DuckDBStore) -> None:
    frame = small_store.baseline(indicator="dti_overall")
    assert "DTI năm 2021 đạt 0,6512" in set(frame["quote"])
    assert set(frame["geography"]) == {"Quảng Ninh", "Việt Nam"}


# -- several processes on one file ------------------------------------------------------------


def _worker(
    db: str, data: str, rounds: int, start: multiprocessing.Barrier, queue: multiprocessing.Queue
) -> None:
    try:
        store = DuckDBStore(db)
        start.wait(60)
        for _ in range(rounds):
            store.load_dataset(data)
            assert len(store.baseline()) == 9
            assert store.sources()["n_values"].sum() == 9
        queue.put("ok")
    except Exception as exc:  # reported to the parent
        queue.put(f"{type(exc).__name__}: {exc}")


def test_two_processes_share_one_database(tmp_db_path: Path, small_data_dir: Path) -> None:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    start = context.Barrier(2)
    workers = [
        context.Process(
            target=_worker, args=(str(tmp_db_path), str(small_data_dir), 10, start, queue)
        )
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    results = [queue.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    assert results == ["ok", "ok"]
    assert len(DuckDBStore(tmp_db_path).dataset_versions()) == 1


def _hold(db: str, seconds: float, ready: multiprocessing.Event) -> None:
    con = duckdb.connect(db)
    ready.set()
    time.sleep(seconds)
    con.close()


def test_a_locked_file_is_waited_for(small_store: DuckDBStore) -> None:
    context = multiprocessing.get_context("spawn")
    ready = context.Event()
    holder = context.Process(target=_hold, args=(str(small_store.path), 1.0, ready))
    holder.start()
    try:
        assert ready.wait(60)
        started = time.monotonic()
        assert len(DuckDBStore(small_store.path, lock_timeout=30).baseline()) == 9
        assert time.monotonic() - started > 0.2
    finally:
        holder.join(timeout=30)


def test_a_file_locked_too_long_gives_a_clear_error(small_store: DuckDBStore) -> None:
    context = multiprocessing.get_context("spawn")
    ready = context.Event()
    holder = context.Process(target=_hold, args=(str(small_store.path), 1.5, ready))
    holder.start()
    try:
        assert ready.wait(60)
        with pytest.raises(DatabaseLockedError, match="locked by another process"):
            DuckDBStore(small_store.path, lock_timeout=0.3).current_version()
    finally:
        holder.join(timeout=30)


# -- configuration ----------------------------------------------------------------------------


def test_db_path_defaults_under_var(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PLANNER_DB", raising=False)
    assert config.db_path() == config.REPO_ROOT / "var" / "planner.duckdb"


def test_db_path_from_the_environment_creates_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "nested" / "folder" / "x.duckdb"
    monkeypatch.setenv("PLANNER_DB", str(target))
    assert config.db_path() == target
    assert target.parent.is_dir()
    assert open_store().path == target


def test_data_dir_default_and_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PLANNER_DATA_DIR", raising=False)
    assert config.data_dir() == config.REPO_ROOT / "data"
    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path))
    assert config.data_dir() == tmp_path


def test_var_is_ignored_by_git() -> None:
    ignored = (config.REPO_ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert "var/" in ignored


def test_threads_of_one_process_share_one_database(tmp_db_path: Path, small_data_dir: Path) -> None:
    errors: list[str] = []

    def work() -> None:
        store = DuckDBStore(tmp_db_path)
        try:
            for _ in range(5):
                store.load_dataset(small_data_dir)
                assert len(store.dataset().observations) == 9
                assert len(store.baseline(indicator="dti_overall")) == 3
        except Exception as exc:  # reported below
            errors.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert len(DuckDBStore(tmp_db_path).dataset_versions()) == 1


# -- the real data folder ---------------------------------------------------------------------


def test_real_data_loads_and_reads_back(store: DuckDBStore, data_dir: Path) -> None:
    expected = read_data_dir(data_dir)
    assert store.current_version() == expected.version
    stored = store.dataset()
    for name in FILE_NAMES:
        pd.testing.assert_frame_equal(getattr(stored, name), getattr(expected, name), obj=name)
    assert store.sources()["n_values"].sum() == len(expected.observations)
