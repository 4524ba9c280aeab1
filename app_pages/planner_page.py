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
from planner.goalseek import GoalSeekError, goal_seek
from planner.horizon import END_YEAR, SETTABLE_YEARS
from planner.i18n import label, t
from planner.projection import OVERALL, RANK_ID, PlannerResults
from planner.scenario import BASELINE, Scenario, ScenarioError
from planner.targets import find_target
from planner.views import (
    LeverView,
    control_values,
    display_outcomes,
    fmt_change,
    fmt_outcome,
    goalseek_targets,
    outcome_order,
    outcome_rows,
    rank_range,
    scenario_from_controls,
    snap_option,
)
from ui.charts import PLOTLY_CONFIG, PLOTLY_THEME
from ui.data import frames
from ui.lang import current_lang
from ui.model import (
    assumption_controls as assumption_view,
)
from ui.model import (
    baseline_projection,
    get_levers,
    get_model,
    history,
    lever_contributions,
    option_labels,
    simulation,
    values_in,
)
from ui.outcome_charts import (
    CHART_HEIGHT,
    STATUS_COLOURS,
    by_indicator,
    contribution_chart,
    outcome_figure,
)
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
from ui.status import status_rule

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
RESULT_KEY = "goalseek.result"
APPLIED_KEY = "goalseek.applied"

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


def target_label(target) -> str:
    text = (f"{ind_labels.get(target.indicator, target.indicator)} {target.year}: "
            f"{fmt_outcome(target.value, target.indicator, target.year, model, lang)}")
    return text + (" ⚠" if target.conflict else "")


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


# ----------------------------------------------------------------------------------- results
def headline(m: PlannerResults, scenario: Scenario) -> dict[str, object]:
    """The 2030 results, drawn first (from the deterministic projection, which needs no
    simulation); returns the slots the simulation fills in afterwards."""
    st.subheader(t("planner.results_heading", lang, year=END_YEAR))
    now = values_in(m, scenario, END_YEAR)
    then = values_in(m, BASELINE, END_YEAR)
    cols = st.columns(len(HEADLINE_OUTCOMES) + 1)
    slots: dict[str, object] = {}
    for col, ind in zip(cols, HEADLINE_OUTCOMES, strict=False):
        value, change = now[ind], now[ind] - then[ind]
        if ind == RANK_ID:  # places: whole ranks, a smaller rank is better
            change = round(value) - round(then[ind])
        with col, st.container(key=f"headline_{ind}", border=True):
            # the label above the number wraps on narrow columns (a metric label is cut)
            name = t("planner.metric_value", lang, label=ind_labels.get(ind, ind), year=END_YEAR)
            st.markdown(f"**{name}**")
            st.metric(
                name,
                fmt_outcome(value, ind, END_YEAR, m, lang),
                label_visibility="collapsed",
                delta=fmt_change(change, ind, END_YEAR, m, lang),
                delta_description=t("planner.vs_baseline", lang),
                delta_color=("off" if abs(change) < 1e-12
                             else "inverse" if ind == RANK_ID else "normal"),
            )
            if ind == RANK_ID:
                slots["rank"] = st.empty()
    with cols[-1], st.container(border=True):
        name = t("planner.metric_on_track", lang)
        st.markdown(f"**{name}**")
        slots["on_track"] = st.empty()
    return slots


def fill_headline(m: PlannerResults, slots: dict, scenario: Scenario, frame: pd.DataFrame,
                  targets: pd.DataFrame) -> None:
    """The parts of the headline that need the simulation: rank range, targets on track."""
    ranks = rank_range(frame, END_YEAR)
    if ranks:
        slots["rank"].caption(t("planner.rank_range", lang, best=ranks[0], worst=ranks[2],
                                of=m.field.size(END_YEAR)))
    future = targets[targets["basis"] != "observed"]
    good = int(future["status"].eq("on_track").sum())
    slots["on_track"].metric(t("planner.metric_on_track", lang), f"{good}/{len(future)}",
                             help=rule_text(m, scenario), label_visibility="collapsed")


def rule_text(m: PlannerResults, scenario: Scenario) -> str:
    a = m.assumptions_for(scenario)
    return status_rule(lang, a.value("status_on_track_probability"),
                       a.value("status_at_risk_probability"))


