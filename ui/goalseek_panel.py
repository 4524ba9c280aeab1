"""The scenarios page's "what would it take?" panel: pick a target (and a lever), get the least
change that reaches it, and apply it to the lever controls.

The answer is kept in the session (:data:`RESULT_KEY`) with the scenario it was computed for,
so it survives the reruns a lever move causes and says when it has gone stale. Applying it is
the page's business (a callback writing the lever controls); after the page reran with the new
values, :data:`APPLIED_KEY` makes the panel say whether the target is now reached.

Only the levers that move the chosen target are offered (:func:`planner.goalseek.moving_levers`,
kept per dataset version and target in the session). A target out of reach names the
assumptions that limit it and offers the best reachable lever values, with their own Apply.

Besides the data's targets, the picker offers a goal on the DTI in 2030 (the score, its rank
and each projected pillar rank, :func:`planner.views.goalseek_goals`): the reader picks the
goal on a slider of allowed values (a score from 0,50 to 1; a rank of the field, "or better").
An answer whose lever values leave their documented plausible range says so, with each
range's rationale.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd
import streamlit as st

from planner.formatting import fmt_number, fmt_value
from planner.goalseek import (
    GoalSeekError,
    goal_seek,
    goal_target,
    moving_levers,
    parse_goal,
    reaches,
)
from planner.horizon import END_YEAR
from planner.i18n import t, text_of
from planner.ids import is_rank
from planner.projection import PlannerResults
from planner.scenario import BASELINE, Scenario
from planner.targets import Target, find_target
from planner.views import (
    LeverView,
    default_goal,
    fmt_outcome,
    goal_options,
    goalseek_goals,
    goalseek_targets,
)
from ui.model import values_in

RESULT_KEY = "goalseek.result"
APPLIED_KEY = "goalseek.applied"
MOVERS_KEY = "goalseek.movers"
GOAL_PREFIX = "goal:"
"""A picker choice ``goal:<indicator>@<year>``: a goal the reader sets on the DTI."""
LIMITS_SHOWN = 3


def target_label(target: Target, model: PlannerResults, labels: Mapping[str, str],
                 lang: str) -> str:
    """``"<outcome> <year>: <value>"``, with ⚠ when the sources disagree on the target; a rank
    goal reads ``"… 5/34 or better"``."""
    value = fmt_outcome(target.value, target.indicator, target.year, model, lang)
    if is_rank(target.indicator):
        value = t("goalseek.or_better", lang, value=value)
    text = f"{labels.get(target.indicator, target.indicator)} {target.year}: {value}"
    return text + (" ⚠" if target.conflict else "")


def goal_choice(indicator: str, year: int) -> str:
    """The picker's id of a goal on ``indicator`` in ``year``."""
    return f"{GOAL_PREFIX}{indicator}@{year}"


def choice_label(choice: str, by_id: Mapping[str, Target], model: PlannerResults,
                 labels: Mapping[str, str], lang: str) -> str:
    """A picker entry: a target as :func:`target_label`, a goal as ``"<outcome> 2030: a goal
    you set"``."""
    if choice.startswith(GOAL_PREFIX):
        indicator, year = choice.removeprefix(GOAL_PREFIX).split("@")
        return t("goalseek.goal_choice", lang, outcome=labels.get(indicator, indicator),
                 year=year)
    return target_label(by_id[choice], model, labels, lang)


def goal_picker(model: PlannerResults, choice: str, labels: Mapping[str, str],
                lang: str) -> Target:
    """The goal slider of a DTI goal (its allowed values only, a first value from the
    baseline, :func:`planner.views.default_goal`); the goal as a target."""
    indicator, year = choice.removeprefix(GOAL_PREFIX).split("@")
    year = int(year)
    options = goal_options(model, indicator, year)
    key = f"goalseek.goal.{indicator}"
    if st.session_state.get(key) not in options:
        st.session_state[key] = default_goal(model, indicator, year,
                                             values_in(model, BASELINE, year)[indicator])
    rank = is_rank(indicator)
    value = st.select_slider(
        t("goalseek.goal_rank" if rank else "goalseek.goal_score", lang, year=year),
        options, key=key,
        format_func=lambda v: (t("goalseek.or_better", lang,
                                 value=fmt_outcome(v, indicator, year, model, lang)) if rank
                               else fmt_number(v, lang, 2)))
    return goal_target(model, indicator, year, value)


def _compute(model: PlannerResults, target: Target, scenario: Scenario, lever_id: str,
             assumptions: tuple[str, ...]) -> dict:
    try:
        res = goal_seek(model, target, scenario, lever_id or None, assumptions)
    except GoalSeekError as exc:
        return {"error": str(exc), "target": target.id, "lever": lever_id}
    return {"target": target.id, "lever": lever_id, "scenario": scenario.key(),
            "reachable": res.reachable, "already": res.already_reached,
            "settings": {k: dict(v) for k, v in res.settings.items()},
            "best_settings": {k: dict(v) for k, v in res.best_settings.items()},
            "limits": [lim.to_dict() for lim in res.limits],
            "beyond": [b.to_dict() for b in res.beyond],
            "achieved": res.achieved}


