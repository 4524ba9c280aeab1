"""The open scenario of a session, and its place in the URL.

The scenario the pages show lives in ``st.session_state["scenario"]`` in its canonical form
(``Scenario.to_dict()``). On the first run of a session it is read from the URL with
:func:`planner.links.parse_query`; from then on the session holds it and every page that shows
it writes it back (:func:`write_url`), so a copied address opens the same view. A page that
opens another scenario (a saved one, say) calls :func:`set_scenario`.

URL parameters (:mod:`planner.links`): one per lever-year set and one per overridden
assumption, only what differs from the baseline, so a fresh page's link is clean::

    ?lang=vi&online_filing.2025=90&cashless.2030=75&a.e_filing_to_dg=0.004

``s=<id>`` opens a saved or built-in scenario (its settings; the link then carries only ``s``
until a lever moves). A bad piece (an unknown lever, a value out of range, not a number, an
unknown id) is left out with a message naming the parameter, and the rest of the link applies.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from planner.i18n import t
from planner.links import (
    ASSUMPTION_PREFIX,
    COMPARE_KEY,
    LANG_KEY,
    SCENARIO_KEY,
    LinkProblem,
    parse_query,
)
from planner.links import encode as encode_link
from planner.saved import SavedScenarioError, open_scenario
from planner.scenario import BASELINE, Scenario, ScenarioError
from ui import link_messages
from ui.data import get_store
from ui.text import escape_markdown

STATE_KEY = "scenario"
PROBLEMS_KEY = "scenario_link_problems"
OPENED_KEY = "scenario_opened"

OWN_KEYS_IGNORED = (LANG_KEY, COMPARE_KEY)
"""Link keys whose problems other parts report (the language falls back quietly; the compare
page reads ``c``)."""


@dataclass(frozen=True)
class Opened:
    """A scenario opened from ``s=<id>``: its id, name and whether its numbers may differ now.

    Attributes
    ----------
    id : str
        Saved or built-in id.
    key : str
        The opened scenario's key (``Scenario.key()``), to tell whether it is still unchanged.
    name_vi, name_en : str
        Its name.
    data_changed, model_changed : bool
        Whether it was saved on another dataset or model version.
    """

    id: str
    key: str
    name_vi: str
    name_en: str
    data_changed: bool
    model_changed: bool

    def name(self, lang: str) -> str:
        """The name in ``lang``."""
        return self.name_en if lang == "en" else self.name_vi


def _open_saved(model, scenario_id: str) -> tuple[Scenario, Opened] | LinkProblem:
    try:
        opened = open_scenario(get_store(), scenario_id, lambda: model)
        scenario = model.validate(opened.scenario)
    except (SavedScenarioError, ScenarioError):
        return LinkProblem(SCENARIO_KEY, "unknown_id", {"value": scenario_id})
    info = Opened(opened.id, scenario.key(), opened.name("vi"), opened.name("en"),
                  opened.data_changed, opened.model_changed)
    return scenario, info


def init_scenario(model) -> Scenario:
    """The session's open scenario; on the session's first run, read from the URL.

    Problems found in the URL are kept for the page to show (:func:`link_problems`).

    Parameters
    ----------
    model : planner.projection.PlannerResults
        The fitted model.

    Returns
    -------
    Scenario
        The open scenario (the baseline when none is open).
    """
    if STATE_KEY not in st.session_state:
        params = {k: st.query_params.get_all(k) for k in st.query_params}
        state = parse_query(params, model.dataset.levers, model.dataset.assumptions)
        problems = [p for p in state.problems if p.field not in OWN_KEYS_IGNORED]
        scenario, opened = state.scenario, None
        if state.scenario_id:
            found = _open_saved(model, state.scenario_id)
            if isinstance(found, LinkProblem):
                problems.append(found)
            else:
                scenario, opened = found
        st.session_state[STATE_KEY] = scenario.to_dict()
        st.session_state[PROBLEMS_KEY] = problems
        st.session_state[OPENED_KEY] = opened
    try:
        return model.validate(st.session_state[STATE_KEY])
    except ScenarioError as exc:  # a scenario of another dataset version
        st.session_state[PROBLEMS_KEY] = [
            LinkProblem(f, "invalid", {"message": m}) for f, m in exc.problems]
        st.session_state[STATE_KEY] = BASELINE.to_dict()
        return BASELINE


def link_problems() -> list[LinkProblem]:
    """Problems of the URL the session was opened with (see :func:`init_scenario`)."""
    return list(st.session_state.get(PROBLEMS_KEY) or [])


def opened_scenario(scenario: Scenario) -> Opened | None:
    """The scenario opened from ``s=<id>`` if ``scenario`` is still exactly it, else None."""
    opened = st.session_state.get(OPENED_KEY)
    if isinstance(opened, Opened) and opened.key == scenario.key():
        return opened
    return None


def link_problem_text(problem: LinkProblem, lang: str) -> str:
    """A dropped piece of a link in words, naming the parameter (values escaped).

    An unknown scenario id (``s``) has its own text (``planner.url.unknown_id``); every other
    problem is :func:`ui.link_messages.link_problem_text` (catalogue ``link.problem.<code>``).
    """
    if problem.code == "unknown_id":
        return t("planner.url.unknown_id", lang, param=escape_markdown(problem.field),
                 value=escape_markdown(problem.detail.get("value", "")))
    return link_messages.link_problem_text(problem, lang)


def set_scenario(scenario: Scenario) -> None:
    """Make ``scenario`` the session's open scenario."""
    st.session_state[STATE_KEY] = scenario.to_dict()


def _is_scenario_param(name: str) -> bool:
    return name == SCENARIO_KEY or name.startswith(ASSUMPTION_PREFIX) or (
        "." in name and name not in (LANG_KEY, COMPARE_KEY))


def write_url(scenario: Scenario, lang: str) -> None:
    """Put the scenario in the URL, removing stale parameters; nothing is sent if unchanged.

    While the scenario is still the one opened from ``s=<id>``, the URL keeps just ``s``;
    otherwise it carries the settings (:func:`planner.links.encode`).

    Parameters
    ----------
    scenario : Scenario
        The scenario shown.
    lang : str
        The language (kept in the URL by :mod:`ui.lang`).
    """
    opened = opened_scenario(scenario)
    if opened is not None:
        wanted = encode_link(None, lang, s=opened.id)
    else:
        wanted = encode_link(scenario, lang)
    wanted.pop(LANG_KEY, None)
    stale = [k for k in st.query_params if _is_scenario_param(k) and k not in wanted]
    changed = {k: v for k, v in wanted.items() if st.query_params.get(k) != v}
    for k in stale:
        del st.query_params[k]
    if changed:
        st.query_params.update(changed)


def opened_notice(scenario: Scenario, lang: str) -> None:
    """Name the scenario opened from ``s=<id>``; warn when it was saved on other data."""
    opened = opened_scenario(scenario)
    if opened is None:
        return
    if opened.data_changed or opened.model_changed:
        st.info(t("planner.opened_changed", lang, name=opened.name(lang)), icon=":material/history:")
    else:
        st.caption(t("planner.opened", lang, name=opened.name(lang)))
