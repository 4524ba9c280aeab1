"""The store: the interface on every backend (DuckDB and PostgreSQL), then the DuckDB file
(migrations, several processes, faults) and :func:`planner.store.open_store`. What is
PostgreSQL's own is in ``test_postgres_store.py``.

Interface tests build their stores with the ``store_factory`` fixture, parametrised over every
backend in ``tests/conftest.py``; a new backend must pass them unchanged.
"""

from __future__ import annotations

import inspect
import multiprocessing
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from psycopg.conninfo import conninfo_to_dict

from planner import config
from planner.dataio.canonical import hash_files
from planner.dataset import (
    FILE_NAMES,
    Dataset,
    DataValidationError,
    read_data_dir,
    read_files,
)
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
    MAX_AUTHOR_LENGTH,
    MAX_NOTE_LENGTH,
    BackendUnavailableError,
    BaseMovedError,
    DatabaseCorruptError,
    DatabaseLockedError,
    DatabaseReadOnlyError,
    DatabaseUnreachableError,
    DiskFullError,
    DuckDBStore,
    NoDatasetError,
    PublishTextError,
    Store,
    StoreError,
    UnfittableDatasetError,
    UnknownIndicatorError,
    UnknownVersionError,
    open_store,
)
from planner.store import base as store_base
from planner.validation import ADDED_COLUMNS, FILE_SPECS
from tests.conftest import SMALL_DATASET, StoreFactory, write_data_dir
from tests.fit_cache import Fits, one_fit_per_dataset
from tests.reliability.cli_processes import server as process_server
from tests.saved_support import copy_db

FITS: Fits = {}
"""The models the default check fitted in this module, by dataset and day (``tests/fit_cache.py``)."""
FIT_EVERY_TIME = {"test_threads_reading_a_new_database_together_all_get_the_seed"}
"""Tests whose checks fit anew: the fit's time is the window in which their race is run."""


@pytest.fixture(autouse=True)
def one_fit(request: pytest.FixtureRequest) -> Iterator[None]:
    """The default check fits each dataset once a day for this module (not for a race test)."""
    if request.node.originalname in FIT_EVERY_TIME:
        yield
        return
    with one_fit_per_dataset(FITS):
        yield


def edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {name}"
    path.write_text(text.replace(old, new), encoding="utf-8", newline="")


def state(store: Store) -> list[tuple[object, ...]]:
    """Everything a failed load must leave untouched, read through the interface."""
    return [
        (v["version"], v["is_current"], v["row_counts"],
         store.dataset(v["version"]).row_counts())
        for v in store.dataset_versions()
    ]


def without_online_filing(data_dir: Path, dst: Path) -> Path:
    """A copy of a data folder without the ``online_filing_rate`` observations."""
    shutil.copytree(data_dir, dst)
    path = dst / "observations.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith("online_filing_rate,")]
    assert len(kept) < len(lines)
    path.write_text("".join(kept), encoding="utf-8", newline="")
    return dst


SMALL_TEMPLATES: dict[str, str] = {}
"""Per backend, a closed database loaded with the tiny dataset, built once for the module: a
DuckDB file's path, a PostgreSQL database's name (``small_store`` copies it)."""


def small_template(request: pytest.FixtureRequest, backend: str) -> str:
    """The tiny dataset loaded, ``check=None``, into a new database of ``backend`` once for the
    module (see :data:`SMALL_TEMPLATES`); closed, so it can be copied."""
    if backend not in SMALL_TEMPLATES:
        data = write_data_dir(
            request.getfixturevalue("tmp_path_factory").mktemp("small_data"), SMALL_DATASET)
        if backend == "duckdb":
            path = request.getfixturevalue("tmp_path_factory").mktemp("small_db") / "t.duckdb"
            DuckDBStore(path).load_dataset(data, check=None)
            SMALL_TEMPLATES[backend] = str(path)
        else:
            from planner.store.postgres_store import PostgresStore

            server = request.getfixturevalue("postgres_server")
            server.admin('CREATE DATABASE "small_loaded" TEMPLATE "planner_empty"')
            store = PostgresStore(server.url("small_loaded"))
            try:
                store.load_dataset(data, check=None)
            finally:
                store.close()
            SMALL_TEMPLATES[backend] = "small_loaded"
    return SMALL_TEMPLATES[backend]


@pytest.fixture
def small_store(store_factory: StoreFactory, store_backend: str,
                request: pytest.FixtureRequest) -> Store:
    """A store loaded with the tiny dataset (which the model does not cover: no check).

    The database is a copy of one loaded once for the module (:func:`small_template`): the
    same rows, versions and log as loading ``small_data_dir`` into it here (the tiny dataset's
    content, so its version id, is the same); only the load's own time is the template's."""
    store = store_factory()  # nothing is opened yet: its database is replaced by the copy
    template = small_template(request, store_backend)
    if isinstance(store, DuckDBStore):
        assert not store.path.exists()
        copy_db(Path(template), store.path)
    else:
        server = request.getfixturevalue("postgres_server")
        name = conninfo_to_dict(store._url)["dbname"]
        server.admin(f'DROP DATABASE "{name}" WITH (FORCE)')
        server.admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
    return store


# == the interface, on every backend ==========================================================


def test_store_implements_the_interface(store_factory: StoreFactory) -> None:
    assert isinstance(store_factory(), Store)


def test_implementations_inherit_the_interface_docstrings(store_factory: StoreFactory) -> None:
    cls = type(store_factory())
    for name in sorted(Store.__abstractmethods__):
        method = getattr(cls, name)
        assert method.__doc__ is None, f"{cls.__name__}.{name} repeats the interface's docstring"
        assert inspect.getdoc(method) == inspect.getdoc(getattr(Store, name))


def test_load_creates_the_database_and_reads_back_the_same_frames(
    store_factory: StoreFactory, small_data_dir: Path
) -> None:
    store = store_factory()
    report = store.load_dataset(small_data_dir, check=None)
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


