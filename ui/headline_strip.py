"""The scenarios page's headline beside the levers: one custom component, updated in place.

Each headline outcome in the first settable year and 2030 against the baseline, the rank's
10–90% range and each pillar's rank under the rank, and the targets ahead on track. It was a
grid of ``st.metric`` elements (41 of them a lever move, each re-sent and re-rendered); as one
component (``st.components.v2``, inline HTML, CSS and JavaScript, nothing fetched) a move sends
one message and the browser swaps the new box in for the old one, in one step. Every text is made here, in the page's
language (:func:`strip_data`); ``headline/strip.js`` only lays them out. The scenarios page adds
``settled``, the lever values the numbers are for (:func:`ui.lever_panel.panel_values`): the
script hands them to the lever panel in the browser, which a move does not rerun.

In the page each number has ``data-testid="headline-<outcome>-<year>"`` and its change against
the baseline ``data-testid="headline-delta-<outcome>-<year>"``; an AppTest reads the component's
data (:data:`STRIP_COMPONENT`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from planner.formatting import fmt_number
from planner.horizon import END_YEAR
from planner.i18n import t
from planner.ids import RANK
from planner.projection import PlannerResults
from planner.scenario import BASELINE, Scenario
from planner.views import (
    ahead_count,
    ahead_text,
    fmt_change_between,
    fmt_outcome,
    pillar_rank_line,
    rank_range,
)
from ui.model import values_in
from ui.planner_results import rule_text, strip_years, years_text

STRIP_COMPONENT = "planner_headline"
"""The component's name."""

_HERE = Path(__file__).parent / "headline"
_COMPONENT = st.components.v2.component(
    STRIP_COMPONENT,
    css=(_HERE / "strip.css").read_text(encoding="utf-8"),
    js=(_HERE / "strip.js").read_text(encoding="utf-8"),
)


def change(model: PlannerResults, indicator: str, year: int, value: float, baseline: float,
           scenario: Scenario, lang: str) -> dict[str, str] | None:
    """A headline number's change against the baseline: ``{"text", "tone"}``, or ``None`` for
    the baseline itself.

    The change is the difference of the two numbers as shown
    (:func:`planner.views.fmt_change_between`: a rank in places gained, so a worse rank reads
    ``-N``). ``tone`` is ``"up"`` (green) or ``"down"`` (red) by its sign, and ``"same"`` (a grey
    ``0``, no arrow) when the scenario leaves the number as shown. What it is measured against
    is said once, above each year's column (``planner.year_vs_baseline``): beside each chip, at
    1440 px, it was cut to "so với c…".
    """
    if scenario.is_baseline():
        return None
    text = fmt_change_between(value, baseline, indicator, year, model, lang)
    if text is None:
        return {"text": fmt_number(0, lang, 0), "tone": "same"}
    return {"text": text, "tone": "down" if text.startswith("-") else "up"}


def strip_data(model: PlannerResults, scenario: Scenario, outcomes: Sequence[str],
               frame: pd.DataFrame, targets: pd.DataFrame, labels: Mapping[str, str],
               lang: str) -> dict[str, Any]:
    """What the component shows, every text in ``lang``.

    Parameters
    ----------
    model : PlannerResults
    scenario : Scenario
        The scenario shown (its numbers from the deterministic projection, which is the middle
        of the draws: :mod:`planner.projection`).
    outcomes : sequence of str
        The headline outcomes, in order.
    frame, targets : pandas.DataFrame
        The scenario's simulation frame (the rank's range) and evaluated targets (those ahead
        on track).
    labels : mapping
        ``{indicator: label}`` in ``lang``.
    lang : str

    Returns
    -------
    dict
        ``heading``; ``columns`` (per year: ``year`` and ``caption``, which may hold ``**bold**``);
        ``rows`` (per outcome: ``id``, ``label``, ``cells`` and ``notes``; a cell holds ``year``,
        ``name`` (its accessible name), ``value`` and ``change`` (:func:`change`)); ``on_track``
        (``label``, ``value``, ``help``).
    """
    years = strip_years(model)
    now = {y: values_in(model, scenario, y) for y in years}
    then = {y: values_in(model, BASELINE, y) for y in years}
    rows = []
    for ind in outcomes:
        name = labels.get(ind, ind)
        cells = [{"year": y, "name": t("planner.metric_value", lang, label=name, year=y),
                  "value": fmt_outcome(now[y][ind], ind, y, model, lang),
                  "change": change(model, ind, y, now[y][ind], then[y][ind], scenario, lang)}
                 for y in years]
        rows.append({"id": ind, "label": name, "cells": cells,
                     "notes": rank_notes(model, frame, lang) if ind == RANK else []})
    good, ahead = ahead_count(targets)
    return {
        "heading": t("headline.heading", lang, years=years_text(years, lang)),
        "columns": [{"year": y, "caption": f"**{y}**" if scenario.is_baseline()
                     else t("planner.year_vs_baseline", lang, year=y)} for y in years],
        "rows": rows,
        "on_track": {"label": t("targets.ahead.metric", lang),
                     "value": ahead_text(good, ahead, lang),
                     "help": rule_text(model, scenario, lang)},
    }


def rank_notes(model: PlannerResults, frame: pd.DataFrame, lang: str) -> list[str]:
    """Under the rank: its 10–90% range in 2030 and each pillar's rank (or why none is shown)."""
    ranks = rank_range(frame, END_YEAR)
    if not ranks:
        return []
    notes = [t("planner.rank_range", lang, best=ranks[0], worst=ranks[2],
               of=model.field.size(END_YEAR))]
    pillars = pillar_rank_line(model, frame, END_YEAR, lang)
    return notes + [pillars] if pillars else notes


def headline_strip(data: dict[str, Any], key: str) -> None:
    """Mount the component keyed ``key`` (always the same key: a move updates it in place)
    with :func:`strip_data`."""
    _COMPONENT(key=key, data=data, height="content")
