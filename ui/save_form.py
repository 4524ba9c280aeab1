"""Saving a scenario from a page: the form, and the result shown once.

:func:`render_save_form` draws a form (name, note, author) that saves the given scenario with
:func:`planner.saved.save_scenario`, using the app's draws and seed
(:data:`planner.simulation.DEFAULT_DRAWS`, :data:`planner.simulation.DEFAULT_SEED`), so the saved numbers are the numbers the pages show. After a save it
shows the new id, the short link and the owner token (once: only its hash is stored, so it
cannot be recovered) and the saved headline numbers. :func:`show_saved_result` draws the same
result for a scenario saved another way (a duplicate).

Problems are shown in the page's language from the catalogue (``problem.<code>``, through
:func:`ui.link_messages.saved_error_texts`); a ``stale_dataset`` error (the data changed while
the page was open) asks the reader to reload the page; a database fault (locked, read-only,
full) is said in words (:func:`ui.data.error_text`), never as a raw error.

The save itself runs in the submit button's callback, at the very start of the run the click
causes, and its outcome (the new scenario, or the problems) is kept in the session before
anything is drawn: a lever moved right after the click interrupts the drawing, never the save,
and the next run shows the outcome. Streamlit stops a run at any ``st.session_state`` read or
write once another interaction has arrived (a new run then starts without the click), so the
callback reads the form once with ``st.session_state.to_dict()`` (no stop there), saves
through the store the form was drawn with, and writes the outcome into the session's outcome
box (a plain dict kept in the session by the run that drew the form): from the read to the
outcome nothing can stop it, so a scenario is never saved without its id and one-time token
being kept. When a new interaction started another run beside the one saving (Streamlit
starts it at once), that run may draw before the outcome is in: it shows "saving" and checks
again every :data:`PENDING_CHECK_S` seconds until the outcome is in, then runs the page
again to show it. Each click replaces the previous outcome, and a page calls
:func:`forget_shown_result` when its settings change: a problem already seen goes, and a
confirmation already seen is no longer drawn as one ("saved before the settings changed"),
while its id, link and one-time token stay until dismissed.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from planner.horizon import shown_years
from planner.i18n import t
from planner.links import SCENARIO_KEY
from planner.projection import PlannerResults
from planner.saved import (
    AUTHOR_MAX,
    NAME_MAX,
    NOTE_MAX,
    SavedScenario,
    SavedScenarioError,
    save_scenario,
)
from planner.scenario import Scenario, ScenarioError
from planner.simulation import DEFAULT_DRAWS, DEFAULT_SEED
from planner.store import Store, StoreError
from ui.data import error_text, get_store
from ui.link_messages import current_url_path, page_url, read_url, saved_error_texts
from ui.saved_view import render_headline

PENDING_CHECK_S = 0.5
"""Seconds between checks for a save's outcome that another run is still writing."""

def short_link(scenario_id: str, lang: str) -> str:
    """The link that shares a saved (or built-in) scenario for reading: its plain briefing,
    ``<server>/s/<id>`` (:func:`ui.link_messages.read_url`); ``/saved?s=<id>``, the link handed
    out before, still opens it too.

    Parameters
    ----------
    scenario_id : str
        The id.
    lang : str
        The page's language.

    Returns
    -------
    str
    """
    return read_url(scenario_id, lang, current_url_path())


def edit_link(scenario_id: str) -> str:
    """The link that opens a scenario in the planner, to change it: ``<app>/planner?s=<id>``."""
    return page_url("planner", {SCENARIO_KEY: scenario_id}, current_url_path())


def _result_key(key_prefix: str) -> str:
    return f"{key_prefix}.result"


def _outcome_box(key_prefix: str) -> dict:
    """The session's outcome box under ``key_prefix``: one dict for the session's life, emptied
    and refilled in place (so a callback holding it writes without touching the session)."""
    return st.session_state.setdefault(_result_key(key_prefix), {})