def test_second_load_changes_nothing(small_store: Store, small_data_dir: Path) -> None:
    before = state(small_store)
    report = small_store.load_dataset(small_data_dir, check=None)
    assert report.status == "unchanged"
    assert not report.changed
    assert report.previous_version == report.version
    assert state(small_store) == before
    assert len(small_store.dataset_versions()) == 1


def test_dataset_versions_record_hashes_counts_and_time(small_store: Store, small_data_dir: Path) -> None:
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
    pytest.param("assumptions.csv", "1.5 points a year,000_b19f354a6a4d82ea.txt",
                 "1.5 points a year,baomoi_de_2024", id="assumption-unknown-source"),
]


@pytest.mark.parametrize(("file", "old", "new"), BAD_EDITS)
def test_bad_data_leaves_the_database_unchanged(
    small_store: Store, small_data_dir: Path, file: str, old: str, new: str
) -> None:
    version = small_store.current_version()
    before = state(small_store)
    edit(small_data_dir, file, old, new)
    with pytest.raises(DataValidationError) as info:
        small_store.load_dataset(small_data_dir, check=None)
    assert info.value.file == file
    assert info.value.row is not None and info.value.column is not None
    assert str(info.value).startswith(f"{file}, line {info.value.row}, column {info.value.column}: ")
    assert state(small_store) == before
    assert small_store.current_version() == version


def test_missing_file_leaves_the_database_unchanged(small_store: Store, small_data_dir: Path) -> None:
    before = state(small_store)
    (small_data_dir / "levers.csv").unlink()
    with pytest.raises(DataValidationError, match=r"^levers\.csv: file is missing"):
        small_store.load_dataset(small_data_dir, check=None)
    assert state(small_store) == before


def test_bad_data_into_a_new_database_loads_nothing(store_factory: StoreFactory, small_data_dir: Path) -> None:
    edit(small_data_dir, "observations.csv", "0.7024,index_0_1", "abc,index_0_1")
    store = store_factory()
    with pytest.raises(DataValidationError):
        store.load_dataset(small_data_dir, check=None)
    assert store.dataset_versions() == []
    with pytest.raises(NoDatasetError, match="db upgrade"):
        store.current_version()


# -- the model must fit before a version becomes current ----------------------------------------


def test_data_the_model_cannot_fit_never_becomes_current(
    store_factory: StoreFactory, data_dir: Path, tmp_path: Path
) -> None:
    store = store_factory()
    good = store.load_dataset(data_dir).version
    before = state(store)
    bad = without_online_filing(data_dir, tmp_path / "bad")
    with pytest.raises(UnfittableDatasetError) as info:
        store.load_dataset(bad)
    message = str(info.value)
    assert "online_filing_rate: " in message and "two points, got 0" in message
    assert f"keeps dataset {good}" in message
    assert store.current_version() == good
    assert state(store) == before


def test_the_default_check_fits_the_model(store_factory: StoreFactory, small_data_dir: Path) -> None:
    store = store_factory()
    with pytest.raises(UnfittableDatasetError, match="cannot be fitted"):
        store.load_dataset(small_data_dir)  # the tiny dataset has no pillars to calibrate on
    assert store.dataset_versions() == []


def test_a_stored_version_is_checked_again_before_it_becomes_current(
    small_store: Store, small_data_dir: Path
) -> None:
    first = small_store.current_version()
    edit(small_data_dir, "observations.csv", "0.7024,index_0_1", "0.7031,index_0_1")
    second = small_store.load_dataset(small_data_dir, check=None).version
    edit(small_data_dir, "observations.csv", "0.7031,index_0_1", "0.7024,index_0_1")

    def refuse(dataset: object) -> None:
        raise ValueError("dti_overall: no")

    with pytest.raises(UnfittableDatasetError, match="dti_overall: no"):
        small_store.load_dataset(small_data_dir, check=refuse)
    assert small_store.current_version() == second != first


def test_the_check_runs_with_the_database_released(
    store_factory: StoreFactory, small_data_dir: Path
) -> None:
    store = store_factory()
    seen: list[str] = []

    def check(dataset: object) -> None:  # another store on the same database, in its turn
        other = store_factory(lock_timeout=2.0)
        seen.append(str(other.dataset_versions()))

    store.load_dataset(small_data_dir, check=check)
    assert seen == ["[]"]
    operations = [h.operation for h in store.hold_times]
    assert operations == ["load_dataset.read", "load_dataset.write"]


# -- publishing: new versions from the editors, rollbacks, the publish log ---------------------


def state_and_log(store: Store) -> tuple[list[tuple[object, ...]], list[dict], str]:
    """Everything a refused publish must leave untouched: versions, rows, log, current."""
    return state(store), store.publish_log(), store.current_version()


def edited(data_dir: Path, dst: Path, file: str, old: str, new: str) -> Dataset:
    """A copy of a data folder with one edit, read as a dataset."""
    shutil.copytree(data_dir, dst)
    edit(dst, file, old, new)
    return read_data_dir(dst)


def test_a_publish_makes_a_new_current_version_and_records_it(
    small_store: Store, small_data_dir: Path, tmp_path: Path
) -> None:
    first = small_store.current_version()
    new = edited(small_data_dir, tmp_path / "new", "observations.csv", "0.7024", "0.7031")
    report = small_store.publish(new, " Nguyễn Văn A ", "DTI 2022 corrected", check=None,
                                 base=first)
    assert (report.status, report.version, report.previous_version) == ("loaded", new.version, first)
    assert small_store.current_version() == new.version
    entry = small_store.publish_log()[0]
    assert entry == {"seq": entry["seq"], "version": new.version, "previous_version": first,
                     "action": "publish", "author": "Nguyễn Văn A", "note": "DTI 2022 corrected",
                     "published_at": report.published_at}
    versions = {v["version"]: v for v in small_store.dataset_versions()}
    assert (versions[new.version]["author"], versions[new.version]["note"]) == (
        "Nguyễn Văn A", "DTI 2022 corrected")
    stored = small_store.dataset(new.version)
    assert stored.observations["value"].round(4).isin([0.7031]).any()
    assert small_store.dataset(first).row_counts() == read_data_dir(small_data_dir).row_counts()


