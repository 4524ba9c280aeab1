"""Scenarios: move the levers, and every projection, target and uncertainty responds.

The results are one fragment (``planner_results``); the controls (the lever sliders and the
collapsed assumptions panel) are outside it, and each control's callback reruns the fragment by
name, so a lever move sends the results only, the 2030 numbers first, then (after a short
pause, :data:`PAINT_PAUSE_S`) the table and charts. The model is fitted once per dataset version
and each scenario's Monte Carlo is cached, so moving a lever back is instant. The scenario
lives in the session and in the URL (ui.scenario_state)."""

from __future__ import annotations

import time

import pandas as pd
import streamlit as st

from planner.formatting import fmt_value
from planner.horizon import SETTABLE_YEARS
from planner.i18n import label, t
from planner.projection import OVERALL, RANK_ID
from planner.scenario import Scenario, ScenarioError
from planner.views import LeverView, control_values, scenario_from_controls, snap_option
from ui.data import frames
from ui.goalseek_panel import APPLIED_KEY, RESULT_KEY, goalseek_panel
from ui.lang import current_lang
from ui.model import assumption_controls as assumption_view
from ui.model import baseline_projection, get_levers, get_model, option_labels, simulation
from ui.outcome_charts import CHART_HEIGHT
from ui.outcome_grid import outcome_grid
from ui.planner_results import contribution_panel, fill_headline, headline, outcome_table
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

DE_SHARE = "digital_economy_share_grdp"
HEADLINE_OUTCOMES = (OVERALL, RANK_ID, DE_SHARE)
RESULTS_FRAGMENT = "planner_results"
URL_PATH = "planner"
# {assumption: value} of the assumption controls. Kept apart from the controls' own state,
# which Streamlit drops while the collapsed panel does not draw them.
ASSUMPTION_VALUES = "planner.assumption_values"
ASSUMPTIONS_PANEL = "planner.assumptions_panel"
SAVE_PANEL = "planner.save_panel"
SAVE_PREFIX = "planner.save"
PAUSE_KEY = "planner.paint_pause"
# Seconds the results fragment waits, after a control move, between sending the 2030 numbers
# and computing the rest. Redrawing the table and charts keeps the browser busy for about
# 75 ms; arriving right behind the numbers, they delay them on screen. Measured with the
# browser benchmark (2 cores): keypress to new 2030 number about 80 ms without the pause,
# 55-65 ms with it; the page's last change after a press (all redrawn) about 310 ms either way.
PAINT_PAUSE_S = 0.03

lang = current_lang()
model = get_model()
levers: list[LeverView] = get_levers(model)
lever_by_id = {lv.id: lv for lv in levers}
labels_by_value = option_labels(model, lang)
indicators = frames()["indicators"]
ind_labels = {str(r["id"]): label(r, lang) for _, r in indicators.iterrows()}
_assumption_view = assumption_view(model, lang)
assumptions: pd.DataFrame = _assumption_view["frame"]
editable: tuple[str, ...] = _assumption_view["editable"]
assumption_grid: dict[str, tuple[float, ...]] = _assumption_view["grids"]
assumption_labels: dict[str, dict[float, str]] = _assumption_view["labels"]
assumption_texts: dict[str, dict[str, str]] = _assumption_view["texts"]
fixed_assumptions_text: str = _assumption_view["fixed_text"]
CHART_GROUPS = (
    ("planner.tab_dti", (OVERALL, RANK_ID, "dti_digital_government", "dti_digital_economy",
                         "dti_digital_society")),
    ("planner.tab_economy", (DE_SHARE, "dossiers_processed_fully_online", "online_filing_rate",
                             "cashless_adoption", "ecommerce_uptake")),
)


def rerun_results() -> None:
    """A control's callback: rerun only the results, not the page (the control already shows
    its new value in the browser), pausing after the 2030 numbers (:data:`PAINT_PAUSE_S`).
    A save confirmation already seen was about the settings before: it goes."""
    forget_shown_result(SAVE_PREFIX)
    st.session_state[PAUSE_KEY] = True
    st.rerun(RESULTS_FRAGMENT)


def store_assumption(aid: str) -> None:
    """An assumption control's callback: keep its value where the results read it, then rerun
    only the results."""
    st.session_state[ASSUMPTION_VALUES][aid] = st.session_state[assumption_key(aid)]
    rerun_results()


def lever_key(lever_id: str, year: int) -> str:
    return f"lever.{lever_id}.{year}"


def assumption_key(aid: str) -> str:
    return f"assumption.{aid}"


