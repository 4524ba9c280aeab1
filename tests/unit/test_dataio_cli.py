"""The yearly update on the command line: ``db import`` of a folder, a zip, a workbook and a CSV
of new observations (and ``--dry-run``), ``db versions`` and ``db use``; bad input changes
nothing and exits 1 with every problem on stderr."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from planner import cli
from planner.dataio.archive import write_zip
from planner.dataio.canonical import dataset_files
from planner.store import DuckDBStore
from tests.fit_cache import one_fit_per_dataset
from tests.saved_support import copy_db
from tests.update_support import NEW_DTI, NEW_DTI_ROW, observations_csv, workbook_with


@pytest.fixture(scope="module", autouse=True)
def one_fit() -> Iterator[None]:
    """Each dataset's model fitted once a day for this module's commands (``tests/fit_cache.py``)."""
    with one_fit_per_dataset():
        yield


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(loaded_db: Path, tmp_path: Path) -> DuckDBStore:
    return copy_db(loaded_db, tmp_path / "cli.duckdb")


def state(store: DuckDBStore) -> tuple:
    return store.current_version(), store.dataset_versions(), store.publish_log()


def folder_with_new_row(store: DuckDBStore, path: Path) -> Path:
    path.mkdir()
    for name, content in dataset_files(store.dataset()).items():
        (path / name).write_bytes(content)
    with (path / "observations.csv").open("a", encoding="utf-8", newline="") as out:
        csv.DictWriter(out, fieldnames=list(NEW_DTI_ROW), lineterminator="\n").writerow(
            NEW_DTI_ROW)
    return path


def upload_of(kind: str, store: DuckDBStore, tmp_path: Path) -> Path:
    if kind == "folder":
        return folder_with_new_row(store, tmp_path / "folder")
    if kind == "zip":
        folder = folder_with_new_row(store, tmp_path / "folder")
        path = tmp_path / "data.zip"
        path.write_bytes(write_zip({p.name: p.read_bytes() for p in folder.glob("*.csv")}))
        return path
    if kind == "xlsx":
        path = tmp_path / "data.xlsx"
        path.write_bytes(workbook_with(store.dataset()))
        return path
    path = tmp_path / "new rows.csv"
    path.write_bytes(observations_csv())
    return path


@pytest.mark.parametrize("kind", ["folder", "zip", "xlsx", "csv"])
def test_db_import_publishes_each_kind(
    capsys: pytest.CaptureFixture[str], db: DuckDBStore, tmp_path: Path, kind: str
) -> None:
    first = db.current_version()
    path = upload_of(kind, db, tmp_path)
    code, out, err = run(capsys, "--db", str(db.path), "db", "import", str(path),
                         "--author", "Sở TT&TT", "--note", "DTI 2023")
    assert (code, err) == (0, "")
    new = db.current_version()
    assert new != first
    assert out == f"dataset {new}: published by Sở TT&TT, now current (was {first})\n"
    values = db.baseline(indicator="dti_overall")
    assert ((values["year"] == 2023) & (values["value"] == NEW_DTI)).any()
    entry = db.publish_log()[0]
    assert (entry["action"], entry["author"], entry["note"]) == ("publish", "Sở TT&TT", "DTI 2023")


def test_every_kind_of_the_same_content_is_the_same_version(
    db: DuckDBStore, tmp_path: Path
) -> None:
    from planner.cli.db import read_path

    versions = {}
    for kind in ("folder", "zip", "xlsx", "csv"):
        (tmp_path / kind).mkdir()
        versions[kind] = read_path(db, upload_of(kind, db, tmp_path / kind)).version
    assert len(set(versions.values())) == 1 and None not in versions.values(), versions


def test_a_dry_run_prints_changes_and_preview_and_stores_nothing(
    capsys: pytest.CaptureFixture[str], db: DuckDBStore, tmp_path: Path
) -> None:
    before = state(db)
    path = upload_of("csv", db, tmp_path)
    code, out, err = run(capsys, "--db", str(db.path), "db", "import", str(path), "--dry-run")
    assert (code, err) == (0, "")
    assert "a valid dataset, version " in out
    assert "observations.csv: +1 ~0 -0" in out and "dti_overall: +1 ~0 -0" in out
    assert "overall DTI: " in out and "targets, current -> new:" in out
    assert out.endswith("dry run: nothing was stored\n")
    assert state(db) == before


BAD = [
    pytest.param("semicolons.csv", b"indicator;geography\nx;y\n", "delimiter", id="delimiter"),
    pytest.param("bomb.zip", b"PK\x05\x06" + b"\0" * 18, "no_data", id="empty-zip"),
    pytest.param("broken.xlsx", b"PK\x03\x04broken", "workbook", id="broken-workbook"),
]


@pytest.mark.parametrize(("name", "content", "_what"), BAD)
def test_bad_input_exits_1_lists_problems_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], db: DuckDBStore, tmp_path: Path, name: str,
    content: bytes, _what: str
) -> None:
    before = state(db)
    path = tmp_path / name
    path.write_bytes(content)
    code, out, err = run(capsys, "--db", str(db.path), "db", "import", str(path))
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert lines[-1].startswith("error: ") and lines[-1].endswith("nothing was stored")
    assert all(line.startswith(f"  File {name}") for line in lines[:-1]) and len(lines) > 1
    assert state(db) == before


def test_a_row_out_of_range_is_named_with_its_line_and_column(
    capsys: pytest.CaptureFixture[str], db: DuckDBStore, tmp_path: Path
) -> None:
    before = state(db)
    path = tmp_path / "rows.csv"
    path.write_bytes(observations_csv([{**NEW_DTI_ROW, "value": 1.5}]))
    code, _, err = run(capsys, "--db", str(db.path), "db", "import", str(path))
    assert code == 1
    assert "  File rows.csv, row 2, column value: " in err
    assert state(db) == before


def test_a_missing_path_is_one_line(capsys: pytest.CaptureFixture[str], db: DuckDBStore,
                                    tmp_path: Path) -> None:
    code, _, err = run(capsys, "--db", str(db.path), "db", "import", str(tmp_path / "none"))
    assert code == 1 and err == f"error: {tmp_path / 'none'} is neither a folder nor a file\n"


def test_db_versions_and_db_use_roll_back(
    capsys: pytest.CaptureFixture[str], db: DuckDBStore, tmp_path: Path
) -> None:
    first = db.current_version()
    path = upload_of("csv", db, tmp_path)
    assert run(capsys, "--db", str(db.path), "db", "import", str(path), "--author", "a")[0] == 0
    second = db.current_version()
    code, out, _ = run(capsys, "--db", str(db.path), "db", "versions", "--format", "json")
    rows = json.loads(out)
    assert code == 0
    assert [(r["version"], r["current"], r["author"]) for r in rows] == [
        (first, False, ""), (second, True, "a")]
    code, out, err = run(capsys, "--db", str(db.path), "db", "use", first, "--author", "b",
                         "--note", "not final")
    assert (code, err) == (0, "")
    assert out == f"dataset {first}: current again (was {second})\n"
    assert db.current_version() == first
    code, out, _ = run(capsys, "--db", str(db.path), "db", "versions", "--log")
    log = list(csv.DictReader(io.StringIO(out)))
    assert [(e["action"], e["version"], e["previous_version"], e["author"], e["note"])
            for e in log[:2]] == [("rollback", first, second, "b", "not final"),
                                  ("publish", second, first, "a", "")]
    code, out, _ = run(capsys, "--db", str(db.path), "db", "use", first)
    assert out == f"dataset {first}: already current; nothing changed\n"


def test_db_use_of_an_unknown_version_is_one_line(
    capsys: pytest.CaptureFixture[str], db: DuckDBStore
) -> None:
    before = state(db)
    code, out, err = run(capsys, "--db", str(db.path), "db", "use", "0123456789abcdef")
    assert code == 1 and out == ""
    assert err == f"error: dataset version '0123456789abcdef' is not in {db.path}\n"
    assert state(db) == before


def test_an_over_large_file_is_refused_unread(
    capsys: pytest.CaptureFixture[str], db: DuckDBStore, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    from planner.cli import db as db_cli
    from planner.dataio.limits import Limits

    monkeypatch.setattr(db_cli, "DEFAULT_LIMITS", Limits(max_upload_size=100))
    path = tmp_path / "big.csv"
    path.write_bytes(observations_csv())
    code, _, err = run(capsys, "--db", str(db.path), "db", "import", str(path))
    assert code == 1 and "  File big.csv: " in err


def test_an_import_built_on_a_version_no_longer_current_is_refused_on_one_line(
    capsys: pytest.CaptureFixture[str], db: DuckDBStore, tmp_path: Path
) -> None:
    """``--base`` names the version the rows were meant for; another editor published since."""
    first = db.current_version()
    theirs = tmp_path / "theirs.csv"
    theirs.write_bytes(observations_csv([{**NEW_DTI_ROW, "year": 2024, "value": 0.76}]))
    assert run(capsys, "--db", str(db.path), "db", "import", str(theirs),
               "--author", "Trần Thị B")[0] == 0
    second = db.current_version()
    before = state(db)
    mine = upload_of("csv", db, tmp_path)
    code, out, err = run(capsys, "--db", str(db.path), "db", "import", str(mine), "--author",
                         "a", "--base", first)
    assert (code, out) == (1, "")
    assert err.startswith(f"error: another editor (Trần Thị B) made dataset {second} current "
                          "first (at ")
    assert err.endswith(f"while this publish was built on dataset {first}; nothing was "
                        f"changed: check the data again against {second} (download it again, "
                        "or run the import again, which then builds on it)\n")
    assert state(db) == before
    # run again (built on the current version), both rows are kept
    assert run(capsys, "--db", str(db.path), "db", "import", str(mine), "--author", "a")[0] == 0
    values = db.baseline(indicator="dti_overall")
    assert set(values.loc[values["year"] >= 2023, "year"]) == {2023, 2024}


def test_a_rollback_chosen_before_another_publish_is_refused_on_one_line(
    capsys: pytest.CaptureFixture[str], db: DuckDBStore, tmp_path: Path
) -> None:
    first = db.current_version()
    path = upload_of("csv", db, tmp_path)
    assert run(capsys, "--db", str(db.path), "db", "import", str(path), "--author", "a")[0] == 0
    second = db.current_version()
    code, out, err = run(capsys, "--db", str(db.path), "db", "use", second, "--base", first)
    assert (code, out) == (0, f"dataset {second}: already current; nothing changed\n")
    before = state(db)
    code, out, err = run(capsys, "--db", str(db.path), "db", "use", first, "--base", "0" * 16)
    assert (code, out) == (1, "")
    assert err.startswith(f"error: another editor (a) made dataset {second} current first")
    assert err.endswith("while this rollback was chosen with dataset 0000000000000000 current; "
                        "nothing was changed: look at the versions again and choose again\n")
    assert state(db) == before
