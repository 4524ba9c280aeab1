"""The one value of a year: one rule shared by the projection, the standing and the pages."""

from __future__ import annotations

import pandas as pd

from planner.ids import history_series, values_by_year
from planner.projection import preferred_history
from planner.standing import pick
from tests.engine_support import mini_dataset

COLUMNS = ["indicator", "geography", "year", "period", "value", "unit", "kind",
           "source", "source_date", "quote", "note", "conflict"]


def _row(value, kind, source="s", source_date="2023", conflict="", year=2022, geo="Quảng Ninh"):
    return ["x", geo, year, "", value, "index_0_1", kind, source, source_date, "", "", conflict]


def test_kind_then_conflict_then_date_then_source():
    obs = pd.DataFrame([
        _row(1.0, "derived"),
        _row(2.0, "external", conflict="c"),
        _row(3.0, "external", source="b", source_date=""),
        _row(4.0, "external", source="a", source_date="2024"),
        _row(5.0, "target"),
        _row(6.0, "observed", year=2021, geo="Việt Nam"),
        _row(7.0, "derived", year=2020),
    ], columns=COLUMNS)
    rows = values_by_year(obs, "x")
    assert rows["year"].tolist() == [2020, 2022]
    assert rows["value"].tolist() == [7.0, 4.0]
    assert history_series(obs, "x").to_dict() == {2020: 7.0, 2022: 4.0}
    assert values_by_year(obs, "x", geography="Việt Nam")["value"].tolist() == [6.0]
    assert values_by_year(obs, "none").empty


def test_projection_and_standing_agree_on_every_modelled_year():
    obs = mini_dataset().observations
    for ind in set(obs["indicator"]):
        hist = preferred_history(obs, ind)
        for year, value in hist.items():
            assert float(pick(obs, ind, year)["value"]) == value
