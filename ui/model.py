"""The fitted model and its results, cached: fits per dataset version, simulations per scenario.

* :func:`get_model` fits the model once per database path, dataset version and year of today's
  date (``st.cache_resource``; a new dataset version is a new key, so no explicit
  invalidation; a new year, which moves the ended and settable years,
  :mod:`planner.horizon`, is one too: a server running across New Year refits once).
* :func:`simulation` runs the Monte Carlo of one scenario and evaluates the targets, cached by
  (database path, dataset version, scenario key, draws, seed): moving a lever back to an earlier
  value is a cache hit. Only the small frames are cached, not the draws.
* :func:`baseline_projection` and :func:`lever_contributions` are cached the same way.

These caches are ``st.cache_resource``, not ``st.cache_data``: a hit hands out the frames
themselves rather than unpickling a copy (``st.cache_data`` did that at every call, and a lever
move asks for its simulation and the baseline several times).

The caches are the process's, shared by every session: two planners on the same dataset
version, settings, draws and seed compute one simulation. Each computation (a cache miss) is
counted (:mod:`ui.work_counts`), so tests and the profile see the work itself.

Every function returns frames shared between sessions: copy before changing them.

After the first fit of a process, :func:`get_model` moves every object then alive (modules,
the fitted model) out of the cyclic garbage collector's reach with :func:`gc.freeze`. Streamlit
by default runs a full collection after every script run (``runner.postScriptGC``); over the
~200,000 objects of pandas, statsmodels and plotly that took 65–80 ms per run (measured),
holding the interpreter lock while the next lever move waited. Frozen, it walked only what the
runs create, still 12 ms a run (two runs a lever move) once the caches filled, so
``.streamlit/config.toml`` turns that collection off and Python's own generational collector
does the work, a little at a time.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Mapping
from typing import Any, NamedTuple

import pandas as pd
import streamlit as st

from planner.contributions import contributions
from planner.engine import fit_dataset
from planner.formatting import fmt_number, fmt_value
from planner.horizon import today
from planner.i18n import label, label_with_unit, t, text_of
from planner.ids import values_by_year
from planner.projection import PlannerResults
from planner.scenario import BASELINE, Scenario
from planner.simulation import DEFAULT_DRAWS, DEFAULT_SEED
from planner.targets import evaluate_targets, target_register
from planner.views import (
    LeverView,
    assumption_options,
    editable_assumptions,
    lever_views,
    pillar_note,
)
from ui.data import _store, cache_key, current_version, db_address, frames
from ui.work_counts import count


class Fit(NamedTuple):
    """What a fitted model is cached by: the database, the dataset version and the year of
    today's date (see the module). Each cached function below is keyed by
    :func:`ui.data.cache_key` of these and its other inputs."""

    path: str
    version: str
    year: int


def fit_of(model: PlannerResults) -> Fit:
    """The :class:`Fit` a model was cached by."""
    return Fit(db_address(), model.version, model.today.year)


@st.cache_resource(show_spinner=False, max_entries=4)
def _model(*, key: str, _fit: Fit) -> PlannerResults:
    """The fit of a dataset version in a year (today's year: a key, see the module)."""
    count("fit")
    return fit_dataset(_store(key=_fit.path).dataset(_fit.version))


def fitted(fit: Fit) -> PlannerResults:
    """The model of a :class:`Fit`, fitted once (cached)."""
    return _model(key=cache_key(*fit), _fit=fit)


def get_model(version: str | None = None) -> PlannerResults:
    """Return the model fitted on a dataset version (the current one by default).

    Parameters
    ----------
    version : str, optional
        Dataset version.

    Returns
    -------
    PlannerResults
        The fitted model, shared between sessions (do not change it).
    """
    version = version or current_version()
    if version is None:
        raise LookupError("no dataset loaded")
    model = fitted(Fit(db_address(), version, today().year))
    _freeze_heap()
    return model


def _warm() -> None:
    try:
        frames()  # what the briefing draws first, then the fit and the baseline's numbers
        model = get_model()
        simulation(model)
        baseline_projection(model)
        history(model)
    except Exception:  # noqa: BLE001 - the first page shows what is wrong; here just log it
        logging.getLogger(__name__).warning("warm-up: the model could not be fitted",
                                            exc_info=True)


@st.cache_resource(show_spinner=False)
def _warm_up_thread() -> threading.Thread:
    thread = threading.Thread(target=_warm, name="planner-warm-up", daemon=True)
    thread.start()
    return thread


def warm_up() -> None:
    """Start fitting the current dataset's model in a background thread, once per process.

    The thread also loads the frames and computes the baseline's simulation, projection and
    history: everything the briefing needs for a first visitor who opens no scenario.

    Called by the server's start-up hook and by every router run (then a no-op). A page that
    asks for the model while the fit runs waits for it (``st.cache_resource`` computes a key
    once); if the fit fails the page itself meets and shows the error.
    """
    _warm_up_thread()


@st.cache_resource(show_spinner=False)
def _freeze_heap() -> bool:
    """Once per process: collect, then freeze what is alive (see the module's docstring)."""
    gc.collect()
    gc.freeze()
    return True


@st.cache_resource(show_spinner=False, max_entries=4)
def _levers(*, key: str, _fit: Fit) -> list[LeverView]:
    return lever_views(fitted(_fit))


def get_levers(model: PlannerResults) -> list[LeverView]:
    """The levers of a model with their grids, defaults and targets (cached per version)."""
    fit = fit_of(model)
    return _levers(key=cache_key(*fit), _fit=fit)


@st.cache_resource(show_spinner=False, max_entries=512)
def _simulation(*, key: str, _fit: Fit, _scenario: str, _draws: int, _seed: int
                ) -> dict[str, pd.DataFrame]:
    count("simulation")
    model = fitted(_fit)
    scenario = model.validate(_scenario)
    sim = model.simulate(scenario, draws=_draws, seed=_seed)
    frame, targets = sim.frame(), evaluate_targets(model, sim)
    return {"frame": frame, "targets": targets,
            "register": target_register(model, sim, evaluated=targets, frame=frame,
                                        memo=_figures(key=cache_key(*_fit)))}


@st.cache_resource(show_spinner=False, max_entries=4)
def _figures(*, key: str) -> dict:
    """The observed figures the target register looks up, kept per fit across scenarios."""
    return {}


def simulation(model: PlannerResults, scenario: Scenario = BASELINE, draws: int = DEFAULT_DRAWS,
               seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """Monte Carlo percentiles and target evaluation of a scenario (cached).

    Parameters
    ----------
    model : PlannerResults
        The fitted model (from :func:`get_model`).
    scenario : Scenario
        A validated scenario.
    draws, seed : int
        Monte Carlo draws and seed.

    Returns
    -------
    dict
        ``frame`` (:meth:`Simulation.frame`), ``targets``
        (:func:`planner.targets.evaluate_targets`) and ``register`` (every target row of the
        data, :func:`planner.targets.target_register`).
    """
    fit, scenario_json, draws, seed = fit_of(model), scenario.key(), int(draws), int(seed)
    return _simulation(key=cache_key(*fit, scenario_json, draws, seed), _fit=fit,
                       _scenario=scenario_json, _draws=draws, _seed=seed)


@st.cache_resource(show_spinner=False, max_entries=512)
def _values(*, key: str, _fit: Fit, _scenario: str) -> dict[int, dict[str, float]]:
    count("projection")
    model = fitted(_fit)
    out = model.deterministic(model.validate(_scenario))
    return {int(y): {ind: float(arr[0, col]) for ind, arr in out.values.items()}
            for col, y in enumerate(out.years)}


def values_in(model: PlannerResults, scenario: Scenario, year: int) -> dict[str, float]:
    """Every outcome's deterministic projection in one year (no simulation; cached).

    These are the ``value`` column of :func:`simulation`'s frame, available before the
    Monte Carlo has run. One projection per scenario gives every year (the headline's two
    years cost one run).
    """
    fit, scenario_json = fit_of(model), scenario.key()
    return _values(key=cache_key(*fit, scenario_json), _fit=fit,
                   _scenario=scenario_json)[int(year)]


@st.cache_resource(show_spinner=False, max_entries=4)
def _baseline(*, key: str, _fit: Fit) -> pd.DataFrame:
    return fitted(_fit).project(BASELINE, name="baseline")


def baseline_projection(model: PlannerResults) -> pd.DataFrame:
    """The deterministic baseline projection (``indicator, year, value, unit, kind``)."""
    fit = fit_of(model)
    return _baseline(key=cache_key(*fit), _fit=fit)


@st.cache_resource(show_spinner=False, max_entries=512)
def _contributions(*, key: str, _fit: Fit, _scenario: str) -> pd.DataFrame:
    count("contributions")
    model = fitted(_fit)
    return contributions(model, model.validate(_scenario))


def lever_contributions(model: PlannerResults, scenario: Scenario) -> pd.DataFrame:
    """Shapley contributions of the scenario's levers (``indicator, year, lever, contribution``)."""
    fit, scenario_json = fit_of(model), scenario.key()
    return _contributions(key=cache_key(*fit, scenario_json), _fit=fit, _scenario=scenario_json)


@st.cache_resource(show_spinner=False, max_entries=4)
def _history(*, key: str, _fit: Fit) -> dict[str, pd.DataFrame]:
    model = fitted(_fit)
    out = {}
    for ind in model.outcome_ids:
        rows = values_by_year(model.obs, ind)
        rows = rows[rows["year"] <= model.anchor_year(ind)]
        out[ind] = rows[["year", "value", "kind", "source", "unit"]].reset_index(drop=True)
    return out


def history(model: PlannerResults) -> dict[str, pd.DataFrame]:
    """Observed history per outcome, one value a year (``year, value, kind, source, unit``).

    The value per year is the model's preferred one (observed, then external, then derived),
    up to the outcome's last observed year.
    """
    fit = fit_of(model)
    return _history(key=cache_key(*fit), _fit=fit)


@st.cache_resource(show_spinner=False, max_entries=16)
def _pillar_note(*, key: str, _fit: Fit, _lang: str, _labels: tuple[tuple[str, str], ...]
                 ) -> str:
    return pillar_note(fitted(_fit).obs, _lang, dict(_labels))


def pillar_note_text(model: PlannerResults, lang: str, labels: Mapping[str, str]) -> str:
    """:func:`planner.views.pillar_note` of the model's observations, cached per dataset
    version, language and labels (it scans every observation: tens of ms a chart grid). The
    labels enter the key as Python's hash of them: Streamlit's hashing of every label took
    about a millisecond a call."""
    labels_items, fit = tuple(sorted(labels.items())), fit_of(model)
    return _pillar_note(key=cache_key(*fit, lang, hash(labels_items)), _fit=fit, _lang=lang,
                        _labels=labels_items)


@st.cache_resource(show_spinner=False, max_entries=512)
def _chart_note(*, key: str, _fit: Fit, _indicator: str, _title: str, _lang: str) -> str:
    from planner.figures.outcomes import chart_note  # plotly: imported when a chart is drawn

    return chart_note(fitted(_fit), _indicator, _title,
                      _history(key=cache_key(*_fit), _fit=_fit)[_indicator], _lang)


def chart_note_text(model: PlannerResults, indicator: str, title: str, lang: str) -> str:
    """:func:`planner.figures.outcomes.chart_note` of an outcome's history in the model,
    cached per dataset version, outcome, title and language: it does not depend on the
    scenario, and looking its sources up took about 2 ms a chart, every lever move."""
    fit = fit_of(model)
    return _chart_note(key=cache_key(*fit, indicator, title, lang), _fit=fit,
                       _indicator=indicator, _title=title, _lang=lang)


@st.cache_resource(show_spinner=False, max_entries=8)
def _option_labels(*, key: str, _fit: Fit, _lang: str) -> dict[str, dict[float, str]]:
    units = fitted(_fit).dataset.units
    return {lv.id: {v: fmt_value(v, lv.unit, _lang, units, decimals=1) for v in lv.options}
            for lv in _levers(key=cache_key(*_fit), _fit=_fit)}


def option_labels(model: PlannerResults, lang: str) -> dict[str, dict[float, str]]:
    """``{lever: {value: text}}``: every value a lever control offers, formatted for ``lang``."""
    fit = fit_of(model)
    return _option_labels(key=cache_key(*fit, lang), _fit=fit, _lang=lang)


@st.cache_resource(show_spinner=False, max_entries=8)
def _assumption_controls(*, key: str, _fit: Fit, _lang: str) -> dict[str, Any]:
    model, lang = fitted(_fit), _lang
    frame = model.assumptions.frame().set_index("id", drop=False)
    editable = editable_assumptions(model)
    grids = {aid: assumption_options(frame.loc[aid, "default"], frame.loc[aid, "low"],
                                     frame.loc[aid, "high"]) for aid in editable}
    labels = {aid: {v: fmt_number(v, lang, 6, trim=True) for v in grid}
              for aid, grid in grids.items()}
    units = {str(r["id"]): label(r, lang) for r in model.dataset.units.to_dict("records")}
    texts = {}
    for aid in editable:
        row = frame.loc[aid]
        texts[aid] = {
            "label": label_with_unit(label(row, lang), units.get(str(row["unit"]), "")),
            "caption": t("assumptions.range", lang,
                         low=fmt_number(row["low"], lang, 6, trim=True),
                         high=fmt_number(row["high"], lang, 6, trim=True),
                         default=fmt_number(row["default"], lang, 6, trim=True))
            + " " + t("assumptions.rationale", lang, text=text_of(row, "rationale", lang)),
        }
    fixed = "\n".join(
        f"- {label(frame.loc[a], lang)}: {fmt_number(frame.loc[a, 'default'], lang, 6, trim=True)}"
        for a in frame.index if a not in editable)
    return {"frame": frame, "editable": editable, "grids": grids, "labels": labels,
            "texts": texts, "fixed_text": fixed}


def assumption_controls(model: PlannerResults, lang: str) -> dict[str, Any]:
    """What the assumption controls need, cached per dataset version and language.

    Returns
    -------
    dict
        ``frame`` (the assumptions by id), ``editable`` (ids), ``grids`` (``{id: options}``),
        ``labels`` (``{id: {value: text}}``), ``texts`` (``{id: {"label", "caption"}}``) and
        ``fixed_text`` (Markdown list of the assumptions fixed when the model is fitted).
    """
    fit = fit_of(model)
    return _assumption_controls(key=cache_key(*fit, lang), _fit=fit, _lang=lang)


def model_facts(model: PlannerResults, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED
                ) -> dict[str, Any]:
    """What a projection rests on: dataset and model versions, draws and seed."""
    from planner.projection import MODEL_VERSION

    return {"version": model.version, "model_version": MODEL_VERSION, "draws": draws,
            "seed": seed}
