"""The scenarios page's controls: the levers (a slider per lever and year, in the lever panel of
:mod:`ui.lever_panel`), the assumptions panel, and the session state behind them.

Each lever's value lives under :func:`lever_key` (plain session state, which the lever panel
shows and sets; a test sets a lever by writing it before a run). The assumption controls are drawn
only while their panel is open, and Streamlit drops the state of a widget not drawn, so their
values are kept apart under :data:`ASSUMPTION_VALUES` (``{assumption: value}``). The scenario
the page computes is always :meth:`PlannerControls.scenario`, read from that state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import streamlit as st

from planner.horizon import END_YEAR
from planner.i18n import t
from planner.projection import PlannerResults
from planner.scenario import Scenario, ScenarioError
from planner.views import LeverView, control_values, scenario_from_controls, snap_option
from ui.planner_results import years_text

ASSUMPTION_VALUES = "planner.assumption_values"
ASSUMPTIONS_PANEL = "planner.assumptions_panel"
SCENARIOS_KEPT = 4
"""Validated scenarios a :class:`PlannerControls` keeps (:meth:`PlannerControls.scenario`)."""


def lever_key(lever_id: str, year: int) -> str:
    """The session key of a lever control."""
    return f"lever.{lever_id}.{year}"


def slider_label(lever: str, year: int, lang: str) -> str:
    """A lever slider's label and accessible name: ``"<lever> — <year>"``."""
    return t("levers.slider_label", lang, lever=lever, year=year)


def assumption_key(aid: str) -> str:
    """The session key of an assumption control (while the panel draws it)."""
    return f"assumption.{aid}"


