"""The backtest: real hold-outs, rows zero by construction marked and left out of the summary."""

import dataclasses
import functools
import json

import pytest

from planner.cli.main import main
from planner.dataset import read_data_dir
from planner.engine import fit_dataset
from planner.ids import PILLARS
from planner.trend import logit


@functools.cache
def backtest():
    return fit_dataset(read_data_dir("data")).backtest()


def test_rows_zero_by_construction_are_marked():
    bt = backtest()
    built = bt[bt["by_construction"]]
    evidence = (built.indicator == "dti_overall_rank") & (built.year == 2023)
    assert (built.loc[~evidence, "error"].abs() < 1e-9).all()
    # the 2023 rank holds the median of the drawn rank (11.5 to 13.5, most likely the inferred 12)
    assert built.loc[evidence, "error"].iloc[0] == pytest.approx(13.5 - (2 * 1.5 / 2) ** 0.5 - 12)
    keys = set(zip(built.indicator, built.year, strict=True))
    assert {("online_filing_rate", 2021), ("online_filing_rate", 2023),  # a line through two points
            ("digital_economy_share_grdp", 2024), ("dti_overall", 2021), ("dti_overall", 2022),
            ("dti_overall_rank", 2023)} <= keys
    assert (bt.loc[~bt["by_construction"], "error"].abs() > 1e-6).all()


def test_pillars_2022_are_predicted_from_data_up_to_2021():
    bt = backtest()
    held = bt[bt["hold_out"] & bt.indicator.isin(PILLARS)]
    assert sorted(held.indicator) == sorted(PILLARS) and set(held.year) == {2022}
    # the field's growth as known in 2021 (0 to 0.87, most likely 0.435) falls short of 2022's
    # step (0.72): every pillar is predicted below its score
    assert ((held["error"] < 0) & (held["error"] > -0.15)).all()
    assert ((held["p10"] < held["modelled"]) & (held["modelled"] < held["p90"])).all()
    assert not held["by_construction"].any()


def test_rank_2023_is_predicted_from_data_up_to_2022():
    bt = backtest()
    held = bt[bt["hold_out"] & (bt.indicator == "dti_overall_rank")].iloc[0]
    assert held["year"] == 2023 and held["observed"] == 12
    assert held["modelled"] == pytest.approx(3.2, abs=0.5)  # the province's 2023 drop: unforeseen


def test_summary_leaves_out_rows_zero_by_construction():
    m = fit_dataset(read_data_dir("data"))
    s = m.backtest_summary().set_index(["indicator", "hold_out"])
    assert ("online_filing_rate", False) not in s.index
    assert s.loc[("dti_overall_rank", True), "n"] == 1
    assert s.loc[("dti_digital_economy", False), "n"] == 2  # 2020 and 2021 cast back, not 2022


def test_backtest_json_carries_the_marks(capsys, loaded_db):
    code = main(["--db", str(loaded_db), "backtest", "--format", "json"])
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert code == 0
    assert all(isinstance(r["by_construction"], bool) and isinstance(r["hold_out"], bool)
               for r in rows)
    assert any(r["hold_out"] and r["indicator"] == "dti_overall_rank" for r in rows)


def test_each_hold_out_has_its_own_band_and_the_calibration_counts_them():
    m = fit_dataset(read_data_dir("data"))
    bt = m.backtest()
    held = bt[bt["hold_out"]]
    assert held[["p10", "p90"]].notna().all().all()
    assert bt.loc[~bt["hold_out"], ["p10", "p90"]].isna().all().all()
    inside = (held["p10"] <= held["observed"]) & (held["observed"] <= held["p90"])
    assert list(held["inside"]) == list(inside)
    cal = m.calibration(bt)
    assert cal["band"] == [10, 90] and cal["nominal"] == pytest.approx(0.8)
    assert cal["hold_outs"] == len(held) == 4
    assert cal["inside"] == int(inside.sum())
    assert cal["coverage"] == pytest.approx(cal["inside"] / cal["hold_outs"])
    assert {(r["indicator"], r["year"]) for r in cal["rows"]} == set(
        zip(held.indicator, held.year, strict=True))
    # the rank's 2023 drop to about 12th lies inside its band once the pillars take their
    # year-to-year steps
    rank = held[held.indicator == "dti_overall_rank"].iloc[0]
    assert rank["inside"] and rank["p10"] < 4 < 12 <= rank["p90"]


def test_backtest_json_reports_the_calibration(capsys, loaded_db):
    code = main(["--db", str(loaded_db), "backtest", "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0
    cal = doc["calibration"]
    assert cal["hold_outs"] == sum(r["hold_out"] for r in doc["rows"]) > 0
    assert 0.0 <= cal["coverage"] <= 1.0
    assert all(r["p10"] <= r["modelled"] <= r["p90"] for r in cal["rows"])


def test_the_field_growth_a_hold_out_assumes_rests_on_the_averages_up_to_its_origin():
    m = fit_dataset(read_data_dir("data"))
    step = lambda a, b: float(logit(b) - logit(a))  # noqa: E731
    # up to 2021 the only step is 2020 -> 2021 (0.3026 -> 0.4014): twice it is the top
    assert m.field_growth_known(2021) == pytest.approx(
        (0.0, step(0.3026, 0.4014), 2 * step(0.3026, 0.4014)))
    # up to 2022 the latest step (0.4014 -> 0.5786) is also the fastest
    assert m.field_growth_known(2022) == pytest.approx(
        (0.0, step(0.4014, 0.5786), 2 * step(0.4014, 0.5786)))
    # up to 2024 the fastest step (0.72) is above twice the latest (0.083): the assumption's range
    lo, mode, hi = m.field_growth_known(2024)
    assert (lo, mode, hi) == pytest.approx((0.0, step(0.6783, 0.6961), step(0.4014, 0.5786)))
    row = m.assumptions.row("dti_field_logit_growth")
    assert (row.low, row.value, row.high) == pytest.approx((lo, mode, hi), abs=0.005)
    assert m.field_growth_known(2020) == (0.0, 0.0, 0.0)


def _later_data_moved(year: int):
    """The real data with every figure of ``year`` or later moved, and the field's growth
    assumption (whose range rests on 2022 to 2024) changed."""
    ds = read_data_dir("data")
    obs = ds.observations.copy()
    later = obs["year"] >= year
    scores = later & (obs["unit"] == "index_0_1")
    obs.loc[scores, "value"] = obs.loc[scores, "value"] * 0.9
    ranks = later & obs["unit"].str.startswith("rank_of_")
    obs.loc[ranks, "value"] = obs.loc[ranks, "value"] + 1
    a = ds.assumptions.copy()
    a.loc[a["id"] == "dti_field_logit_growth", ["value", "low", "high"]] = [0.3, 0.1, 0.5]
    return dataclasses.replace(ds, observations=obs, assumptions=a)


@pytest.mark.parametrize(("indicator", "year"), [
    ("dti_digital_government", 2022), ("dti_digital_economy", 2022),
    ("dti_digital_society", 2022), ("dti_overall_rank", 2023)])
def test_no_hold_out_uses_a_datum_from_its_year_or_later(indicator, year):
    def held(bt):
        return bt[bt["hold_out"] & (bt.indicator == indicator) & (bt.year == year)].iloc[0]

    real = held(backtest())
    moved = held(fit_dataset(_later_data_moved(year)).backtest())
    assert moved["observed"] != real["observed"]  # the figure predicted did move
    for column in ("modelled", "p10", "p90"):
        assert moved[column] == pytest.approx(real[column], abs=1e-12), column