def target_levers(model: PlannerResults, target: Target) -> tuple[str, ...]:
    """The levers that move ``target`` (from the baseline), kept in the session per dataset
    version, so a lever move does not compute them again."""
    known = st.session_state.setdefault(MOVERS_KEY, {})
    key = f"{model.version}|{target.id}"
    if key not in known:
        try:
            known[key] = moving_levers(model, target)
        except GoalSeekError:
            known[key] = tuple(model.levers)
    return known[key]


def settings_text(settings: Mapping[str, Mapping[int, float]], model: PlannerResults,
                  levers: Mapping[str, LeverView], lang: str) -> str:
    """``"<lever> in <year> = <value>; ..."``."""
    return "; ".join(
        t("goalseek.setting", lang, lever=levers[lid].label(lang), year=int(y),
          value=fmt_value(v, levers[lid].unit, lang, model.dataset.units, decimals=1))
        for lid, path in settings.items() for y, v in path.items())


def limits_text(limits: list[dict], target: Target, model: PlannerResults,
                assumptions: Mapping[str, Any], lang: str) -> str:
    """What limits an unreachable target, in words: the assumptions that reach it at an end of
    their range, else the (at most :data:`LIMITS_SHOWN`) closest."""
    if not limits:
        return t("goalseek.no_limit", lang)
    reach = [lim for lim in limits if lim["reaches"]]
    shown = reach or limits[:LIMITS_SHOWN]
    parts = [t("goalseek.limit", lang,
               assumption=assumptions["texts"].get(lim["assumption"], {}).get(
                   "label", lim["assumption"]),
               value=fmt_number(lim["value"], lang, 6, trim=True),
               achieved=fmt_outcome(lim["achieved"], target.indicator, target.year, model, lang))
             for lim in shown]
    key = "goalseek.limited_by" if reach else "goalseek.closest"
    return t(key, lang, limits="; ".join(parts))


def beyond_text(beyond: list[dict], model: PlannerResults, levers: Mapping[str, LeverView],
                lang: str) -> str:
    """The lever values of an answer beyond their plausible range, in words."""
    items = [t("goalseek.beyond_item", lang, lever=levers[b["lever"]].label(lang),
               year=int(b["year"]),
               value=fmt_value(b["value"], levers[b["lever"]].unit, lang, model.dataset.units,
                               decimals=1),
               low=fmt_value(b["plausible_low"], levers[b["lever"]].unit, lang,
                             model.dataset.units, decimals=1),
               high=fmt_value(b["plausible_high"], levers[b["lever"]].unit, lang,
                              model.dataset.units, decimals=1))
             for b in beyond]
    return t("goalseek.beyond", lang, items="; ".join(items))


def show_beyond(beyond: list[dict], model: PlannerResults, levers: Mapping[str, LeverView],
                lang: str) -> None:
    """Flag an answer that needs a lever beyond its plausible range, each range's rationale
    one click away."""
    if not beyond:
        return
    st.warning(beyond_text(beyond, model, levers, lang), icon=":material/report:")
    rows = {str(r["id"]): r for r in model.dataset.levers.to_dict("records")}
    with st.expander(t("goalseek.plausible_why", lang)):
        for lid in dict.fromkeys(b["lever"] for b in beyond):
            st.markdown(f"**{levers[lid].label(lang)}**: "
                        f"{text_of(rows.get(lid, {}), 'rationale', lang)}")


def _goal_of(model: PlannerResults, target_id: str) -> Target:
    """A target of the data, or a goal the reader set (its id ``INDICATOR@YEAR=VALUE``)."""
    try:
        return find_target(model.targets, target_id)
    except KeyError:
        return parse_goal(model, target_id)


def _applied(model: PlannerResults, target_id: str, scenario: Scenario, targets: pd.DataFrame,
             labels: Mapping[str, str], lang: str) -> None:
    tg = _goal_of(model, target_id)
    row = targets[targets["target_id"] == target_id]
    if row.empty:  # a goal the reader set: read off the projection
        value = values_in(model, scenario, tg.year)[tg.indicator]
        projected = fmt_outcome(value, tg.indicator, tg.year, model, lang)
        reached_now = reaches(tg, value)
    else:
        projected = fmt_outcome(row["projected"].iloc[0], tg.indicator, tg.year, model, lang)
        reached_now = float(row["gap"].iloc[0]) <= 1e-9
    key = "goalseek.applied_reached" if reached_now else "goalseek.applied_not_reached"
    (st.success if reached_now else st.warning)(
        t(key, lang, target=target_label(tg, model, labels, lang), projected=projected),
        icon=":material/check_circle:" if reached_now else ":material/warning:")


