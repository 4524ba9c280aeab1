"""Entry points shared by the app, the CLI and the API: a fitted model per dataset version."""

from __future__ import annotations

from planner.projection import ModelFitError, PlannerModel, PlannerResults

__all__ = ["ModelFitError", "fit_dataset", "load_model"]


def fit_dataset(dataset) -> PlannerResults:
    """Fit the planner model on one dataset version.

    Parameters
    ----------
    dataset : planner.dataset.Dataset
        The frames of one dataset version.

    Returns
    -------
    PlannerResults
        The fitted model. Callers cache it by ``dataset.version``: fits do not change within a
        version.

    Raises
    ------
    ModelFitError
        When the data do not support a fit (for example a trend with too few observed points).
    """
    try:
        return PlannerModel(dataset).fit()
    except ModelFitError:
        raise
    except (ValueError, KeyError, LookupError, ArithmeticError) as exc:
        raise ModelFitError(str(exc).strip("'\"") or type(exc).__name__) from exc


def load_model(store, version: str | None = None) -> PlannerResults:
    """Read a dataset version from a store and fit the model on it.

    Parameters
    ----------
    store : planner.store.Store
        Where the dataset lives.
    version : str, optional
        Dataset version (the current one when omitted).

    Returns
    -------
    PlannerResults
        The fitted model.
    """
    return fit_dataset(store.dataset(version))
