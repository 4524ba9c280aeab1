"""Fixtures shared by every test.

- ``data_dir``: the repository's ``data/`` folder (or ``PLANNER_DATA_DIR``).
- ``tmp_db_path``: a path for a new DuckDB file in the test's temporary folder.
- ``loaded_db``: once per session, a DuckDB file migrated and loaded with ``data_dir``; its path.
  Nothing global (no environment variable) is set: pass the path on.
- ``store``: a :class:`planner.store.DuckDBStore` on ``loaded_db``.
- ``store_factory``: builds new, empty stores of one backend; parametrised (through
  ``store_backend``) over :data:`STORE_BACKENDS`, so every test using it runs on every backend
  unchanged. ``new_database`` gives the address of a new database of that backend, empty or
  a copy of the loaded one (for other processes and the command line).
- ``postgres_server``: once per test process, a throwaway PostgreSQL server
  (``tests/postgres_support.py``); a test needing it skips with one line saying how to enable
  it where PostgreSQL is not installed, and fails in CI.
- ``small_files``: the tiny valid dataset below, as ``{file name: text}`` (a fresh copy).
- ``small_data_dir``: a folder holding ``small_files``, for unit tests that must not depend on
  the real data.

Every test runs on 2026-11-27 (``PLANNER_TODAY``, set before any planner module is imported).

Layers and groups
-----------------
Each test is marked with its folder's layer (``unit``, ``app``, ``browser``, ``reliability``,
``property``; select with ``-m``). With ``pytest -n 2 --dist loadgroup`` the tests are handed
to the workers in groups (:func:`group_of`, through xdist's ``pytest_xdist_make_scheduler``):
the browser tests form one group (one Streamlit server and one Chromium, on one worker), every
other file is a group of its own (its module-scoped fixtures are built once). A new test file
gets both from its folder. (xdist's own ``xdist_group`` marks do nothing with pytest 9.2: xdist
3.8 writes the group into ``item._nodeid``, which pytest no longer reads.)

In CI (:func:`tests.needs.in_ci`) a skipped test is reported as failed, naming why it skipped.
"""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Callable, Iterator
from typing import Any

os.environ.setdefault("PLANNER_TODAY", "2026-11-27")  # every test runs on one fixed day
# in-process page runs do not pause for a browser's first paint (ui.paint); the browser
# tests' servers do, as in use
os.environ.setdefault("PLANNER_FIRST_PAINT_PAUSE", "0")

from pathlib import Path, PurePosixPath  # noqa: E402

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402
from xdist.scheduler import LoadGroupScheduling  # noqa: E402

from planner import config  # noqa: E402
from planner.store import DuckDBStore, Store, open_store  # noqa: E402
from tests.needs import in_ci, missing  # noqa: E402
from tests.postgres_support import (  # noqa: E402
    HOW_TO_ENABLE,
    PostgresServer,
    server_binaries,
    server_user_missing,
)
from tests.saved_support import copy_db, without_saved  # noqa: E402

# No timed assertion outside bench/: hypothesis's deadline (200 ms an example by default) fails
# a test on a busy machine, so no test has one.
settings.register_profile("planner", deadline=None)
settings.load_profile("planner")

TESTS = Path(__file__).resolve().parent
LAYERS = ("unit", "app", "browser", "reliability", "property")
"""Folders of ``tests/``, each a marker of the same name."""
SHARED_GROUPS = {"browser": "browser"}
"""Folders of ``tests/`` whose tests all run on one xdist worker (they share a server and a
browser)."""

StoreFactory = Callable[..., Store]
"""``factory(name="db", **options)``: a new, empty store; options as the backend takes them
(``seed_dir``, ``lock_timeout``). The same name gives another store on the same database."""


_DUCKDB_NAMES = itertools.count(1)


def _duckdb_address(request: pytest.FixtureRequest, folder: Path, template: str | None) -> str:
    path = folder / f"db{next(_DUCKDB_NAMES)}.duckdb"
    if template == "loaded":
        copy_db(request.getfixturevalue("loaded_db"), path)
        without_saved(DuckDBStore(path))
    return str(path)


