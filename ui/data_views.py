"""What the data page shows, cached per dataset version.

The values table as filtered (:func:`values_view`: the rows, their display table and conflict
marks), computed once per database address, dataset version, language and filters, so that a
session's first visit (no filter) finds it ready; the baseline's target register
(:func:`planner.targets.target_register`) and the model's backtest
(:meth:`planner.projection.PlannerResults.backtest`) with its summary, each computed once per
database path, dataset version and year (``st.cache_data``, as :mod:`ui.model`). The page only
formats and draws them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import pandas as pd
import streamlit as st

from planner import config
from planner.browse import display_table, filter_observations, has_conflict
from planner.i18n import label
from planner.projection import PlannerResults
from planner.scenario import BASELINE
from planner.simulation import DEFAULT_DRAWS, DEFAULT_SEED
from planner.targets import target_register
from ui.data import cache_key, current_version, frames
from ui.model import Fit, fit_of, fitted


class ValuesView(NamedTuple):
    """The data page's values as filtered: what the table shows and the download holds."""

    rows: pd.DataFrame
    """The observations shown, sorted by indicator name, geography, year and kind."""
    table: pd.DataFrame
    """Their display table (:func:`planner.browse.display_table`), in the same order."""
    conflicts: list[bool]
    """Per row, whether it belongs to a conflict group (the table marks it)."""


@st.cache_data(show_spinner=False, max_entries=64)
def _values(address: str, version: str, lang: str, search: str, indicators: tuple[str, ...],
            kinds: tuple[str, ...], sources: tuple[str, ...]) -> ValuesView:
    data = frames(version)
    names = {str(r["id"]): label(r, lang) for r in data["indicators"].to_dict("records")}
    rows = filter_observations(data["observations"], text=search, indicators=indicators,
                               kinds=kinds, sources=sources, indicator_table=data["indicators"],
                               source_table=data["sources"])
    rows = rows.assign(_label=rows["indicator"].map(lambda i: names.get(i, i))).sort_values(
        ["_label", "geography", "year", "kind"], kind="mergesort").drop(columns="_label")
    table = display_table(rows, lang, data["indicators"], data["units"], data["sources"])
    return ValuesView(rows, table, has_conflict(rows).tolist())


def values_view(lang: str, search: str = "", indicators: Sequence[str] = (),
                kinds: Sequence[str] = (), sources: Sequence[str] = ()) -> ValuesView:
    """The current dataset's observations matching the filters, ready to show (cached; do not
    change them).

    Parameters
    ----------
    lang : str
        ``"vi"`` or ``"en"``: the display table's language and the sort by indicator name.
    search, indicators, kinds, sources
        The filters, as :func:`planner.browse.filter_observations` takes them.

    Returns
    -------
    ValuesView
        The rows, their display table and conflict marks.
    """
    version = current_version()
    if version is None:
        raise LookupError("no dataset loaded")
    return _values(str(config.database()), version, lang, search, tuple(indicators),
                   tuple(kinds), tuple(sources))


@st.cache_data(show_spinner=False, max_entries=8)
def _register(*, key: str, _fit: Fit) -> pd.DataFrame:
    model = fitted(_fit)
    sim = model.simulate(BASELINE, draws=DEFAULT_DRAWS, seed=DEFAULT_SEED)
    return target_register(model, sim)


def baseline_register(model: PlannerResults) -> pd.DataFrame:
    """Every target of the data with its status under the baseline (cached; do not change it).

    Parameters
    ----------
    model : PlannerResults
        The fitted model (:func:`ui.model.get_model`).

    Returns
    -------
    pandas.DataFrame
        :data:`planner.targets.REGISTER_COLUMNS`.
    """
    fit = fit_of(model)
    return _register(key=cache_key(*fit), _fit=fit)


@st.cache_data(show_spinner=False, max_entries=8)
def _backtest(*, key: str, _fit: Fit) -> tuple[pd.DataFrame, pd.DataFrame]:
    model = fitted(_fit)
    return model.backtest(), model.backtest_summary()


def backtest(model: PlannerResults) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The model's backtest rows and their summary (cached; do not change them).

    Parameters
    ----------
    model : PlannerResults
        The fitted model.

    Returns
    -------
    tuple of pandas.DataFrame
        The rows (``by_construction`` and ``hold_out`` marked) and the summary, which leaves the
        rows zero by construction out.
    """
    fit = fit_of(model)
    return _backtest(key=cache_key(*fit), _fit=fit)
