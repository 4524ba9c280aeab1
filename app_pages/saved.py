"""Saved scenarios: the ready-made ones, the library (search, pages), one scenario's numbers.

``/saved`` lists the three ready-made scenarios and the saved ones (newest first) with their
headline numbers and actions: details, open in the scenarios page or the briefing, copy the
link, duplicate, delete (with the owner token). ``/saved?s=<id>`` shows one scenario: a saved
one's stored numbers exactly (never recomputed), with a notice and a comparison on the current
data when the data or model changed since. ``/saved?<lever>.<year>=<value>...`` offers to save
the scenario the link carries.

Names, notes and authors are shown with ``st.text``, ``st.code`` or in tables, never as
Markdown or HTML.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from planner.formatting import fmt_date, fmt_number
from planner.i18n import t
from planner.links import COMPARE_KEY, parse_query
from planner.saved import (
    SEARCH_MAX,
    BuiltinScenario,
    OpenedScenario,
    SavedScenarioError,
    builtin_scenarios,
    get_scenario,
    list_scenarios,
    open_scenario,
)
from planner.scenario import ScenarioError
from planner.settings_table import settings_frame
from planner.usertext import escape_markdown
from ui.data import get_store
from ui.export_menu import export_menu_for_saved
from ui.lang import current_lang
from ui.layout_css import paper_table
from ui.link_messages import page_url, saved_error_texts
from ui.model import get_levers, get_model
from ui.save_form import render_save_form, show_saved_result
from ui.saved_actions import COPY_PREFIX, actions, close_details, show_flash
from ui.saved_view import (
    headline_line,
    labels_for,
    render_snapshot,
)
from ui.scenario_state import drop_fixed, show_link_problems
from ui.snapshot_view import current_comparison as snapshot_comparison

URL_PATH = "saved"
PAGE_SIZE = 10
PAGE_KEY = "saved.page"
SEARCH_KEY = "saved.search"

lang = current_lang()
model = get_model()
store = get_store()


def fmt_created(value: Any) -> str:
    """Date and time (UTC) of a save, in the reader's locale."""
    return t("saved.created", lang, date=fmt_date(value, lang),
             time=value.strftime("%H:%M"))


@st.cache_data(show_spinner=False, max_entries=32)
def builtin_snapshot(version: str, scenario_id: str) -> dict:
    """The numbers of a ready-made scenario on a dataset version (cached)."""
    return open_scenario(store, scenario_id, lambda: model).snapshot


# ----------------------------------------------------------------------------------- details
def changed_notice(opened: OpenedScenario) -> None:
    if opened.data_changed:
        st.info(t("saved.detail.data_changed", lang, saved=opened.dataset_version,
                  current=opened.current_dataset_version), icon=":material/history:")
    if opened.model_changed and opened.saved is not None:
        st.info(t("saved.detail.model_changed", lang, saved=opened.saved.model_version),
                icon=":material/history:")
    if not (opened.data_changed or opened.model_changed):
        st.caption(t("saved.detail.exact", lang) if opened.kind == "saved"
                   else t("saved.detail.builtin_current", lang))


def current_comparison(opened: OpenedScenario) -> None:
    """The saved scenario computed again on the current data and model, against its saved
    numbers, naming the settings that no longer apply (:mod:`ui.snapshot_view`)."""
    snapshot_comparison(opened.saved, model, lang, key="saved_current")


def details(scenario_id: str) -> bool:
    """Show one scenario (``?s=<id>``); False when it cannot be opened (message shown)."""
    try:
        opened = open_scenario(store, scenario_id, lambda: model)
    except SavedScenarioError as exc:
        if exc.code == "corrupt":
            st.error(t("problem.corrupt", lang), icon=":material/gpp_bad:")
        else:
            st.warning(t("saved.not_found", lang, id=escape_markdown(scenario_id)), icon=":material/search_off:")
        return False
    st.button(t("saved.detail.back", lang), key="saved.back", on_click=close_details,
              icon=":material/arrow_back:")
    st.link_button(t("saved.action.open_briefing", lang), type="primary",
                   url=page_url("briefing", {"s": scenario_id}, URL_PATH),
                   icon=":material/dashboard:")
    kind = "saved" if opened.kind == "saved" else "builtin"
    st.subheader(t(f"saved.detail.heading_{kind}", lang))
    with st.container(key="saved_detail_name"):
        st.text(opened.name(lang))
    note = opened.note(lang)
    if note:
        with st.container(key="saved_detail_note"):
            st.text(note)
    if opened.saved is not None:
        s = opened.saved
        with st.container(key="saved_detail_meta"):
            st.text(t("saved.by", lang, author=s.author or t("saved.no_author", lang),
                      date=fmt_created(s.created_at)))
    changed_notice(opened)
    render_snapshot(opened.snapshot, lang, key="saved_detail")
    if opened.saved is not None and (opened.data_changed or opened.model_changed):
        current_comparison(opened)
    with st.expander(t("saved.detail.settings", lang), icon=":material/tune:"):
        try:
            scenario = model.validate(opened.scenario)
        except ScenarioError:
            scenario = opened.scenario
        paper_table(settings_frame(model, get_levers(model), [scenario],
                                   [t("saved.detail.value", lang)], lang),
                    "saved.detail.settings", hide_index=True, width="stretch")
    actions(opened.id, f"saved.detail.{opened.id}", opened.kind == "saved", model, lang,
            details=False)
    # --- downloads: its stored numbers exactly, made only when clicked ---------------------
    export_menu_for_saved(opened.id, model, lang, key="saved_export", url_path=URL_PATH)
    return True


