"""What is PostgreSQL's own in the store: addresses and their passwords, migrations under the
advisory lock, replicas (several stores and processes on one database) that agree, and a server
restarted while stores are in use. The interface itself is tested on both backends by
``test_store.py``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from planner import cli
from planner import saved as sv
from planner.dataset import read_data_dir
from planner.engine import load_model
from planner.migrations import latest_version
from planner.store import (
    DatabaseUnreachableError,
    NoDatasetError,
    StoreError,
    open_store,
)
from planner.store.postgres_store import PostgresStore, postgres_statements, redacted
from tests.conftest import close_stores
from tests.postgres_support import PostgresServer
from tests.reliability.publish_workers import nudged

SECRET = "s3cret-Pa55"


@pytest.fixture
def stores() -> Iterator[list[PostgresStore]]:
    """Stores to close after the test."""
    made: list[PostgresStore] = []
    yield made
    close_stores(made)


@pytest.fixture
def loaded_url(postgres_server: PostgresServer, postgres_loaded_template: str
               ) -> Iterator[str]:
    """The address of a new copy of the loaded database (dropped after the test)."""
    url = postgres_server.new_database(postgres_loaded_template)
    yield url
    postgres_server.drop_database(url)


def opened(stores: list[PostgresStore], url: str, **options: object) -> PostgresStore:
    store = open_store(url, seed=False, **options)
    assert isinstance(store, PostgresStore)
    stores.append(store)
    return store


def wait_for(fact: Callable[[], object], what: str, timeout: float = 60.0) -> object:
    """Wait until ``fact()`` returns without raising; its value."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return fact()
        except Exception as exc:  # noqa: BLE001 - waited out, then reported
            if time.monotonic() > deadline:
                raise AssertionError(f"{what} did not happen: {exc}") from exc
        time.sleep(0.2)


# -- addresses ----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [
    f"postgresql://planner:{SECRET}@db/planner?foo=bar",
    f"postgresql://planner:{SECRET}@[::1/planner",
    f"postgresql://planner:{SECRET}@db:54x2/planner",
    f"postgres://planner@db/planner?password={SECRET}&host=%zz",
])
def test_a_bad_address_says_what_is_wrong_without_the_password(url: str) -> None:
    with pytest.raises(StoreError) as info:
        open_store(url)
    message = str(info.value)
    assert SECRET not in message
    assert "PostgreSQL address" in message or "port" in message
    assert "\n" not in message


def test_the_shown_address_names_everything_but_the_password() -> None:
    assert redacted(f"postgresql://ana:{SECRET}@db.example:5433/planner?sslmode=require") == (
        "postgresql://ana@db.example:5433/planner?sslmode=require")
    assert redacted(f"postgres:///planner?host=/run/postgresql&password={SECRET}") == (
        "postgresql:///planner?host=/run/postgresql")


def test_a_server_that_does_not_answer_is_said_plainly(
    tmp_path: Path, stores: list[PostgresStore], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    store = opened(stores, f"postgresql://planner:{SECRET}@/planner?host={tmp_path}",
                   lock_timeout=30)
    with pytest.raises(DatabaseUnreachableError) as info:
        store.current_version()
    message = str(info.value)
    assert message.startswith(f"the database server of postgresql://planner@/planner?host="
                              f"{tmp_path} cannot be reached")
    assert SECRET not in message and "try again in a moment" in message
    assert "error connecting" in caplog.text  # the pool's own log lines
    assert SECRET not in caplog.text


def test_duckdb_migrations_read_as_postgresql() -> None:
    assert postgres_statements('    "min" DOUBLE,\n    step DOUBLE') == [
        '    "min" DOUBLE PRECISION,\n    step DOUBLE PRECISION']
    assert postgres_statements("ALTER TABLE data_levers RENAME TO data_levers_v3") == [
        "ALTER TABLE data_levers RENAME TO data_levers_v3",
        "ALTER TABLE data_levers_v3 RENAME CONSTRAINT data_levers_pkey TO data_levers_v3_pkey"]


# -- migrations ---------------------------------------------------------------------------------


def test_stores_starting_together_migrate_once(postgres_server: PostgresServer,
                                               stores: list[PostgresStore]) -> None:
    url = postgres_server.new_database()
    starters = [opened(stores, url) for _ in range(4)]
    applied: list[list[int] | str] = []
    start = threading.Barrier(len(starters))

    def run(store: PostgresStore) -> None:
        start.wait()
        try:
            applied.append(store.migrate())
        except Exception as exc:  # reported below
            applied.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=run, args=(s,)) for s in starters]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    everything = list(range(1, latest_version() + 1))
    assert sorted(applied, key=len) == [[], [], [], everything]
    with starters[0].connect() as conn:
        rows = conn.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()
    assert [v for (v,) in rows] == everything
    assert starters[1].schema_version() == latest_version()


