"""What a plain page shows, read from the store: a scenario's bundle and its page's tag.

:func:`page_tag` answers cheaply (one or two small reads, no numbers) what a page's ``ETag``
is: the scenario id, the model and dataset versions of its numbers, the current dataset
version (a built-in scenario is computed on it; a saved one says when the data changed since),
the language and the day (which years are ahead). :func:`load` builds the bundle, the same one
the exports use (:func:`planner.export.bundle.from_snapshot`): a saved scenario's numbers are
its stored snapshot exactly, never recomputed.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from planner import config, horizon
from planner.engine import load_model
from planner.export.bundle import ExportBundle, from_snapshot
from planner.projection import MODEL_VERSION, PlannerResults
from planner.saved import BUILTIN_ID_PATTERN, OpenedScenario, SavedScenarioError, open_scenario
from planner.store import Store, UnknownVersionError, open_store

PAGE_FORMAT = "2"
"""Changes when the pages' layout changes, so a browser's copy of an older page is not kept."""
MODELS_KEPT = 2
"""Fitted models kept (by database and dataset version): the lever settings' trend values and
the built-in scenarios need one."""
DATASETS_KEPT = 2
"""Dataset versions kept (a version never changes: its id is its content's hash)."""
OPENED_KEPT = 16
"""Scenarios kept opened (:class:`Loaded`, by id, language, versions and day): a page and its
embedded charts share one."""

log = logging.getLogger(__name__)
_stores: dict[str, Store] = {}
_models: OrderedDict[tuple[str, str], PlannerResults] = OrderedDict()
_datasets: OrderedDict[tuple[str, str], Any] = OrderedDict()
_opened: OrderedDict[tuple, Loaded] = OrderedDict()
_lock = threading.Lock()
_fit_lock = threading.Lock()


def get_store(address: str | None = None) -> Store:
    """The store of ``address`` (``PLANNER_DB`` by default), one per address per process."""
    address = str(address or config.database())
    with _lock:
        found = _stores.get(address)
        if found is None:
            found = _stores[address] = open_store(address)
        return found


def model_of(store: Store, version: str) -> PlannerResults:
    """The model fitted on one dataset version of ``store`` (kept: :data:`MODELS_KEPT`)."""
    key = (str(getattr(store, "path", id(store))), version)
    with _fit_lock:  # one fit at a time: a fit takes seconds and both cores
        with _lock:
            if key in _models:
                _models.move_to_end(key)
                return _models[key]
        model = load_model(store, version)
        with _lock:
            _models[key] = model
            while len(_models) > MODELS_KEPT:
                _models.popitem(last=False)
        return model


def _kept(cache: OrderedDict, key: tuple, size: int, make: Callable[[], Any]) -> Any:
    """``cache[key]``, made by ``make()`` when missing; the oldest dropped past ``size``."""
    with _lock:
        if key in cache:
            cache.move_to_end(key)
            return cache[key]
    value = make()
    with _lock:
        cache[key] = value
        while len(cache) > size:
            cache.popitem(last=False)
    return value


def dataset_of(store: Store, version: str):
    """One dataset version of ``store`` (kept: :data:`DATASETS_KEPT`).

    Raises
    ------
    planner.store.UnknownVersionError
        When the version is not stored.
    """
    key = (str(getattr(store, "path", id(store))), version)
    return _kept(_datasets, key, DATASETS_KEPT, lambda: store.dataset(version))


def _tag(*parts: Any) -> str:
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return f'"{digest[:32]}"'


def page_tag(store: Store, scenario_id: str, lang: str, kind: str = "s") -> str:
    """The ``ETag`` of a scenario's page, without building it.

    Parameters
    ----------
    store : planner.store.Store
    scenario_id : str
    lang : str
    kind : str, optional
        Which page (``s``, ``embed``): each has its own tag.

    Returns
    -------
    str
        A quoted tag.

    Raises
    ------
    planner.saved.SavedScenarioError
        Code ``bad_id`` or ``unknown_id``.
    planner.store.StoreError
        When the database cannot be read.
    """
    from planner.saved import is_valid_id

    if not is_valid_id(scenario_id):
        raise SavedScenarioError.one("bad_id", "id", {"value": scenario_id})
    current = store.current_version()
    if BUILTIN_ID_PATTERN.fullmatch(scenario_id):
        model_version, version = MODEL_VERSION, current
    else:
        row = store.get_saved(scenario_id)
        if row is None:
            raise SavedScenarioError.one("unknown_id", "id", {"value": scenario_id})
        model_version, version = row["model_version"], row["dataset_version"]
    return _tag(PAGE_FORMAT, kind, scenario_id, model_version, version, current, lang,
                horizon.today().isoformat())


@dataclass(frozen=True)
class Loaded:
    """A scenario opened for a plain page.

    Attributes
    ----------
    opened : planner.saved.OpenedScenario
    bundle : ExportBundle
    dataset : planner.dataset.Dataset
        The version the numbers were computed on (the current one if it is gone).
    loaded_on : datetime or None
        When that version was published.
    key : tuple
        What makes the numbers what they are: the charts' cache key.
    """

    opened: OpenedScenario
    bundle: ExportBundle = field(repr=False)
    dataset: Any = field(repr=False)
    loaded_on: Any
    key: tuple


def load(store: Store, scenario_id: str, lang: str, planner_href: str) -> Loaded:
    """Open a scenario and build its bundle in ``lang``.

    Parameters
    ----------
    store : planner.store.Store
    scenario_id : str
    lang : str
    planner_href : str
        The address that opens it in the planner (the bundle's link).

    Returns
    -------
    Loaded

    Raises
    ------
    planner.saved.SavedScenarioError
        Code ``bad_id``, ``unknown_id`` or ``corrupt``.
    planner.store.StoreError
    """
    current = store.current_version()
    key = (str(getattr(store, "path", id(store))), scenario_id, lang, current,
           horizon.today().isoformat(), planner_href)
    found = _opened.get(key)
    if found is not None and (found.opened.kind == "builtin"
                              or store.get_saved(scenario_id) is not None):
        return found
    loaded = _load(store, scenario_id, lang, planner_href, current)
    return _kept(_opened, key, OPENED_KEPT, lambda: loaded)


def _load(store: Store, scenario_id: str, lang: str, planner_href: str, current: str) -> Loaded:
    opened = open_scenario(store, scenario_id, lambda: model_of(store, current))
    try:
        dataset = dataset_of(store, opened.dataset_version)
    except UnknownVersionError:
        dataset = dataset_of(store, current)
    model = None
    if opened.scenario.levers or opened.scenario.overrides:
        try:  # the baseline's value beside each setting
            model = model_of(store, str(dataset.version))
        except Exception:  # noqa: BLE001 - an old version the model no longer fits: no trend
            log.warning("no model of dataset %s for the settings' trend", dataset.version,
                        exc_info=True)
    bundle = from_snapshot(opened.snapshot, dataset, lang, name=opened.name(lang),
                           scenario=opened.scenario, note=opened.note(lang),
                           author=opened.saved.author if opened.saved else "",
                           link=planner_href, saved=opened.kind == "saved", model=model)
    loaded_on = next((r["loaded_at"] for r in store.dataset_versions()
                      if r["version"] == bundle.dataset_version), None)
    key = (scenario_id, bundle.model_version, bundle.dataset_version, current, lang,
           bundle.exported_on.isoformat())
    return Loaded(opened, bundle, dataset, loaded_on, key)
