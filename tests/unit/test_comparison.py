"""Scenarios side by side (planner.comparison) and user text made safe (planner.usertext)."""

from __future__ import annotations

import html
import math
import re

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.comparison import SLOTS, outcome_comparison, setting_differences
from planner.scenario import BASELINE, Scenario
from planner.usertext import escape_markdown, plain_label


def frame(rows):
    return pd.DataFrame(rows, columns=["indicator", "year", "value", "p10", "p90", "unit"])


A = frame([("dti_overall", 2027, 0.75, 0.72, 0.78, "index_0_1"),
           ("dti_overall", 2030, 0.82, 0.75, 0.90, "index_0_1"),
           ("dti_overall_rank", 2027, 12.4, 3.0, 17.0, "rank_of_34"),
           ("dti_overall", 2024, 0.70, 0.70, 0.70, "index_0_1")])
B = frame([("dti_overall", 2027, 0.77, 0.74, 0.80, "index_0_1"),
           ("dti_overall", 2030, 0.80, 0.73, 0.88, "index_0_1"),
           ("dti_overall_rank", 2027, 10.6, 2.0, 15.0, "rank_of_34")])


def test_outcomes_line_up_with_differences_against_the_first():
    out = outcome_comparison([A, B], ["dti_overall", "dti_overall_rank"])
    assert list(out.columns) == ["indicator", "year", "unit", "slot", "value", "p10", "p90",
                                 "difference"]
    assert len(out) == 6  # 3 outcome-years (2024 left out) x 2 slots
    b2027 = out[(out["indicator"] == "dti_overall") & (out["year"] == 2027)
                & (out["slot"] == "B")].iloc[0]
    assert b2027["difference"] == pytest.approx(0.02)
    assert (out[out["slot"] == "A"]["difference"] == 0).all()
    # a rank's difference is places gained between whole ranks: A 12th, B 11th is +1
    rank = out[(out["indicator"] == "dti_overall_rank") & (out["slot"] == "B")].iloc[0]
    assert rank["difference"] == 1


def test_missing_outcome_years_are_nan_and_order_is_kept():
    c = frame([("dti_overall", 2030, 0.9, 0.8, 1.0, "index_0_1")])
    out = outcome_comparison([A, c], ["dti_overall_rank", "dti_overall"])
    assert list(dict.fromkeys(out["indicator"])) == ["dti_overall_rank", "dti_overall"]
    missing = out[(out["indicator"] == "dti_overall") & (out["year"] == 2027)
                  & (out["slot"] == "B")].iloc[0]
    assert math.isnan(missing["value"]) and math.isnan(missing["difference"])


def test_at_most_four_scenarios():
    with pytest.raises(ValueError):
        outcome_comparison([A] * (len(SLOTS) + 1), ["dti_overall"])


def test_settings_that_differ():
    s1 = Scenario({"online_filing": {2027: 90.0}}, {})
    s2 = Scenario({"online_filing": {2027: 90.0}, "cashless": {2030: 70.0}}, {"x": 0.4})
    out = setting_differences([BASELINE, s1, s2], ["online_filing", "cashless"], ["x", "y"])
    assert len(out) == 5  # 2 levers x 2 years + one overridden assumption
    row = out[(out["id"] == "online_filing") & (out["year"] == 2027)].iloc[0]
    assert math.isnan(row["values"][0]) and row["values"][1:] == (90.0, 90.0)
    assert bool(row["differs"])
    same = out[(out["id"] == "online_filing") & (out["year"] == 2030)].iloc[0]
    assert not bool(same["differs"])
    x = out[out["kind"] == "assumption"].iloc[0]
    assert x["id"] == "x" and bool(x["differs"])
    assert not setting_differences([s1, s1], ["online_filing"], [])["differs"].any()


HOSTILE = ["<img src=x onerror=alert(1)>", "**bold** [x](javascript:alert(1))",
           ":red[x] $x$ `code` # h", "a_b_c *i* ~~s~~ | t |", "&lt;b&gt;"]


JOINER = "\u2060"  # the invisible word joiner escape_markdown puts in addresses


def _unescape(text: str) -> str:
    return html.unescape(re.sub(r"\\(.)", r"\1", text.replace("  \n", "\n"))).replace(JOINER, "")


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_markdown_has_no_markup_left(text):
    out = escape_markdown(text)
    assert "<" not in out and ">" not in out
    # every Markdown-active character is escaped
    assert not re.search(r"(?<!\\)[*_`\[\]()#|~:$]", out), out
    assert _unescape(out) == text


@given(st.text(max_size=80))
def test_escaping_keeps_the_text(text):
    expected = "" if not text.strip() else text.replace("\r\n", "\n").replace(JOINER, "")
    assert _unescape(escape_markdown(text)) == expected  # blank text shows nothing


def test_plotly_labels_are_escaped_and_cut():
    assert plain_label("<b>x</b>") == "&lt;b&gt;x&lt;/b&gt;"
    assert plain_label("abcdef", 4) == "abc…"
    assert plain_label(None) == ""