def _postgres_address(request: pytest.FixtureRequest, folder: Path, template: str | None
                      ) -> str:
    server: PostgresServer = request.getfixturevalue("postgres_server")
    if template == "loaded":
        url = server.new_database(request.getfixturevalue("postgres_loaded_template"))
    else:
        url = server.new_database()
    request.addfinalizer(lambda: server.drop_database(url))
    return url


STORE_BACKENDS: dict[str, Callable[[pytest.FixtureRequest, Path, str | None], str]] = {
    "duckdb": _duckdb_address,
    "postgresql": _postgres_address,
}
"""How to make a new database of every backend for a test: ``(request, test folder,
template)`` to its address (for :func:`planner.store.open_store`, the command line's ``--db``
and other processes); the template ``"loaded"`` is a copy of the session's loaded database
(without saved scenarios), None an empty one. A new backend adds one entry and must pass the
interface tests (``tests/unit/test_store.py``) and the reliability tests unchanged."""


SMALL_DATASET: dict[str, str] = {
    "units.csv": """\
id,label_vi,label_en,min,max,decimals
index_0_1,Chỉ số từ 0 đến 1,Index from 0 to 1,0,1,4
percent,Phần trăm,Percent,0,100,1
rank_of_63,Thứ hạng trên 63 tỉnh,Rank among 63 provinces,1,63,0
rank_of_34,Thứ hạng trên 34 tỉnh,Rank among 34 provinces,1,34,0
elasticity,Độ co giãn,Elasticity,,,3
pp_per_year,Điểm phần trăm mỗi năm,Percentage points per year,,,2
""",
    "sources.csv": """\
id,kind,title,publisher,date,address
000_b19f354a6a4d82ea.txt,seed,Báo cáo chuyển đổi số Quảng Ninh,,2023,
mic_dti_2022,external,DTI 2022 report,Bộ Thông tin và Truyền thông,2023-07-01,https://example.org/dti-2022
unused_source,external,A source no value cites,,,
""",
    "indicators.csv": """\
id,label_vi,label_en,unit,pillar,higher_is_better,definition_vi,definition_en,display_order,chart_group
dti_overall,Chỉ số DTI tổng thể,Overall DTI,index_0_1,overall,true,,,1,dti
dti_overall_rank,Xếp hạng DTI tổng thể,Overall DTI rank,rank_of_63,overall,false,,,2,dti
online_filing_rate,Tỷ lệ hồ sơ nộp trực tuyến,Online filing rate,percent,digital_government,true,"Hồ sơ nộp trực tuyến / tổng số hồ sơ",Online dossiers / all dossiers,4,programme
digital_economy_share_grdp,Tỷ trọng kinh tế số trong GRDP,Digital economy share of GRDP,percent,digital_economy,true,,,3,programme
""",
    "observations.csv": """\
indicator,geography,year,period,value,unit,kind,source,source_date,quote,note,conflict
dti_overall,Quảng Ninh,2021,year,0.6512,index_0_1,observed,000_b19f354a6a4d82ea.txt,2023,"DTI năm 2021 đạt 0,6512",,
dti_overall,Quảng Ninh,2022,year,0.7024,index_0_1,observed,mic_dti_2022,2023-07-01,"đạt 0,7024 điểm",,
dti_overall_rank,Quảng Ninh,2022,year,3,rank_of_63,observed,mic_dti_2022,2023-07-01,xếp thứ 3/63,,
dti_overall_rank,Quảng Ninh,2025,year,2,rank_of_34,target,000_b19f354a6a4d82ea.txt,2023,,,
online_filing_rate,Quảng Ninh,2022,year,60,percent,observed,000_b19f354a6a4d82ea.txt,2023,đạt 60%,,fr_2022
online_filing_rate,Quảng Ninh,2022,year,65,percent,observed,mic_dti_2022,2023-07-01,đạt 65%,,fr_2022
online_filing_rate,Quảng Ninh,2021,year,55,percent,derived,000_b19f354a6a4d82ea.txt,2023,tăng 5 điểm,2022 value minus the stated increase of 5,
digital_economy_share_grdp,Quảng Ninh,2025,year,20,percent,target,000_b19f354a6a4d82ea.txt,2023,"chiếm 20% GRDP",,
dti_overall,Việt Nam,2022,year,0.5,index_0_1,external,mic_dti_2022,2023-07-01,,,
""",
    "assumptions.csv": """\
id,value,unit,low,high,label_vi,label_en,rationale,source
elasticity_dti_filing,0.002,elasticity,0.001,0.004,Độ co giãn DTI theo nộp trực tuyến,DTI elasticity to online filing,Calibrated on 2021-2022,
de_growth,1.5,pp_per_year,0.5,3,Tăng trưởng kinh tế số,Digital economy growth,Seed states about 1.5 points a year,000_b19f354a6a4d82ea.txt
""",
    "levers.csv": """\
id,indicator,label_vi,label_en,unit,min,max,step
online_filing_rate,online_filing_rate,Tỷ lệ nộp trực tuyến,Online filing rate,percent,0,100,1
""",
    "models.csv": """\
indicator,method,fit_from_year,level_assumption,growth_assumption,anchor_year
dti_overall,logit_linear,2020,,,
digital_economy_share_grdp,linear_growth,,,de_growth,2022
""",
    "links.csv": """\
outcome,lever,assumption
dti_overall,online_filing_rate,elasticity_dti_filing
""",
    "scenarios.csv": """\
id,label_vi,label_en,note_vi,note_en,settings
baseline,Kịch bản cơ sở,Baseline,Theo xu hướng,Trend continues,"{""levers"": {}}"
""",
}
"""A tiny valid dataset: every file, a few rows each, covering every kind and a conflict."""


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The repository's data folder (``PLANNER_DATA_DIR`` when set)."""
    return config.data_dir()


