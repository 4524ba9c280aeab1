"""``scenario save | show | list | delete`` through ``planner.cli.main`` on a real DuckDB file."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from planner.cli import main
from tests.fit_cache import one_fit_per_dataset
from tests.saved_support import copy_db


@pytest.fixture(scope="module", autouse=True)
def one_fit() -> Iterator[None]:
    """Each dataset's model fitted once a day for this module's commands (``tests/fit_cache.py``)."""
    with one_fit_per_dataset():
        yield

XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture
def db(loaded_db: Path, tmp_path: Path) -> Path:
    """A private copy of the loaded database; its path."""
    return copy_db(loaded_db, tmp_path / "cli.duckdb").path


def run(capsys, db, *args):
    code = main(["--db", str(db), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def save(capsys, db, *args):
    code, out, err = run(capsys, db, "scenario", "save", *args)
    assert code == 0, err
    return json.loads(out)


def test_save_show_list_delete(capsys, db) -> None:
    doc = save(capsys, db, "--name", XSS, "--note", "dòng 1\ndòng 2", "--author", "Sở",
               "--set", "online_filing@2027=90", "--set", "cashless@2030=70", "--draws", "500")
    assert set(doc) == {"id", "owner_token", "link", "parent_id", "dataset_version", "model_version"}
    sid, token = doc["id"], doc["owner_token"]
    assert doc["link"] == f"?s={sid}" and len(sid) == 16 and doc["parent_id"] is None

    code, out, err = run(capsys, db, "scenario", "show", sid, "--format", "json")
    assert code == 0, err
    shown = json.loads(out)
    assert shown["name"] == XSS and shown["note"] == "dòng 1\ndòng 2" and shown["author"] == "Sở"
    assert shown["settings"] == {"levers": {"cashless": {"2030": 70.0}, "online_filing": {"2027": 90.0}},
                                 "overrides": {}}
    assert shown["data_changed"] is False and shown["model_changed"] is False
    assert shown["dataset_version"] == doc["dataset_version"] and shown["draws"] == 500
    row = next(r for r in shown["outcomes"]
               if r["indicator"] == "online_filing_rate" and r["year"] == 2027)
    assert row["value"] == 90.0
    assert {t["target_id"] for t in shown["targets"]} >= {"digital_economy_share_grdp@2025=20"}
    # every target of the data the scenario was saved on, its stored ones as stored
    by_id = {t["target_id"]: t for t in shown["targets"]}
    assert len(by_id) == len(shown["targets"]) == 25
    assert by_id["ecommerce_uptake@2025=55@viet_nam"]["status"] == "national_reference"
    assert by_id["cashless_adoption@2025=50"]["probability"] is None  # an assumed level

    # the same numbers every time
    code, again, _ = run(capsys, db, "scenario", "show", sid, "--format", "json")
    assert again == out

    # CSV: a field table, then outcomes and targets; text exactly as saved
    code, out, err = run(capsys, db, "scenario", "show", sid)
    assert code == 0, err
    meta, _, rest = out.partition("\n# outcomes\n")
    fields = dict(csv.reader(io.StringIO(meta)))
    assert fields["name"] == XSS and fields["note"] == "dòng 1\ndòng 2"
    outcomes, _, targets = rest.partition("\n# targets\n")
    assert outcomes.startswith("indicator,year,value,p10,p50,p90,mean,unit,kind,basis\n")
    assert targets.startswith("target_id,indicator,geography,year,target,unit,status")
    assert len(targets.strip().splitlines()) == 1 + 25

    code, out, err = run(capsys, db, "scenario", "list", "--format", "json")
    assert code == 0, err
    listed = json.loads(out)
    assert listed["total"] == 1 and listed["scenarios"][0]["name"] == XSS
    code, out, _ = run(capsys, db, "scenario", "list")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["id"] for r in rows] == [sid] and rows[0]["name"] == XSS

    code, out, err = run(capsys, db, "scenario", "delete", sid, "--token", "wrong")
    assert code == 1 and out == ""
    assert "owner token does not match" in err and len(err.strip().splitlines()) == 1
    code, out, err = run(capsys, db, "scenario", "delete", sid, "--token", token)
    assert code == 0, err
    assert json.loads(out) == {"deleted": sid}
    code, out, err = run(capsys, db, "scenario", "show", sid)
    assert code == 1 and "No scenario has the id" in err


def dash_token_row(db: Path, token: str) -> str:
    """Save a scenario through the command line, then give it ``token`` (a token drawn before
    tokens stopped beginning with '-'); its id."""
    import duckdb

    from planner.saved import hash_token

    code = main(["--db", str(db), "scenario", "save", "--name", "old", "--draws", "1"])
    assert code == 0
    con = duckdb.connect(str(db))
    try:
        (sid,) = con.execute("SELECT id FROM saved_scenarios").fetchone()
        con.execute("UPDATE saved_scenarios SET owner_token_hash = ? WHERE id = ?",
                    [hash_token(token), sid])
    finally:
        con.close()
    return sid


@pytest.mark.parametrize("form", ["equals", "separate"])
def test_delete_with_a_token_that_begins_with_a_dash(capsys, db, form) -> None:
    token = "-" + "A" * 31
    sid = dash_token_row(db, token)
    capsys.readouterr()
    args = [f"--token={token}"] if form == "equals" else ["--token", token]
    code, out, err = run(capsys, db, "scenario", "delete", sid, *args)
    assert code == 0, err
    assert json.loads(out) == {"deleted": sid}


def test_save_with_a_parent_starts_from_its_settings(capsys, db) -> None:
    parent = save(capsys, db, "--name", "v1", "--set", "online_filing@2027=90", "--draws", "100")
    child = save(capsys, db, "--name", "v2", "--parent", parent["id"], "--set",
                 "cashless@2027=50", "--draws", "100")
    assert child["parent_id"] == parent["id"]
    code, out, _ = run(capsys, db, "scenario", "show", child["id"], "--format", "json")
    assert json.loads(out)["settings"]["levers"] == {"cashless": {"2027": 50.0},
                                                      "online_filing": {"2027": 90.0}}
    other = save(capsys, db, "--name", "v3", "--scenario",
                 '{"overrides": {"de_share_growth_pp": 1.2}}', "--set", "ecommerce@2030=60",
                 "--draws", "100")
    code, out, _ = run(capsys, db, "scenario", "show", other["id"], "--format", "json")
    assert json.loads(out)["settings"] == {"levers": {"ecommerce": {"2030": 60.0}},
                                           "overrides": {"de_share_growth_pp": 1.2}}


def test_list_search_and_paging(capsys, db) -> None:
    for name in ("Alpha 100%", "alpha two", "beta"):
        save(capsys, db, "--name", name, "--draws", "1")
    code, out, _ = run(capsys, db, "scenario", "list", "--search", "ALPHA", "--format", "json")
    doc = json.loads(out)
    assert doc["total"] == 2 and {r["name"] for r in doc["scenarios"]} == {"Alpha 100%", "alpha two"}
    code, out, _ = run(capsys, db, "scenario", "list", "--search", "%", "--format", "json")
    assert [r["name"] for r in json.loads(out)["scenarios"]] == ["Alpha 100%"]
    code, out, _ = run(capsys, db, "scenario", "list", "--limit", "1", "--offset", "1", "--format", "json")
    doc = json.loads(out)
    assert doc["total"] == 3 and [r["name"] for r in doc["scenarios"]] == ["alpha two"]


def test_show_a_builtin(capsys, db) -> None:
    code, out, err = run(capsys, db, "scenario", "show", "cautious", "--format", "json", "--lang", "en")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["kind"] == "builtin" and doc["name"] == "Cautious" and doc["note"]
    assert doc["settings"]["overrides"]["de_share_growth_pp"] == 0.4


@pytest.mark.parametrize(("args", "message"), [
    (["save", "--name", "x", "--set", "online_filing@2027=150"], "outside the allowed range"),
    (["save", "--name", "x", "--set", "nope@2027=1"], "unknown lever"),
    (["save", "--name", "x", "--set", "online_filing=1"], "LEVER@YEAR=VALUE"),
    (["save", "--name", "x", "--scenario", "{bad"], "not valid JSON"),
    (["save", "--name", "   "], "The name must have 1 to 120 characters"),
    (["save", "--name", "x", "--parent", "AAAAAAAAAAAAAAAA"], "No scenario has the id"),
    (["save", "--name", "x", "--draws", "0"], "outside the allowed range"),
    (["show", "bad id!"], "is not a scenario id"),
    (["show", "AAAAAAAAAAAAAAAA"], "No scenario has the id"),
    (["delete", "AAAAAAAAAAAAAAAA", "--token", "t"], "No scenario has the id"),
    (["delete", "baseline", "--token", "t"], "cannot be deleted"),
    (["save", "--name", "x", "--draws", "100001"], "outside the allowed range [1, 100,000]"),
    (["list", "--limit", "1000"], "limit"),
])
def test_errors_are_one_clear_message(capsys, db, args, message) -> None:
    code, out, err = run(capsys, db, "scenario", *args)
    assert code == 1 and out == ""
    assert err.startswith("error: ") and message in err and "Traceback" not in err
    code, out, _ = run(capsys, db, "scenario", "list", "--format", "json")
    assert json.loads(out)["total"] == 0


def test_usage_errors_exit_2(capsys, db) -> None:
    assert run(capsys, db, "scenario", "save")[0] == 2
    assert run(capsys, db, "scenario", "delete", "AAAAAAAAAAAAAAAA")[0] == 2
    assert run(capsys, db, "scenario", "list", "--offset", "-1")[0] == 2


def test_show_gives_every_outcome_its_basis(capsys, tmp_path, loaded_db):
    """``scenario show --format json``: every outcome row says what it rests on (observed,
    estimate, projection), as ``project`` does; on 2026-11-27 the DTI of 2023-2025 is an
    estimate and 2027 a projection."""
    from tests.saved_support import copy_db

    db = copy_db(loaded_db, tmp_path / "basis.duckdb").path
    code = main(["--db", str(db), "scenario", "save", "--name", "b", "--draws", "50"])
    out = capsys.readouterr().out
    assert code == 0, out
    sid = json.loads(out)["id"]
    assert main(["--db", str(db), "scenario", "show", sid, "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    basis = {(r["indicator"], r["year"]): r["basis"] for r in shown["outcomes"]}
    assert set(basis.values()) == {"observed", "estimate", "projection"}
    assert basis[("dti_overall", 2022)] == "observed"
    assert basis[("dti_overall", 2024)] == "estimate"
    assert basis[("dti_overall", 2027)] == "projection"
