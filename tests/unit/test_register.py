"""Every target row of the real data is in the register, evaluated; the data fixes of issue 11."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planner.dataset import read_data_dir
from planner.engine import fit_dataset
from planner.ids import values_by_year
from planner.standing import is_uncertain, pick
from planner.targets import STATUSES, target_register


@pytest.fixture(scope="module")
def model(data_dir):
    return fit_dataset(read_data_dir(data_dir))


@pytest.fixture(scope="module")
def register(model):
    return target_register(model, model.simulate(draws=400, seed=0)).set_index(
        ["target_id", "geography"])


def test_every_target_row_is_in_the_register(model, register):
    obs = model.obs
    rows = obs[obs["kind"] == "target"]
    keys = set(zip(rows["indicator"], rows["geography"], rows["year"], rows["value"], strict=True))
    assert len(register) == len(keys)
    assert set(register["status"]) <= set(STATUSES)


@pytest.mark.parametrize("tid", [
    "enterprises_etax_share@2023=99", "household_businesses_etax_share@2023=30",
    "mobile_broadband_subscriptions_per_100@2023=92", "households_fibre_broadband_share@2023=88",
    "adults_with_payment_account_share@2023=95", "health_facilities_digitalised_share@2023=95",
    "dossiers_processed_fully_online@2023=80", "online_filing_rate@2023=56"])
def test_plan37_targets_of_2023_are_met_by_the_same_seed(register, tid):
    row = register.loc[(tid, "Quảng Ninh")]
    assert row["status"] == "met" and row["basis"] == "observed" and row["figure_year"] == 2023


def test_targets_the_model_cannot_project_keep_their_latest_figure(register):
    accounts = register.loc[("adults_with_payment_account_share@2030=99", "Quảng Ninh")]
    assert accounts["status"] == "not_modelled" and accounts["figure"] == 100
    assert accounts["figure_year"] == 2023 and not accounts["modelled"]
    web = register.loc[("enterprises_with_website_eorders_share@2025=80", "Quảng Ninh")]
    assert web["status"] == "no_measurement"
    retail = register.loc[("ecommerce_share_of_retail@2025=10", "Quảng Ninh")]
    assert retail["status"] == "no_measurement"


def test_ended_targets_are_never_on_track(model, register):
    ended = register[register["year"] <= model.last_ended_year]
    assert not set(ended["status"]) & {"on_track", "at_risk", "off_track"}
    de = register.loc[("digital_economy_share_grdp@2025=20", "Quảng Ninh")]
    assert de["status"] == "likely_missed" and de["basis"] == "estimate"
    cashless = register.loc[("cashless_adoption@2025=50", "Quảng Ninh")]
    assert cashless["status"] == "no_measurement" and cashless["assumed"]


def test_the_central_filing_requirement_is_a_derived_target_with_its_formula(register):
    row = register.loc[("online_filing_rate@2023=56", "Quảng Ninh")]
    assert row["derived"] and row["formula"].startswith("56 = 76")


def test_seed_002_pillar_rank_of_2023_is_kept_and_flagged_uncertain(model):
    row = pick(model.obs, "dti_digital_government_rank", 2023)
    assert row["value"] == 2 and is_uncertain(row)
    assert is_uncertain(pick(model.obs, "dti_overall_rank", 2023))
    assert not is_uncertain(pick(model.obs, "dti_overall_rank", 2022))


def test_the_eight_2022_sub_indices_are_loaded(model):
    weakest = {ind: float(values_by_year(model.obs, ind)["value"].iloc[0])
               for ind in ("dti_sub_digital_society_activity", "dti_sub_cyber_security")}
    assert weakest == {"dti_sub_digital_society_activity": 0.4505,
                       "dti_sub_cyber_security": 0.5382}
    subs = model.obs[model.obs["indicator"].str.startswith("dti_sub_")]
    assert len(subs) == 40 and set(subs["kind"]) == {"external"}


def test_a_national_target_is_a_reference_beside_the_provinces_own_value(register):
    national = register.loc[("ecommerce_uptake@2025=55@viet_nam", "Việt Nam")]
    province = register.loc[("ecommerce_uptake@2025=55", "Quảng Ninh")]
    assert national["status"] == "national_reference" and national["target"] == 55
    assert np.isnan(national["probability"]) and not national["modelled"]
    assert national["province_assumed"] and national["province_value"] == province["figure"]
    assert province["sources"] == ["004_fae9ae5be1bc4fe4.txt"]  # no national source merged in
    gdp = register.loc[("digital_economy_share_gdp@2030=30@viet_nam", "Việt Nam")]
    assert gdp["figure"] == 13.17 and gdp["figure_year"] == 2024  # the country's own figure
    assert gdp["province_indicator"] == "digital_economy_share_grdp"
    assert gdp["province_basis"] == "projection" and gdp["province_year"] == 2030


def test_targets_on_unmeasured_series_carry_no_chance(model):
    from planner.targets import evaluate_targets
    evaluated = evaluate_targets(model, model.simulate(draws=400, seed=0)).set_index("target_id")
    for tid in ("ecommerce_uptake@2025=55", "cashless_adoption@2025=50"):
        assert evaluated.loc[tid, "assumed"] and np.isnan(evaluated.loc[tid, "probability"])
        assert evaluated.loc[tid, "status"] == "no_measurement"


def test_the_models_targets_are_the_provinces_alone(model):
    assert {t.geography for t in model.targets} == {"Quảng Ninh"}
    assert len({t.id for t in model.targets}) == len(model.targets)


def test_counts_of_ended_targets_leave_national_references_out(model, register):
    from planner.views import ended_summary
    flat = register.reset_index()
    line = ended_summary(flat, model.last_ended_year, "en")[0]
    ended = flat[(flat["year"] == model.last_ended_year)]
    province = ended[ended["geography"] == "Quảng Ninh"]
    assert len(province) < len(ended)
    counted = sum(int(part.split()[0]) for part in line.split(": ", 1)[1].split(" · "))
    assert counted == len(province)


def test_a_target_id_names_a_place_other_than_the_province():
    from planner.targets import target_id
    assert target_id("ecommerce_uptake", 2025, 55.0) == "ecommerce_uptake@2025=55"
    assert target_id("ecommerce_uptake", 2025, 55.0, "Việt Nam") == "ecommerce_uptake@2025=55@viet_nam"
    assert target_id("x", 2030, 1.5, "Đà Nẵng (mới)") == "x@2030=1.5@da_nang_moi"


def test_an_old_snapshots_chance_on_an_assumed_level_is_never_shown(model):
    """Snapshots saved before stored 0.3475 for the cashless target of 2025: readable, with
    their status and value, but without that chance."""
    from planner.targets import has_chance, register_of
    old = pd.DataFrame([{
        "target_id": "cashless_adoption@2025=50", "indicator": "cashless_adoption",
        "year": 2025, "target": 50.0, "projected": 44.5, "p10": 40.0, "p50": 44.5, "p90": 49.0,
        "gap": 5.5, "probability": 0.3475, "status": "no_measurement", "basis": "estimate",
        "unit": "percent", "conflict": "", "sources": ["004_fae9ae5be1bc4fe4.txt"],
        "required_path": [[2025, 50.0]]}])
    assert not has_chance(old.iloc[0].to_dict())
    reg = register_of(model.obs, model.dataset.indicators, old, None,
                      frozenset({"cashless_adoption"})).set_index("target_id")
    row = reg.loc["cashless_adoption@2025=50"]
    assert row["status"] == "no_measurement" and row["figure"] == 44.5
    assert np.isnan(row["probability"]) and row["modelled"]
    assert has_chance({"probability": 0.002, "status": "off_track", "basis": "projection"})


def test_a_memo_kept_between_scenarios_gives_the_same_register(model):
    """The figures and target rows looked up for one scenario serve the next: same register,
    memo filled once."""
    memo: dict = {}
    sims = [model.simulate(draws=200, seed=0),
            model.simulate(model.validate('{"levers": {"cashless": {"2030": 90}}}'), draws=200,
                           seed=0)]
    for sim in sims:
        pd.testing.assert_frame_equal(target_register(model, sim, memo=memo),
                                      target_register(model, sim))
    filled = dict(memo)
    figures = [key for key in filled if len(key) == 2]  # (indicator, geography)
    assert figures and all(key[0] in set(model.obs["indicator"]) for key in figures)
    answers = [key for key in filled if key[0] == "figure of"]  # (…, indicator, place, year)
    assert answers and {key[1:3] for key in answers} <= set(figures)
    # and the target rows as the data state them
    assert len(filled) == len(figures) + len(answers) + 1
    target_register(model, sims[0], memo=memo)
    assert memo.keys() == filled.keys()
    assert all(memo[key] is filled[key] for key in filled)  # looked up once, then reused
