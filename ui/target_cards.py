"""The briefing's chosen scenario: its name, its settings in words, and a card per target.

Every function takes the computation (:class:`ui.scenario_state.Computation`) and the language
it draws for; nothing is read from a page's globals.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from planner.formatting import fmt_value
from planner.i18n import label, t, text_of
from planner.usertext import escape_markdown
from planner.views import basis_label, fmt_gap, fmt_outcome
from ui.model import model_facts
from ui.scenario_state import Computation
from ui.sources import render_source
from ui.status import status_line


def scenario_name(calc: Computation, lang: str) -> str:
    """The scenario's name as typed (a saved one's) or from the catalogue; plain text."""
    if calc.opened is not None:
        return calc.opened.name(lang)
    if calc.scenario.is_baseline():
        return t("briefing.scenario.baseline_name", lang)
    return t("briefing.scenario.open_name", lang)


def scenario_heading(calc: Computation, lang: str) -> str:
    """The section's heading, as Markdown (a typed name escaped)."""
    name = scenario_name(calc, lang)
    if calc.opened is not None:  # typed by a person: text; the catalogue's names are Markdown
        name = escape_markdown(name)
    return t("briefing.scenario.heading", lang, name=name)


def settings_summary(calc: Computation, lang: str) -> str:
    """The levers and assumptions the scenario sets, in words (``; ``-separated)."""
    model, scenario = calc.model, calc.scenario
    units = model.dataset.units
    parts = []
    for lid, path in sorted(scenario.levers.items()):
        lv = model.levers[lid]
        name = lv.label_en if lang == "en" else lv.label_vi
        for year, value in sorted(path.items()):
            parts.append(t("briefing.scenario.setting", lang, name=name, year=year,
                           value=fmt_value(value, lv.unit, lang, units)))
    frame = model.assumptions.frame().set_index("id")
    for aid, value in sorted(scenario.overrides.items()):
        parts.append(t("briefing.scenario.override", lang, name=label(frame.loc[aid], lang),
                       value=fmt_value(value, str(frame.loc[aid, "unit"]), lang, units)))
    return "; ".join(parts)


def how_it_is_made(calc: Computation, lang: str) -> str:
    """What the numbers rest on: dataset and model versions, draws and seed."""
    return t("briefing.scenario.how_text", lang,
             **model_facts(calc.model, calc.draws, calc.seed))


def _target_sources(row: dict, data: dict[str, pd.DataFrame], lang: str) -> None:
    """The rows stating one target, each with its source and quote."""
    rows = data["observations"]
    stated = rows[(rows["indicator"] == row["indicator"]) & (rows["kind"] == "target")
                  & (rows["year"] == row["year"]) & (rows["value"] == row["target"])]
    for j, (_, goal) in enumerate(stated.iterrows()):
        if j:
            st.divider()
        value = fmt_value(goal["value"], str(goal["unit"]), lang, data["units"])
        text = t("briefing.scenario.target_source", lang, value=value, year=int(goal["year"]))
        st.markdown(f"**{text}**")
        render_source(goal, lang, data["sources"], data["units"])


def card_label(row: dict, indicator_label: str, lang: str) -> str:
    """A card's name: the value's year and what it is (a figure, an ended year's estimate, a
    projection)."""
    year, basis = int(row["year"]), str(row["basis"])
    if basis == "observed":
        return t("card.observed", lang, label=indicator_label, year=year)
    if basis == "estimate":
        return t("card.estimate", lang, label=indicator_label, year=year)
    return t("briefing.scenario.card_label", lang, label=indicator_label, year=year)