def controls_of(scenario: Scenario) -> tuple[dict[str, dict[int, float]], dict[str, float]]:
    """The values the lever and assumption controls show for a scenario (on their grids)."""
    values = control_values(levers, scenario)
    overrides = {aid: snap_option(scenario.overrides.get(aid, assumptions.loc[aid, "default"]),
                                  assumption_grid[aid]) for aid in editable}
    return values, overrides


def seed_controls(scenario: Scenario) -> None:
    """Give every control without a value the open scenario's (before the widgets exist)."""
    values, overrides = controls_of(scenario)
    for lv in levers:
        for y in SETTABLE_YEARS:
            st.session_state.setdefault(lever_key(lv.id, y), values[lv.id][y])
    values = st.session_state.setdefault(ASSUMPTION_VALUES, {})
    for aid in editable:
        values.setdefault(aid, overrides[aid])


def as_controls(scenario: Scenario) -> Scenario:
    """The scenario the controls make when they show ``scenario``."""
    return scenario_of(*controls_of(scenario))


def reset_controls() -> None:
    for lv in levers:
        for y in SETTABLE_YEARS:
            st.session_state[lever_key(lv.id, y)] = lv.default[y]
    values = st.session_state.setdefault(ASSUMPTION_VALUES, {})
    for aid in editable:
        values[aid] = snap_option(assumptions.loc[aid, "default"], assumption_grid[aid])
        if assumption_key(aid) in st.session_state:  # the panel is open
            st.session_state[assumption_key(aid)] = values[aid]
    st.session_state.pop(RESULT_KEY, None)
    forget_shown_result(SAVE_PREFIX)


def apply_settings(settings: dict[str, dict[int, float]], target_id: str) -> None:
    """Write a goal-seek answer into the lever controls (runs before the widgets are drawn)."""
    for lid, path in settings.items():
        lv = lever_by_id[lid]
        for year, value in path.items():
            st.session_state[lever_key(lid, int(year))] = snap_option(value, lv.options)
    st.session_state[APPLIED_KEY] = target_id
    forget_shown_result(SAVE_PREFIX)
    st.rerun()  # the whole page, so that the lever controls show the new values


def scenario_of(values: dict[str, dict[int, float]], overrides: dict[str, float]) -> Scenario:
    defaults = {aid: float(assumptions.loc[aid, "default"]) for aid in editable}
    return model.validate(scenario_from_controls(levers, values, overrides, defaults))


def scenario_of_controls() -> Scenario:
    values = {lv.id: {y: st.session_state.get(lever_key(lv.id, y)) for y in SETTABLE_YEARS}
              for lv in levers}
    stored = st.session_state.get(ASSUMPTION_VALUES, {})
    overrides = {aid: stored.get(aid) for aid in editable}
    return scenario_of(values, overrides)


def current_form(scenario: Scenario, controls: Scenario) -> Scenario:
    """``scenario`` (perhaps validated on a pinned dataset version) on the current data; the
    controls' scenario if it does not validate there."""
    try:
        return model.validate(scenario.to_dict())
    except ScenarioError:
        return controls


# ----------------------------------------------------------------------------------- levers
def lever_controls() -> None:
    st.subheader(t("planner.levers_heading", lang))
    st.caption(t("planner.levers_help", lang))
    cols = st.columns(len(levers))
    for col, lv in zip(cols, levers, strict=True):
        texts = labels_by_value[lv.id]
        with col, st.container(border=True):
            st.markdown(f"**{lv.label(lang)}**")
            for y in SETTABLE_YEARS:
                marks = t("planner.lever_baseline", lang, value=texts[lv.default[y]])
                goals = lv.targets.get(y, ())
                if goals:
                    marks += " · " + t("planner.lever_target", lang, value=" / ".join(
                        fmt_value(g, lv.unit, lang, model.dataset.units) for g in goals))
                st.select_slider(
                    t("planner.lever_year", lang, year=y),
                    options=lv.options,
                    format_func=texts.__getitem__,
                    key=lever_key(lv.id, y),
                    help=marks,
                    on_change=rerun_results,
                )
                st.caption(marks)
    st.button(t("planner.reset", lang), on_click=reset_controls, key="planner.reset",
              icon=":material/restart_alt:")


def assumption_controls() -> None:
    """The assumptions panel, collapsed by default; its controls are drawn only while it is
    open (``on_change="rerun"``), so a lever move does not send twenty hidden sliders."""
    panel = st.expander(t("assumptions.heading", lang), icon=":material/tune:", expanded=False,
                        key=ASSUMPTIONS_PANEL, on_change="rerun")
    if not panel.open:
        return
    values = st.session_state[ASSUMPTION_VALUES]
    with panel:
        st.caption(t("assumptions.intro", lang))
        for aid in editable:
            st.session_state.setdefault(assumption_key(aid), values[aid])
            st.select_slider(
                assumption_texts[aid]["label"],
                options=assumption_grid[aid],
                format_func=assumption_labels[aid].__getitem__,
                key=assumption_key(aid),
                on_change=store_assumption,
                args=(aid,),
            )
            st.caption(assumption_texts[aid]["caption"])
        if fixed_assumptions_text:
            st.markdown(f"**{t('assumptions.fixed_heading', lang)}**")
            st.caption(t("assumptions.fixed_help", lang))
            st.markdown(fixed_assumptions_text)