def test_publishing_the_current_content_again_changes_nothing(
    small_store: Store, small_data_dir: Path
) -> None:
    before = state_and_log(small_store)
    report = small_store.publish(read_data_dir(small_data_dir), "A", "again", check=None,
                                 base=before[2])
    assert report.status == "unchanged"
    assert state_and_log(small_store) == before


def test_a_publish_is_stored_under_its_content_version(
    small_store: Store, small_data_dir: Path, tmp_path: Path
) -> None:
    new = edited(small_data_dir, tmp_path / "new", "observations.csv", "0.7024", "0.7031")
    wrong = replace(new, version="0123456789abcdef")
    base = small_store.current_version()
    assert small_store.publish(wrong, "A", check=None, base=base).version == new.version


def test_a_rollback_makes_an_old_version_current_and_is_logged(
    small_store: Store, small_data_dir: Path, tmp_path: Path
) -> None:
    first = small_store.current_version()
    new = edited(small_data_dir, tmp_path / "new", "observations.csv", "0.7024", "0.7031")
    small_store.publish(new, "A", "new", check=None, base=first)
    rows = state(small_store)
    report = small_store.make_current(first, "B", "back to the first", check=None,
                                      base=new.version)
    assert (report.status, report.version, report.previous_version) == ("switched", first,
                                                                        new.version)
    assert small_store.current_version() == first
    back, published = small_store.publish_log()[:2]
    assert (back["action"], back["version"], back["previous_version"], back["author"]) == (
        "rollback", first, new.version, "B")
    assert published["action"] == "publish" and back["seq"] == published["seq"] + 1
    # nothing is lost: the same versions and rows, only the current flag moved
    assert [r[0] for r in state(small_store)] == [r[0] for r in rows]
    assert [r[2:] for r in state(small_store)] == [r[2:] for r in rows]
    assert small_store.make_current(first, "B", check=None, base=first).status == "unchanged"


def test_a_rollback_to_an_unknown_version_changes_nothing(small_store: Store) -> None:
    before = state_and_log(small_store)
    with pytest.raises(UnknownVersionError, match="nope"):
        small_store.make_current("nope", "A", check=None, base=before[2])
    assert state_and_log(small_store) == before


def test_a_rollback_the_model_cannot_fit_changes_nothing(
    small_store: Store, small_data_dir: Path, tmp_path: Path
) -> None:
    first = small_store.current_version()
    small_store.publish(edited(small_data_dir, tmp_path / "n", "observations.csv", "0.7024",
                               "0.7031"), "A", check=None, base=first)
    before = state_and_log(small_store)

    def refuse(dataset: Dataset) -> None:
        raise ValueError("dti_overall: too few points")

    with pytest.raises(UnfittableDatasetError, match="too few points"):
        small_store.make_current(first, "A", check=refuse, base=before[2])
    assert state_and_log(small_store) == before


def test_a_publish_the_model_cannot_fit_changes_nothing(
    store_factory: StoreFactory, data_dir: Path, tmp_path: Path
) -> None:
    store = store_factory()
    store.load_dataset(data_dir)
    before = state_and_log(store)
    bad = read_data_dir(without_online_filing(data_dir, tmp_path / "bad"))
    with pytest.raises(UnfittableDatasetError, match="online_filing_rate"):
        store.publish(bad, "A", "no filing rate", base=before[2])
    assert state_and_log(store) == before


def test_too_long_an_author_or_note_changes_nothing(
    small_store: Store, small_data_dir: Path, tmp_path: Path
) -> None:
    new = edited(small_data_dir, tmp_path / "new", "observations.csv", "0.7024", "0.7031")
    before = state_and_log(small_store)
    with pytest.raises(PublishTextError, match="author"):
        small_store.publish(new, "x" * (MAX_AUTHOR_LENGTH + 1), check=None, base=before[2])
    with pytest.raises(PublishTextError, match="note"):
        small_store.publish(new, "A", "x" * (MAX_NOTE_LENGTH + 1), check=None, base=before[2])
    assert state_and_log(small_store) == before


def test_a_publish_built_on_a_version_no_longer_current_is_refused(
    small_store: Store, small_data_dir: Path, tmp_path: Path
) -> None:
    """Two editors build on the same version: the second to publish is told who was first."""
    first = small_store.current_version()
    mine = edited(small_data_dir, tmp_path / "mine", "observations.csv", "0.7024", "0.7031")
    theirs = edited(small_data_dir, tmp_path / "theirs", "observations.csv", "0.7024", "0.7042")
    published = small_store.publish(theirs, "Trần Thị B", "first", check=None, base=first)
    before = state_and_log(small_store)
    with pytest.raises(BaseMovedError) as refused:
        small_store.publish(mine, "Nguyễn Văn A", "second", check=None, base=first)
    assert state_and_log(small_store) == before
    error = refused.value
    assert error.code == "base_moved"
    assert error.details == {"version": theirs.version, "base": first, "author": "Trần Thị B",
                             "time": published.published_at}
    message = str(error)
    assert message.startswith(f"another editor (Trần Thị B) made dataset {theirs.version} "
                              "current first (at ")
    assert f"built on dataset {first}; nothing was changed" in message
    assert "\n" not in message
    # built again on the new version, it goes through
    report = small_store.publish(mine, "Nguyễn Văn A", "second", check=None,
                                 base=theirs.version)
    assert (report.status, report.previous_version) == ("loaded", theirs.version)


