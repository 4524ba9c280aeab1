"""The briefing's chosen scenario: its name, its settings in words, and a card per target.

Every function takes the computation (:class:`ui.scenario_state.Computation`) and the language
it draws for; nothing is read from a page's globals.
"""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from planner.formatting import fmt_chance, fmt_value, is_missing
from planner.i18n import label, t, text_of
from planner.outlook import lever_settings, source_short
from planner.usertext import escape_markdown
from planner.views import basis_label, fmt_change_between, fmt_gap_between, fmt_outcome
from ui.model import model_facts
from ui.scenario_state import Computation
from ui.sources import render_source
from ui.status import status_chip_html, status_note


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


def settings_summary(calc: Computation, lang: str, baseline: pd.DataFrame) -> str:
    """The levers and assumptions the scenario sets, in words (``; ``-separated), each with the
    baseline's value beside it: ``cashless 2027: 66% (trend 57.2%)``.

    Parameters
    ----------
    calc : Computation
    lang : str
    baseline : pandas.DataFrame
        The baseline's projection (``indicator, year, value``).
    """
    model, scenario = calc.model, calc.scenario
    units = model.dataset.units
    parts = []
    for s in lever_settings(model, scenario, baseline):
        lv = model.levers[s.lever]
        name = lv.label_en if lang == "en" else lv.label_vi
        parts.append(t("outlook.setting", lang, name=name, year=s.year,
                       value=fmt_outcome(s.value, s.indicator, s.year, model, lang),
                       trend=fmt_outcome(s.trend, s.indicator, s.year, model, lang)))
    frame = model.assumptions.frame().set_index("id")
    for aid, value in sorted(scenario.overrides.items()):
        unit = str(frame.loc[aid, "unit"])
        parts.append(t("outlook.override", lang, name=label(frame.loc[aid], lang),
                       value=fmt_value(value, unit, lang, units),
                       base=fmt_value(float(frame.loc[aid, "value"]), unit, lang, units)))
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


def target_mark(row: dict, model, sources: pd.DataFrame, lang: str) -> str:
    """One target's line on a card, as HTML: its status chip (colour, icon and word), its value,
    where it is stated (:func:`planner.outlook.source_short`) and its chance in a few words."""
    ind, year = row["indicator"], int(row["year"])
    target = fmt_outcome(row["target"], ind, year, model, lang)
    parts = [f'<b class="nb">{html.escape(target)}</b>']
    short = source_short(list(row.get("sources") or []), sources)
    if short:
        parts.append(f'<span class="nb">{html.escape(short)}</span>')
    basis, assumed = str(row["basis"]), bool(row.get("assumed", False))
    p = float(row["probability"]) if not is_missing(row.get("probability")) else None
    if basis == "observed":
        parts.append(html.escape(t("card.by_figure", lang)))
    elif not assumed and p is not None:
        key = "card.estimate_chance" if basis == "estimate" else "card.chance"
        parts.append(html.escape(t(key, lang, p=fmt_chance(p, lang))))
    chip = status_chip_html(str(row["status"]), lang)
    return f'<div class="card-target">{chip} {" · ".join(parts)}</div>'