@pytest.fixture
def tmp_db_path(tmp_path: Path) -> Path:
    """A path for a new DuckDB file in the test's temporary folder (not created)."""
    return tmp_path / "planner.duckdb"


@pytest.fixture(scope="session")
def loaded_db(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Path:
    """A DuckDB file migrated and loaded with the real data folder; returns its path."""
    path = tmp_path_factory.mktemp("loaded_db") / "planner.duckdb"
    store = DuckDBStore(path)
    store.migrate()
    store.load_dataset(data_dir)
    return path


@pytest.fixture
def store(loaded_db: Path) -> DuckDBStore:
    """A store on the session's loaded database."""
    return DuckDBStore(loaded_db)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A throwaway PostgreSQL server for this test process (see ``tests/postgres_support.py``);
    skips, saying how to enable it, where PostgreSQL is not installed (fails in CI)."""
    binaries = server_binaries()
    if binaries is None:
        missing("PostgreSQL (initdb, pg_ctl)", HOW_TO_ENABLE)
    if server_user_missing():
        missing("the postgres user (the server refuses to run as root)", HOW_TO_ENABLE)
    server = PostgresServer(binaries)
    try:
        yield server
    finally:
        server.remove()


@pytest.fixture(scope="session")
def postgres_loaded_template(postgres_server: PostgresServer, data_dir: Path) -> str:
    """The name of a database of ``postgres_server`` migrated and loaded with the real data
    folder, for copies (``CREATE DATABASE ... TEMPLATE``)."""
    from planner.store.postgres_store import PostgresStore

    postgres_server.admin("CREATE DATABASE planner_loaded TEMPLATE planner_empty")
    store = PostgresStore(postgres_server.url("planner_loaded"))
    try:
        store.load_dataset(data_dir)
    finally:
        store.close()
    return "planner_loaded"


@pytest.fixture(params=sorted(STORE_BACKENDS))
def store_backend(request: pytest.FixtureRequest) -> str:
    """The name of one backend of :data:`STORE_BACKENDS` (every test using it runs on each)."""
    return request.param


@pytest.fixture
def new_database(request: pytest.FixtureRequest, store_backend: str, tmp_path: Path
                 ) -> Callable[[str | None], str]:
    """Make a new database of ``store_backend``: ``new_database(template=None)`` gives its
    address (see :data:`STORE_BACKENDS`)."""
    return lambda template=None: STORE_BACKENDS[store_backend](request, tmp_path, template)


@pytest.fixture
def store_factory(new_database: Callable[[str | None], str]) -> Iterator[StoreFactory]:
    """Build new, empty stores of one backend: ``store_factory(name="db", **options)``; the
    stores are closed after the test."""
    addresses: dict[str, str] = {}
    stores: list[Store] = []

    def factory(name: str = "db", **options: Any) -> Store:
        if name not in addresses:
            addresses[name] = new_database(None)
        seed_dir = options.pop("seed_dir", None)
        store = open_store(addresses[name], seed=False, **options)
        store.seed_dir = seed_dir
        stores.append(store)
        return store

    yield factory
    close_stores(stores)


def close_stores(stores: list[Store]) -> None:
    """Close the stores that hold connections (a PostgreSQL store's pool)."""
    for store in stores:
        close = getattr(store, "close", None)
        if close is not None:
            close()


@pytest.fixture
def small_files() -> dict[str, str]:
    """The tiny valid dataset as ``{file name: text}``; a fresh copy for each test."""
    return dict(SMALL_DATASET)


def write_data_dir(path: Path, files: dict[str, str]) -> Path:
    """Write data files into a folder (created if needed) and return the folder."""
    path.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (path / name).write_text(text, encoding="utf-8", newline="")
    return path


@pytest.fixture
def small_data_dir(tmp_path: Path, small_files: dict[str, str]) -> Path:
    """A folder holding the tiny valid dataset (``small_files``); returns its path."""
    return write_data_dir(tmp_path / "data", small_files)


def pytest_unconfigure(config: pytest.Config) -> None:
    """Free what the app froze (``gc.freeze`` in ``ui.model``) before the interpreter exits, so
    DuckDB's binding finds its objects released and the run ends on pytest's own summary."""
    import gc

    gc.unfreeze()
    gc.collect()


@pytest.fixture(autouse=True)
def _environment_as_it_was() -> Any:
    """Every test leaves the process environment as it found it (a variable set by a page
    script run in-process, say, must not reach the tests after it)."""
    before = dict(os.environ)
    yield
    if os.environ != before:
        os.environ.clear()
        os.environ.update(before)


@pytest.fixture(autouse=True)
def _main_module_as_it_was() -> Any:
    """Every test leaves the process's ``__main__`` module as it found it. An AppTest run puts
    its script there and leaves it; a ``multiprocessing`` process started later (the
    reliability tests' fork server) would then run that script again as its own main, and an
    ``AppTest.from_function`` script, deleted or given no arguments there, kills it."""
    before = sys.modules.get("__main__")
    yield
    if sys.modules.get("__main__") is not before and before is not None:
        sys.modules["__main__"] = before


def layer_of(item: pytest.Item) -> str | None:
    """The layer of a test: its folder under ``tests/`` when that is one of :data:`LAYERS`."""
    try:
        parts = Path(str(item.fspath)).resolve().relative_to(TESTS).parts
    except ValueError:  # a test outside tests/ (a plugin's own test run)
        return None
    return parts[0] if len(parts) > 1 and parts[0] in LAYERS else None


def group_of(nodeid: str) -> str:
    """The xdist group of a test, from its node id: its folder's shared group
    (:data:`SHARED_GROUPS`), else its file."""
    path = nodeid.split("::", 1)[0]
    parts = PurePosixPath(path).parts
    if len(parts) > 2 and parts[0] == TESTS.name and parts[1] in SHARED_GROUPS:
        return SHARED_GROUPS[parts[1]]
    return path


class FolderGroups(LoadGroupScheduling):
    """xdist's group scheduling, the groups given by :func:`group_of`; the largest groups go
    out first (the browser tests)."""

    def _split_scope(self, nodeid: str) -> str:
        return group_of(nodeid)


@pytest.hookimpl(optionalhook=True)  # xdist's hook
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> FolderGroups | None:
    """With ``--dist loadgroup``, hand the tests out by :func:`group_of`."""
    return FolderGroups(config, log) if config.getvalue("dist") == "loadgroup" else None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test with its layer (see the module's text)."""
    for item in items:
        layer = layer_of(item)
        if layer:
            item.add_marker(getattr(pytest.mark, layer))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    """In CI a skip is a failure that says why the test would have skipped."""
    report = yield
    if report.skipped and in_ci() and not hasattr(report, "wasxfail"):
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        reason = reason.removeprefix("Skipped: ")
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where every test runs: {reason}"
    return report