def test_the_base_is_checked_again_when_the_publish_commits(
    small_store: Store, store_factory: StoreFactory, small_data_dir: Path, tmp_path: Path
) -> None:
    """Another editor publishes while the model is fitted (the database released)."""
    first = small_store.current_version()
    mine = edited(small_data_dir, tmp_path / "mine", "observations.csv", "0.7024", "0.7031")
    theirs = edited(small_data_dir, tmp_path / "theirs", "observations.csv", "0.7024", "0.7042")

    def meanwhile(dataset: Dataset) -> None:
        store_factory().publish(theirs, "", check=None, base=first)

    with pytest.raises(BaseMovedError, match=f"^another editor made dataset {theirs.version}"):
        small_store.publish(mine, "A", check=meanwhile, base=first)
    assert small_store.current_version() == theirs.version
    assert [e["version"] for e in small_store.publish_log()][:2] == [theirs.version, first]
    assert mine.version not in {v["version"] for v in small_store.dataset_versions()}


def test_a_rollback_chosen_before_another_publish_is_refused(
    small_store: Store, small_data_dir: Path, tmp_path: Path
) -> None:
    first = small_store.current_version()
    second = edited(small_data_dir, tmp_path / "2", "observations.csv", "0.7024", "0.7031")
    third = edited(small_data_dir, tmp_path / "3", "observations.csv", "0.7024", "0.7042")
    small_store.publish(second, "A", check=None, base=first)
    small_store.publish(third, "C", check=None, base=second.version)  # after B looked
    before = state_and_log(small_store)
    with pytest.raises(BaseMovedError, match="while this rollback was chosen with dataset "
                       f"{second.version} current; nothing was changed") as refused:
        small_store.make_current(first, "B", "back", check=None, base=second.version)
    assert refused.value.details["version"] == third.version
    assert state_and_log(small_store) == before
    assert small_store.make_current(first, "B", check=None, base=third.version).changed


def test_content_already_current_is_unchanged_whatever_its_base(
    small_store: Store, small_data_dir: Path, tmp_path: Path
) -> None:
    """Two editors publish the same rows: the second finds them current; nothing is lost."""
    first = small_store.current_version()
    same = edited(small_data_dir, tmp_path / "new", "observations.csv", "0.7024", "0.7031")
    small_store.publish(same, "A", check=None, base=first)
    before = state_and_log(small_store)
    assert small_store.publish(same, "B", check=None, base=first).status == "unchanged"
    assert small_store.make_current(same.version, "B", check=None, base=first).status == (
        "unchanged")
    assert state_and_log(small_store) == before


def test_the_first_publish_into_an_empty_database_has_no_base(
    store_factory: StoreFactory, small_data_dir: Path, tmp_path: Path
) -> None:
    store = store_factory()
    report = store.publish(read_data_dir(small_data_dir), "A", check=None, base=None)
    assert (report.status, report.previous_version) == ("loaded", None)
    new = edited(small_data_dir, tmp_path / "new", "observations.csv", "0.7024", "0.7031")
    with pytest.raises(BaseMovedError, match="built on an empty database"):
        store.publish(new, "B", check=None, base=None)


def test_loads_are_logged_too(store_factory: StoreFactory, small_data_dir: Path) -> None:
    store = store_factory()
    report = store.load_dataset(small_data_dir, check=None, author="operator", note="first")
    (entry,) = store.publish_log()
    assert (entry["seq"], entry["action"], entry["version"], entry["previous_version"],
            entry["author"], entry["note"]) == (1, "load", report.version, None, "operator",
                                                "first")
    assert store.publish_log(limit=0) == []


