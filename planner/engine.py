"""Entry points shared by the app, the CLI and (later) the API: a fitted model per dataset version."""

from __future__ import annotations

from planner.projection import PlannerModel, PlannerResults


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
    """
    return PlannerModel(dataset).fit()


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
