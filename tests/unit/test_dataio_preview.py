"""The headline numbers before and after, and a dataset the model cannot fit."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from planner.dataio.preview import check_fit, preview, targets_frame
from planner.dataio.problems import describe
from planner.dataset import read_data_dir

DRAWS = 300


@pytest.fixture(scope="module")
def current(data_dir):
    return read_data_dir(data_dir)


def without(dataset, indicator):
    obs = dataset.observations
    keep = ~((obs["indicator"] == indicator) & (obs["geography"] == "Quảng Ninh"))
    return dataclasses.replace(
        dataset, observations=obs[keep].reset_index(drop=True), version="edited"
    )


def test_same_dataset_same_headline(current):
    result = preview(current, current, draws=DRAWS)
    assert result.problems == () and result.after == result.before
    assert 0 < result.before.dti < 1 and 0 < result.before.de_share < 100
    low, mid, high = result.before.rank
    assert 1 <= low <= mid <= high <= 63
    assert result.targets and not any(change.changed for change in result.targets)
    table = targets_frame(result)
    assert list(table["status_before"]) == list(table["status_after"])


def test_a_new_observation_moves_the_headline(current):
    obs = current.observations
    latest = obs[
        (obs["indicator"] == "digital_economy_share_grdp")
        & (obs["geography"] == "Quảng Ninh")
        & (obs["kind"] == "external")
    ]
    row = latest.sort_values("year").iloc[-1].copy()
    row["year"] = int(row["year"]) + 1
    row["value"] = float(row["value"]) + 3.0
    grown = pd.concat([obs, row.to_frame().T.astype(obs.dtypes)], ignore_index=True)
    edited = dataclasses.replace(current, observations=grown, version="edited")
    result = preview(current, edited, draws=DRAWS)
    assert result.after is not None and result.after.de_share > result.before.de_share + 1


def test_a_series_left_without_points_is_a_problem_naming_it(current):
    edited = without(current, "online_filing_rate")
    model, problems = check_fit(edited)
    assert model is None
    (problem,) = problems
    assert problem.code == "model_fit" and problem.detail["indicator"] == "online_filing_rate"
    assert "online_filing_rate" in describe(problem, "vi")
    assert "needs at least two points" in describe(problem, "en")
    result = preview(current, edited, draws=DRAWS)
    assert result.after is None and result.problems == (problem,)
    assert all(change.after is None for change in result.targets)


def test_a_fit_error_outside_a_trend_is_reported_too(current):
    _, problems = check_fit(without(current, "dti_overall"))
    assert problems[0].code == "model_fit" and "calibrate" in problems[0].detail["reason"]