def test_a_failed_publish_write_rolls_everything_back(
    small_db: DuckDBStore, small_data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new = edited(small_data_dir, tmp_path / "new", "observations.csv", "0.7024", "0.7031")
    base = small_db.current_version()
    before = file_snapshot(small_db.path)
    log = small_db.publish_log()
    original = DuckDBStore._insert_frame

    def failing(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame, version: str) -> None:
        if name == "links":
            raise RuntimeError("the process died here")
        original(con, name, frame, version)

    monkeypatch.setattr(DuckDBStore, "_insert_frame", staticmethod(failing))
    with pytest.raises(StoreError, match="died here"):
        small_db.publish(new, "A", check=None, base=base)
    assert file_snapshot(small_db.path) == before
    assert small_db.publish_log() == log


def _insert_schema_2(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame,
                     version: str) -> None:
    """Insert a frame as the schema before migration 4 stored it (English notes only; no
    display order or chart group, which came with migration 5, nor the levers' plausible
    ranges of migration 6)."""
    renamed = {"observations": ("note_vi", "note_en", "note"),
               "assumptions": ("rationale_vi", "rationale_en", "rationale")}
    old = frame.drop(columns=["display_order", "chart_group"], errors="ignore")
    if name == "levers":
        old = old.drop(columns=list(ADDED_COLUMNS["levers"]))
    if name in renamed:
        vi, en, before = renamed[name]
        old = old.drop(columns=[vi]).rename(columns={en: before})
    old.insert(0, "line", range(1, len(old) + 1))
    old.insert(0, "dataset_version", version)
    con.register("incoming_old", old)
    quoted = ", ".join(f'"{c}"' for c in old.columns)
    con.execute(f'INSERT INTO "data_{name}" ({quoted}) SELECT {quoted} FROM incoming_old')  # noqa: S608
    con.unregister("incoming_old")


def test_a_database_from_before_the_publish_log_keeps_its_version_ids(
    tmp_db_path: Path, small_data_dir: Path
) -> None:
    """Migration 3 on a file written by the previous schema: old ids stay, the log starts."""
    old_id = hash_files(read_files(small_data_dir))  # how versions were named before
    data = read_data_dir(small_data_dir)
    con = duckdb.connect(str(tmp_db_path))
    try:
        migrate(con, MIGRATIONS[:2])
        con.execute("INSERT INTO dataset_versions VALUES (?, TIMESTAMP '2026-01-02 03:04:05', "
                    "'{}', '{}', TRUE)", [old_id])
        for name, frame in data.frames().items():
            _insert_schema_2(con, name, frame, old_id)
    finally:
        con.close()
    store = DuckDBStore(tmp_db_path)
    assert store.current_version() == old_id != data.version
    (entry,) = store.dataset_versions()
    assert (entry["version"], entry["author"], entry["note"]) == (old_id, "", "")
    assert store.publish_log() == []
    assert store.schema_version() == latest_version()
    # the same content loaded again gets its content id once, then stays
    assert store.load_dataset(small_data_dir, check=None).version == data.version
    assert store.load_dataset(small_data_dir, check=None).status == "unchanged"
    assert store.make_current(old_id, "A", check=None, base=data.version).status == "switched"


# -- a new database fills itself ----------------------------------------------------------------


def test_a_new_database_loads_the_seed_folder_on_first_read(
    store_factory: StoreFactory, data_dir: Path
) -> None:
    store = store_factory(seed_dir=data_dir)
    expected = read_data_dir(data_dir)
    assert store.current_version() == expected.version
    assert len(store.baseline()) == len(expected.observations)
    again = store_factory(seed_dir=data_dir)  # a second process on the same database
    assert [v["version"] for v in again.dataset_versions()] == [expected.version]


def test_every_read_of_a_new_database_fills_it(store_factory: StoreFactory, data_dir: Path) -> None:
    version = read_data_dir(data_dir).version
    reads: list[Callable[[Store], object]] = [
        lambda s: s.dataset().version,
        lambda s: s.baseline()["indicator"].iloc[0] and s.current_version(),
        lambda s: s.sources() is not None and s.current_version(),
        lambda s: s.dataset_versions()[0]["version"],
    ]
    for i, read in enumerate(reads):
        assert read(store_factory(f"new{i}", seed_dir=data_dir)) == version


def test_threads_reading_a_new_database_together_all_get_the_seed(
    store_factory: StoreFactory, data_dir: Path
) -> None:
    store = store_factory(seed_dir=data_dir)  # one store shared by sessions, as in the app
    results: list[str] = []

    def read() -> None:
        try:
            results.append(store.current_version())
        except Exception as exc:  # reported below
            results.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert results == [read_data_dir(data_dir).version] * 4


def test_a_seed_the_model_cannot_fit_says_why_there_is_no_dataset(
    store_factory: StoreFactory, data_dir: Path, tmp_path: Path
) -> None:
    bad = without_online_filing(data_dir, tmp_path / "bad")
    store = store_factory(seed_dir=bad)
    with pytest.raises(NoDatasetError) as info:
        store.current_version()
    assert "could not be loaded" in str(info.value)
    assert "online_filing_rate" in str(info.value)
    assert store.dataset_versions() == []


def test_an_existing_dataset_is_never_replaced_by_the_seed(
    small_store: Store, store_factory: StoreFactory, data_dir: Path
) -> None:
    version = small_store.current_version()
    assert store_factory(seed_dir=data_dir).current_version() == version


# -- hold times ---------------------------------------------------------------------------------


def test_every_operation_records_how_long_it_held_the_database(small_store: Store) -> None:
    small_store.hold_times.clear()
    small_store.current_version()
    small_store.dataset()
    small_store.baseline()
    small_store.list_saved()
    assert [h.operation for h in small_store.hold_times] == [
        "current_version", "dataset", "baseline", "list_saved"]
    for hold in small_store.hold_times:
        assert 0 < hold.held < 30 and 0 <= hold.waited < 30
    assert small_store.hold_times.maxlen == store_base.HOLD_HISTORY


# -- versions ---------------------------------------------------------------------------------


def test_a_new_version_keeps_the_old_one_addressable(small_store: Store, small_data_dir: Path) -> None:
    old = small_store.current_version()
    old_data = small_store.dataset()
    edit(small_data_dir, "observations.csv", "0.7024,index_0_1", "0.7031,index_0_1")
    report = small_store.load_dataset(small_data_dir, check=None)
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
    small_store: Store, small_data_dir: Path
) -> None:
    first = small_store.current_version()
    edit(small_data_dir, "observations.csv", "0.7024,index_0_1", "0.7031,index_0_1")
    second = small_store.load_dataset(small_data_dir, check=None).version
    edit(small_data_dir, "observations.csv", "0.7031,index_0_1", "0.7024,index_0_1")
    before = state(small_store)
    report = small_store.load_dataset(small_data_dir, check=None)
    assert (report.status, report.version, report.previous_version) == ("switched", first, second)
    assert small_store.current_version() == first
    after = state(small_store)
    assert [row[2:] for row in after] == [row[2:] for row in before]
    assert sum(v["is_current"] for v in small_store.dataset_versions()) == 1


def test_unknown_version_is_named(small_store: Store) -> None:
    with pytest.raises(UnknownVersionError, match="'0123456789abcdef'") as info:
        small_store.dataset("0123456789abcdef")
    assert isinstance(info.value, KeyError)
    assert str(info.value).startswith("dataset version '0123456789abcdef' is not in")
    with pytest.raises(UnknownVersionError):
        small_store.baseline(version="0123456789abcdef")
    with pytest.raises(UnknownVersionError):
        small_store.sources(version="0123456789abcdef")


def test_empty_database_says_to_load(store_factory: StoreFactory) -> None:
    store = store_factory()
    for call in (store.current_version, store.dataset, store.baseline, store.sources):
        with pytest.raises(NoDatasetError, match="no dataset is loaded"):
            call()


# -- reading ----------------------------------------------------------------------------------


def test_baseline_columns_and_order(small_store: Store) -> None:
    frame = small_store.baseline()
    assert tuple(frame.columns) == BASELINE_COLUMNS
    assert len(frame) == 9
    keys = list(zip(frame["indicator"], frame["geography"], frame["year"], strict=True))
    assert keys == sorted(keys)
    assert frame["year"].dtype == "int64"
    conflict = frame[frame["conflict"] == "fr_2022"]
    assert sorted(conflict["value"]) == [60.0, 65.0]


