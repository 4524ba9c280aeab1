"""Compare: two to four scenarios side by side, with a link of their own.

The scenarios are chosen among the ready-made ones, the unsaved scenario of the link or the
session ("current"), and the saved ones. A link ``?c=<id>,<id>[,...]`` (2 to 4 entries, see
:mod:`planner.links`) chooses them on arrival; every bad entry gets a message and the
defaults (the trend and the plan targets) fill in. As the choice changes, ``c`` (and, for
"current", its lever settings) is written back to the address, and the link is shown.

A saved scenario shows its stored numbers (exactly what its author saw), read once per run;
the others are computed with the current model (cached per dataset version, scenario, draws
and seed). The outcomes table comes first; the targets' status and chance per scenario, the
charts and the settings are tabs drawn only while open, so the page's first screen does not
wait on the charts.
"""

from __future__ import annotations

import streamlit as st

from planner.comparison import SLOTS
from planner.formatting import fmt_date
from planner.horizon import shown_years
from planner.i18n import t
from planner.ids import BASELINE_ID
from planner.links import (
    ASSUMPTION_PREFIX,
    COMPARE_KEY,
    COMPARE_MAX,
    COMPARE_MIN,
    CURRENT,
    LANG_KEY,
    SCENARIO_KEY,
    encode,
    parse_query,
)
from planner.problems import problems_text
from planner.saved import (
    BUILTIN_ID_PATTERN,
    DEFAULT_DRAWS,
    DEFAULT_SEED,
    SavedScenarioError,
    builtin_scenarios,
    get_scenario,
    list_scenarios,
    snapshot_frames,
)
from planner.scenario import Scenario, ScenarioError
from planner.usertext import escape_markdown
from ui.compare_view import (
    Slot,
    charts,
    outcome_table,
    settings_table,
    slot_key,
    target_table,
    truncate,
)
from ui.data import get_store
from ui.export_menu import export_menu_for_compare
from ui.horizon_notice import show_horizon_notice
from ui.lang import current_lang
from ui.layout_css import paper_table, static_table
from ui.link_messages import page_url, saved_error_texts
from ui.model import get_model, simulation
from ui.paint import first_paint
from ui.planner_results import years_text
from ui.scenario_state import STATE_KEY as SESSION_SCENARIO_KEY
from ui.scenario_state import drop_fixed, link_problem_text, show_problem_texts

URL_PATH = "compare"
SELECT_KEY = "compare.selection"
CURRENT_KEY = "compare.current"
PROBLEMS_KEY = "compare.problems"
SEARCH_KEY = "compare.search"
PICKER_KEY = "compare_picker"  # its place is kept (ui/assets/layout.css) while the table comes first
DEFAULTS = (BASELINE_ID, "plan_targets")
SAVED_LIMIT = 50
VIEW_KEY = "compare.view"
VIEWS = ("compare.tab_targets", "compare.tab_charts",
         "compare.tab_settings")

lang = current_lang()
model = get_model()
store = get_store()
builtins = {b.id: b for b in builtin_scenarios(model.dataset)}
_saved_read: dict[str, object] = {}  # this run's saved scenarios, each read once


def saved(entry: str):
    """A saved scenario, read from the store once per run.

    Raises
    ------
    planner.saved.SavedScenarioError
        As :func:`planner.saved.get_scenario`.
    """
    if entry not in _saved_read:
        _saved_read[entry] = get_scenario(store, entry)
    return _saved_read[entry]


# ----------------------------------------------------------------------------------- state
def session_current() -> Scenario | None:
    """The session's unsaved scenario (set by the scenarios page), unless it is the trend."""
    raw = st.session_state.get(SESSION_SCENARIO_KEY)
    if not raw:
        return None
    try:
        scenario = model.validate(raw)
    except ScenarioError:
        return None
    return None if scenario.is_baseline() else scenario


def current_scenario() -> Scenario | None:
    raw = st.session_state.get(CURRENT_KEY)
    if raw is None:
        return None
    try:
        return model.validate(raw)
    except ScenarioError:
        return None