def target_card(rows: list[dict], i: int, calc: Computation, data: dict[str, pd.DataFrame],
                labels: dict[str, str], lang: str, base: float | None = None) -> None:
    """One card of an indicator and year: its value, the change against the baseline as shown,
    and each target stated for it, marked; the range, gaps, caveats and sources one click away.

    Parameters
    ----------
    rows : list of dict
        The rows of :func:`planner.views.headline_targets` of one indicator and year
        (:func:`planner.outlook.card_groups`), lowest target first.
    i : int
        The card's place (for widget keys).
    calc : Computation
        What the numbers are computed with.
    data : dict of pandas.DataFrame
        :func:`ui.data.frames` of the dataset version the numbers are computed on.
    labels : dict
        ``{indicator: label}`` in ``lang``.
    lang : str
    base : float, optional
        The baseline's value of that indicator and year; without it (the baseline itself) no
        change is shown.
    """
    model = calc.model
    row = rows[0]
    ind, year = row["indicator"], int(row["year"])
    assumed = bool(row.get("assumed", False))
    with st.container(border=True, key=f"target_card_{i}"):
        name = card_label(row, labels.get(ind, ind), lang)
        # the label above the number wraps on narrow screens (a metric label would be cut)
        st.markdown(f"**{escape_markdown(name)}**")
        delta = (None if base is None else
                 fmt_change_between(row["projected"], base, ind, year, model, lang))
        st.metric(name, fmt_outcome(row["projected"], ind, year, model, lang),
                  delta=delta, label_visibility="collapsed")
        st.markdown("".join(target_mark(r, model, data["sources"], lang) for r in rows),
                    unsafe_allow_html=True)
        # what the value rests on, its range, each target's gap, caveats and sources: one click
        buttons = st.container(horizontal=True, key=f"target_buttons_{i}")
        with buttons, st.popover(t("card.details", lang), icon=":material/info:",
                        type="tertiary", key=f"target_src_{i}"):
            st.caption(basis_label(str(row["basis"]), lang, assumed))
            if not assumed:
                st.caption(t("briefing.scenario.range_line", lang,
                             low=fmt_outcome(row["p10"], ind, year, model, lang),
                             high=fmt_outcome(row["p90"], ind, year, model, lang)))
            for r in rows:
                target = escape_markdown(fmt_outcome(r["target"], ind, year, model, lang))
                if assumed:  # not evidence: what the assumption implies against the target
                    st.markdown(t("card.assumed", lang, target=target, value=escape_markdown(
                        fmt_outcome(r["projected"], ind, year, model, lang))))
                else:
                    gap = (t("planner.table.reached", lang) if r["reached"] else
                           t("planner.table.short_by", lang,
                             gap=fmt_gap_between(r["projected"], r["target"], ind,
                                                   year, model, lang)))
                    st.markdown(t("briefing.scenario.target_line", lang, target=target,
                                  gap=escape_markdown(gap)))
                st.caption(status_note(float(r["probability"]), lang, str(r["basis"]), assumed))
            if any(r["conflict"] for r in rows):  # why two targets: the sources differ
                st.caption(t("briefing.scenario.conflict", lang))
            if row.get("caveat"):
                st.caption(f"⚠ {t(str(row['caveat']), lang)}")
            st.markdown(f"**{t('briefing.scenario.how', lang)}**")
            st.markdown(how_it_is_made(calc, lang))
            for r in rows:
                st.divider()
                _target_sources(r, data, lang)
        if assumed:
            with buttons:
                assumption_popover(ind, calc, lang, key=f"target_assumption_{i}")


def card_changed(group: pd.DataFrame, base_values: dict[tuple[int, str], float], model,
                 lang: str) -> bool:
    """Whether a card's value (a group of :func:`planner.outlook.card_groups`) differs from the
    baseline's value of its ``(year, indicator)`` as shown."""
    row = group.iloc[0]
    base = base_values.get((int(row["year"]), str(row["indicator"])))
    return base is not None and fmt_change_between(
        row["projected"], base, str(row["indicator"]), int(row["year"]), model, lang) is not None


CARDS_PER_ROW = 5
"""Most cards side by side: five fit one row at 1440 px, so the first screen holds them."""


def target_cards(groups: list[pd.DataFrame], calc: Computation, data: dict[str, pd.DataFrame],
                 labels: dict[str, str], lang: str,
                 base: dict[tuple[int, str], float] | None = None) -> None:
    """The cards, one per indicator and year, side by side (they stack on a phone), in one
    container keyed ``briefing_cards``; each card is keyed ``target_card_<i>``; see
    :func:`target_card`. ``base`` maps ``(year, indicator)`` to the baseline's value (omitted on
    the baseline itself)."""
    per_row = max(1, min(CARDS_PER_ROW, len(groups)))
    with st.container(key="briefing_cards"):
        for start in range(0, len(groups), per_row):
            for j, col in enumerate(st.columns(per_row)):
                if start + j < len(groups):
                    rows = groups[start + j].to_dict("records")
                    key = (int(rows[0]["year"]), str(rows[0]["indicator"]))
                    with col:
                        target_card(rows, start + j, calc, data, labels, lang,
                                    None if base is None else base.get(key))
