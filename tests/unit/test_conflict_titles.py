"""Conflict groups carry a readable title in both languages."""

import pandas as pd
import pytest

from planner.browse import conflict_groups, conflict_title
from planner.dataset import read_data_dir


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_conflict_of_the_data_has_a_title_that_is_not_its_id(lang):
    ds = read_data_dir("data")
    for cid in conflict_groups(ds.observations):
        title = conflict_title(cid, lang, ds.observations, ds.indicators)
        assert title and cid not in title and "_" not in title


def test_titles_differ_by_language():
    assert conflict_title("de_target_2030", "vi") != conflict_title("de_target_2030", "en")
    assert "35" in conflict_title("de_target_2030", "en")


def test_unknown_id_gets_a_title_from_its_rows():
    obs = pd.DataFrame({"indicator": ["x", "x"], "year": [2023, 2023], "value": [70.0, 80.0],
                        "unit": ["percent", "percent"], "conflict": ["new_one", "new_one"]})
    ind = pd.DataFrame({"id": ["x"], "label_vi": ["Chỉ số X"], "label_en": ["Index X"]})
    assert conflict_title("new_one", "en", obs, ind) == "Index X 2023: 70% / 80%"
    assert conflict_title("new_one", "vi", obs, ind).startswith("Chỉ số X 2023")