def initial_selection() -> None:
    """On arrival: the current scenario, the choice of ``c`` and the link's problems."""
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    state = parse_query(params, model.dataset.levers, model.dataset.assumptions)
    from_link, fixed = drop_fixed(model, state.scenario)
    current = from_link if state.has_settings else session_current()
    st.session_state[CURRENT_KEY] = current.to_dict() if current is not None else None
    messages = [link_problem_text(p, lang) for p in [*state.problems, *fixed]]
    chosen: list[str] = []
    for entry in state.compare:
        if entry == CURRENT:
            if current is None:
                messages.append(t("compare.no_current", lang))
                continue
        elif BUILTIN_ID_PATTERN.fullmatch(entry):
            if entry not in builtins:
                messages.append(t("compare.unknown", lang, id=escape_markdown(entry)))
                continue
        else:
            try:
                saved(entry)
            except SavedScenarioError as exc:
                messages.extend(
                    t("compare.unknown", lang, id=escape_markdown(entry)) if exc.code == "unknown_id" else text
                    for text in saved_error_texts(exc, lang))
                continue
        chosen.append(entry)
    if len(chosen) < COMPARE_MIN:
        if COMPARE_KEY in params:
            messages.append(t("compare.defaults", lang))
        fill = ([*DEFAULTS[:1], CURRENT] if current is not None and not state.compare
                else list(DEFAULTS))
        for entry in fill:
            if len(chosen) >= COMPARE_MIN:
                break
            if entry not in chosen and (entry == CURRENT or entry in builtins):
                chosen.append(entry)
    st.session_state[SELECT_KEY] = chosen[:COMPARE_MAX]
    st.session_state[PROBLEMS_KEY] = messages


def _selection_changed() -> None:
    st.session_state[PROBLEMS_KEY] = []


def _is_link_param(name: str) -> bool:
    return name in (COMPARE_KEY, SCENARIO_KEY) or name.startswith(ASSUMPTION_PREFIX) or (
        "." in name and name != LANG_KEY)


def link_params(selection: list[str]) -> dict[str, str]:
    """The query parameters of this comparison (without the language)."""
    current = current_scenario() if CURRENT in selection else None
    compare = selection if COMPARE_MIN <= len(selection) <= COMPARE_MAX else None
    out = encode(current, lang, compare=compare)
    out.pop(LANG_KEY, None)
    return out


def write_url(selection: list[str]) -> dict[str, str]:
    """Put the comparison in the address (only what changed is sent)."""
    wanted = link_params(selection)
    stale = [k for k in st.query_params if _is_link_param(k) and k not in wanted]
    for k in stale:
        del st.query_params[k]
    changed = {k: v for k, v in wanted.items() if st.query_params.get(k) != v}
    if changed:
        st.query_params.update(changed)
    return wanted


# ----------------------------------------------------------------------------------- choices
def saved_options(selection: list[str]) -> dict[str, str]:
    """``{id: label}`` of the saved scenarios offered: the newest (searched) and the chosen."""
    search = st.session_state.get(SEARCH_KEY) or ""
    try:
        rows, _ = list_scenarios(store, search, SAVED_LIMIT, 0)
    except SavedScenarioError as exc:
        for text in saved_error_texts(exc, lang):
            st.warning(text)
        rows = []
    out = {r.id: t("compare.saved_option", lang, name=truncate(r.name, 60),
                   date=fmt_date(r.created_at, lang)) for r in rows}
    for entry in selection:
        if entry in out or entry == CURRENT or BUILTIN_ID_PATTERN.fullmatch(entry):
            continue
        try:
            s = saved(entry)
        except SavedScenarioError:
            continue
        out[entry] = t("compare.saved_option", lang, name=truncate(s.name, 60),
                       date=fmt_date(s.created_at, lang))
    return out


def load_slot(slot: str, entry: str) -> Slot | None:
    if entry == CURRENT:
        scenario = current_scenario()
        if scenario is None:
            return None
        sim = simulation(model, scenario, DEFAULT_DRAWS, DEFAULT_SEED)
        return Slot(slot, entry, t("compare.current", lang), "current", sim["frame"], scenario,
                    dataset_version=str(model.version), targets=sim["targets"])
    if entry in builtins:
        b = builtins[entry]
        scenario, problems = b.applied(model)  # a setting for a year since ended is left out
        if problems:
            st.caption(t("compare.builtin_adjusted", lang, name=escape_markdown(b.label(lang)),
                         detail=problems_text(problems, lang, escape_markdown)))
        sim = simulation(model, scenario, DEFAULT_DRAWS, DEFAULT_SEED)
        return Slot(slot, entry, b.label(lang), "builtin", sim["frame"], scenario, b.note(lang),
                    str(model.version), sim["targets"])
    try:
        s = saved(entry)
    except SavedScenarioError as exc:
        for text in saved_error_texts(exc, lang):
            st.warning(text)
        return None
    frame, targets = snapshot_frames(s.snapshot)
    return Slot(slot, entry, s.name, "saved", frame, s.scenario, s.note, s.dataset_version,
                targets)


