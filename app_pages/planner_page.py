"""Scenarios: move the levers, and every projection, target and uncertainty responds.

The lever panel sits in a left column with the assumptions panel below it; beside them, the
headline (each outcome in the first settable year and 2030) stays in view on a wide screen
(sticky). The lever panel is a browser component (``ui.lever_panel``): while a lever moves its
own table of headline numbers follows in the browser, and Python hears of the move once, on
release. The results are fragments: the headline (``planner_strip``), the panel
(``planner_levers``), the targets table and register (``planner_results``), goal seek
(``planner_goalseek``) and the rest below (``planner_more``: save form, charts); each
control's callback reruns them by name, so a lever move sends the results only, the headline's
numbers first, then the table and charts. What is below the levers is rerun by a move only
while it is near the view (``ui.results_near``, the mark ``planner_near`` where it starts);
out of sight it is left for later, marked stale, and rerun once it comes near. The download
menu under them is drawn once a page run; each move's headline hands it the numbers of the
settings just set (``ui.export_menu.LatestBundle``). Goal seek is rerun by a move only while
it shows an answer. The model is fitted once per dataset
version and each scenario's Monte Carlo is cached, so moving a lever back is instant. The
scenario lives in the session and in the URL (ui.scenario_state)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from planner.figures.outcomes import CHART_HEIGHT
from planner.i18n import label, t
from planner.indicators import chart_groups
from planner.projection import PlannerResults
from planner.scenario import Scenario, ScenarioError
from planner.views import HEADLINE_OUTCOMES, LeverView, outcome_order
from ui.data import frames
from ui.export_menu import (
    export_menu_for_computation,
    export_menu_for_saved,
    latest_bundle,
    latest_menu,
)
from ui.goalseek_panel import APPLIED_KEY, RESULT_KEY, goalseek_panel
from ui.headline_strip import headline_strip, strip_data
from ui.horizon_notice import show_horizon_notice
from ui.lang import current_lang
from ui.lever_panel import (
    SENT_KEY,
    lever_panel,
    panel_data,
    panel_values,
    response_for,
    sent_values,
    take_values,
)
from ui.link_messages import saved_error_texts
from ui.model import (
    assumption_controls,
    baseline_projection,
    get_levers,
    get_model,
    simulation,
)
from ui.outcome_grid import outcome_grid
from ui.paint import first_paint
from ui.planner_controls import PlannerControls
from ui.planner_results import (
    contribution_panel,
    outcome_table,
    strip_years,
    years_text,
)
from ui.results_near import after_move, mark_fresh, results_mark, when_near
from ui.save_form import forget_shown_result, render_save_form
from ui.scenario_state import (
    Computation,
    adopt_controls,
    computation,
    init_scenario,
    link_problems,
    opened_notice,
    set_scenario,
    show_link_problems,
    write_url,
)
from ui.snapshot_view import show_frozen
from ui.target_register import ended_lines, register_panel

RESULTS_FRAGMENT = "planner_results"
LEVERS_FRAGMENT = "planner_levers"
STRIP_FRAGMENT = "planner_strip"
GOALSEEK_FRAGMENT = "planner_goalseek"
MORE_FRAGMENT = "planner_more"
SAVE_FRAGMENT = "planner_save"
NEAR_FRAGMENT = "planner_near"
STRIP_KEY = "planner_strip_box"
HEADLINE_KEY = "planner.headline"
# the keyed container sits in a wrapper of its own height: the wrapper is what sticks
STRIP_BOX = f"[data-testid=stLayoutWrapper]:has(> .st-key-{STRIP_KEY})"
URL_PATH = "planner"
SAVE_PANEL = "planner.save_panel"
SAVE_PREFIX = "planner.save"
EXPORT_KEY = "planner_export"

lang = current_lang()
model = get_model()
levers: list[LeverView] = get_levers(model)
controls = PlannerControls(model, levers, assumption_controls(model, lang), lang)
indicators = frames()["indicators"]
ind_labels = {str(r["id"]): label(r, lang) for r in indicators.to_dict("records")}
chart_tabs = chart_groups(model.dataset.indicators, outcome_order(model))  # once a page run


def below() -> list[str]:
    """The fragments below the levers that a change of the settings redraws. Goal seek only
    while it shows an answer (which may now be about other settings): its picker does not
    depend on the settings."""
    goal_seek = [GOALSEEK_FRAGMENT] if st.session_state.get(RESULT_KEY) else []
    return [RESULTS_FRAGMENT, *goal_seek, SAVE_FRAGMENT, MORE_FRAGMENT]


def rerun_results(panel: bool = True) -> None:
    """A control's callback: rerun only the results, not the page (the control already shows
    its new value in the browser, and the lever panel its numbers): the headline, the panel
    unless ``panel`` is false, and what is below the levers while it is near the view
    (:func:`ui.results_near.after_move`); out of sight it is marked stale and rerun when it
    comes near (:func:`results_near`). A save confirmation already seen was about the settings
    before: it goes."""
    forget_shown_result(SAVE_PREFIX)
    always = [STRIP_FRAGMENT, LEVERS_FRAGMENT] if panel else [STRIP_FRAGMENT]
    st.rerun(after_move(always, below(), NEAR_FRAGMENT))


def results_near() -> None:
    """The near-view mark's callback: keep what the browser said; once the results below are
    near and stale, rerun them (and the mark, which drops its note)."""
    now = when_near(below(), NEAR_FRAGMENT)
    if now:
        st.rerun(now)


def take_levers() -> None:
    """The lever panel's callback (on release of a lever): keep the values it sent, then rerun
    the results and the headline. The panel is not rerun: it hears the values the server took
    from the headline (``settled`` in its data, :func:`ui.lever_panel.panel_values`) and then
    shows its numbers as confirmed. Only while the page shows a saved scenario's stored numbers
    instead of that headline is the panel rerun to hear them."""
    controls.take(take_values(levers, model.settable_years, sent_values()))
    rerun_results(panel=live_computation() is None)


def store_assumption(aid: str) -> None:
    """An assumption control's callback: keep its value, then rerun only the results."""
    controls.keep_assumption(aid)
    rerun_results()