def test_baseline_for_one_indicator(small_store: Store) -> None:
    frame = small_store.baseline(indicator="dti_overall_rank")
    assert set(frame["indicator"]) == {"dti_overall_rank"}
    assert list(frame["year"]) == [2022, 2025]
    assert list(frame["unit"]) == ["rank_of_63", "rank_of_34"]


def test_baseline_for_an_unknown_indicator_is_an_error(small_store: Store) -> None:
    with pytest.raises(UnknownIndicatorError, match="unknown indicator 'nope'") as info:
        small_store.baseline(indicator="nope")
    assert isinstance(info.value, KeyError)


def test_baseline_for_an_indicator_without_values_is_empty(
    small_store: Store, small_data_dir: Path
) -> None:
    with (small_data_dir / "indicators.csv").open("a", encoding="utf-8") as f:
        f.write("cashless_adoption,Thanh toán không tiền mặt,Cashless adoption,percent,digital_economy,true,,,,\n")
    small_store.load_dataset(small_data_dir, check=None)
    frame = small_store.baseline(indicator="cashless_adoption")
    assert frame.empty
    assert tuple(frame.columns) == BASELINE_COLUMNS


def test_sources_count_the_values_they_back(small_store: Store) -> None:
    frame = small_store.sources()
    assert tuple(frame.columns) == (*FILE_SPECS["sources"].columns, "n_values")
    counts = dict(zip(frame["id"], frame["n_values"], strict=True))
    assert counts == {"000_b19f354a6a4d82ea.txt": 5, "mic_dti_2022": 4, "unused_source": 0}
    assert frame["n_values"].dtype == "int64"
    assert frame["n_values"].sum() == len(small_store.baseline())


def test_text_round_trips_unchanged(small_store: Store) -> None:
    frame = small_store.baseline(indicator="dti_overall")
    assert "DTI năm 2021 đạt 0,6512" in set(frame["quote"])
    assert set(frame["geography"]) == {"Quảng Ninh", "Việt Nam"}


def test_integrity_check_passes_on_a_sound_database(small_store: Store) -> None:
    small_store.check_integrity()


# == the DuckDB file ============================================================================


def file_snapshot(path: Path) -> dict[str, object]:
    """Versions and every data table's row count, read from the file directly."""
    con = duckdb.connect(str(path))
    try:
        out: dict[str, object] = {
            "versions": con.execute(
                "SELECT version, is_current, row_counts FROM dataset_versions ORDER BY version"
            ).fetchall()
        }
        for table in DATA_TABLES.values():
            out[table] = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    finally:
        con.close()
    return out


@pytest.fixture
def small_db(tmp_db_path: Path, request: pytest.FixtureRequest) -> DuckDBStore:
    """A DuckDB file loaded with the tiny dataset: a copy of the module's (``small_store``)."""
    return copy_db(Path(small_template(request, "duckdb")), tmp_db_path)


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


def test_an_up_to_date_schema_is_checked_without_writing(tmp_db_path: Path) -> None:
    DuckDBStore(tmp_db_path).migrate()
    con = duckdb.connect(str(tmp_db_path), read_only=True)
    try:
        assert migrate(con) == []  # a write on a read-only connection would raise
    finally:
        con.close()


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


# -- writing ----------------------------------------------------------------------------------


def test_a_failure_while_writing_rolls_everything_back(
    small_db: DuckDBStore, small_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = file_snapshot(small_db.path)
    version = small_db.current_version()
    edit(small_data_dir, "observations.csv", "0.7024", "0.7025")
    original = DuckDBStore._insert_frame

    def failing(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame, version: str) -> None:
        if name == "links":  # after most tables were written
            raise RuntimeError("disk full")
        original(con, name, frame, version)

    monkeypatch.setattr(DuckDBStore, "_insert_frame", staticmethod(failing))
    with pytest.raises(StoreError, match="disk full"):
        small_db.load_dataset(small_data_dir, check=None)
    assert file_snapshot(small_db.path) == before
    assert small_db.current_version() == version


# -- faults -----------------------------------------------------------------------------------


@pytest.fixture
def read_only_file() -> Iterator[Callable[[Path], None]]:
    """Make files read-only for this process (``chattr +i`` when running as root)."""
    changed: list[Path] = []

    def make(path: Path) -> None:
        if os.geteuid() == 0:
            if shutil.which("chattr") is None:
                pytest.skip("as root a file is made read-only with chattr, which is missing")
            done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
            if done.returncode:
                pytest.skip(f"chattr +i is not allowed here: {done.stderr.strip()}")
        else:
            path.chmod(0o444)
        changed.append(path)

    yield make
    for path in changed:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(path)], check=False)
        else:
            path.chmod(0o644)


def test_a_read_only_file_is_read_and_refuses_writes_clearly(
    loaded_db: Path, tmp_path: Path, data_dir: Path, read_only_file: Callable[[Path], None]
) -> None:
    path = tmp_path / "ro.duckdb"
    shutil.copyfile(loaded_db, path)
    read_only_file(path)
    store = open_store(path)
    assert store.read_only
    assert store.current_version() == read_data_dir(data_dir).version
    assert len(store.dataset().observations) > 0
    assert store.list_saved() == [] and store.count_saved() == 0
    assert store.get_saved("x" * 16) is None
    row = {c: None for c in store_base.SAVED_COLUMNS}
    with pytest.raises(DatabaseReadOnlyError, match="the database .* is read-only"):
        store.insert_saved(row)
    with pytest.raises(DatabaseReadOnlyError, match="is read-only"):
        store.delete_saved("x" * 16, "hash")
    with pytest.raises(DatabaseReadOnlyError, match="is read-only"):
        store.load_dataset(data_dir)
    store.check_integrity()
    assert store.migrate() == []


