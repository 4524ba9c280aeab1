"""The briefing's scenario picker and share button.

The picker offers the baseline, the ready-made scenarios of the data (``scenarios.csv``) and the
scenarios saved most recently. Choosing one opens it as a link with ``?s=<id>`` would: the
scenario's parameters in the address are replaced and the session's scenario is read again from
them (:func:`ui.scenario_state.init_scenario`), so a chosen scenario and an opened link are one
path. The share button shows the briefing's own address, ready to copy.
"""

from __future__ import annotations

import streamlit as st

from planner.i18n import t
from planner.ids import BASELINE_ID
from planner.links import COMPARE_KEY, LANG_KEY, SCENARIO_KEY
from planner.saved import SavedScenarioError, builtin_scenarios, is_valid_id, list_scenarios
from planner.store import StoreError
from ui.data import get_store
from ui.link_messages import page_url, read_url
from ui.scenario_state import OPENED_KEY, PROBLEMS_KEY, STATE_KEY, opened_scenario

PICKER_KEY = "briefing_scenario_pick"
OPEN_ID = "__open__"
"""The picker's entry for a scenario open but not saved (set on the planner)."""
RECENT = 8
"""How many saved scenarios the picker lists, newest first."""


def choices(model, lang: str) -> dict[str, str]:
    """``{id: name}`` the picker offers: the baseline, ready-made scenarios, recent saved ones.

    Parameters
    ----------
    model : planner.projection.PlannerResults
        The current model (its dataset's ready-made scenarios).
    lang : str

    Returns
    -------
    dict
        In display order; a saved scenario's name is as typed.
    """
    out = {BASELINE_ID: t("briefing.scenario.baseline_name", lang)}
    for b in builtin_scenarios(model.dataset):
        if b.id != BASELINE_ID:
            out[b.id] = b.label_en if lang == "en" else b.label_vi
    try:
        saved, _ = list_scenarios(get_store(), limit=RECENT)
    except (SavedScenarioError, StoreError):  # the picker still offers the ready-made ones
        saved = []
    for s in saved:
        out.setdefault(s.id, t("picker.saved", lang, name=s.name))
    return out


def current_id(scenario) -> str:
    """The picker's entry for the open scenario: its id, the baseline or "open, not saved"."""
    opened = opened_scenario(scenario)
    if opened is not None:
        return opened.id
    return BASELINE_ID if scenario.is_baseline() else OPEN_ID


def _open(scenario_id: str) -> None:
    """Put ``s=<id>`` in the address (nothing for the baseline) and read the scenario again."""
    for k in list(st.query_params):
        if k not in (LANG_KEY, COMPARE_KEY):
            del st.query_params[k]
    if scenario_id != BASELINE_ID:
        st.query_params["s"] = scenario_id
    for k in (STATE_KEY, PROBLEMS_KEY, OPENED_KEY):
        st.session_state.pop(k, None)


def _on_pick() -> None:
    chosen = st.session_state.get(PICKER_KEY)
    if chosen and chosen != OPEN_ID:
        _open(str(chosen))


def scenario_picker(model, scenario, lang: str, url_path: str) -> None:
    """The picker and, beside it, the share button with the briefing's own link.

    Parameters
    ----------
    model : planner.projection.PlannerResults
        The current model.
    scenario : planner.scenario.Scenario
        The open scenario.
    lang : str
    url_path : str
        The briefing's ``url_path``.
    """
    options = choices(model, lang)
    now = current_id(scenario)
    if now == OPEN_ID:
        options = {OPEN_ID: t("picker.open", lang), **options}
    elif now not in options:  # opened from a link, older than the recent ones listed
        opened = opened_scenario(scenario)
        options[now] = opened.name(lang) if opened is not None else now
    st.session_state[PICKER_KEY] = now
    pick, share = st.columns([3, 1], vertical_alignment="bottom")
    with pick:
        st.selectbox(t("picker.label", lang), list(options),
                     format_func=lambda k: options.get(k, k), key=PICKER_KEY,
                     on_change=_on_pick)
    with share, st.popover(t("share.button", lang), icon=":material/share:",
                           width="stretch", key="briefing_share"):
        st.caption(t("share.help", lang))
        st.code(share_link(url_path, lang), language=None, wrap_lines=True)
        scenario_id = st.query_params.get(SCENARIO_KEY)
        if scenario_id and is_valid_id(scenario_id):
            st.caption(t("share.edit_help", lang))
            st.code(page_url("planner", {SCENARIO_KEY: scenario_id}, url_path), language=None,
                    wrap_lines=True)


def share_link(url_path: str, lang: str) -> str:
    """The link to send: a saved or built-in scenario's read-only page (``/s/<id>``) when the
    address bar names one and nothing else that changes the numbers; else the briefing's
    address with the address bar's settings and language."""
    params = {k: st.query_params[k] for k in st.query_params}
    scenario_id = params.get(SCENARIO_KEY)
    if scenario_id and is_valid_id(scenario_id) and set(params) <= {SCENARIO_KEY, LANG_KEY}:
        return read_url(scenario_id, lang, url_path)
    return page_url(url_path, params, url_path)