def reset_controls() -> None:
    """The reset button's callback: the baseline everywhere, no goal-seek answer, no save."""
    controls.reset()
    st.session_state.pop(RESULT_KEY, None)
    forget_shown_result(SAVE_PREFIX)


def apply_settings(settings: dict[str, dict[int, float]], target_id: str) -> None:
    """Write a goal-seek answer into the lever controls (runs before the widgets are drawn)."""
    controls.apply(settings)
    st.session_state[APPLIED_KEY] = target_id
    forget_shown_result(SAVE_PREFIX)
    st.rerun()  # the whole page, so that the lever controls show the new values


# ----------------------------------------------------------------------------------- page
def details(calc: Computation, frame: pd.DataFrame, targets: pd.DataFrame,
            register: pd.DataFrame) -> None:
    """Below the levers: the targets table, how the ended years went and every target."""
    m, scenario = calc.model, calc.scenario
    outcome_table(m, scenario, frame, baseline_projection(m), targets, ind_labels, lang)
    ended_lines(register, m, lang, key="planner_ended")
    register_panel(register, m, lang, ind_labels, key="planner.register", in_place=True)


def save_panel(calc: Computation, shown: Scenario) -> None:
    """The save form, drawn only while its panel is open (like the assumptions panel)."""
    panel = st.expander(t("saved.form.heading", lang), icon=":material/bookmark_add:",
                        key=SAVE_PANEL, on_change="rerun")
    if panel.open:
        with panel:
            if calc.pinned:  # a new save is computed on the current data, as every save is
                st.caption(t("saved.form.on_current_data", lang, current=model.version))
            render_save_form(model, controls.on_current_data(calc.scenario, shown), lang,
                             key_prefix=SAVE_PREFIX)


def view_groups(m: PlannerResults) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The chart tabs' groups of outcomes (worked out once a page run for the current model)."""
    return chart_tabs if m is model else chart_groups(m.dataset.indicators, outcome_order(m))


def open_view(m: PlannerResults):
    """The heading and the tabs of the charts and contributions (drawn once a page run: a
    lever move changes what is in the open tab, not the tabs); returns the open tab and its
    index. Tabs run only when open (lazy), so a lever move draws just what is on screen."""
    st.subheader(t("planner.charts_heading", lang))
    names = ([t(f"planner.tab_{group}", lang) for group, _ in view_groups(m)]
             + [t("contrib.heading", lang)])
    tabs = st.tabs(names, key="planner.view", on_change="rerun")
    index = next((i for i, tab in enumerate(tabs) if tab.open), 0)
    return tabs[index], index