def assumption_popover(indicator: str, calc: Computation, lang: str, key: str) -> None:
    """The assumptions an unmeasured indicator's path rests on, one click away, with a link to
    the assumptions panel of the scenarios page."""
    model = calc.model
    row = model.model_rows.get(indicator)
    ids = [str(getattr(row, name)).strip() for name in ("level_assumption", "growth_assumption")
           if row is not None and isinstance(getattr(row, name, None), str)
           and str(getattr(row, name)).strip()]
    frame = model.assumptions.frame().set_index("id")
    units = model.dataset.units
    over = model.assumptions_for(calc.scenario)
    with st.popover(t("card.assumption_button", lang), icon=":material/tune:",
                    type="tertiary", key=key):
        for aid in ids:
            if aid not in frame.index:
                continue
            a = frame.loc[aid]
            unit = str(a["unit"])
            st.markdown(t("card.assumption_line", lang,
                          label=escape_markdown(label(a, lang)),
                          value=fmt_value(over.value(aid), unit, lang, units),
                          low=fmt_value(float(a["low"]), unit, lang, units),
                          high=fmt_value(float(a["high"]), unit, lang, units)))
            st.caption(text_of(a, "rationale", lang))
        st.page_link("app_pages/planner_page.py", label=t("card.assumptions_link", lang),
                     icon=":material/tune:")


def target_card(row: dict, i: int, calc: Computation, data: dict[str, pd.DataFrame],
                labels: dict[str, str], lang: str) -> None:
    """One target's card: projected value, status, gap, 10-90% range and sources.

    Parameters
    ----------
    row : dict
        A row of :func:`planner.views.headline_targets`.
    i : int
        The card's place (for widget keys).
    calc : Computation
        What the numbers are computed with.
    data : dict of pandas.DataFrame
        :func:`ui.data.frames` of the dataset version the numbers are computed on.
    labels : dict
        ``{indicator: label}`` in ``lang``.
    lang : str
    """
    model = calc.model
    ind, year = row["indicator"], int(row["year"])
    with st.container(border=True, key=f"target_card_{i}"):
        assumed = bool(row.get("assumed", False))
        name = card_label(row, labels.get(ind, ind), lang)
        # the label above the number wraps on narrow screens (a metric label would be cut)
        st.markdown(f"**{escape_markdown(name)}**")
        st.metric(name, fmt_outcome(row["projected"], ind, year, model, lang),
                  label_visibility="collapsed")
        status_line(str(row["status"]), float(row["probability"]), lang,
                    basis=str(row["basis"]), assumed=assumed)
        target = escape_markdown(fmt_outcome(row["target"], ind, year, model, lang))
        if assumed:  # not evidence: what the assumption implies against what the target needs
            st.markdown(t("card.assumed", lang, target=target, value=escape_markdown(
                fmt_outcome(row["projected"], ind, year, model, lang))))
        else:
            gap = (t("planner.table.reached", lang) if row["reached"] else
                   t("planner.table.short_by", lang,
                     gap=fmt_gap(row["gap"], ind, year, model, lang)))
            st.markdown(t("briefing.scenario.target_line", lang, target=target,
                          gap=escape_markdown(gap)))
        if row["conflict"]:  # why two cards of one outcome and year: the sources differ
            st.caption(t("briefing.scenario.conflict", lang))
        # what the value rests on, its range, caveats and sources: one click away
        with st.popover(t("card.details", lang), icon=":material/info:",
                        type="tertiary", key=f"target_src_{i}"):
            st.caption(basis_label(str(row["basis"]), lang, assumed))
            if not assumed:
                st.caption(t("briefing.scenario.range_line", lang,
                             low=fmt_outcome(row["p10"], ind, year, model, lang),
                             high=fmt_outcome(row["p90"], ind, year, model, lang)))
            if row.get("caveat"):
                st.caption(f"⚠ {t(str(row['caveat']), lang)}")
            st.markdown(f"**{t('briefing.scenario.how', lang)}**")
            st.markdown(how_it_is_made(calc, lang))
            st.divider()
            _target_sources(row, data, lang)
        if assumed:
            assumption_popover(ind, calc, lang, key=f"target_assumption_{i}")


def target_cards(cards: pd.DataFrame, calc: Computation, data: dict[str, pd.DataFrame],
                 labels: dict[str, str], lang: str) -> None:
    """The cards in rows of three (they stack on a phone), in one container keyed
    ``briefing_cards``; each card is keyed ``target_card_<i>``; see :func:`target_card`."""
    rows = cards.to_dict("records")
    with st.container(key="briefing_cards"):
        for start in range(0, len(rows), 3):
            for j, col in enumerate(st.columns(3)):
                if start + j < len(rows):
                    with col:
                        target_card(rows[start + j], start + j, calc, data, labels, lang)