# ----------------------------------------------------------------------------------- lists
def ready_made(builtins: list[BuiltinScenario]) -> None:
    st.subheader(t("saved.builtin.heading", lang))
    st.caption(t("saved.builtin.help", lang))
    for b in builtins:
        with st.container(border=True, key=f"builtin_{b.id}"):
            st.markdown(f"**{b.label(lang)}**")
            st.caption(b.note(lang))
            snap = builtin_snapshot(str(model.version), b.id)
            st.markdown(headline_line(snap, labels_for(str(model.version), lang)))
            actions(b.id, f"saved.builtin.{b.id}", False, model, lang)


def _reset_page() -> None:
    st.session_state[PAGE_KEY] = 0


def _move_page(step: int) -> None:
    st.session_state[PAGE_KEY] = max(0, int(st.session_state.get(PAGE_KEY, 0)) + step)


def library() -> None:
    st.subheader(t("saved.library.heading", lang))
    search = st.text_input(t("saved.library.search", lang), key=SEARCH_KEY,
                           max_chars=SEARCH_MAX, on_change=_reset_page,
                           placeholder=t("saved.library.search_placeholder", lang))
    page = int(st.session_state.get(PAGE_KEY, 0))
    try:
        rows, total = list_scenarios(store, search, PAGE_SIZE, page * PAGE_SIZE)
        if not rows and total and page:
            page = (total - 1) // PAGE_SIZE
            st.session_state[PAGE_KEY] = page
            rows, total = list_scenarios(store, search, PAGE_SIZE, page * PAGE_SIZE)
    except SavedScenarioError as exc:
        for text in saved_error_texts(exc, lang):
            st.warning(text)
        return
    if not total:
        st.info(t("saved.library.empty_search" if search.strip() else "saved.library.empty",
                  lang), icon=":material/bookmarks:")
        return
    pages = (total + PAGE_SIZE - 1) // PAGE_SIZE
    st.caption(t("saved.library.count", lang, total=fmt_number(total, lang, 0)))
    for i, row in enumerate(rows):
        with st.container(border=True, key=f"saved_row_{page * PAGE_SIZE + i}"):
            try:  # the full row, checked against its digest, before anything of it is shown
                full = get_scenario(store, row.id)
            except SavedScenarioError as exc:
                st.code(row.id, language=None)
                for text in saved_error_texts(exc, lang):
                    st.error(text, icon=":material/gpp_bad:")
                continue
            st.text(full.name)
            st.text(t("saved.by", lang, author=full.author or t("saved.no_author", lang),
                      date=fmt_created(full.created_at)))
            st.markdown(headline_line(full.snapshot, labels_for(full.dataset_version, lang)))
            if full.dataset_version != model.version:
                st.caption(t("saved.library.other_data", lang, version=full.dataset_version))
            actions(row.id, f"saved.row.{row.id}", True, model, lang)
    if pages > 1:
        c1, c2, c3 = st.columns([1, 2, 1], vertical_alignment="center")
        c1.button(t("saved.library.previous", lang), key="saved.prev", disabled=page <= 0,
                  on_click=_move_page, args=(-1,), icon=":material/chevron_left:")
        c2.caption(t("saved.library.page", lang, page=page + 1, pages=pages))
        c3.button(t("saved.library.next", lang), key="saved.next",
                  disabled=page + 1 >= pages, on_click=_move_page, args=(1,),
                  icon=":material/chevron_right:")


def save_link_scenario(scenario) -> None:
    st.subheader(t("saved.link.heading", lang))
    st.caption(t("saved.link.help", lang))
    paper_table(settings_frame(model, get_levers(model), [scenario],
                               [t("saved.detail.value", lang)], lang, only_differences=False),
                "saved.link.settings", hide_index=True, width="stretch")
    render_save_form(model, scenario, lang, key_prefix="saved.link")


# ----------------------------------------------------------------------------------- page
st.title(t("saved.title", lang))
st.caption(t("saved.intro", lang))

params = {k: st.query_params.get_all(k) for k in st.query_params}
state = parse_query(params, model.dataset.levers, model.dataset.assumptions)
link_scenario, fixed = drop_fixed(model, state.scenario)
show_link_problems([p for p in state.problems if p.field != COMPARE_KEY] + fixed, lang)
show_flash()
show_saved_result(COPY_PREFIX, lang)

if state.scenario_id is None or not details(state.scenario_id):
    if state.has_settings:
        save_link_scenario(link_scenario)
    ready_made(builtin_scenarios(model.dataset))
    library()