def view(calc: Computation, index: int, frame: pd.DataFrame, targets: pd.DataFrame) -> None:
    """What the open tab shows: a group's charts, or the levers' contributions."""
    m, scenario = calc.model, calc.scenario
    base = baseline_projection(m)
    groups = view_groups(m)
    if index < len(groups):
        with st.container(key="screen_only_chart_help"):  # not on paper
            st.caption(t("chart.help", lang))
        outcome_grid(m, groups[index][1], lang, frame=frame, base=base, targets=targets,
                     labels=ind_labels, is_baseline=scenario.is_baseline(),
                     key_prefix="fan.", in_place=True)
    else:
        names = {lv.id: lv.label(lang) for lv in levers}
        names["assumptions"] = t("contrib.assumptions", lang)
        contribution_panel(m, scenario, frame, base, names, ind_labels, lang)


def live_computation() -> Computation | None:
    """:func:`current_computation`, or ``None`` when the page shows a saved scenario's stored
    numbers (:func:`workspace` draws them; the fragments below it draw nothing)."""
    try:
        calc = computation(controls.scenario(), model)
    except ScenarioError:  # the results above say what is wrong
        return None
    return None if calc.frozen and calc.opened is not None else calc


def current_computation() -> Computation | None:
    """What the controls show, computed: ``None`` (with a message) if they hold a value
    outside its range (they cannot; the page says so if they do)."""
    try:
        shown = controls.scenario()
    except ScenarioError as exc:
        st.error(t("planner.invalid", lang, detail=" ".join(saved_error_texts(exc, lang))))
        return None
    return computation(shown, model)


@st.fragment(key=STRIP_FRAGMENT)
def strip() -> None:
    """The headline beside the levers (:mod:`ui.headline_strip`, one component updated in
    place): each outcome in the first settable year and 2030, the rank's range, the targets
    ahead on track.

    It is sent first; on the session's first visit to the page the script then waits
    (:func:`ui.paint.first_paint`), so the browser draws it before the rest arrives. After a
    lever move there is no pause: the lever panel has shown the numbers in the browser all
    along."""
    calc = current_computation()
    if calc is None:
        return
    shown = controls.scenario()
    # the session keeps what the controls show (valid on the current data); the link keeps
    # just the saved id while that is still the opened scenario
    set_scenario(shown)
    write_url(shown, lang)
    if calc.frozen and calc.opened is not None:  # its stored numbers are shown below
        st.caption(t("snapshot.controls", lang))
        return
    m, scenario = calc.model, calc.scenario
    sim = simulation(m, scenario, calc.draws, calc.seed)
    data = strip_data(m, scenario, HEADLINE_OUTCOMES, sim["frame"], sim["targets"], ind_labels,
                      lang)
    headline_strip(data | {"settled": panel_values(controls.lever_values())}, key=HEADLINE_KEY)
    first_paint(URL_PATH)  # the numbers on screen before the rest, once per session
    # the download menu below (drawn once a page run) gives these settings' numbers, whether
    # or not this move redraws the results
    export_menu_for_computation(calc, sim["frame"], sim["targets"], lang, key=EXPORT_KEY,
                                url_path=URL_PATH, latest=latest_bundle(EXPORT_KEY))


@st.fragment(key=LEVERS_FRAGMENT)
def lever_controls() -> None:
    """The lever panel (:mod:`ui.lever_panel`): its numbers follow the sliders in the browser;
    it is rerun with the results so that it shows the values the server computed."""
    data = panel_data(model, levers, controls.lever_values(),
                      response_for(model, controls.overrides()), strip_years(model), ind_labels,
                      lang)
    lever_panel(data, take_levers)


@st.fragment(key=RESULTS_FRAGMENT)
def workspace() -> None:
    """The targets table and register below the levers and the headline (or a saved
    scenario's stored numbers); goal seek and the rest below them are fragments of their own.

    The controls are outside: a control's callback reruns the result fragments by name, so a
    lever move sends only the results (the control already shows its new value in the
    browser)."""
    calc = current_computation()
    if calc is None:
        return
    m, scenario = calc.model, calc.scenario
    if calc.frozen and calc.opened is not None:  # its stored numbers; today's model differs
        show_frozen(calc.opened.id, calc.opened.name(lang), model, lang, key="planner_snapshot")
        export_menu_for_saved(calc.opened.id, model, lang, key=EXPORT_KEY,
                              url_path=URL_PATH)  # its stored numbers
        return
    opened_notice(calc, lang, model, URL_PATH)
    sim = simulation(m, scenario, calc.draws, calc.seed)
    details(calc, sim["frame"], sim["targets"], sim["register"])