def _fill(box: dict, outcome: dict) -> None:
    box.clear()
    box.update(outcome, shown=False)


def remember_result(key_prefix: str, saved: SavedScenario, token: str) -> None:
    """Keep a new saved scenario and its token for :func:`show_saved_result` to draw."""
    _fill(_outcome_box(key_prefix), {"saved": saved, "token": token})


def _forget(key_prefix: str) -> None:
    _outcome_box(key_prefix).clear()


def forget_shown_result(key_prefix: str) -> None:
    """The settings changed: the outcome of the last save, if already on screen, is old.

    A problem already seen is cleared; a confirmation already seen is kept as an earlier save
    (its one-time token must not vanish under a quick lever move) but no longer drawn as a
    confirmation. An outcome not yet drawn (the click came just before the change) stays as
    it is, so every click on Save is answered.
    """
    found = st.session_state.get(_result_key(key_prefix))
    if not found or not found.get("shown"):
        return
    if "errors" in found:
        _forget(key_prefix)
    else:
        found["earlier"] = True


def show_saved_result(key_prefix: str, lang: str) -> SavedScenario | None:
    """Draw the scenario just saved under ``key_prefix``: id, short link, token, numbers.

    The token stays on screen until the reader dismisses it (then it is gone for good).

    Parameters
    ----------
    key_prefix : str
        The prefix given to :func:`render_save_form` or :func:`remember_result`.
    lang : str
        ``"vi"`` or ``"en"``.

    Returns
    -------
    SavedScenario or None
        The scenario shown, if any.
    """
    found = st.session_state.get(_result_key(key_prefix))
    if not found or found.get("pending"):
        return None
    found["shown"] = True
    if "errors" in found:
        for text in found["errors"]:
            st.error(text, icon=":material/error:")
        return None
    saved: SavedScenario = found["saved"]
    css = key_prefix.replace(".", "_")
    with st.container(border=True, key=f"{css}_result"):
        if found.get("earlier"):
            st.info(t("notice.save.earlier", lang), icon=":material/history:")
        else:
            st.success(t("saved.form.done", lang), icon=":material/bookmark_added:")
        st.text(saved.name)
        st.caption(t("saved.form.id", lang))
        with st.container(key=f"{css}_result_id"):
            st.code(saved.id, language=None)
        st.caption(t("saved.form.link", lang))
        with st.container(key=f"{css}_result_link"):
            st.code(short_link(saved.id, lang), language=None)
        st.caption(t("share.edit_help", lang))
        with st.container(key=f"{css}_result_edit"):
            st.code(edit_link(saved.id), language=None)
        st.warning(t("saved.form.token_once", lang), icon=":material/key:")
        with st.container(key=f"{css}_result_token"):
            st.code(found["token"], language=None)
        render_headline(saved.snapshot, lang, key=f"{css}_result_headline")
        st.button(t("saved.form.dismiss", lang), key=f"{key_prefix}.dismiss",
                  on_click=_forget, args=(key_prefix,), icon=":material/check:")
    return saved


def _save_texts(store: Store, model: PlannerResults, scenario: Scenario | Any, lang: str, *,
                name: str, note: str, author: str, parent_id: str | None
                ) -> tuple[SavedScenario, str] | list[str]:
    """Save a scenario: ``(saved, token)``, or the problems in words."""
    try:
        return save_scenario(store, model, scenario, name, note, author, lang,
                             parent_id=parent_id, draws=DEFAULT_DRAWS, seed=DEFAULT_SEED)
    except SavedScenarioError as exc:
        return saved_error_texts(exc, lang)
    except ScenarioError as exc:
        return [t("saved.error.bad_settings", lang, detail=" ".join(saved_error_texts(exc, lang)))]
    except StoreError as exc:  # locked beyond the wait, read-only, disk full
        return [error_text(exc, lang)]


