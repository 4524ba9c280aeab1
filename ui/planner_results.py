"""The scenarios page's results below the headline: the targets table, the contributions.

Each function draws one part for a model, a scenario and a language passed in; the headline
beside the levers is :mod:`ui.headline_strip`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import streamlit as st

from planner.figures.outcomes import contribution_chart
from planner.horizon import END_YEAR, headline_years, shown_years
from planner.i18n import t
from planner.projection import PlannerResults
from planner.scenario import Scenario
from planner.views import (
    basis_label,
    display_outcomes,
    headline_rank,
    outcome_order,
    outcome_rows,
    pillar_rank_line,
    rank_range,
    waterfall_steps,
)
from ui.chart_options import PLOTLY_CONFIG, PLOTLY_THEME
from ui.layout_css import static_table
from ui.model import lever_contributions
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


def strip_years(model: PlannerResults) -> tuple[int, ...]:
    """The years the headline shows: the first settable year (if before 2030) and 2030."""
    first = model.settable_years[0] if model.settable_years else END_YEAR
    return (first, END_YEAR) if first < END_YEAR else (END_YEAR,)


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