def outcome_table(m: PlannerResults, scenario: Scenario, frame: pd.DataFrame,
                  base: pd.DataFrame, targets: pd.DataFrame) -> None:
    st.markdown(f"#### {t('planner.table_heading', lang)}")
    rows = outcome_rows(m, frame, base, targets)
    shown = display_outcomes(rows, m, lang, ind_labels)
    status_col = t("planner.table.status", lang)
    colours = {s: f"background-color: {c}33" for s, c in STATUS_COLOURS.items()}
    status_ids = list(shown["_status"])
    shown = shown.drop(columns="_status")
    styler = shown.style.apply(
        lambda col: [colours.get(s, "") for s in status_ids], subset=[status_col])
    outcome_col = t("planner.table.outcome", lang)
    st.dataframe(styler, hide_index=True, width="stretch", key="planner.table",
                 height=min(40 + 35 * len(shown), 560),
                 column_config={outcome_col: st.column_config.TextColumn(outcome_col,
                                                                         width="medium")})
    st.caption(rule_text(m, scenario))
    for y in SETTABLE_YEARS:
        ranks = rank_range(frame, y)
        if ranks:
            st.markdown(t("planner.rank_range_year", lang, year=y, median=ranks[1],
                          best=ranks[0], worst=ranks[2], of=m.field.size(y)))


def goalseek_panel(m: PlannerResults, scenario: Scenario, targets: pd.DataFrame) -> None:
    st.subheader(t("goalseek.heading", lang))
    st.caption(t("goalseek.help", lang))
    choices = goalseek_targets(m)
    if not choices:
        st.info(t("goalseek.no_targets", lang))
        return
    by_id = {tg.id: tg for tg in choices}
    c1, c2, c3 = st.columns([3, 2, 1], vertical_alignment="bottom")
    target_id = c1.selectbox(t("goalseek.target", lang), list(by_id),
                             format_func=lambda i: target_label(by_id[i]), key="goalseek.target")
    lever_id = c2.selectbox(t("goalseek.lever", lang), ["", *lever_by_id],
                            format_func=lambda i: lever_by_id[i].label(lang) if i
                            else t("goalseek.all_levers", lang), key="goalseek.lever")
    if c3.button(t("goalseek.compute", lang), key="goalseek.compute", type="primary",
                 width="stretch"):
        try:
            res = goal_seek(m, by_id[target_id], scenario, lever_id or None)
        except GoalSeekError as exc:
            st.session_state[RESULT_KEY] = {"error": str(exc), "target": target_id,
                                            "lever": lever_id}
        else:
            st.session_state[RESULT_KEY] = {
                "target": target_id, "lever": lever_id, "scenario": scenario.key(),
                "reachable": res.reachable, "already": res.already_reached,
                "settings": {k: dict(v) for k, v in res.settings.items()},
                "achieved": res.achieved,
            }
    applied = st.session_state.pop(APPLIED_KEY, None)
    if applied:
        tg = find_target(m.targets, applied)
        row = targets[targets["target_id"] == applied]
        projected = fmt_outcome(row["projected"].iloc[0], tg.indicator, tg.year, m, lang)
        reached_now = not row.empty and float(row["gap"].iloc[0]) <= 1e-9
        key = "goalseek.applied_reached" if reached_now else "goalseek.applied_not_reached"
        (st.success if reached_now else st.warning)(
            t(key, lang, target=target_label(tg), projected=projected),
            icon=":material/check_circle:" if reached_now else ":material/warning:")
        return
    res = st.session_state.get(RESULT_KEY)
    if not res or res.get("target") != target_id or res.get("lever") != lever_id:
        return
    if "error" in res:
        st.warning(t("goalseek.error", lang, detail=res["error"]))
        return
    tg = by_id[target_id]
    achieved = fmt_outcome(res["achieved"], tg.indicator, tg.year, m, lang)
    if res["scenario"] != scenario.key():
        st.caption(t("goalseek.stale", lang))
    if res["already"]:
        st.success(t("goalseek.already", lang, target=target_label(tg), achieved=achieved),
                   icon=":material/check_circle:")
    elif res["reachable"]:
        parts = [
            t("goalseek.setting", lang, lever=lever_by_id[lid].label(lang), year=int(y),
              value=fmt_value(v, lever_by_id[lid].unit, lang, m.dataset.units, decimals=1))
            for lid, path in res["settings"].items() for y, v in path.items()
        ]
        st.info(t("goalseek.answer", lang, target=target_label(tg), settings="; ".join(parts),
                  achieved=achieved), icon=":material/lightbulb:")
        st.button(t("goalseek.apply", lang), key="goalseek.apply", type="primary",
                  on_click=apply_settings, args=(res["settings"], target_id),
                  icon=":material/done_all:")
    else:
        st.warning(t("goalseek.unreachable", lang, target=target_label(tg), best=achieved),
                   icon=":material/block:")


