"""The compare page's views of two to four scenarios: the key, the table, charts, settings.

Each function draws for the model of the current dataset and a language passed in. Names are
user text: drawn with ``st.text`` or in table cells, and escaped for Plotly by
:func:`planner.figures.compare.compare_figure`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from planner.comparison import SLOTS, outcome_comparison
from planner.figures.compare import SLOT_COLOURS, compare_figure
from planner.figures.outcomes import chart_note, rank_field
from planner.formatting import fmt_chance
from planner.horizon import shown_years
from planner.i18n import t
from planner.ids import is_rank
from planner.projection import PlannerResults
from planner.scenario import Scenario
from planner.settings_table import settings_frame
from planner.targets import has_chance
from planner.views import (
    HEADLINE_OUTCOMES,
    MISSING,
    outcome_order,
    status_label,
)
from ui.chart_options import PLOTLY_CONFIG, PLOTLY_THEME
from ui.layout_css import paper_note, paper_table
from ui.model import get_levers, history
from ui.saved_view import fmt_change_shown, fmt_outcome_value, labels_for

CHARTS_KEY = "compare.charts"
BANDS_KEY = "compare.bands"
ALL_SETTINGS_KEY = "compare.all_settings"
HEADER_NAME_LIMIT = 40


@dataclass(frozen=True)
class Slot:
    """One compared scenario: its place, name, numbers and settings."""

    slot: str
    entry: str
    name: str
    kind: str
    frame: pd.DataFrame
    scenario: Scenario
    note: str = ""
    dataset_version: str = ""
    targets: pd.DataFrame | None = None


def truncate(text: str, limit: int = HEADER_NAME_LIMIT) -> str:
    """``text`` cut to ``limit`` characters, an ellipsis marking the cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def slot_key(slots: list[Slot], model: PlannerResults, lang: str) -> None:
    """A bordered box per scenario: its colour, letter, name (as typed) and kind."""
    cols = st.columns(len(slots))
    for col, s, colour in zip(cols, slots, SLOT_COLOURS, strict=False):
        with col, st.container(border=True, key=f"compare_slot_{s.slot}"):
            # fixed content only: the colour chip and the slot letter
            st.markdown(f'<span style="color:{colour};font-size:1.4em">■</span> '
                        f"**{s.slot}**", unsafe_allow_html=True)
            st.text(s.name)
            st.caption(t(f"compare.kind.{s.kind}", lang))
            if s.kind == "saved" and s.dataset_version != model.version:
                st.caption(t("compare.other_data", lang, version=s.dataset_version))


def column_name(s: Slot) -> str:
    """A table column's heading: the slot letter and the (cut) name."""
    return f"{s.slot} · {truncate(s.name)}"


def outcome_table(slots: list[Slot], model: PlannerResults, lang: str) -> pd.DataFrame:
    """Outcomes in the years shown (:func:`planner.horizon.shown_years`: the settable years, or
    2030 once none is left) per scenario, with differences against A, as text."""
    order = outcome_order(model)
    table = outcome_comparison([s.frame for s in slots], order, shown_years(model.today))
    labels = {s.slot: labels_for(s.dataset_version, lang) for s in slots}
    now = labels_for(str(model.version), lang)
    rows = []
    for (ind, year), group in table.groupby(["indicator", "year"], sort=False):
        by_slot = {r["slot"]: r for r in group.to_dict("records")}
        row = {t("compare.table.outcome", lang): now.indicator(ind),
               t("compare.table.year", lang): str(year)}
        first = ""
        for s in slots:
            r = by_slot[s.slot]
            shown = fmt_outcome_value(r["value"], ind, r["unit"], labels[s.slot])
            row[column_name(s)] = shown
            if s.slot == SLOTS[0]:
                first = shown
            else:  # the difference of the two numbers as shown
                row[t("compare.table.difference", lang, slot=s.slot, first=SLOTS[0])] = (
                    fmt_change_shown(shown, first, ind, r["unit"], now))
        rows.append(row)
    return pd.DataFrame(rows)