# -- replicas -----------------------------------------------------------------------------------


def test_replicas_agree_on_saves_and_the_current_version(
    loaded_url: str, stores: list[PostgresStore], data_dir: Path
) -> None:
    one, other = opened(stores, loaded_url), opened(stores, loaded_url)
    model = load_model(one)
    saved, _ = sv.save_scenario(one, model, {"levers": {"online_filing": {"2030": 80}}},
                                "Kịch bản của sở A", draws=20)
    assert sv.get_scenario(other, saved.id) == saved  # saved on one, opened on another
    assert [r.id for r in sv.list_scenarios(other, search="sở a")[0]] == [saved.id]
    first = other.current_version()
    report = one.publish(nudged(one.dataset(), 7), "Trần Thị B", check=None, base=first)
    assert other.current_version() == report.version  # read, not remembered
    assert other.dataset().version == report.version
    # a save computed on the version no longer current is refused on the other replica
    with pytest.raises(sv.SavedScenarioError) as refused:
        sv.save_scenario(other, model, {}, "stale", draws=20)
    assert refused.value.code == "stale_dataset"


def test_a_version_made_current_by_another_store_is_read_at_once(
    loaded_url: str, stores: list[PostgresStore], capsys: pytest.CaptureFixture[str]
) -> None:
    store = opened(stores, loaded_url)
    first = store.current_version()
    second = store.publish(nudged(store.dataset(), 9), "A", check=None, base=first).version
    assert store.current_version() == second
    # the command line opens a store of its own, as another replica would
    assert cli.main(["--db", loaded_url, "db", "use", first, "--author", "operator"]) == 0
    assert store.current_version() == first
    assert store.publish_log()[0]["action"] == "rollback"
    capsys.readouterr()
    assert cli.main(["--db", loaded_url, "db", "status"]) == 0
    out = capsys.readouterr().out
    assert f"current dataset: {first}" in out
    assert "database: postgresql://planner@/" in out


# -- the server restarted -----------------------------------------------------------------------


def test_a_restarted_server_is_said_plainly_and_the_store_recovers(
    loaded_url: str, stores: list[PostgresStore], postgres_server: PostgresServer
) -> None:
    from ui.data import error_text

    store = opened(stores, loaded_url)
    model = load_model(store)
    confirmed = [sv.save_scenario(store, model, {}, f"before {i}", draws=20)[0]
                 for i in range(3)]
    postgres_server.stop()
    try:
        for call in (store.current_version, store.list_saved,
                     lambda: sv.save_scenario(store, model, {}, "during", draws=20)):
            with pytest.raises(DatabaseUnreachableError, match="cannot be reached"):
                call()
        outage = DatabaseUnreachableError("x")
        assert error_text(outage, "vi").startswith("Không kết nối được tới máy chủ")
        assert error_text(outage, "en").startswith("The database server cannot be reached")
    finally:
        postgres_server.start()
    # the same store, no restart of the app: it connects again by itself
    version = wait_for(store.current_version, "reconnecting")
    assert version == model.version
    for saved in confirmed:
        assert sv.get_scenario(store, saved.id) == saved
    assert store.count_saved() == len(confirmed)  # the refused save left nothing
    after, _ = sv.save_scenario(store, model, {}, "after", draws=20)
    assert sv.get_scenario(store, after.id) == after


def test_an_empty_postgresql_database_says_to_load(postgres_server: PostgresServer,
                                                   stores: list[PostgresStore]) -> None:
    store = opened(stores, postgres_server.new_database())
    with pytest.raises(NoDatasetError, match="run `python -m planner db upgrade`"):
        store.current_version()


def test_db_upgrade_fills_a_postgresql_database(
    postgres_server: PostgresServer, stores: list[PostgresStore], data_dir: Path,
    capsys: pytest.CaptureFixture[str]
) -> None:
    url = postgres_server.new_database()
    assert cli.main(["--db", url, "db", "upgrade", "--data-dir", str(data_dir)]) == 0
    version = read_data_dir(data_dir).version
    assert f"dataset {version}: loaded" in capsys.readouterr().out
    assert opened(stores, url).current_version() == version