def contribution_panel(m: PlannerResults, scenario: Scenario, frame: pd.DataFrame,
                       base: pd.DataFrame) -> None:
    st.caption(t("contrib.help", lang))
    order = outcome_order(m)
    ind = st.selectbox(t("contrib.outcome", lang), order, key="contrib.outcome",
                       format_func=lambda i: ind_labels.get(i, i))
    if scenario.is_baseline():
        st.info(t("contrib.none", lang))
        return
    parts = lever_contributions(m, scenario)
    parts = parts[parts["indicator"] == ind]
    b = base.set_index(["indicator", "year"])["value"]
    f = frame.set_index(["indicator", "year"])["value"]
    names = {lv.id: lv.label(lang) for lv in levers} | {"assumptions": t("contrib.assumptions", lang)}
    steps = []
    for y in SETTABLE_YEARS:
        year_parts = parts[(parts["year"] == y) & (parts["lever"] != "total")]
        if year_parts.empty:
            continue
        base_value = float(b[(ind, y)])
        steps.append((y, t("contrib.baseline", lang), "absolute", base_value,
                      fmt_outcome(base_value, ind, y, m, lang)))
        for r in year_parts.itertuples(index=False):
            steps.append((y, names.get(r.lever, r.lever), "relative", float(r.contribution),
                          fmt_change(r.contribution, ind, y, m, lang)))
        total = float(f[(ind, y)])
        steps.append((y, t("contrib.scenario", lang), "total", total,
                      fmt_outcome(total, ind, y, m, lang)))
    if not steps:
        st.info(t("contrib.no_years", lang))
        return
    fig = contribution_chart(title=ind_labels.get(ind, ind), unit=m.unit_of(ind, END_YEAR),
                             lang=lang, steps=steps)
    st.plotly_chart(fig, config=PLOTLY_CONFIG, theme=PLOTLY_THEME, key="contrib.chart",
                    width="stretch")


def fan_charts(m: PlannerResults, outcomes, scenario: Scenario, frame, base, targets) -> None:
    st.caption(t("planner.charts_help", lang))
    hist = history(m)
    series = by_indicator(frame, ("year", "value", "p10", "p90"))
    base_series = by_indicator(base, ("year", "value"))
    goals: dict[str, list[dict]] = {}
    for r in targets.to_dict("records"):
        goals.setdefault(r["indicator"], []).append(r)
    order = [o for o in outcomes if o in series]
    cols = st.columns(2)
    for i, ind in enumerate(order):
        fig = outcome_figure(m, ind, lang=lang, title=ind_labels.get(ind, ind),
                             scenario=series[ind], baseline=base_series[ind],
                             targets=goals.get(ind, []), history=hist[ind],
                             is_baseline=scenario.is_baseline())
        with cols[i % 2]:
            st.plotly_chart(fig, config=PLOTLY_CONFIG, theme=PLOTLY_THEME, key=f"fan.{ind}",
                            width="stretch")


# ----------------------------------------------------------------------------------- page
def details(calc: Computation, controls: Scenario, frame: pd.DataFrame,
            targets: pd.DataFrame) -> None:
    """Below the levers: the targets table, goal seek, the save form, charts and contributions."""
    m, scenario = calc.model, calc.scenario
    base = baseline_projection(m)
    outcome_table(m, scenario, frame, base, targets)
    goalseek_panel(m, scenario, targets)
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
                fan_charts(m, outcomes, scenario, frame, base, targets)
    if tabs[-1].open:
        with tabs[-1]:
            contribution_panel(m, scenario, frame, base)


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
    slots = headline(m, scenario)
    opened_notice(calc, lang, model, URL_PATH)
    # the session keeps what the controls show (valid on the current data); the link keeps
    # just the saved id while that is still the opened scenario
    set_scenario(controls)
    write_url(controls, lang)
    if st.session_state.pop(PAUSE_KEY, False):
        time.sleep(PAINT_PAUSE_S)
    sim = simulation(m, scenario, calc.draws, calc.seed)
    fill_headline(m, slots, scenario, sim["frame"], sim["targets"])
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