@st.fragment(key=GOALSEEK_FRAGMENT)
def goal_seek() -> None:
    """Goal seek, a fragment of its own: a lever move reruns it only while it shows an answer
    (:func:`rerun_results`)."""
    calc = live_computation()
    if calc is None:
        return
    m, scenario = calc.model, calc.scenario
    sim = simulation(m, scenario, calc.draws, calc.seed)
    goalseek_panel(m, scenario, sim["targets"], {lv.id: lv for lv in levers}, ind_labels, lang,
                   apply_settings, controls.view)


@st.fragment(key=SAVE_FRAGMENT)
def save_section() -> None:
    """The save form's panel, below goal seek: a fragment of its own, rerun by a move (an open
    form saves the settings the page shows)."""
    calc = live_computation()
    if calc is not None:
        save_panel(calc, controls.scenario())


@st.fragment(key=NEAR_FRAGMENT)
def near_mark() -> None:
    """Where the results start: the mark that tells the server whether they are near the view,
    with a note while a move has left them stale (:mod:`ui.results_near`)."""
    results_mark(lang, results_near)


@st.fragment(key=MORE_FRAGMENT)
def the_rest(index: int) -> None:
    """The open tab's charts or contributions (:func:`view`; the tabs are drawn around it
    once a page run)."""
    calc = live_computation()
    if calc is None:
        return
    m, scenario = calc.model, calc.scenario
    sim = simulation(m, scenario, calc.draws, calc.seed)
    view(calc, index, sim["frame"], sim["targets"])


# Charts below the fold are not drawn until scrolled to (content-visibility), so a lever move
# does not wait on the browser laying out and painting charts out of sight. On a wide screen the
# headline beside the levers stays in view (sticky) while the levers or assumptions scroll.
st.html(
    "<style>"
    ".planner-chart{content-visibility:auto;"
    f"contain-intrinsic-block-size:auto {CHART_HEIGHT}px;}}"
    "@media print{.planner-chart{content-visibility:visible;}}"
    f"@media screen and (min-width:640px){{{STRIP_BOX}{{position:sticky;top:3.75rem;z-index:2;"
    "background:var(--background-color,#fff);}}"
    # on a phone the columns stack: the headline first, then the levers that move it
    f"@media screen and (max-width:639px){{[data-testid='stColumn']:has(.st-key-{STRIP_KEY})"
    "{order:-1;}}"
    "</style>"
)
st.title(t("planner.title", lang))
if not show_horizon_notice(model, lang):  # once no year is left to set, the notice says so
    st.caption(t("planner.intro", lang, years=years_text(model.settable_years, lang)))
opened = init_scenario(model)
mark_fresh()  # a full run draws everything for the settings it shows
show_link_problems(link_problems(), lang)
if SENT_KEY in st.session_state:  # what a test sends in the lever panel's place
    controls.take(take_values(levers, model.settable_years, st.session_state.pop(SENT_KEY)))
    forget_shown_result(SAVE_PREFIX)
controls.seed(opened)
adopt_controls(model, controls.as_controls)  # a saved value between two grid steps stays exact
left, right = st.columns([3, 2], gap="medium")
# the headline's numbers are sent first (its column is filled before the levers' one; on a
# session's first visit the strip pauses after them), then the levers, the table and charts
with right, st.container(key=STRIP_KEY, border=True):
    strip()
with left:  # outside the fragments but the lever panel's own: not redrawn on a lever move
    controls.draw_levers(lever_controls, reset_controls)
    controls.draw_assumptions(store_assumption)  # below the levers, out of their way
near_mark()
workspace()
goal_seek()
save_section()
live = live_computation()
# the fragments a move reruns are drawn in every page run (a rerun by name needs them), the
# charts' one inside the open tab
place, index = open_view(live.model) if live is not None else (st.container(), 0)
with place:
    the_rest(index)
if live is not None:  # the downloads of what the fragments above show last
    latest_menu(lang, key=EXPORT_KEY, url_path=URL_PATH)