# ----------------------------------------------------------------------------------- page
def details(calc: Computation, controls: Scenario, frame: pd.DataFrame,
            targets: pd.DataFrame) -> None:
    """Below the levers: the targets table, goal seek, the save form, charts and contributions."""
    m, scenario = calc.model, calc.scenario
    base = baseline_projection(m)
    outcome_table(m, scenario, frame, base, targets, ind_labels, lang)
    goalseek_panel(m, scenario, targets, lever_by_id, ind_labels, lang, apply_settings)
    # drawn only while open, like the assumptions panel
    save_panel = st.expander(t("saved.form.heading", lang), icon=":material/bookmark_add:",
                             key=SAVE_PANEL, on_change="rerun")
    if save_panel.open:
        with save_panel:
            if calc.pinned:  # a new save is computed on the current data, as every save is
                st.caption(t("saved.form.on_current_data", lang, current=model.version))
            render_save_form(model, current_form(scenario, controls), lang,
                             key_prefix=SAVE_PREFIX)
    # charts and contributions in tabs that run only when open (lazy), so a lever move draws
    # just what is on screen
    st.subheader(t("planner.charts_heading", lang))
    names = [t(key, lang) for key, _ in CHART_GROUPS] + [t("contrib.heading", lang)]
    tabs = st.tabs(names, key="planner.view", on_change="rerun")
    for tab, (_, outcomes) in zip(tabs, CHART_GROUPS, strict=False):
        if tab.open:
            with tab:
                st.caption(t("planner.charts_help", lang))
                outcome_grid(m, outcomes, lang, frame=frame, base=base, targets=targets,
                             labels=ind_labels, is_baseline=scenario.is_baseline(),
                             key_prefix="fan.")
    if tabs[-1].open:
        with tabs[-1]:
            names = {lv.id: lv.label(lang) for lv in levers}
            names["assumptions"] = t("contrib.assumptions", lang)
            contribution_panel(m, scenario, frame, base, names, ind_labels, lang)


@st.fragment(key=RESULTS_FRAGMENT)
def workspace() -> None:
    """Everything computed from the controls.

    The controls are outside: a control's callback reruns this fragment by name, so a lever
    move sends only the results (the control already shows its new value in the browser). The
    2030 numbers come from the deterministic projection and are sent first; after a control
    move the script then waits :data:`PAINT_PAUSE_S` so the browser draws them before the
    table and charts arrive."""
    try:
        controls = scenario_of_controls()
    except ScenarioError as exc:  # a control outside its range cannot happen; say so if it does
        st.error(t("planner.invalid", lang, detail=str(exc)))
        return
    # a saved scenario still as opened: its exact settings on its pinned dataset version
    calc = computation(controls, model)
    m, scenario = calc.model, calc.scenario
    slots = headline(m, scenario, HEADLINE_OUTCOMES, ind_labels, lang)
    opened_notice(calc, lang, model, URL_PATH)
    # the session keeps what the controls show (valid on the current data); the link keeps
    # just the saved id while that is still the opened scenario
    set_scenario(controls)
    write_url(controls, lang)
    if st.session_state.pop(PAUSE_KEY, False):
        time.sleep(PAINT_PAUSE_S)
    sim = simulation(m, scenario, calc.draws, calc.seed)
    fill_headline(m, slots, scenario, sim["frame"], sim["targets"], lang)
    details(calc, controls, sim["frame"], sim["targets"])


# Charts below the fold are not drawn until scrolled to (content-visibility), so a lever move
# does not wait on the browser laying out and painting charts out of sight.
st.html(
    "<style>"
    "[data-testid='stPlotlyChart']{content-visibility:auto;"
    f"contain-intrinsic-block-size:auto {CHART_HEIGHT}px;}}"
    "@media print{[data-testid='stPlotlyChart']{content-visibility:visible;}}"
    "</style>"
)
st.title(t("planner.title", lang))
st.caption(t("planner.intro", lang))
opened = init_scenario(model)
show_link_problems(link_problems(), lang)
seed_controls(opened)
adopt_controls(model, as_controls)  # a saved value between two grid steps stays exact
assumption_controls()  # outside the fragment: not redrawn on a lever move
lever_controls()  # likewise; each control reruns only the results
workspace()
