"""What paper gets instead of the screen's interactive parts: a table's every row as escaped
HTML, and a chart's note of its title and sources."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from planner.figures.outcomes import NOTE_SOURCES, chart_note
from planner.i18n import t
from ui.lang import NAMES, page_language_html
from ui.layout_css import shown_frame, table_html


@given(st.lists(st.text(max_size=12), min_size=1, max_size=6))
def test_table_html_holds_every_row_escaped(cells):
    frame = pd.DataFrame({"name": cells, "n": range(len(cells))})
    out = table_html(frame)
    assert out.count("<tr>") == len(cells) + 1  # the header and every row
    # no cell's text opens an element of its own
    assert out.count("<") == out.count(">")
    # each cell names its column (a phone's card reads "column: value")
    assert out.count('<td data-label="name"') == len(cells)
    assert out.count('<td data-label="n"') == len(cells)


def test_table_html_escapes_markup_and_leaves_missing_cells_empty():
    out = table_html(pd.DataFrame({"a": ["<b>x</b>", None], 'b "q"': [1.5, float("nan")]}))
    assert "<b>" not in out and "&lt;b&gt;x&lt;/b&gt;" in out
    assert '<td data-label="a"></td><td data-label="b &quot;q&quot;"></td>' in out


def test_table_html_lets_only_a_long_word_break_anywhere():
    address = "https://example.org/" + "a" * 40
    out = table_html(pd.DataFrame({"address": [address, "a short title"]}))
    assert out.count('class="long"') == 1
    assert f'<td data-label="address" class="long">{address}</td>' in out


def test_shown_frame_follows_the_grids_column_order_and_hidden_columns():
    frame = pd.DataFrame({"a": [1], "b": [2], "c": [3], "d": [4]}).set_index("a")
    assert list(shown_frame(frame, {"hide_index": True})) == ["b", "c", "d"]
    assert list(shown_frame(frame, {"hide_index": False})) == ["a", "b", "c", "d"]
    shown = shown_frame(frame, {"hide_index": True, "column_order": ["d", "x", "b", "c"],
                                      "column_config": {"c": None, "b": "B"}})
    assert list(shown) == ["d", "b"]


def test_vietnamese_page_renames_streamlits_english_accessible_names():
    script = page_language_html("vi")
    for key in NAMES:
        assert json.dumps(t(key, "en")) in script  # the English it looks for
        assert json.dumps(t(key, "vi"), ensure_ascii=False) in script  # and its Vietnamese
    english = page_language_html("en")
    assert all(json.dumps(t(key, "vi"), ensure_ascii=False) not in english
               for key in NAMES if t(key, "vi") != t(key, "en"))


def _model(assumed: bool = False):
    sources = pd.DataFrame({"id": [f"s{i}" for i in range(4)],
                            "title": ["Old report", "Newer report", "Newest report", ""],
                            "date": ["2021", "2023-07", "", "2024"]})
    return SimpleNamespace(dataset=SimpleNamespace(sources=sources),
                           is_assumed=lambda indicator: assumed)


def test_chart_note_names_the_newest_sources_with_their_dates_and_counts_the_rest():
    history = pd.DataFrame({"year": [2020, 2021, 2022, 2023],
                            "source": ["s0", "s1", "s2; s3", "s1"]})
    note = chart_note(_model(), "x", "A *title*", history, "en")
    assert note.startswith("A *title*. Source: ")
    # newest first: 2023's s1 (with its date), then 2022's s2 (no date); s3 and s0 counted
    assert "Newer report (July 2023); Newest report" in note
    assert "Old report" not in note
    assert t("chart.paper.more_sources", "en", n=4 - NOTE_SOURCES) in note


def test_chart_note_of_an_unmeasured_outcome_says_so():
    empty = pd.DataFrame(columns=["year", "source"])
    note = chart_note(_model(assumed=True), "x", "Title", empty, "vi")
    assert t("evidence.assumed_level", "vi") in note
