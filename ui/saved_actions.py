"""What can be done with a saved or ready-made scenario on the saved page, and the messages
that result: details, open on another page, copy the link, duplicate, delete.

Duplicate and delete run in callbacks, before the page is drawn; their outcome is kept with
:func:`flash` and shown by :func:`show_flash` in the run that follows.
"""

from __future__ import annotations

import streamlit as st

from planner.i18n import t
from planner.links import SCENARIO_KEY
from planner.projection import PlannerResults
from planner.saved import (
    DEFAULT_DRAWS,
    DEFAULT_SEED,
    NAME_MAX,
    SavedScenarioError,
    delete_scenario,
    get_scenario,
    save_scenario,
)
from planner.scenario import ScenarioError
from planner.usertext import escape_markdown
from ui.data import get_store
from ui.link_messages import page_url, saved_error_texts
from ui.save_form import remember_result, short_link

URL_PATH = "saved"
FLASH_KEY = "saved.flash"
COPY_PREFIX = "saved.copy"


def flash(kind: str, text: str) -> None:
    """Keep a message for the next run (actions run in callbacks, before the page)."""
    st.session_state.setdefault(FLASH_KEY, []).append((kind, text))


def show_flash() -> None:
    """Show the messages kept by :func:`flash`, once."""
    for kind, text in st.session_state.pop(FLASH_KEY, []):
        if kind == "success":
            st.success(text, icon=":material/check_circle:")
        else:
            st.error(text, icon=":material/error:")


def open_details(scenario_id: str) -> None:
    """Show a scenario's details (its id in the address)."""
    st.query_params[SCENARIO_KEY] = scenario_id


def close_details() -> None:
    """Back to the list."""
    if SCENARIO_KEY in st.query_params:
        del st.query_params[SCENARIO_KEY]


def duplicate(scenario_id: str, model: PlannerResults, lang: str) -> None:
    """Save a copy of a saved scenario (its child), on the current data (a callback)."""
    store = get_store()
    try:
        original = get_scenario(store, scenario_id)
        suffix = t("saved.copy_suffix", lang)
        name = original.name[: NAME_MAX - len(suffix)].rstrip() + suffix
        saved, token = save_scenario(store, model, original.settings, name, original.note,
                                     original.author, lang, parent_id=original.id,
                                     draws=DEFAULT_DRAWS, seed=DEFAULT_SEED)
    except SavedScenarioError as exc:
        for text in saved_error_texts(exc, lang):
            flash("error", text)
        return
    except ScenarioError:
        flash("error", t("saved.error.copy_invalid", lang))
        return
    remember_result(COPY_PREFIX, saved, token)
    flash("success", t("saved.copied", lang))


def delete(scenario_id: str, token_key: str, lang: str) -> None:
    """Delete a saved scenario with the owner token typed in its form (a callback)."""
    store = get_store()
    token = str(st.session_state.get(token_key) or "").strip()
    try:
        delete_scenario(store, scenario_id, token)
    except SavedScenarioError as exc:
        for text in saved_error_texts(exc, lang):
            flash("error", text)
        return
    st.session_state[token_key] = ""
    if st.query_params.get(SCENARIO_KEY) == scenario_id:
        close_details()
    flash("success", t("saved.deleted", lang, id=escape_markdown(scenario_id)))


def actions(scenario_id: str, key: str, saved: bool, model: PlannerResults, lang: str,
            details: bool = True) -> None:
    """The actions of one scenario: details, open elsewhere, link, duplicate, delete.

    Parameters
    ----------
    scenario_id : str
    key : str
        Unique per place on the page (widget keys start with it).
    saved : bool
        A saved scenario (it can be duplicated and deleted), not a ready-made one.
    model : PlannerResults
        The model of the current dataset (a copy is saved on it).
    lang : str
    details : bool, optional
        Offer the details button.
    """
    with st.container(horizontal=True, wrap=True, vertical_alignment="center"):
        if details:
            st.button(t("saved.action.details", lang), key=f"{key}.details",
                      on_click=open_details, args=(scenario_id,), icon=":material/visibility:")
        st.link_button(t("saved.action.open_planner", lang),
                       page_url("planner", {SCENARIO_KEY: scenario_id}, URL_PATH),
                       icon=":material/tune:")
        st.link_button(t("saved.action.open_briefing", lang),
                       page_url("briefing", {SCENARIO_KEY: scenario_id}, URL_PATH),
                       icon=":material/dashboard:")
        with st.popover(t("saved.action.link", lang), icon=":material/link:"):
            st.caption(t("saved.action.link_help", lang))
            st.code(short_link(scenario_id, lang), language=None)
        if saved:
            st.button(t("saved.action.duplicate", lang), key=f"{key}.duplicate",
                      on_click=duplicate, args=(scenario_id, model, lang), icon=":material/content_copy:")
            with st.popover(t("saved.action.delete", lang), icon=":material/delete:"):
                token_key = f"{key}.token"
                with st.form(key=f"{key}.delete_form", border=False):
                    st.caption(t("saved.delete.help", lang))
                    st.text_input(t("saved.delete.token", lang), type="password",
                                  key=token_key)
                    st.form_submit_button(t("saved.delete.submit", lang), type="primary",
                                          on_click=delete, args=(scenario_id, token_key, lang),
                                          key=f"{key}.delete")
