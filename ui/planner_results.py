"""The scenarios page's results: the 2030 headline, the targets table, the contributions.

Each function draws one part for a model, a scenario and a language passed in. The headline is
drawn first from the deterministic projection (no simulation needed) and returns the slots the
simulation fills afterwards (:func:`fill_headline`), so the 2030 numbers reach the screen first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import streamlit as st

from planner.figures.outcomes import contribution_chart
from planner.formatting import fmt_number
from planner.horizon import END_YEAR, headline_years, shown_years
from planner.i18n import t
from planner.ids import RANK
from planner.projection import PlannerResults
from planner.scenario import BASELINE, Scenario
from planner.views import (
    ahead_count,
    ahead_text,
    basis_label,
    display_outcomes,
    fmt_change_between,
    fmt_outcome,
    headline_rank,
    outcome_order,
    outcome_rows,
    pillar_rank_line,
    rank_range,
    waterfall_steps,
)
from ui.chart_options import PLOTLY_CONFIG, PLOTLY_THEME
from ui.layout_css import static_table
from ui.model import lever_contributions, values_in
from ui.status import status_rule, status_shades


def years_text(years: Sequence[int], lang: str) -> str:
    """Years in words: ``"2025, 2027 và 2030"`` / ``"2025, 2027 and 2030"``."""
    names = [str(y) for y in years]
    if len(names) < 2:
        return "".join(names)
    return t("text.years_and", lang, first=", ".join(names[:-1]), last=names[-1])


def rule_text(model: PlannerResults, scenario: Scenario, lang: str) -> str:
    """The status rule with the scenario's thresholds, in words."""
    return status_rule(lang, model.assumptions_for(scenario))


def headline(model: PlannerResults, scenario: Scenario, outcomes: Sequence[str],
             labels: Mapping[str, str], lang: str) -> dict[str, object]:
    """Draw, compactly, each outcome in the first settable year and in 2030 against the
    baseline; return the slots to fill.

    Each outcome is a row: its name, then one metric per year (the 2030 one in the container
    keyed ``headline_<outcome>``, the other in ``headline_<outcome>_<year>``), so moving a
    lever's earlier value visibly changes something.

    Returns
    -------
    dict
        ``rank`` (under the rank, for its range) and ``on_track`` (the targets still ahead that
        are on track; an ended year's targets do not count), both ``st.empty`` slots for
        :func:`fill_headline`.
    """
    years = strip_years(model)
    st.markdown(f"**{t('headline.heading', lang, years=years_text(years, lang))}**")
    now = {y: values_in(model, scenario, y) for y in years}
    then = {y: values_in(model, BASELINE, y) for y in years}
    slots: dict[str, object] = {}
    for col, y in zip(st.columns(len(years)), years, strict=True):
        # the chips compare with the baseline: said once per year, not cut beside each chip
        col.caption(f"**{y}**" if scenario.is_baseline()
                    else t("planner.year_vs_baseline", lang, year=y))
    for ind in outcomes:
        st.markdown(labels.get(ind, ind))
        for col, y in zip(st.columns(len(years)), years, strict=True):
            value = now[y][ind]
            key = f"headline_{ind}" if y == END_YEAR else f"headline_{ind}_{y}"
            with col, st.container(key=key):
                st.metric(
                    t("planner.metric_value", lang, label=labels.get(ind, ind), year=y),
                    fmt_outcome(value, ind, y, model, lang),
                    label_visibility="collapsed",
                    **change_chip(model, ind, y, value, then[y][ind], scenario, lang),
                )
        if ind == RANK:
            slots["rank"] = st.empty()
    c1, c2 = st.columns([3, 2], vertical_alignment="center")
    c1.markdown(t("targets.ahead.metric", lang))
    with c2:
        slots["on_track"] = st.empty()
    return slots


def change_chip(model: PlannerResults, indicator: str, year: int, value: float,
                baseline: float, scenario: Scenario, lang: str) -> dict[str, object]:
    """A headline metric's change against the baseline, as ``st.metric`` keyword arguments.

    The change is the difference of the two numbers as shown
    (:func:`planner.views.fmt_change_between`); the baseline itself has no chip, and a number
    the scenario leaves as shown gets a grey ``0`` without an arrow. What it is measured
    against is said once, above each year's column (``planner.year_vs_baseline``): beside each
    chip, at 1440 px, it was cut to "so với c…".
    """
    if scenario.is_baseline():
        return {}
    change = fmt_change_between(value, baseline, indicator, year, model, lang)
    same = change is None
    return {"delta": fmt_number(0, lang, 0) if same else change,
            "delta_color": "off" if same else "normal",
            "delta_arrow": "off" if same else "auto"}


