"""What the API's handlers read: the store and a model fitted per dataset version.

:class:`Context` is built once per app (:func:`web.api.app.create_app`). Inside the Streamlit
server, ``app.py`` hands it the pages' own store and fitted model (one fit per dataset version
for pages and API alike); alone (``make api``) it opens the store of ``PLANNER_DB`` and keeps
its own few fits.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

from planner.dataset import Dataset
from planner.engine import fit_dataset
from planner.horizon import today
from planner.problems import Problem, shown
from planner.projection import PlannerResults
from planner.store import Store, UnknownVersionError, open_store
from web.api.problems import ApiProblem

ModelLoader = Callable[[str], PlannerResults]
"""``loader(version)``: the model fitted on that dataset version."""

FITS_KEPT = 4
"""Fitted models kept by :class:`ModelCache` (one per dataset version asked for)."""


class ModelCache:
    """Fits of dataset versions, each fitted once (by the first request asking), the most
    recently used :data:`FITS_KEPT` kept. A new year is a new key: the settable years move.

    Parameters
    ----------
    store : callable
        Returns the store.
    """

    def __init__(self, store: Callable[[], Store]) -> None:
        self._store = store
        self._fits: OrderedDict[tuple[str, int], PlannerResults] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, version: str) -> PlannerResults:
        """The model fitted on ``version``.

        Raises
        ------
        planner.store.UnknownVersionError
            For a version the store does not hold.
        """
        key = (version, today().year)
        with self._lock:  # one fit at a time: two requests for a new version fit it once
            model = self._fits.get(key)
            if model is None:
                model = fit_dataset(self._store().dataset(version))
                self._fits[key] = model
            self._fits.move_to_end(key)
            while len(self._fits) > FITS_KEPT:
                self._fits.popitem(last=False)
        return model


class Context:
    """The store and the models of one API app.

    Parameters
    ----------
    store : callable, optional
        Returns the store; default: :func:`planner.store.open_store` of ``PLANNER_DB``,
        opened on first use.
    model : callable, optional
        ``model(version)``; default: a :class:`ModelCache` on ``store``.
    """

    def __init__(self, store: Callable[[], Store] | None = None,
                 model: ModelLoader | None = None) -> None:
        self._opened: Store | None = None
        self._open_lock = threading.Lock()
        self.store: Callable[[], Store] = store or self._default_store
        self._model = model or ModelCache(self.store)

    def _default_store(self) -> Store:
        with self._open_lock:
            if self._opened is None:
                self._opened = open_store()
            return self._opened

    def model(self, version: str | None = None) -> PlannerResults:
        """The model fitted on a dataset version (the current one by default).

        Raises
        ------
        ApiProblem
            ``unknown_version`` (404) for a version the store does not hold.
        """
        try:
            return self._model(version or self.store().current_version())
        except UnknownVersionError:
            raise unknown_version(version) from None

    def dataset(self, version: str | None = None) -> Dataset:
        """The frames of a dataset version (the current one by default).

        Raises
        ------
        ApiProblem
            ``unknown_version`` (404) for a version the store does not hold.
        """
        try:
            return self.store().dataset(version)
        except UnknownVersionError:
            raise unknown_version(version) from None


def unknown_version(version: str | None) -> ApiProblem:
    """The answer to a dataset version the store does not hold (named as asked, never with the
    store's own words, which name its file)."""
    return ApiProblem(404, [Problem("dataset_version", "unknown_version",
                                    {"value": shown(str(version or ""))})])