def save_with_messages(model: PlannerResults, scenario: Scenario | Any, lang: str, *,
                       name: str, note: str = "", author: str = "",
                       parent_id: str | None = None) -> tuple[SavedScenario, str] | None:
    """Save a scenario; on failure show why (translated) and return None.

    Parameters
    ----------
    model : PlannerResults
        Fitted on the current dataset.
    scenario : Scenario or mapping
        The settings.
    lang : str
        ``"vi"`` or ``"en"`` (also recorded as the author's language).
    name, note, author : str
        As typed (stored verbatim).
    parent_id : str, optional
        The saved scenario this one copies or edits.

    Returns
    -------
    tuple or None
        ``(SavedScenario, owner_token)``, or None after showing the problems.
    """
    done = _save_texts(get_store(), model, scenario, lang, name=name, note=note, author=author,
                       parent_id=parent_id)
    if isinstance(done, tuple):
        return done
    for text in done:
        st.error(text, icon=":material/error:")
    return None


def _on_submit(store: Store, model: PlannerResults, scenario: Scenario, lang: str,
               key_prefix: str, box: dict) -> None:
    """The submit button's callback: save what the form holds; put the outcome in ``box``.

    The one read of the session (``to_dict``) and everything after it cannot be stopped by a
    new interaction (see the module's notes)."""
    state = st.session_state.to_dict()
    _fill(box, {"pending": True})
    try:
        done = _save_texts(store, model, scenario, lang,
                           name=state.get(f"{key_prefix}.name", ""),
                           note=state.get(f"{key_prefix}.note", ""),
                           author=state.get(f"{key_prefix}.author", ""), parent_id=None)
    except BaseException:
        box.clear()  # not left pending: the error itself is shown by Streamlit
        raise
    if isinstance(done, tuple):
        _fill(box, {"saved": done[0], "token": done[1], "saved_now": True})
    else:
        _fill(box, {"errors": done})


def render_save_form(model: PlannerResults, scenario: Scenario, lang: str,
                     key_prefix: str) -> SavedScenario | None:
    """Draw the save form of a scenario and, after a save, its id, link and owner token.

    Parameters
    ----------
    model : PlannerResults
        The model the page shows, fitted on the current dataset (``ui.model.get_model()``).
    scenario : Scenario
        The scenario the page shows (validated by ``model``).
    lang : str
        ``"vi"`` or ``"en"``.
    key_prefix : str
        Unique per place on a page (widget keys start with it, such as ``planner.save``).

    Returns
    -------
    SavedScenario or None
        The scenario saved by this run's click, if the form was just submitted successfully.
    """
    box = _outcome_box(key_prefix)
    with st.form(key=f"{key_prefix}.form", border=True):
        st.markdown(f"**{t('saved.form.heading', lang)}**")
        st.text_input(t("saved.form.name", lang), max_chars=NAME_MAX, key=f"{key_prefix}.name",
                      placeholder=t("saved.form.name_placeholder", lang,
                                    year=shown_years(model.today)[0]))
        st.text_area(t("saved.form.note", lang), max_chars=NOTE_MAX, key=f"{key_prefix}.note",
                     help=t("saved.form.note_help", lang))
        st.text_input(t("saved.form.author", lang), max_chars=AUTHOR_MAX,
                      key=f"{key_prefix}.author")
        st.caption(t("saved.form.help", lang))
        st.form_submit_button(t("saved.form.submit", lang), type="primary",
                              icon=":material/bookmark_add:", key=f"{key_prefix}.submit",
                              on_click=_on_submit,
                              args=(get_store(), model, scenario, lang, key_prefix, box))
    if box.get("pending"):
        _await_outcome(key_prefix, lang)
    shown = show_saved_result(key_prefix, lang)
    return shown if box.pop("saved_now", False) else None


@st.fragment(run_every=PENDING_CHECK_S)
def _await_outcome(key_prefix: str, lang: str) -> None:
    """Say "saving" while another run writes the outcome; once it is in, run the page again."""
    if _outcome_box(key_prefix).get("pending"):
        st.caption(t("saved.form.saving", lang))
    else:
        st.rerun(scope="app")