def test_a_new_read_only_file_says_why_it_holds_no_dataset(
    tmp_db_path: Path, data_dir: Path, read_only_file: Callable[[Path], None]
) -> None:
    DuckDBStore(tmp_db_path).migrate()
    read_only_file(tmp_db_path)
    with pytest.raises(NoDatasetError, match="read-only"):
        open_store(tmp_db_path).current_version()


CUTS = {"half": lambda size: size // 2, "tail": lambda size: size - 2 * 1024 * 1024}
"""Where a damaged copy ends: half the file, or all but its last 2 MiB (the catalogue and the
version table still read, the data tables do not)."""


def truncate(src: Path, dst: Path, cut: str = "half") -> Path:
    shutil.copyfile(src, dst)
    os.truncate(dst, CUTS[cut](dst.stat().st_size))
    return dst


@pytest.mark.parametrize("cut", sorted(CUTS))
def test_a_truncated_file_fails_the_integrity_check(
    loaded_db: Path, tmp_path: Path, data_dir: Path, cut: str
) -> None:
    store = DuckDBStore(truncate(loaded_db, tmp_path / "cut.duckdb", cut))
    with pytest.raises(DatabaseCorruptError, match="is damaged .*restore it from a backup"):
        store.check_integrity()
    with pytest.raises(DatabaseCorruptError, match="is damaged"):
        store.load_dataset(data_dir)


def test_a_file_cut_before_its_catalogue_is_corrupt_on_any_operation(loaded_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "stub.duckdb"
    shutil.copyfile(loaded_db, path)
    os.truncate(path, 1000)
    with pytest.raises(DatabaseCorruptError, match="is damaged"):
        DuckDBStore(path).current_version()


BLOCK_SIZE = 256 * 1024
HEADER_SIZE = 3 * 4096
"""DuckDB's file layout: three 4 KiB headers, then 256 KiB blocks, each with its checksum."""


def test_blocks_failing_their_checksums_are_damage(loaded_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "flipped.duckdb"
    shutil.copyfile(loaded_db, path)
    with path.open("r+b") as f:  # every block's content changed, its checksum not
        for start in range(HEADER_SIZE, path.stat().st_size, BLOCK_SIZE):
            f.seek(start + 1000)
            f.write(b"\x5a" * 64)
    with pytest.raises(DatabaseCorruptError, match="is damaged .*checksum"):
        DuckDBStore(path).check_integrity()


DISK_FULL = """
import resource, signal, sys
from planner.store import DiskFullError, DuckDBStore
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
store = DuckDBStore(sys.argv[1])
store.migrate()
resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, resource.RLIM_INFINITY))
try:
    store.load_dataset(sys.argv[2], check=None)
except DiskFullError as exc:
    print("DiskFullError:", exc)
"""


@pytest.mark.skipif(not hasattr(os, "setrlimit") and sys.platform == "win32", reason="POSIX limits")
def test_a_full_disk_is_a_clear_error_and_writes_nothing(tmp_db_path: Path, data_dir: Path) -> None:
    # A file-size limit stands for a full disk: writes past it fail as they would on one.
    done = subprocess.run([sys.executable, "-c", DISK_FULL, str(tmp_db_path), str(data_dir)],
                          cwd=config.REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("DiskFullError: the disk holding the database"), done.stdout
    assert "nothing was written" in done.stdout
    assert DuckDBStore(tmp_db_path).dataset_versions() == []


# -- several processes on one file ------------------------------------------------------------


def _worker(
    db: str, data: str, rounds: int, start: multiprocessing.Barrier, queue: multiprocessing.Queue
) -> None:
    try:
        store = DuckDBStore(db)
        start.wait(60)
        for _ in range(rounds):
            store.load_dataset(data, check=None)
            assert len(store.baseline()) == 9
            assert store.sources()["n_values"].sum() == 9
        queue.put("ok")
    except Exception as exc:  # reported to the parent
        queue.put(f"{type(exc).__name__}: {exc}")


def test_two_processes_share_one_database(tmp_db_path: Path, small_data_dir: Path) -> None:
    context = process_server()  # processes of their own, forked with planner imported
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


def _hold(db: str, seconds: float, ready: multiprocessing.Event,
          release: multiprocessing.Event | None = None) -> None:
    """Hold the file as a program that takes no turns would: until ``release`` is set, or for
    ``seconds`` (the holding itself is what the test is about)."""
    con = duckdb.connect(db)
    ready.set()
    if release is None:
        time.sleep(seconds)
    else:
        release.wait(seconds)
    con.close()


def test_a_locked_file_is_waited_for(small_db: DuckDBStore) -> None:
    """A read that finds the file held waits in line and reads once the holder lets go."""
    context = process_server()  # processes of their own, forked with planner imported
    ready, release = context.Event(), context.Event()
    holder = context.Process(target=_hold, args=(str(small_db.path), 60.0, ready, release))
    holder.start()
    outcome: dict[str, object] = {}

    def read() -> None:
        rows = DuckDBStore(small_db.path, lock_timeout=30).baseline()
        outcome.update(rows=len(rows), released=release.is_set())

    reader = threading.Thread(target=read)
    try:
        assert ready.wait(60)
        reader.start()
        queue = small_db.path.with_name(small_db.path.name + ".queue")
        deadline = time.monotonic() + 60
        while not any(queue.glob("t-*")) and time.monotonic() < deadline:
            time.sleep(0.01)  # polls for the fact: the reader's ticket is in the line
        assert any(queue.glob("t-*")), "the reader never joined the line"
        assert reader.is_alive() and not outcome
    finally:
        release.set()
        reader.join(timeout=60)
        holder.join(timeout=30)
    assert outcome == {"rows": 9, "released": True}


def test_a_file_locked_too_long_gives_a_clear_error(small_db: DuckDBStore) -> None:
    context = process_server()  # processes of their own, forked with planner imported
    ready = context.Event()
    holder = context.Process(target=_hold, args=(str(small_db.path), 1.5, ready))
    holder.start()
    try:
        assert ready.wait(60)
        with pytest.raises(DatabaseLockedError, match="locked by another process") as info:
            DuckDBStore(small_db.path, lock_timeout=0.3).current_version()
        assert "try again" in str(info.value)
    finally:
        holder.join(timeout=30)


def test_threads_take_turns_on_the_file(small_db: DuckDBStore) -> None:
    """A thread holding the file makes another wait for its turn, then time out clearly."""
    other = DuckDBStore(small_db.path, lock_timeout=0.3)
    with small_db.connect(), pytest.raises(DatabaseLockedError, match="try again"):
        other.current_version()
    assert other.current_version() == small_db.current_version()


def test_threads_of_one_process_share_one_database(tmp_db_path: Path, small_data_dir: Path) -> None:
    errors: list[str] = []

    def work() -> None:
        store = DuckDBStore(tmp_db_path)
        try:
            for _ in range(5):
                store.load_dataset(small_data_dir, check=None)
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


# -- opening by address -------------------------------------------------------------------------


def test_open_store_reads_planner_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "nested" / "folder" / "x.duckdb"
    monkeypatch.setenv("PLANNER_DB", str(target))
    store = open_store()
    assert isinstance(store, DuckDBStore) and store.path == target
    assert store.seed_dir == config.data_dir()
    monkeypatch.setenv("PLANNER_DB", f"duckdb://{target}")
    assert open_store().path == target


@pytest.mark.parametrize("form", ["path", "text", "url"])
def test_open_store_takes_a_path_or_a_duckdb_address(tmp_path: Path, form: str) -> None:
    target = tmp_path / "x.duckdb"
    given = {"path": target, "text": str(target), "url": f"duckdb://{target}"}[form]
    store = open_store(given)
    assert isinstance(store, DuckDBStore) and store.path == target


def test_open_store_seeds_a_new_database_with_the_data_folder(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANNER_DATA_DIR", str(data_dir))
    assert open_store(tmp_path / "new.duckdb").current_version() == read_data_dir(data_dir).version
    assert open_store(tmp_path / "other.duckdb", seed=False).seed_dir is None


@pytest.mark.parametrize("url", ["postgresql://planner:s3cret@db:5433/planner",
                                 "postgres://planner:s3cret@db/planner"])
def test_open_store_takes_a_postgresql_address_and_never_shows_its_password(url: str) -> None:
    from planner.store.postgres_store import PostgresStore

    store = open_store(url)  # nothing is connected yet
    assert isinstance(store, PostgresStore)
    assert store.address.startswith("postgresql://planner@db")
    assert "s3cret" not in store.address + repr(store)


@pytest.mark.parametrize("url", ["mysql://x/y", "duckdb://", "  "])
def test_open_store_rejects_other_addresses(url: str) -> None:
    with pytest.raises(StoreError):
        open_store(url)


def test_store_errors_have_catalogue_codes() -> None:
    from planner.i18n import load_catalogue

    catalogue = load_catalogue()
    errors = [StoreError, DatabaseLockedError, DatabaseReadOnlyError, DatabaseCorruptError,
              DiskFullError, BackendUnavailableError, NoDatasetError, UnfittableDatasetError,
              PublishTextError, BaseMovedError, DatabaseUnreachableError]
    codes = [error.code for error in errors]
    assert len(set(codes)) == len(codes)
    for code in codes:
        entry = catalogue[f"db.error.{code}"]
        assert entry["vi"] and entry["en"]


# -- configuration ----------------------------------------------------------------------------


def test_db_path_defaults_under_var(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PLANNER_DB", raising=False)
    assert config.db_path() == config.REPO_ROOT / "var" / "planner.duckdb"
    assert config.database() == config.REPO_ROOT / "var" / "planner.duckdb"


def test_db_path_from_the_environment_creates_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "nested" / "folder" / "x.duckdb"
    monkeypatch.setenv("PLANNER_DB", str(target))
    assert config.db_path() == target
    assert target.parent.is_dir()
    assert config.database() == str(target)


def test_data_dir_default_and_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PLANNER_DATA_DIR", raising=False)
    assert config.data_dir() == config.REPO_ROOT / "data"
    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path))
    assert config.data_dir() == tmp_path


def test_var_is_ignored_by_git() -> None:
    ignored = (config.REPO_ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert "var/" in ignored


# -- the real data folder ---------------------------------------------------------------------


def test_real_data_loads_and_reads_back(store: DuckDBStore, data_dir: Path) -> None:
    expected = read_data_dir(data_dir)
    assert store.current_version() == expected.version
    stored = store.dataset()
    for name in FILE_NAMES:
        pd.testing.assert_frame_equal(getattr(stored, name), getattr(expected, name), obj=name)
    assert store.sources()["n_values"].sum() == len(expected.observations)


@pytest.mark.parametrize(("value", "expected"), [("", 60.0), ("2.5", 2.5), ("0", 60.0), ("x", 60.0)])
def test_the_lock_timeout_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str, expected: float
) -> None:
    monkeypatch.setenv("PLANNER_LOCK_TIMEOUT", value)
    assert open_store(tmp_path / "x.duckdb").lock_timeout == expected
    assert open_store(tmp_path / "x.duckdb", lock_timeout=1.0).lock_timeout == 1.0


def test_a_full_disk_when_creating_the_file_is_a_clear_error(tmp_db_path: Path) -> None:
    code = DISK_FULL.replace("store.migrate()\n", "").replace(
        "store.load_dataset(sys.argv[2], check=None)", "store.migrate()")
    code = code.replace("64 * 1024", "1024")  # not even the file header fits
    done = subprocess.run([sys.executable, "-c", code, str(tmp_db_path), "unused"],
                          cwd=config.REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("DiskFullError: the disk holding the database"), done.stdout