def status_cell(row: dict | None, lang: str) -> str:
    """A target's status and chance in one scenario: ``"✖ Chệch hướng · 2%"``."""
    if row is None:
        return MISSING
    status = status_label(str(row.get("status", "")), lang)
    chance = fmt_chance(row.get("probability"), lang) if has_chance(row) else MISSING
    return status if chance == MISSING else f"{status} · {chance}"


def target_table(slots: list[Slot], model: PlannerResults, lang: str) -> pd.DataFrame:
    """Each target of the settable years, with its status and chance in every scenario."""
    now = labels_for(str(model.version), lang)
    by_slot = {s.slot: {str(r["target_id"]): r for r in s.targets.to_dict("records")}
               for s in slots if s.targets is not None and not s.targets.empty}
    order = {o: i for i, o in enumerate(outcome_order(model))}
    ahead = sorted((tg for tg in model.targets if tg.year in shown_years(model.today)),
                   key=lambda tg: (order.get(tg.indicator, 99), tg.year, tg.value))
    rows = []
    for tg in ahead:
        row = {t("compare.table.outcome", lang): now.indicator(tg.indicator),
               t("compare.table.year", lang): str(tg.year),
               t("compare.target", lang): fmt_outcome_value(
                   tg.value, tg.indicator, model.unit_of(tg.indicator, tg.year), now)}
        for s in slots:
            row[column_name(s)] = status_cell(by_slot.get(s.slot, {}).get(tg.id), lang)
        rows.append(row)
    return pd.DataFrame(rows)


def charts(slots: list[Slot], model: PlannerResults, lang: str) -> None:
    """The chosen outcomes' charts, every scenario overlaid (bands on request), each line
    from the outcome's last observed year on."""
    order = list(outcome_order(model))
    now = labels_for(str(model.version), lang)
    st.session_state.setdefault(CHARTS_KEY, [o for o in HEADLINE_OUTCOMES
                                             if o in order])
    c1, c2 = st.columns([4, 1], vertical_alignment="bottom")
    chosen = c1.multiselect(t("compare.charts.outcomes", lang), order, key=CHARTS_KEY,
                            format_func=now.indicator)
    bands = c2.toggle(t("compare.charts.bands", lang), key=BANDS_KEY)
    hist = history(model)
    cols = st.columns(2)
    for i, ind in enumerate(chosen):
        # every line starts at the last observed dot: no lever moves an observed value
        start = model.anchor_year(ind)
        series = []
        for s in slots:
            rows = s.frame[(s.frame["indicator"] == ind) & (s.frame["year"] >= start)]
            series.append((s.slot, s.name, rows))
        unit = model.unit_of(ind, shown_years(model.today)[-1])
        sizes, switch = rank_field(model) if is_rank(ind) else (None, None)
        marks = sorted({(tg.year, tg.value) for tg in model.targets
                        if tg.indicator == ind and tg.year >= start})
        fig = compare_figure(indicator=ind, title=now.indicator(ind), unit=unit, lang=lang,
                             series=series, history=hist.get(ind), bands=bands,
                             field_sizes=sizes, switch_year=switch, targets=marks)
        with cols[i % 2], st.container(key=f"chart_compare_{ind}", gap=None):
            st.plotly_chart(fig, config=PLOTLY_CONFIG, theme=PLOTLY_THEME,
                            key=f"compare.chart.{ind}", width="stretch")
            empty = pd.DataFrame(columns=["year", "source"])
            paper_note(chart_note(model, ind, now.indicator(ind), hist.get(ind, empty), lang),
                       f"compare_{ind}")


def settings_table(slots: list[Slot], model: PlannerResults, lang: str) -> None:
    """The levers and assumptions that differ between the scenarios (or all of them)."""
    show_all = st.toggle(t("compare.settings.all", lang), key=ALL_SETTINGS_KEY)
    frame = settings_frame(model, get_levers(model), [s.scenario for s in slots],
                           [column_name(s) for s in slots], lang, only_differences=not show_all)
    if frame.empty:
        st.info(t("compare.settings.same", lang), icon=":material/check:")
        return
    paper_table(frame, "compare.settings_table", hide_index=True, width="stretch")