def goalseek_panel(model: PlannerResults, scenario: Scenario, targets: pd.DataFrame,
                   levers: Mapping[str, LeverView], labels: Mapping[str, str], lang: str,
                   on_apply: Callable[[dict, str], None],
                   assumptions: Mapping[str, Any] | None = None) -> None:
    """Draw the panel.

    Parameters
    ----------
    model : PlannerResults
        The model the page computes with.
    scenario : Scenario
        The scenario shown (the starting point of the search).
    targets : pandas.DataFrame
        Its evaluated targets (:func:`planner.targets.evaluate_targets`).
    levers : mapping
        ``{lever id: LeverView}``.
    labels : mapping
        ``{indicator: label}`` in ``lang``.
    lang : str
    on_apply : callable
        ``on_apply(settings, target_id)``: the apply button's callback; ``settings`` is
        ``{lever: {year: value}}``.
    assumptions : mapping, optional
        :func:`ui.model.assumption_controls`: the assumptions tried when a target is out of
        reach, and their names.
    """
    assumptions = assumptions or {"editable": (), "texts": {}}
    st.subheader(t("goalseek.heading", lang))
    st.caption(t("goalseek.help", lang))
    choices = goalseek_targets(model)
    goals = goalseek_goals(model)
    if not choices and not goals:
        st.info(t("goalseek.no_year_left" if not model.settable_years else "goalseek.no_targets",
                  lang, end=END_YEAR))
        return
    by_id = {tg.id: tg for tg in choices}
    entries = [*(goal_choice(ind, y) for ind, y in goals), *by_id]
    c1, c2, c3 = st.columns([3, 2, 1], vertical_alignment="bottom")
    with c1:
        choice = st.selectbox(t("goalseek.target", lang), entries, key="goalseek.target",
                              format_func=lambda i: choice_label(i, by_id, model, labels, lang))
        target = (goal_picker(model, choice, labels, lang) if choice.startswith(GOAL_PREFIX)
                  else by_id[choice])
    target_id = target.id
    movers = [lid for lid in levers if lid in target_levers(model, target)]
    if st.session_state.get("goalseek.lever") not in ("", *movers):
        st.session_state["goalseek.lever"] = ""  # a lever that does not move this target
    lever_id = c2.selectbox(t("goalseek.lever", lang), ["", *movers], key="goalseek.lever",
                            format_func=lambda i: levers[i].label(lang) if i
                            else t("goalseek.all_levers", lang))
    if c3.button(t("goalseek.compute", lang), key="goalseek.compute", type="primary",
                 width="stretch"):
        st.session_state[RESULT_KEY] = _compute(model, target, scenario, lever_id,
                                                tuple(assumptions["editable"]))
    applied = st.session_state.pop(APPLIED_KEY, None)
    if applied:
        _applied(model, applied, scenario, targets, labels, lang)
        return
    res = st.session_state.get(RESULT_KEY)
    if not res or res.get("target") != target_id or res.get("lever") != lever_id:
        return
    if "error" in res:
        st.warning(t("goalseek.error", lang, detail=res["error"]))
        return
    tg = target
    name = target_label(tg, model, labels, lang)
    achieved = fmt_outcome(res["achieved"], tg.indicator, tg.year, model, lang)
    if res["scenario"] != scenario.key():
        st.caption(t("goalseek.stale", lang))
    if res["already"]:
        st.success(t("goalseek.already", lang, target=name, achieved=achieved),
                   icon=":material/check_circle:")
    elif res["reachable"]:
        st.info(t("goalseek.answer", lang, target=name,
                  settings=settings_text(res["settings"], model, levers, lang),
                  achieved=achieved), icon=":material/lightbulb:")
        show_beyond(res.get("beyond", []), model, levers, lang)
        st.button(t("goalseek.apply", lang), key="goalseek.apply", type="primary",
                  on_click=on_apply, args=(res["settings"], target_id),
                  icon=":material/done_all:")
    else:
        st.warning(t("goalseek.unreachable", lang, target=name, best=achieved) + " "
                   + limits_text(res.get("limits", []), tg, model, assumptions, lang),
                   icon=":material/block:")
        best = res.get("best_settings") or {}
        if best:
            st.markdown(t("goalseek.best", lang,
                          settings=settings_text(best, model, levers, lang), achieved=achieved))
            show_beyond(res.get("beyond", []), model, levers, lang)
            st.button(t("goalseek.apply_best", lang), key="goalseek.apply_best",
                      on_click=on_apply, args=(best, target_id), icon=":material/done_all:")
