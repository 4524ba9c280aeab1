"""What the data page shows beyond the observations, cached per dataset version.

The baseline's target register (:func:`planner.targets.target_register`) and the model's
backtest (:meth:`planner.projection.PlannerResults.backtest`) with its summary. Each is computed
once per database path, dataset version and year (``st.cache_data``, as
:mod:`ui.model`), so the page only formats them.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from planner.config import db_path
from planner.projection import PlannerResults
from planner.scenario import BASELINE
from planner.simulation import DEFAULT_DRAWS, DEFAULT_SEED
from planner.targets import target_register
from ui.model import _model


@st.cache_data(show_spinner=False, max_entries=8)
def _register(path: str, version: str, fit_year: int) -> pd.DataFrame:
    model = _model(path, version, fit_year)
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
    return _register(str(db_path()), model.version, model.today.year)


@st.cache_data(show_spinner=False, max_entries=8)
def _backtest(path: str, version: str, fit_year: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    model = _model(path, version, fit_year)
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
    return _backtest(str(db_path()), model.version, model.today.year)
