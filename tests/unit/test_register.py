"""Every target row of the real data is in the register, evaluated; the data fixes of issue 11."""

from __future__ import annotations

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