def strip_years(model: PlannerResults) -> tuple[int, ...]:
    """The years the headline shows: the first settable year (if before 2030) and 2030."""
    first = model.settable_years[0] if model.settable_years else END_YEAR
    return (first, END_YEAR) if first < END_YEAR else (END_YEAR,)


def fill_headline(model: PlannerResults, slots: dict, scenario: Scenario, frame: pd.DataFrame,
                  targets: pd.DataFrame, lang: str) -> None:
    """The parts of the headline that need the simulation: rank range, targets on track."""
    ranks = rank_range(frame, END_YEAR)
    if ranks and "rank" in slots:
        with slots["rank"].container():
            st.caption(t("planner.rank_range", lang, best=ranks[0], worst=ranks[2],
                         of=model.field.size(END_YEAR)))
            pillars = pillar_rank_line(model, frame, END_YEAR, lang)
            if pillars:
                st.caption(pillars)
    good, ahead = ahead_count(targets)
    slots["on_track"].metric(t("targets.ahead.metric", lang), ahead_text(good, ahead, lang),
                             help=rule_text(model, scenario, lang),
                             label_visibility="collapsed")


# The targets table's columns in the order shown: what a target needs first, then what the
# number rests on and its range.
TABLE_COLUMNS = ("planner.table.outcome", "planner.table.year", "planner.table.projected",
                 "planner.table.target", "planner.table.status", "planner.table.probability",
                 "planner.table.gap", "outcomes.table.basis", "planner.table.range",
                 "planner.table.baseline")


def table_columns(lang: str) -> list[str]:
    """The targets table's columns in order (:data:`TABLE_COLUMNS`), in ``lang``."""
    return [t(key, lang) for key in TABLE_COLUMNS]


def outcome_table(model: PlannerResults, scenario: Scenario, frame: pd.DataFrame,
                  base: pd.DataFrame, targets: pd.DataFrame, labels: Mapping[str, str],
                  lang: str) -> None:
    """Every outcome in the headline years (:func:`planner.horizon.headline_years`: the last
    ended year and the years ahead) with what it rests on, its target, status, probability and
    range."""
    years = headline_years(model.today)
    st.markdown(f"#### {t('outcomes.table_heading', lang, years=years_text(years, lang))}")
    rows = outcome_rows(model, frame, base, targets)
    shown = display_outcomes(rows, model, lang, labels)
    shades = status_shades(shown.pop("_status"))
    order = table_columns(lang)
    order = [c for c in order if c in shown.columns] + [c for c in shown.columns
                                                         if c not in order]
    static_table(shown[order], "planner.table",
                 shades={t("planner.table.status", lang): shades}, in_place=True)
    st.caption(rule_text(model, scenario, lang))
    said: set[str] = set()  # a pillar line the same in every year is said once
    for y in years:
        ranks = rank_range(frame, y)
        if ranks:
            text = t("planner.rank_range_year", lang, year=y, rank=headline_rank(frame, y),
                     best=ranks[0], worst=ranks[2], of=model.field.size(y))
            if y <= model.last_ended_year:  # an ended year without a figure: an estimate
                text += f" ({basis_label('estimate', lang)})"
            st.markdown(text)
            pillars = pillar_rank_line(model, frame, y, lang)
            if pillars and pillars not in said:
                said.add(pillars)
                st.caption(pillars)


def contribution_panel(model: PlannerResults, scenario: Scenario, frame: pd.DataFrame,
                       base: pd.DataFrame, names: Mapping[str, str],
                       labels: Mapping[str, str], lang: str) -> None:
    """How much of an outcome's change each lever brings, as a waterfall per year.

    ``names`` is ``{lever or "assumptions": label}``, ``labels`` ``{indicator: label}``.
    """
    years = shown_years(model.today)  # the settable years, or 2030 once none is left
    st.caption(t("contrib.help", lang, years=years_text(years, lang)))
    ind = st.selectbox(t("contrib.outcome", lang), outcome_order(model), key="contrib.outcome",
                       format_func=lambda i: labels.get(i, i))
    if scenario.is_baseline():
        st.info(t("contrib.none", lang))
        return
    steps = waterfall_steps(model, ind, lever_contributions(model, scenario), base, frame,
                            names, lang, years)
    if not steps:
        st.info(t("contrib.no_years", lang, years=years_text(years, lang)))
        return
    fig = contribution_chart(title=labels.get(ind, ind), unit=model.unit_of(ind, END_YEAR),
                             lang=lang, steps=steps)
    st.plotly_chart(fig, config=PLOTLY_CONFIG, theme=PLOTLY_THEME, key="contrib.chart",
                    width="stretch")
