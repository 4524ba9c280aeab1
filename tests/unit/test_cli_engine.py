"""Engine commands on a real DuckDB file loaded with the real data."""

import json
from collections.abc import Iterator

import pytest

from planner.cli import main
from tests.fit_cache import one_fit_per_dataset


@pytest.fixture(scope="module", autouse=True)
def one_fit() -> Iterator[None]:
    """Each dataset's model fitted once a day for this module's commands (``tests/fit_cache.py``)."""
    with one_fit_per_dataset():
        yield


def run(capsys, db, *args):
    code = main(["--db", str(db), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_levers_json(capsys, loaded_db):
    code, out, err = run(capsys, loaded_db, "levers", "--format", "json")
    assert code == 0, err
    levers = {r["id"]: r for r in json.loads(out)}
    assert set(levers) == {"online_filing", "cashless", "ecommerce"}
    f = levers["online_filing"]
    assert f["unit"] == "percent" and f["min"] == 0 and f["max"] == 100
    assert 76 < f["baseline_2027"] < f["baseline_2030"] <= 100
    assert f["settable_years"] == [2027, 2030] and not f["assumed_level"]
    assert levers["cashless"]["assumed_level"] is True
    assert {o["year"] for o in f["observed"]} == {2021, 2023}
    assert {t["id"] for t in levers["cashless"]["targets"]} >= {"cashless_adoption@2025=50"}


def test_project_json_with_settings(capsys, loaded_db):
    code, out, err = run(capsys, loaded_db, "project", "--set", "ecommerce@2027=55",
                         "--draws", "300", "--seed", "7", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["scenario"]["levers"] == {"ecommerce": {"2027": 55.0}}
    rows = [r for r in doc["outcomes"] if r["indicator"] == "ecommerce_uptake" and r["year"] == 2027]
    assert rows[0]["value"] == pytest.approx(55)
    assert {"p10", "p50", "p90"} <= set(rows[0])
    t = {r["target_id"]: r for r in doc["targets"]}
    assert t["ecommerce_uptake@2025=55"]["status"] == "no_measurement"  # 2025 has ended
    assert {r["basis"] for r in doc["outcomes"]} == {"observed", "estimate", "projection"}
    assert {"digital_economy_share_grdp@2030=35", "digital_economy_share_grdp@2030=30"} <= set(t)
    # same seed, same numbers
    code2, out2, _ = run(capsys, loaded_db, "project", "--set", "ecommerce@2027=55",
                         "--draws", "300", "--seed", "7", "--format", "json")
    assert out2 == out


def test_project_csv_has_targets_section(capsys, loaded_db):
    code, out, err = run(capsys, loaded_db, "project", "--draws", "100")
    assert code == 0, err
    head, _, targets = out.partition("\n# targets\n")
    assert head.splitlines()[0].startswith("indicator,scenario,year,value,p10,p50,p90")
    assert targets.splitlines()[0].startswith("target_id,indicator,geography,year,target")


def _target_keys(data_dir):
    import pandas as pd
    obs = pd.read_csv(data_dir / "observations.csv")
    rows = obs[obs["kind"] == "target"]
    return set(zip(rows["indicator"], rows["geography"], rows["year"], rows["value"], strict=True))


def test_project_json_and_csv_carry_every_target_row_with_its_place(capsys, loaded_db, data_dir):
    code, out, err = run(capsys, loaded_db, "project", "--draws", "200", "--format", "json")
    assert code == 0, err
    targets = json.loads(out)["targets"]
    keys = _target_keys(data_dir)
    assert len(targets) == len(keys) == len({r["target_id"] for r in targets}) > 8
    by_id = {r["target_id"]: r for r in targets}
    national = by_id["ecommerce_uptake@2025=55@viet_nam"]
    assert national["geography"] == "Việt Nam" and national["status"] == "national_reference"
    assert national["probability"] is None and national["province_assumed"] is True
    province = by_id["ecommerce_uptake@2025=55"]
    assert province["geography"] == "Quảng Ninh" and province["sources"] == ["004_fae9ae5be1bc4fe4.txt"]
    # an indicator without measurement carries no chance, in the register or anywhere
    assert {by_id[t]["probability"] for t in ("ecommerce_uptake@2025=55",
                                              "cashless_adoption@2025=50")} == {None}
    code, out, err = run(capsys, loaded_db, "project", "--draws", "200")
    section = out.partition("\n# targets\n")[2].strip().splitlines()
    assert len(section) - 1 == len(keys)


def test_goalseek(capsys, loaded_db):
    code, out, err = run(capsys, loaded_db, "goalseek", "--target",
                         "digital_economy_share_grdp@2030=35", "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["reachable"] is False
    # the best answer (cashless payment and online shopping at 100% in 2030) is flagged
    assert doc["best_settings"] == {"cashless": {"2030": 100.0}, "ecommerce": {"2030": 100.0}}
    assert doc["plausible"] is False
    assert [(b["lever"], b["year"], b["value"], b["plausible_high"])
            for b in doc["beyond_plausible"]] == [("cashless", 2030, 100.0, 90.0),
                                                  ("ecommerce", 2030, 100.0, 90.0)]


def test_goalseek_on_the_dti_score_and_rank(capsys, loaded_db):
    code, out, err = run(capsys, loaded_db, "goalseek", "--target", "dti_overall_rank@2030=5",
                         "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    # a rank goal: that rank or better, a smaller rank
    assert doc["higher_is_better"] is False and doc["reachable"] and doc["plausible"]
    assert round(doc["achieved"]) <= 5 and doc["settings"]
    code, out, err = run(capsys, loaded_db, "goalseek", "--target", "dti_overall@2030=0.95",
                         "--lever", "cashless")
    assert code == 0, err
    lines = out.strip().splitlines()
    assert lines[0].endswith("lever,year,value,beyond_plausible")
    # cashless payment alone reaches 0.95 only beyond its plausible 90%
    assert lines[1].startswith("dti_overall@2030=0.95,True,False,")
    assert lines[1].endswith(",cashless,2030,92.0,True")


@pytest.mark.parametrize("args, message", [
    (["project", "--set", "online_filing@2027=140"], "outside the allowed range [0, 100]"),
    (["project", "--set", "nope@2027=1"], "unknown lever"),
    (["project", "--set", "online_filing=90"], "LEVER@YEAR=VALUE"),
    (["project", "--set", "online_filing@2028=90"], "year “2028” cannot be set (only 2027, 2030)"),
    (["project", "--set", "online_filing@2025=90"], "2025 has ended"),
    (["project", "--draws", "0"], "--draws must be between 1 and 100000"),
    (["project", "--draws", "100001"], "--draws must be between 1 and 100000"),
    (["project", "--seed", "-1"], "--seed must be between 0 and"),
    (["project", "--scenario", "{bad"], "not valid JSON"),
    (["goalseek", "--target", "nope"], "unknown target"),
    (["goalseek", "--target", "online_filing_rate@2023=56"], "2023 has ended"),
    (["goalseek", "--target", "cashless_adoption@2025=50"], "2025 has ended"),
    (["goalseek", "--target", "cashless_adoption@2025=50", "--lever", "x"], "unknown lever"),
    (["goalseek", "--target", "nope"], "or a goal on dti_overall, dti_overall_rank"),
    (["goalseek", "--target", "dti_overall_rank@2030=40"],
     "rank 40 is beyond the 34 provinces ranked in 2030: pick 1 to 34"),
    (["goalseek", "--target", "dti_overall_rank@2030=0"], "rank 0 is beyond the 34"),
    (["goalseek", "--target", "dti_overall_rank@2030=2.5"], "a rank is a whole number"),
    (["goalseek", "--target", "dti_overall@2030=nan"], "the goal must be a number, got 'nan'"),
    (["goalseek", "--target", "dti_overall@2030=high"], "the goal must be a number"),
    (["goalseek", "--target", "dti_overall@2030=1.2"], "the score 1.2 is outside 0 to 1"),
    (["goalseek", "--target", "dti_overall@2024=0.9"], "2024 has ended"),
    (["goalseek", "--target", "dti_overall@2031=0.9"], "outside the plan's years"),
    (["goalseek", "--target", "dti_digital_economy_rank@2030=3"],
     "dti_digital_economy_rank is not projected: its published evidence is too thin"),
])
def test_bad_arguments_clear_message_no_traceback(capsys, loaded_db, args, message):
    code, out, err = run(capsys, loaded_db, *args)
    assert code != 0
    assert message in err and "Traceback" not in err


def test_backtest_command(capsys, loaded_db):
    code, out, err = run(capsys, loaded_db, "backtest", "--format", "json")
    assert code == 0, err
    rows = json.loads(out)["rows"]
    assert any(r["indicator"] == "dti_overall" and r["year"] == 2020 for r in rows)


@pytest.mark.parametrize("command", [["project"], ["goalseek"], ["scenario", "save"], []])
def test_help_names_the_years_a_scenario_sets_today_not_an_ended_one(capsys, loaded_db, command):
    from planner.horizon import last_ended_year, settable_years

    code, out, _ = run(capsys, loaded_db, *command, "--help")
    assert code == 0
    text = " ".join(out.split())  # argparse wraps the help
    if command:
        assert f"in {' or '.join(map(str, settable_years()))} (repeatable)" in text
    else:
        assert f"baseline {'/'.join(map(str, settable_years()))} values" in text
    assert not any(str(y) in text for y in range(2020, last_ended_year() + 1))