# ----------------------------------------------------------------------------------- page
st.title(t("compare.title", lang))
st.caption(t("compare.intro", lang, years=years_text(shown_years(model.today), lang)))
show_horizon_notice(model, lang)  # once no year is left to set

if SELECT_KEY not in st.session_state:
    initial_selection()
show_problem_texts(list(st.session_state.get(PROBLEMS_KEY) or []), lang)

selected_now = list(st.session_state.get(SELECT_KEY) or [])
current = current_scenario()
options_saved = saved_options(selected_now)
labels = {b.id: b.label(lang) for b in builtins.values()}
if current is not None:
    labels[CURRENT] = t("compare.current", lang)
labels.update(options_saved)
# a choice that is no longer offered (a deleted scenario) is dropped, with a message
missing = [e for e in selected_now if e not in labels]
if missing:
    st.session_state[SELECT_KEY] = [e for e in selected_now if e in labels]
    for entry in missing:
        st.warning(t("compare.unknown", lang, id=escape_markdown(entry)), icon=":material/search_off:")

picker = st.container(key=PICKER_KEY)  # filled after the table: its numbers come first


def draw_picker() -> None:
    """The scenario chooser, the search among saved ones and this comparison's link."""
    with picker:
        c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
        with c2:
            st.text_input(t("compare.search", lang), key=SEARCH_KEY,
                          placeholder=t("compare.search_placeholder", lang))
        with c1:
            st.multiselect(t("compare.choose", lang), list(labels), key=SELECT_KEY,
                           format_func=lambda e: labels.get(e, e),
                           max_selections=COMPARE_MAX, on_change=_selection_changed,
                           help=t("compare.choose_help", lang))
        st.caption(t("compare.link", lang))
        with st.container(key="compare_link"):
            st.code(page_url(URL_PATH, {LANG_KEY: lang, **params}, URL_PATH), language=None)


# the widget's value, read before it is drawn (the chooser is drawn below the table's code)
selection = list(st.session_state.get(SELECT_KEY) or [])[:COMPARE_MAX]
params = write_url(selection)
if len(selection) < COMPARE_MIN:
    draw_picker()
    st.info(t("compare.too_few", lang, min=COMPARE_MIN), icon=":material/info:")
    st.stop()

slots = [s for s in (load_slot(slot, e) for slot, e in zip(SLOTS, selection, strict=False))
         if s is not None]
if len(slots) < COMPARE_MIN:
    draw_picker()
    st.info(t("compare.too_few", lang, min=COMPARE_MIN), icon=":material/info:")
    st.stop()

slot_key(slots, model, lang)
st.subheader(t("compare.table_heading", lang, years=years_text(shown_years(model.today), lang)))
st.caption(t("compare.table.help", lang, first=SLOTS[0]))
static_table(outcome_table(slots, model, lang), "compare.table")  # read whole, drawn at once
first_paint(URL_PATH)  # the table on screen before the chooser, targets and charts arrive
draw_picker()
tabs = st.tabs([t(k, lang) for k in VIEWS], key=VIEW_KEY, on_change="rerun")
if tabs[0].open:
    with tabs[0]:
        st.caption(t("compare.targets_help", lang,
                     years=years_text(shown_years(model.today), lang)))
        paper_table(target_table(slots, model, lang), "compare.targets",
                    hide_index=True, width="stretch", height="content")
if tabs[1].open:
    with tabs[1]:
        charts(slots, model, lang)
if tabs[2].open:
    with tabs[2]:
        settings_table(slots, model, lang)

# --- downloads: every compared scenario in one CSV, and each one's files ------------------
export_menu_for_compare(slots, model, lang, key="compare_export", url_path=URL_PATH)
