"""The data page's values table: made once per dataset version, language and filters."""

from __future__ import annotations

import pandas as pd
import pytest

import planner.browse
import ui.data_views
from planner.browse import display_table, filter_observations, has_conflict
from planner.i18n import label
from tests.app.conftest import open_page
from ui.data import frames
from ui.data_views import values_view


@pytest.fixture
def on_loaded_db(loaded_db, monkeypatch):
    monkeypatch.setenv("PLANNER_DB", str(loaded_db))


@pytest.mark.parametrize(("lang", "filters"), [
    ("vi", {}),
    ("en", {}),
    ("en", {"search": "0,7024"}),
    ("vi", {"kinds": ["target", "external"]}),
    ("en", {"indicators": ["dti_overall"], "search": "2022"}),
])
def test_values_view_is_the_filtered_rows_sorted_by_indicator_name(on_loaded_db, lang, filters):
    data = frames()
    rows = filter_observations(data["observations"], text=filters.get("search"),
                               indicators=filters.get("indicators"), kinds=filters.get("kinds"),
                               indicator_table=data["indicators"], source_table=data["sources"])
    names = {str(r["id"]): label(r, lang) for r in data["indicators"].to_dict("records")}
    rows = rows.assign(_name=rows["indicator"].map(names)).sort_values(
        ["_name", "geography", "year", "kind"], kind="mergesort").drop(columns="_name")
    view = values_view(lang, filters.get("search", ""), filters.get("indicators", ()),
                       filters.get("kinds", ()))
    assert len(view.rows) > 0
    pd.testing.assert_frame_equal(view.rows, rows)
    pd.testing.assert_frame_equal(view.table, display_table(
        rows, lang, data["indicators"], data["units"], data["sources"]))
    assert view.conflicts == has_conflict(rows).tolist()


def test_a_new_session_finds_the_values_table_made(on_loaded_db, monkeypatch):
    made: list[int] = []

    def counted(obs, *args, **kwargs):
        if len(obs) == len(frames()["observations"]):  # the whole table, not a conflict's rows
            made.append(len(obs))
        return display_table(obs, *args, **kwargs)

    monkeypatch.setattr(planner.browse, "display_table", counted)
    monkeypatch.setattr(ui.data_views, "display_table", counted)
    ui.data_views._values.clear()
    first = open_page("data", "vi")
    second = open_page("data", "vi")
    assert not first.exception and not second.exception
    assert made == [len(frames()["observations"])]  # the second session's table was ready
