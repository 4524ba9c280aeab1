"""A saved scenario that today's model cannot reproduce, shown by its stored numbers.

A scenario saved under another model version, or with a setting for a year that has since
ended, keeps its word: wherever it opens (``/planner?s=``, ``/briefing?s=``, ``/saved?s=``) the
page shows its stored snapshot exactly (:func:`ui.saved_view.render_snapshot`), says the model
changed since, and compares it with today's model (:func:`planner.saved.compare_with_current`,
whose problems name the settings that no longer apply).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from planner.horizon import headline_years
from planner.i18n import t
from planner.projection import MODEL_VERSION, PlannerResults
from planner.saved import SavedScenario, compare_with_current, get_scenario
from planner.usertext import escape_markdown
from ui.data import get_store
from ui.link_messages import problem_text
from ui.saved_view import fmt_change_shown, fmt_outcome_value, labels_for, render_snapshot


def snapshot_notice(name: str, saved_model_version: str, lang: str) -> None:
    """Say that the numbers below are those saved, and why today's model differs."""
    name = escape_markdown(name)
    if saved_model_version != MODEL_VERSION:
        st.info(t("snapshot.notice", lang, name=name, saved=saved_model_version,
                  current=MODEL_VERSION), icon=":material/history:")
    else:
        st.info(t("snapshot.ended_notice", lang, name=name), icon=":material/history:")


def current_comparison(saved: SavedScenario, model: PlannerResults, lang: str, key: str,
                       expanded: bool = False) -> None:
    """The saved scenario computed again with today's model and data, against its saved
    numbers; first the settings that no longer apply, each in words.

    Parameters
    ----------
    saved : SavedScenario
    model : PlannerResults
        Fitted on the current dataset.
    lang : str
    key : str
        Prefix of the containers' keys (``<key>_problems``, ``<key>_table``).
    expanded : bool, optional
        Whether the panel starts open.
    """
    with st.expander(t("saved.current.heading", lang), icon=":material/compare_arrows:",
                     expanded=expanded):
        st.caption(t("saved.current.help", lang))
        result = compare_with_current(get_store(), saved, model)
        if result.problems:
            st.markdown(t("snapshot.no_longer", lang) if result.ok
                        else t("saved.current.invalid", lang))
            with st.container(key=f"{key}_problems"):
                for p in result.problems:
                    st.markdown(f"- {problem_text(p, lang)}")
        if not result.ok or result.differences is None:
            return
        rows = comparison_rows(result.differences, saved.dataset_version,
                               result.dataset_version, lang)
        with st.container(key=f"{key}_table"):
            st.table(pd.DataFrame(rows).set_index(t("saved.table.outcome", lang)))


def comparison_rows(differences: pd.DataFrame, saved_version: str, current_version: str,
                    lang: str, years: tuple[int, ...] | None = None) -> list[dict[str, Any]]:
    """The rows of the comparison table: outcome, year, saved, today, difference (text), in
    ``years`` (by default today's headline years, :func:`planner.horizon.headline_years`)."""
    years = headline_years() if years is None else years
    labels_saved = labels_for(saved_version, lang)
    labels_now = labels_for(current_version, lang)
    rows = []
    for r in differences.to_dict("records"):
        if int(r["year"]) not in years:
            continue
        ind, unit = str(r["indicator"]), str(r["unit"])
        saved_text = fmt_outcome_value(r["saved"], ind, unit, labels_saved)
        now_text = fmt_outcome_value(r["current"], ind, unit, labels_now)
        rows.append({
            t("saved.table.outcome", lang): labels_now.indicator(ind),
            t("saved.table.year", lang): str(int(r["year"])),
            t("saved.current.saved", lang): saved_text,
            t("saved.current.now", lang): now_text,
            # the difference of the two numbers as shown
            t("saved.current.difference", lang): fmt_change_shown(now_text, saved_text, ind,
                                                                  unit, labels_now),
        })
    return rows


def show_saved_snapshot(name: str, saved: SavedScenario, snap: Mapping[str, Any],
                        model: PlannerResults, lang: str, key: str) -> None:
    """The notice, the stored numbers exactly, and the comparison with today's model."""
    snapshot_notice(name, saved.model_version, lang)
    st.subheader(t("snapshot.heading", lang))
    render_snapshot(snap, lang, key=key)
    current_comparison(saved, model, lang, key=f"{key}_current", expanded=True)


def show_frozen(opened_id: str, name: str, current_model: PlannerResults, lang: str,
                key: str) -> None:
    """:func:`show_saved_snapshot` of the saved scenario ``opened_id`` (a frozen computation,
    :attr:`ui.scenario_state.Computation.frozen`), read from the store."""
    saved = get_scenario(get_store(), opened_id)
    show_saved_snapshot(name, saved, saved.snapshot, current_model, lang, key)
