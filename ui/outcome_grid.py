"""One fan chart per outcome, two to a row: the briefing's and the scenarios page's charts.

Each chart and its paper note (title, sources and their dates, printed under it: see
:func:`planner.figures.outcomes.chart_note`) share a box keyed ``chart_<key>``, so they print
together. Each row of two is a box of its own; keyed ``<section>_<i>`` it is a screen of its
own in presentation mode (:mod:`ui.layout_css`), so a wall shows each row whole."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import pandas as pd
import streamlit as st

from planner.figures.outcomes import CHART_HEIGHT, as_figure, by_indicator, outcome_spec
from planner.horizon import END_YEAR
from planner.ids import PILLARS, RANK
from planner.projection import PlannerResults
from planner.records import records
from planner.views import pillar_rank_line
from ui.chart_options import PLOTLY_CONFIG, PLOTLY_THEME
from ui.chart_view import live_chart
from ui.layout_css import paper_note
from ui.model import chart_note_text, history, pillar_note_text


def outcome_grid(model: PlannerResults, outcomes: Iterable[str], lang: str, *,
                 frame: pd.DataFrame, base: pd.DataFrame, targets: pd.DataFrame,
                 labels: Mapping[str, str], is_baseline: bool, key_prefix: str,
                 scenario_name: str | None = None, pillar_ranks: bool = False,
                 section: str | None = None, heading: Callable[[], None] | None = None,
                 height: int = CHART_HEIGHT, text_scale: float = 1.0,
                 in_place: bool = False) -> None:
    """Draw the fan chart of each outcome that has a projection, two to a row.

    Parameters
    ----------
    model : PlannerResults
        The model the numbers come from.
    outcomes : iterable of str
        Indicator ids, in the order drawn.
    lang : str
    frame : pandas.DataFrame
        The scenario's simulation frame (``indicator, year, value, p10, p90``).
    base : pandas.DataFrame
        The baseline projection (``indicator, year, value``).
    targets : pandas.DataFrame
        The evaluated targets (:func:`planner.targets.evaluate_targets`).
    labels : mapping
        ``{indicator: label}`` in ``lang`` (the chart titles).
    is_baseline : bool
        Whether the scenario is the baseline (then the baseline line is not drawn twice).
    key_prefix : str
        Each chart's key is ``key_prefix`` and the indicator id.
    scenario_name : str, optional
        The scenario's name in the legends (text as typed; escaped for Plotly).
    pillar_ranks : bool, optional
        Whether each pillar's rank in the settable years is written under the overall rank's
        chart (:func:`planner.views.pillar_rank_line`; the briefing's, where no other text
        gives them).
    section : str, optional
        Each row's box is keyed ``<section>_<i>`` (``i`` from 0): with a ``section_`` prefix,
        a screen of its own in presentation mode. By default the rows' boxes have no key.
    heading : callable, optional
        Draws what heads the charts, at the top of the first row's box (so it shares that
        row's screen).
    height : int, optional
        Each chart's height in pixels (taller on a wall:
        :data:`ui.layout_css.WALL_CHART_HEIGHT`).
    text_scale : float, optional
        Every chart's font sizes times this (:data:`ui.layout_css.WALL_TEXT_SCALE` on a wall).
    in_place : bool, optional
        Draw each chart with :func:`ui.chart_view.live_chart`, updated in place when its figure
        changes (the scenarios page, where every lever move changes them), instead of
        ``st.plotly_chart``.
    """
    hist = history(model)
    series = by_indicator(frame, ("year", "value", "p10", "p90"))
    base_series = by_indicator(base, ("year", "value"))
    goals: dict[str, list[dict]] = {}
    for row in records(targets):
        goals.setdefault(row["indicator"], []).append(row)
    drawn = [o for o in outcomes if o in series]
    note = pillar_note_text(model, lang, labels) if set(PILLARS) & set(drawn) else ""
    rows = [drawn[i:i + 2] for i in range(0, len(drawn), 2)]
    # the pillar note goes under the last row that holds a pillar's chart
    note_row = max((i for i, row in enumerate(rows) if set(PILLARS) & set(row)), default=-1)
    for i, row in enumerate(rows):
        with st.container(key=f"{section}_{i}" if section else None):
            if i == 0 and heading is not None:
                heading()
            for col, ind in zip(st.columns(2), row, strict=False):
                spec = outcome_spec(model, ind, lang=lang, title=labels.get(ind, ind),
                                    scenario=series[ind], baseline=base_series[ind],
                                    targets=goals.get(ind, []), history=hist[ind],
                                    is_baseline=is_baseline, scenario_name=scenario_name,
                                    height=height, text_scale=text_scale)
                with col, st.container(key=f"chart_{key_prefix}{ind}", gap=None):
                    if in_place:
                        live_chart(spec, f"{key_prefix}{ind}", labels.get(ind, ind), lang)
                    else:
                        st.plotly_chart(as_figure(spec), config=PLOTLY_CONFIG,
                                        theme=PLOTLY_THEME, key=f"{key_prefix}{ind}",
                                        width="stretch")
                    paper_note(chart_note_text(model, ind, labels.get(ind, ind), lang),
                               f"{key_prefix}{ind}")
                    if pillar_ranks and ind == RANK:  # each pillar's rank beside the overall
                        lines = (pillar_rank_line(model, frame, year, lang)
                                 for year in model.settable_years or (END_YEAR,))
                        for line in dict.fromkeys(line for line in lines if line):  # once each
                            st.caption(line)
            if note and i == note_row:  # the pillar estimates and the overall rank apart
                st.caption(note)
