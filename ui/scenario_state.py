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
until a lever moves). While the session shows a saved scenario unchanged, the pages compute it
with :func:`computation`: on the dataset version it was saved on, with its draws and seed, so a
link shows exactly the saved numbers even after the data changed. A bad piece (an unknown
lever, a value out of range, not a number, an unknown id) is left out with a message naming
the parameter, and the rest of the link applies; so is an assumption the pages cannot change
(fixed when the model is fitted). :func:`show_link_problems` shows them in one warning, at most
:data:`LINK_PROBLEMS_SHOWN` lines, repeated texts counted once.

A link too long for Streamlit to read at all reaches the page as ``link_dropped=<count>`` (the
server's redirect, :mod:`ui.long_links`); :func:`dropped_link_notice` says so on that page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import streamlit as st

from planner.formatting import fmt_int, fmt_number
from planner.i18n import label, t
from planner.links import (
    ASSUMPTION_PREFIX,
    COMPARE_KEY,
    DROPPED_KEY,
    LANG_KEY,
    MAX_QUERY_CHARS,
    MAX_QUERY_FIELDS,
    SCENARIO_KEY,
    LinkProblem,
    dropped_count,
    parse_query,
)
from planner.links import encode as encode_link
from planner.projection import MODEL_VERSION, PlannerResults
from planner.saved import DEFAULT_DRAWS, DEFAULT_SEED, SavedScenarioError, open_scenario
from planner.scenario import BASELINE, Scenario, ScenarioError, nearest_allowed
from planner.store import UnknownVersionError
from planner.usertext import escape_markdown
from ui import link_messages
from ui.data import get_store
from ui.model import assumption_controls, get_model

STATE_KEY = "scenario"
PROBLEMS_KEY = "scenario_link_problems"
OPENED_KEY = "scenario_opened"
DROPPED_STATE_KEY = "link_dropped"

LINK_PROBLEMS_SHOWN = 5
"""Most lines one link warning shows; the rest are counted ("and N more")."""
FIXED_ASSUMPTION = "fixed_assumption"
"""Code of the problem of a link overriding an assumption fixed when the model is fitted."""

OWN_KEYS_IGNORED = (LANG_KEY, COMPARE_KEY)
"""Link keys whose problems other parts report (the language falls back quietly; the compare
page reads ``c``)."""


@dataclass(frozen=True)
class Opened:
    """A scenario opened from ``s=<id>``: what it is, and what it was computed on.

    Attributes
    ----------
    id : str
        Saved or built-in id.
    key : str
        The opened scenario's key (``Scenario.key()``), to tell whether it is still unchanged.
    name_vi, name_en : str
        Its name.
    kind : {"saved", "builtin"}
        A built-in is always computed on the current data.
    settings : dict
        The settings exactly as saved (canonical scenario dict).
    dataset_version : str
        The dataset version its numbers were computed on.
    model_version : str
        The model version they were computed with.
    draws, seed : int
        Of its simulation.
    data_changed, model_changed : bool
        Whether it was saved on another dataset or model version than the current ones.
    aliases : tuple of str
        Keys of the same scenario as a page's controls show it (a control snaps a value to its
        grid); a scenario with one of these keys is still the opened one.

    Saved settings the current data no longer allows (a range narrowed, a lever or an
    assumption gone since) make ``key`` that of the nearest scenario the current data allows
    (:func:`planner.scenario.nearest_allowed`), while the numbers, pinned to the saved version,
    stay the saved ones (:func:`misfit_texts` names what changed).
    """

    id: str
    key: str
    name_vi: str
    name_en: str
    kind: str
    settings: dict
    dataset_version: str
    model_version: str
    draws: int
    seed: int
    data_changed: bool
    model_changed: bool
    aliases: tuple[str, ...] = ()

    def name(self, lang: str) -> str:
        """The name in ``lang``."""
        return self.name_en if lang == "en" else self.name_vi

    def matches(self, scenario: Scenario) -> bool:
        """Whether ``scenario`` is still this opened scenario."""
        key = scenario.key()
        return key == self.key or key in self.aliases


@dataclass(frozen=True)
class Computation:
    """What a page computes a scenario with (see :func:`computation`).

    Attributes
    ----------
    model : PlannerResults
        Fitted on the current dataset, or on a saved scenario's pinned one.
    scenario : Scenario
        Validated by ``model``.
    draws, seed : int
        Of the simulation.
    opened : Opened or None
        The saved or built-in scenario this is, while it is unchanged.
    version_gone : bool
        The opened scenario's pinned dataset version is no longer stored (versions are never
        deleted by the app), so it is computed on the current data instead.
    frozen : bool
        Today's model cannot reproduce the opened saved scenario (it was saved under another
        model version, or sets a year that has since ended): the page shows its stored
        snapshot (:func:`ui.snapshot_view.show_saved_snapshot`), not a computation.
    """

    model: PlannerResults
    scenario: Scenario
    draws: int
    seed: int
    opened: Opened | None = None
    version_gone: bool = False
    frozen: bool = False

    @property
    def pinned(self) -> bool:
        """Whether the numbers come from a dataset version other than the current one."""
        return self.opened is not None and self.opened.data_changed and not self.version_gone


def _open_saved(model, scenario_id: str) -> tuple[Scenario, Opened] | LinkProblem:
    try:
        opened = open_scenario(get_store(), scenario_id, lambda: model)
    except SavedScenarioError:
        return LinkProblem(SCENARIO_KEY, "unknown_id", {"value": scenario_id})
    # settings saved on another dataset version may not all fit the current one: the controls
    # get the nearest allowed, the numbers stay pinned to the saved version (computation())
    scenario, _ = nearest_allowed(opened.scenario, model.dataset.levers,
                                  model.dataset.assumptions)
    saved = opened.saved
    info = Opened(
        opened.id, scenario.key(), opened.name("vi"), opened.name("en"), opened.kind,
        scenario.to_dict() if saved is None else dict(saved.settings),
        opened.dataset_version,
        MODEL_VERSION if saved is None else saved.model_version,
        DEFAULT_DRAWS if saved is None else saved.draws,
        DEFAULT_SEED if saved is None else saved.seed,
        opened.data_changed, opened.model_changed)
    return scenario, info


def drop_fixed(model: PlannerResults, scenario: Scenario
               ) -> tuple[Scenario, list[LinkProblem]]:
    """Leave out overrides of assumptions the pages cannot change, each with a problem.

    Parameters
    ----------
    model : PlannerResults
        The fitted model.
    scenario : Scenario
        Read from a link.

    Returns
    -------
    tuple
        The scenario without those overrides, and one :class:`LinkProblem` (code
        :data:`FIXED_ASSUMPTION`) per override left out.
    """
    editable = set(assumption_controls(model, "en")["editable"])
    fixed = [aid for aid in scenario.overrides if aid not in editable]
    if not fixed:
        return scenario, []
    frame = model.assumptions.frame().set_index("id", drop=False)
    problems = [LinkProblem(f"{ASSUMPTION_PREFIX}{aid}", FIXED_ASSUMPTION,
                            {"name_vi": label(frame.loc[aid], "vi"),
                             "name_en": label(frame.loc[aid], "en")}) for aid in fixed]
    raw = scenario.to_dict()
    raw["overrides"] = {a: v for a, v in raw.get("overrides", {}).items() if a in editable}
    return model.validate(raw), problems


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
        scenario, fixed = drop_fixed(model, state.scenario)
        problems = [p for p in state.problems if p.field not in OWN_KEYS_IGNORED] + fixed
        opened = None
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
        st.session_state[PROBLEMS_KEY] = list(exc.problems)
        st.session_state[STATE_KEY] = BASELINE.to_dict()
        return BASELINE


def link_problems() -> list[LinkProblem]:
    """Problems of the URL the session was opened with (see :func:`init_scenario`)."""
    return list(st.session_state.get(PROBLEMS_KEY) or [])


def opened_scenario(scenario: Scenario) -> Opened | None:
    """The scenario opened from ``s=<id>`` if ``scenario`` is still exactly it, else None."""
    opened = st.session_state.get(OPENED_KEY)
    if isinstance(opened, Opened) and opened.matches(scenario):
        return opened
    return None


def adopt_controls(model: PlannerResults, as_controls: Callable[[Scenario], Scenario]) -> None:
    """Record how a page's controls show the opened scenario.

    A control snaps a value to its grid (a value saved from the command line may lie between
    two steps), so the scenario the controls make can differ from the saved one by that
    rounding. Its key becomes an alias of the opened scenario: while the controls still show
    it, :func:`computation` computes the exact saved settings.

    Parameters
    ----------
    model : PlannerResults
        The model of the current dataset.
    as_controls : callable
        ``as_controls(scenario)`` is the scenario the page's controls make when set to show
        ``scenario``.
    """
    opened = st.session_state.get(OPENED_KEY)
    if not isinstance(opened, Opened):
        return
    shown = as_controls(nearest_allowed(opened.settings, model.dataset.levers,
                                        model.dataset.assumptions)[0])
    if not opened.matches(shown):
        st.session_state[OPENED_KEY] = replace(opened, aliases=(*opened.aliases, shown.key()))


def computation(scenario: Scenario, current_model: PlannerResults) -> Computation:
    """The model, exact settings, draws and seed to compute the scenario a page shows.

    A saved scenario still as it was opened is computed as it was saved: on its pinned dataset
    version (old versions stay in the database), with its draws and seed and its exact
    settings. With the same model version this gives exactly its stored numbers. Saved under
    another model version, or with a setting for a year that has ended since, it cannot be
    reproduced: the computation is ``frozen`` (the page shows the stored snapshot and the
    scenario the controls show, the nearest allowed, is what a lever move starts from). Anything else
    is computed on the current data with :data:`planner.saved.DEFAULT_DRAWS` and
    :data:`planner.saved.DEFAULT_SEED`.

    Parameters
    ----------
    scenario : Scenario
        The page's scenario, validated by ``current_model``.
    current_model : PlannerResults
        The model of the current dataset.

    Returns
    -------
    Computation
    """
    opened = opened_scenario(scenario)
    plain = Computation(current_model, scenario, DEFAULT_DRAWS, DEFAULT_SEED)
    if opened is None:
        return plain
    if opened.kind != "saved":
        return replace(plain, opened=opened)
    if opened.model_changed:  # another model's numbers: only the stored snapshot is exact
        return replace(plain, opened=opened, frozen=True)
    model = current_model
    if opened.dataset_version != current_model.version:
        try:
            model = get_model(opened.dataset_version)
        except UnknownVersionError:  # never deleted by the app; if it were, say so
            return replace(plain, opened=opened, version_gone=True)
    try:
        exact = model.validate(opened.settings)
    except ScenarioError:  # a setting for a year that has ended since it was saved
        return replace(plain, opened=opened, frozen=True)
    return Computation(model, exact, opened.draws, opened.seed, opened)


def link_problem_text(problem: LinkProblem, lang: str) -> str:
    """A dropped piece of a link in words, naming the parameter (values escaped).

    An unknown scenario id (``s``) has its own text (``planner.url.unknown_id``); every other
    problem is :func:`ui.link_messages.link_problem_text` (catalogue ``problem.<code>``).
    """
    if problem.code == "unknown_id":
        return t("planner.url.unknown_id", lang, param=escape_markdown(problem.field),
                 value=escape_markdown(problem.detail.get("value", "")))
    if problem.code == FIXED_ASSUMPTION:
        return t("notice.link.fixed_assumption", lang, param=escape_markdown(problem.field),
                 name=escape_markdown(problem.detail.get(f"name_{lang}", "")))
    return link_messages.link_problem_text(problem, lang)


def merged_texts(texts: list[str], lang: str, limit: int = LINK_PROBLEMS_SHOWN) -> list[str]:
    """Texts for one warning: repeats counted once, at most ``limit`` lines and "and N more".

    Parameters
    ----------
    texts : list of str
        One Markdown text per problem, in order.
    lang : str
    limit : int, optional
        Most lines kept.

    Returns
    -------
    list of str
        At most ``limit + 1`` lines.
    """
    counts: dict[str, int] = {}
    for text in texts:
        counts[text] = counts.get(text, 0) + 1
    lines = [text if n == 1 else t("notice.link.repeated", lang, text=text, count=n)
             for text, n in counts.items()]
    if len(lines) <= limit:
        return lines
    rest = sum(list(counts.values())[limit:])
    return [*lines[:limit], t("notice.link.more", lang, count=fmt_number(rest, lang, 0))]


def show_problem_texts(texts: list[str], lang: str) -> None:
    """Show problem texts (Markdown) in one warning (:func:`merged_texts`); nothing if none."""
    if not texts:
        return
    lines = merged_texts(texts, lang)
    body = lines[0] if len(lines) == 1 else "\n".join(
        [t("notice.link.heading", lang), ""] + [f"- {line}" for line in lines])
    st.warning(body, icon=":material/link_off:")


def show_link_problems(problems: list[LinkProblem], lang: str) -> None:
    """Show the problems of a page's link in one warning (see :func:`show_problem_texts`)."""
    show_problem_texts([link_problem_text(p, lang) for p in problems], lang)


def dropped_link_notice(page: str, lang: str) -> None:
    """Say on the page that the link it was opened with was too long to be read.

    The ``link_dropped`` parameter (:data:`planner.links.DROPPED_KEY`) is taken out of the
    address at once and kept in the session for the page it came with, so the notice stays on
    that page's reruns and goes when another page is shown.

    Parameters
    ----------
    page : str
        The page shown (its ``url_path``).
    lang : str
        The page's language.
    """
    if DROPPED_KEY in st.query_params:
        count = dropped_count(st.query_params.get_all(DROPPED_KEY))
        del st.query_params[DROPPED_KEY]
        if count is not None:
            st.session_state[DROPPED_STATE_KEY] = (count, page)
    kept = st.session_state.get(DROPPED_STATE_KEY)
    if not kept:
        return
    count, where = kept
    if where != page:
        del st.session_state[DROPPED_STATE_KEY]
        return
    st.warning(t("notice.link.dropped", lang, count=fmt_int(count, lang),
                 max=fmt_int(MAX_QUERY_FIELDS, lang), chars=fmt_int(MAX_QUERY_CHARS, lang)),
               icon=":material/link_off:")


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


def misfit_texts(current_model: PlannerResults, settings: dict, lang: str) -> list[str]:
    """What the current data does not allow of saved ``settings``, one text per setting.

    Parameters
    ----------
    current_model : PlannerResults
        The model of the current dataset.
    settings : dict
        Settings saved on another dataset version (canonical scenario dict).
    lang : str

    Returns
    -------
    list of str
        Empty when the current data allows every setting. Otherwise per setting: its label, the saved value and the nearest allowed one with the allowed
        range (numbers per locale), or that it is left out (an unknown lever, year or
        assumption). Markdown-escaped.
    """
    ds = current_model.dataset
    nearest, problems = nearest_allowed(settings, ds.levers, ds.assumptions)
    lever_rows = {str(r["id"]): r for r in ds.levers.to_dict("records")}
    ass_rows = {str(r["id"]): r for r in ds.assumptions.to_dict("records")}
    saved_levers = settings.get("levers") or {}
    saved_over = settings.get("overrides") or {}

    def num(x) -> str:
        return fmt_number(x, lang, 6, trim=True)

    texts = []
    for where in (p.field for p in problems):
        parts = where.split(".")
        row, saved, now, low, high = None, None, None, None, None
        if parts[0] == "levers" and len(parts) == 3 and parts[1] in lever_rows:
            row = lever_rows[parts[1]]
            name = t("planner.misfit.lever", lang, label=label(row, lang), year=parts[2])
            saved = (saved_levers.get(parts[1]) or {}).get(parts[2])
            year = int(parts[2]) if parts[2].isdigit() else None
            now = (nearest.levers.get(parts[1]) or {}).get(year)
            low, high = row["min"], row["max"]
        elif parts[0] == "overrides" and len(parts) == 2 and parts[1] in ass_rows:
            row = ass_rows[parts[1]]
            name = label(row, lang)
            saved, now = saved_over.get(parts[1]), nearest.overrides.get(parts[1])
            low, high = row["low"], row["high"]
        else:
            name = where
        if now is None:
            texts.append(t("planner.misfit.left_out", lang, name=escape_markdown(name)))
        else:
            texts.append(t("planner.misfit.moved", lang, name=escape_markdown(name),
                           saved=num(saved), now=num(now), low=num(low), high=num(high)))
    return texts


def opened_notice(calc: Computation, lang: str, current_model: PlannerResults,
                  url_path: str, plain_in=None) -> None:
    """Name the scenario opened from ``s=<id>``; say what its numbers are computed on.

    Parameters
    ----------
    calc : Computation
        From :func:`computation`.
    lang : str
    current_model : PlannerResults
        The model of the current dataset.
    url_path : str
        The running page's ``url_path`` (for the link to the saved scenario's page).
    plain_in : streamlit container, optional
        Where the plain "opened" caption goes when nothing changed since it was saved (the
        briefing puts it under its cards, the first screen being full); here by default.
        Warnings always come here.
    """
    opened = calc.opened
    if opened is None or calc.frozen:  # a frozen one has its own notice (ui.snapshot_view)
        return
    name = escape_markdown(opened.name(lang))
    misfits = misfit_texts(current_model, opened.settings, lang) if opened.data_changed else []
    if misfits:
        st.warning(t("planner.opened_misfit", lang, name=name, detail="; ".join(misfits)),
                   icon=":material/rule:")
    if not (opened.data_changed or opened.model_changed):
        (plain_in or st.container()).caption(t("planner.opened", lang, name=name))
        return
    link = link_messages.page_url("saved", {SCENARIO_KEY: opened.id}, url_path)
    if calc.version_gone:
        st.warning(t("planner.opened_version_gone", lang, name=name,
                     saved=opened.dataset_version, link=link), icon=":material/history:")
        return
    if opened.data_changed:
        st.info(t("planner.opened_pinned", lang, name=name, saved=opened.dataset_version,
                  current=current_model.version, link=link), icon=":material/history:")
    if opened.model_changed:
        st.info(t("planner.opened_model_changed", lang, name=name, saved=opened.model_version,
                  current=MODEL_VERSION, link=link), icon=":material/history:")
