"""planner.records: a frame's rows as dictionaries, and one row by indicator and year."""

from __future__ import annotations

import gc

import numpy as np
import pandas as pd

from planner import records as rec
from planner.records import records, row_of


def _frame() -> pd.DataFrame:
    return pd.DataFrame({"indicator": ["a", "a", "b", "a"], "year": [2025, 2030, 2030, 2030],
                         "value": [1.0, 2.0, 3.0, 9.0], "p10": [0.5, np.nan, 2.0, 8.0]})


def test_records_match_to_dict_on_plain_columns():
    frame = _frame().astype({"indicator": "string[pyarrow]"})
    got, want = records(frame), frame.to_dict("records")
    assert len(got) == len(want) == 4
    for g, w in zip(got, want, strict=True):
        assert g.keys() == w.keys()
        assert g["indicator"] == w["indicator"] and g["year"] == w["year"]
        assert g["value"] == w["value"]
        assert (np.isnan(g["p10"]) and np.isnan(w["p10"])) or g["p10"] == w["p10"]


def test_records_of_an_empty_frame():
    assert records(pd.DataFrame({"a": []})) == []


def test_row_of_finds_the_first_row_of_an_indicator_and_year():
    frame = _frame()
    assert row_of(frame, "a", 2030)["value"] == 2.0  # the first of two, as a filter's iloc[0]
    assert row_of(frame, "b", 2030)["value"] == 3.0
    assert row_of(frame, "b", 2025) is None
    assert row_of(frame, "c", 2030) is None


def test_row_of_indexes_each_frame_apart_and_forgets_a_frame_gone():
    one, two = _frame(), _frame().assign(value=[5.0, 6.0, 7.0, 8.0])
    assert row_of(one, "a", 2025)["value"] == 1.0
    assert row_of(two, "a", 2025)["value"] == 5.0
    key = id(two)
    assert key in rec._MEMOS
    del two
    gc.collect()
    assert key not in rec._MEMOS


def test_row_of_indexes_a_frame_of_another_length_again():
    frame = _frame()
    assert row_of(frame, "c", 2030) is None
    frame.loc[len(frame)] = ["c", 2030, 4.0, 3.0]
    assert row_of(frame, "c", 2030)["value"] == 4.0