@dataclass(frozen=True)
class PlannerControls:
    """The controls of one model, in one language.

    Attributes
    ----------
    model : PlannerResults
        The model of the current dataset (the controls' ranges and defaults).
    levers : list of LeverView
        :func:`ui.model.get_levers`.
    view : dict
        :func:`ui.model.assumption_controls` in the page's language.
    lang : str

    The page makes the controls in a full run of its script; its fragments' reruns (a lever
    move) share them. The scenario of the same values is validated once (each fragment asks
    for it); the last :data:`SCENARIOS_KEPT` are kept.
    """

    model: PlannerResults
    levers: list[LeverView]
    view: dict[str, Any]
    lang: str
    _made: dict[tuple, Scenario] = field(default_factory=dict, init=False, repr=False,
                                         compare=False)

    @property
    def editable(self) -> tuple[str, ...]:
        """The assumptions the panel lets a reader change."""
        return self.view["editable"]

    @cached_property
    def _defaults(self) -> dict[str, float]:
        return {aid: float(value) for aid, value in self.view["frame"]["default"].items()}

    def _default(self, aid: str) -> float:
        return self._defaults[aid]

    def values_of(self, scenario: Scenario
                  ) -> tuple[dict[str, dict[int, float]], dict[str, float]]:
        """The values the lever and assumption controls show for a scenario (on their grids)."""
        overrides = {aid: snap_option(scenario.overrides.get(aid, self._default(aid)),
                                      self.view["grids"][aid]) for aid in self.editable}
        return control_values(self.levers, scenario), overrides

    def seed(self, scenario: Scenario) -> None:
        """Give every control without a value the scenario's (before the widgets exist)."""
        values, overrides = self.values_of(scenario)
        for lv in self.levers:
            for y in self.model.settable_years:
                st.session_state.setdefault(lever_key(lv.id, y), values[lv.id][y])
        stored = st.session_state.setdefault(ASSUMPTION_VALUES, {})
        for aid in self.editable:
            stored.setdefault(aid, overrides[aid])

    def reset(self) -> None:
        """Every control back to the baseline (a callback: runs before the widgets exist)."""
        for lv in self.levers:
            for y in self.model.settable_years:
                st.session_state[lever_key(lv.id, y)] = lv.default[y]
        stored = st.session_state.setdefault(ASSUMPTION_VALUES, {})
        for aid in self.editable:
            stored[aid] = snap_option(self._default(aid), self.view["grids"][aid])
            if assumption_key(aid) in st.session_state:  # the panel is open
                st.session_state[assumption_key(aid)] = stored[aid]

    def apply(self, settings: dict[str, dict[int, float]]) -> None:
        """Write lever settings (``{lever: {year: value}}``) into the controls, on their grids."""
        by_id = {lv.id: lv for lv in self.levers}
        for lid, path in settings.items():
            for year, value in path.items():
                if int(year) not in self.model.settable_years:  # ended since: no control
                    continue
                st.session_state[lever_key(lid, int(year))] = snap_option(value,
                                                                          by_id[lid].options)

    def keep_assumption(self, aid: str) -> None:
        """Keep an assumption control's value where :meth:`scenario` reads it."""
        st.session_state[ASSUMPTION_VALUES][aid] = st.session_state[assumption_key(aid)]

    def _scenario_of(self, values: dict, overrides: dict) -> Scenario:
        key = (tuple((lid, tuple(path.items())) for lid, path in values.items()),
               tuple(overrides.items()))
        made = self._made.get(key)
        if made is None:
            if len(self._made) >= SCENARIOS_KEPT:  # older moves' scenarios are not asked again
                self._made.clear()
            defaults = {aid: self._default(aid) for aid in self.editable}
            made = self._made[key] = self.model.validate(
                scenario_from_controls(self.levers, values, overrides, defaults))
        return made

    def as_controls(self, scenario: Scenario) -> Scenario:
        """The scenario the controls make when they show ``scenario``."""
        return self._scenario_of(*self.values_of(scenario))

    def scenario(self) -> Scenario:
        """The scenario the controls show now.

        Raises
        ------
        planner.scenario.ScenarioError
            If a control holds a value outside its range (it cannot; the page says so).
        """
        values = {lv.id: {y: st.session_state.get(lever_key(lv.id, y))
                          for y in self.model.settable_years} for lv in self.levers}
        stored = st.session_state.get(ASSUMPTION_VALUES, {})
        return self._scenario_of(values, {aid: stored.get(aid) for aid in self.editable})

    def on_current_data(self, scenario: Scenario, controls: Scenario) -> Scenario:
        """``scenario`` (perhaps validated on a pinned dataset version) on the current data;
        ``controls`` if it does not validate there."""
        try:
            return self.model.validate(scenario.to_dict())
        except ScenarioError:
            return controls

    def lever_values(self) -> dict[str, dict[int, float]]:
        """``{lever: {year: value}}``: what the lever controls hold (their session state)."""
        return {lv.id: {y: float(st.session_state[lever_key(lv.id, y)])
                        for y in self.model.settable_years} for lv in self.levers}

    def take(self, values: dict[tuple[str, int], float]) -> None:
        """Keep lever values ``{(lever, year): value}`` (already on their grids)."""
        for (lid, year), value in values.items():
            st.session_state[lever_key(lid, year)] = value

    def overrides(self) -> dict[str, float]:
        """The assumption set the controls show (their overrides; none if invalid)."""
        try:
            return dict(self.scenario().overrides)
        except ScenarioError:
            return {}

    def draw_levers(self, panel: Callable[[], None], on_reset: Callable[[], None]) -> None:
        """The levers' heading and help, ``panel`` (the lever panel, :mod:`ui.lever_panel`,
        drawn in its own fragment by the page) and a reset button. Once no year is left to set
        (:func:`planner.horizon.horizon_ended`) a notice says so instead of the panel.
        """
        lang = self.lang
        years = self.model.settable_years
        st.subheader(t("planner.levers_heading", lang))
        if not years:
            st.info(t("horizon.no_levers", lang, end=END_YEAR), icon=":material/event_busy:")
        else:
            st.caption(t("levers.help", lang, years=years_text(years, lang),
                         ended=self.model.last_ended_year))
            panel()
        st.button(t("planner.reset", lang), on_click=on_reset, key="planner.reset",
                  icon=":material/restart_alt:")

    def draw_assumptions(self, on_change: Callable[[str], None]) -> None:
        """The assumptions panel, collapsed by default; its controls are drawn only while it
        is open (``on_change="rerun"``), so a lever move does not send twenty hidden sliders.

        ``on_change(aid)`` is each control's callback.
        """
        lang, view = self.lang, self.view
        panel = st.expander(t("assumptions.heading", lang), icon=":material/tune:",
                            expanded=False, key=ASSUMPTIONS_PANEL, on_change="rerun")
        if not panel.open:
            return
        stored = st.session_state[ASSUMPTION_VALUES]
        with panel:
            st.caption(t("assumptions.intro", lang))
            for aid in self.editable:
                st.session_state.setdefault(assumption_key(aid), stored[aid])
                st.select_slider(view["texts"][aid]["label"], options=view["grids"][aid],
                                 format_func=view["labels"][aid].__getitem__,
                                 key=assumption_key(aid), on_change=on_change, args=(aid,))
                st.caption(view["texts"][aid]["caption"])
            if view["fixed_text"]:
                st.markdown(f"**{t('assumptions.fixed_heading', lang)}**")
                st.caption(t("assumptions.fixed_help", lang))
                st.markdown(view["fixed_text"])
