"""The service that saves, opens, lists and deletes saved scenarios on a store.

A saved scenario records what its author saw: the settings (the canonical
:class:`~planner.scenario.Scenario` JSON), the dataset and model versions used, the draws and
seed, and a snapshot of every number shown (:mod:`planner.saved.snapshots`). Opening one always
shows the snapshot; when the data or the model changed since, :func:`recompute` reruns it on the
pinned dataset version (old versions stay in the database) and :func:`compare_with_current` on
the current one.

Saved scenarios are immutable: editing saves a new one whose ``parent_id`` names the one it
came from. Deleting needs the owner token returned once by :func:`save_scenario`. Text is stored
as given after Unicode NFC normalisation and trimming of outer whitespace; nothing is escaped.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any

import pandas as pd

from planner.engine import load_model
from planner.i18n import LANGS
from planner.migrations import utc_now
from planner.problems import Problem, shown
from planner.projection import MODEL_VERSION, PlannerResults
from planner.saved.errors import SavedScenarioError
from planner.saved.ids import (
    BUILTIN_ID_PATTERN,
    SAVED_ID_PATTERN,
    hash_token,
    is_valid_id,
    new_id,
    new_token,
    token_matches,
)
from planner.saved.records import (
    BuiltinScenario,
    SavedScenario,
    SavedSummary,
    builtin_scenarios,
    payload_digest,
)
from planner.saved.snapshots import canonical_json, compare_snapshots, snapshot
from planner.scenario import Scenario, nearest_allowed
from planner.simulation import DEFAULT_DRAWS, DEFAULT_SEED, MAX_DRAWS, MAX_SEED
from planner.store import (
    SavedNotFoundError,
    StaleDatasetError,
    Store,
    UnknownVersionError,
)

NAME_MAX = 120
NOTE_MAX = 2000
AUTHOR_MAX = 120
SEARCH_MAX = 120
PAGE_MAX = 100
"""Longest name, note, author and search text (characters), largest page of a listing."""

_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _clean_text(value: Any, name: str, code: str, max_len: int, required: bool,
                multiline: bool, problems: list[Problem]) -> str:
    """``value`` as stored (NFC, outer whitespace trimmed); a ``code`` problem when it is not
    text, is empty though ``required``, is longer than ``max_len`` or holds a control character
    (line breaks and tabs are allowed when ``multiline``)."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        problems.append(Problem(name, code, {"max": max_len}))
        return ""
    text = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n")).strip()
    allowed = "\n\t" if multiline else ""
    bad = (required and not text) or len(text) > max_len or any(
        (unicodedata.category(ch) == "Cc" and ch not in allowed)
        or unicodedata.category(ch) in ("Zl", "Zp") or ch in _BIDI_CONTROLS for ch in text)
    if bad:
        problems.append(Problem(name, code, {"max": max_len}))
    return text


def _check_int(value: Any, name: str, low: int, high: int, problems: list[Problem]) -> int:
    """``value`` as an int; a ``not_a_number`` or ``out_of_range`` problem otherwise."""
    if isinstance(value, bool) or not isinstance(value, int):
        problems.append(Problem(name, "not_a_number", {"value": shown(value)}))
        return 0
    if not low <= value <= high:
        problems.append(Problem(name, "out_of_range", {"value": value, "min": low, "max": high}))
    return int(value)


# -- operations -----------------------------------------------------------------------------


def save_scenario(store: Store, model: PlannerResults, raw_scenario: Any, name: str,
                  note: str = "", author: str = "", lang: str = "vi",
                  parent_id: str | None = None, draws: int = DEFAULT_DRAWS,
                  seed: int = DEFAULT_SEED) -> tuple[SavedScenario, str]:
    """Validate, compute and save a scenario in one insert.

    Parameters
    ----------
    store : planner.store.Store
    model : planner.projection.PlannerResults
        Fitted on the store's current dataset version; its version is recorded.
    raw_scenario : Scenario, mapping, JSON text or None
        The settings, validated whole by ``model.validate``.
    name : str
        1 to :data:`NAME_MAX` characters after trimming, no control characters.
    note : str, optional
        At most :data:`NOTE_MAX` characters (line breaks and tabs allowed).
    author : str, optional
        At most :data:`AUTHOR_MAX` characters.
    lang : {"vi", "en"}, optional
    parent_id : str, optional
        The saved scenario this one edits (it must exist).
    draws, seed : int, optional
        Of the snapshot's simulation (defaults :data:`~planner.simulation.DEFAULT_DRAWS`, :data:`~planner.simulation.DEFAULT_SEED`).

    Returns
    -------
    tuple
        ``(SavedScenario, owner_token)``: the token is shown once and needed to delete.

    Raises
    ------
    planner.scenario.ScenarioError
        When the settings do not validate.
    SavedScenarioError
        Listing every problem with the other fields (codes ``bad_name``, ``bad_note``,
        ``bad_author``, ``bad_lang``, ``not_a_number`` or ``out_of_range`` for draws and seed,
        ``bad_id``), or with code
        ``unknown_parent``, ``stale_dataset`` (the model's dataset is no longer current) or
        ``unknown_dataset``. Nothing is written.
    """
    problems: list[Problem] = []
    name = _clean_text(name, "name", "bad_name", NAME_MAX, True, False, problems)
    note = _clean_text(note, "note", "bad_note", NOTE_MAX, False, True, problems)
    author = _clean_text(author, "author", "bad_author", AUTHOR_MAX, False, False, problems)
    if lang not in LANGS:
        problems.append(Problem("lang", "bad_lang", {"value": shown(lang),
                                                     "allowed": ", ".join(LANGS)}))
    draws = _check_int(draws, "draws", 1, MAX_DRAWS, problems)
    seed = _check_int(seed, "seed", 0, MAX_SEED, problems)
    if parent_id is not None and not (isinstance(parent_id, str)
                                      and SAVED_ID_PATTERN.fullmatch(parent_id)):
        problems.append(Problem("parent_id", "bad_id", {"value": shown(parent_id)}))
    if problems:
        raise SavedScenarioError(problems)
    scenario = model.validate(raw_scenario)
    if not model.version:
        raise SavedScenarioError.one("unknown_dataset", "dataset_version")
    snap = snapshot(model, scenario, draws, seed)
    row: dict[str, Any] = {
        "id": new_id(), "parent_id": parent_id, "name": name, "note": note, "author": author,
        "settings": scenario.to_json(), "lang": lang, "dataset_version": model.version,
        "model_version": MODEL_VERSION, "draws": draws, "seed": seed,
        "snapshot": canonical_json(snap), "created_at": utc_now(),
    }
    row["digest"] = payload_digest(row)
    token = new_token()
    row["owner_token_hash"] = hash_token(token)
    try:
        store.insert_saved(row, require_current=True)
    except SavedNotFoundError:
        raise SavedScenarioError.one("unknown_parent", "parent_id", {"value": parent_id}) from None
    except StaleDatasetError:
        raise SavedScenarioError.one("stale_dataset", "dataset_version") from None
    except UnknownVersionError:
        raise SavedScenarioError.one("unknown_dataset", "dataset_version") from None
    return SavedScenario.from_row(row), token


def _check_id(scenario_id: Any) -> str:
    if not is_valid_id(scenario_id):
        raise SavedScenarioError.one("bad_id", "id", {"value": shown(scenario_id)})
    return scenario_id


def get_scenario(store: Store, scenario_id: str) -> SavedScenario:
    """Read one saved scenario and check its digest.

    Parameters
    ----------
    store : planner.store.Store
    scenario_id : str

    Returns
    -------
    SavedScenario

    Raises
    ------
    SavedScenarioError
        Code ``bad_id`` (malformed id), ``unknown_id`` or ``corrupt``.
    """
    _check_id(scenario_id)
    row = store.get_saved(scenario_id)
    if row is None:
        raise SavedScenarioError.one("unknown_id", "id", {"value": scenario_id})
    return SavedScenario.from_row(row)


@dataclass(frozen=True)
class OpenedScenario:
    """A scenario opened from a link: what to show and what changed since it was saved.

    Attributes
    ----------
    id : str
    kind : {"saved", "builtin"}
    scenario : Scenario
        The settings.
    snapshot : dict
        The numbers to show: a saved scenario's stored snapshot (exactly the saved numbers), a
        built-in's computed on the current data.
    current_dataset_version : str
    data_changed : bool
        The dataset version it was computed on is not the current one.
    model_changed : bool
        Its model version is not :data:`planner.projection.MODEL_VERSION`.
    saved : SavedScenario or None
    builtin : BuiltinScenario or None
    """

    id: str
    kind: str
    scenario: Scenario
    snapshot: dict[str, Any] = field(repr=False)
    current_dataset_version: str
    data_changed: bool
    model_changed: bool
    saved: SavedScenario | None = None
    builtin: BuiltinScenario | None = None

    @property
    def dataset_version(self) -> str:
        """The dataset version of :attr:`snapshot`."""
        return str(self.snapshot["dataset_version"])

    def name(self, lang: str) -> str:
        """The saved name, or the built-in's label in ``lang``."""
        return self.saved.name if self.saved else self.builtin.label(lang)  # type: ignore[union-attr]

    def note(self, lang: str) -> str:
        """The saved note, or the built-in's note in ``lang``."""
        return self.saved.note if self.saved else self.builtin.note(lang)  # type: ignore[union-attr]


def open_scenario(store: Store, scenario_id: str,
                  current_model_loader: Callable[[], PlannerResults] | None = None) -> OpenedScenario:
    """Open a saved or built-in scenario by id (the ``s`` of a link).

    Parameters
    ----------
    store : planner.store.Store
    scenario_id : str
        A saved id, or the id of a built-in scenario of the current dataset.
    current_model_loader : callable, optional
        Returns the model fitted on the current dataset (the app passes its cached one); only
        called for a built-in id. Default: :func:`planner.engine.load_model` on ``store``.

    Returns
    -------
    OpenedScenario
        For a saved id, the stored snapshot and the flags ``data_changed`` / ``model_changed``;
        for a built-in id, numbers computed on the current data with :data:`~planner.simulation.DEFAULT_DRAWS` and
        :data:`~planner.simulation.DEFAULT_SEED`.

    Raises
    ------
    SavedScenarioError
        Code ``bad_id``, ``unknown_id`` or ``corrupt``.
    planner.store.NoDatasetError
        When the database holds no dataset.
    """
    _check_id(scenario_id)
    if BUILTIN_ID_PATTERN.fullmatch(scenario_id):
        model = current_model_loader() if current_model_loader else load_model(store)
        for b in builtin_scenarios(model.dataset):
            if b.id == scenario_id:
                scenario, _ = b.applied(model)
                snap = snapshot(model, scenario, DEFAULT_DRAWS, DEFAULT_SEED)
                return OpenedScenario(b.id, "builtin", scenario, snap, str(model.version),
                                      False, False, builtin=b)
        raise SavedScenarioError.one("unknown_id", "id", {"value": scenario_id})
    saved = get_scenario(store, scenario_id)
    current = store.current_version()
    return OpenedScenario(saved.id, "saved", saved.scenario, saved.snapshot, current,
                          saved.dataset_version != current, saved.model_version != MODEL_VERSION,
                          saved=saved)


def recompute(store: Store, saved: SavedScenario,
              model_loader: Callable[[str], PlannerResults] | None = None) -> dict[str, Any]:
    """Compute a saved scenario again on its pinned dataset version, same draws and seed.

    With the same model version the result equals ``saved.snapshot`` exactly. After a change
    of the model's equations (``model_changed``) it shows what today's model makes of the same
    data, with the settings today's model no longer allows (a year that has ended, a range
    narrowed) moved to the nearest allowed (:func:`planner.scenario.nearest_allowed`); the
    saved snapshot stays what a link shows.

    Parameters
    ----------
    store : planner.store.Store
    saved : SavedScenario
    model_loader : callable, optional
        ``model_loader(dataset_version)`` returns the fitted model of that version (the app
        passes its cache). Default: :func:`planner.engine.load_model` on ``store``.

    Returns
    -------
    dict
        A snapshot (:func:`snapshot`).

    Raises
    ------
    planner.store.UnknownVersionError
        When the pinned dataset version is no longer stored.
    """
    model = model_loader(saved.dataset_version) if model_loader else load_model(store, saved.dataset_version)
    if model.version != saved.dataset_version:
        raise ValueError(f"the model loader returned dataset {model.version}, "
                         f"not the pinned {saved.dataset_version}")
    scenario, _ = nearest_allowed(saved.settings, model.dataset.levers, model.dataset.assumptions)
    return snapshot(model, scenario, saved.draws, saved.seed)


@dataclass(frozen=True)
class CurrentComparison:
    """A saved scenario computed again on the current data.

    Attributes
    ----------
    dataset_version : str
        The current dataset version.
    snapshot : dict or None
        The numbers on the current data, computed with the nearest allowed settings.
    problems : list of planner.problems.Problem
        The saved settings the current data and model no longer allow (a year that has ended,
        a lever removed, a range narrowed), as :func:`planner.scenario.nearest_allowed`
        reports them; empty when every setting still applies.
    differences : pandas.DataFrame or None
        :func:`compare_snapshots` of the saved and the current numbers.
    """

    dataset_version: str
    snapshot: dict[str, Any] | None = field(repr=False)
    problems: list[Problem]
    differences: pd.DataFrame | None = field(repr=False, default=None)

    @property
    def ok(self) -> bool:
        """Whether the scenario could be computed on the current data."""
        return self.snapshot is not None


def compare_with_current(store: Store, saved: SavedScenario,
                         current_model: PlannerResults | None = None) -> CurrentComparison:
    """Compute a saved scenario on the current data, for "the data changed since" views.

    Parameters
    ----------
    store : planner.store.Store
    saved : SavedScenario
    current_model : planner.projection.PlannerResults, optional
        Fitted on the current dataset (default: :func:`planner.engine.load_model`).

    Returns
    -------
    CurrentComparison
        With the snapshot, the differences and the settings that no longer apply (never
        raises :class:`planner.scenario.ScenarioError`).
    """
    model = current_model if current_model is not None else load_model(store)
    scenario, problems = nearest_allowed(saved.settings, model.dataset.levers,
                                         model.dataset.assumptions)
    snap = snapshot(model, scenario, saved.draws, saved.seed)
    return CurrentComparison(str(model.version), snap, problems,
                             compare_snapshots(saved.snapshot, snap))


def list_scenarios(store: Store, search: str | None = None, limit: int = 20,
                   offset: int = 0) -> tuple[list[SavedSummary], int]:
    """List saved scenarios, newest first, optionally searching their names.

    Parameters
    ----------
    store : planner.store.Store
    search : str, optional
        Case-insensitive substring of the name (``%`` and ``_`` match themselves); blank
        means no filter.
    limit : int, optional
        Page size, 1 to :data:`PAGE_MAX`.
    offset : int, optional
        Rows to skip, at least 0.

    Returns
    -------
    tuple
        ``(rows, total)``: a list of :class:`SavedSummary` and how many match in all.

    Raises
    ------
    SavedScenarioError
        Code ``not_a_number`` or ``out_of_range`` (limit, offset) or ``bad_search``.
    """
    problems: list[Problem] = []
    limit = _check_int(limit, "limit", 1, PAGE_MAX, problems)
    offset = _check_int(offset, "offset", 0, 2**62, problems)
    text = _clean_text(search, "search", "bad_search", SEARCH_MAX, False, False, problems)
    if problems:
        raise SavedScenarioError(problems)
    pattern = text or None
    rows = store.list_saved(pattern, limit, offset)
    total = store.count_saved(pattern)
    out = [SavedSummary(**{**r, "created_at": r["created_at"].replace(tzinfo=UTC)}) for r in rows]
    return out, total


def delete_scenario(store: Store, scenario_id: str, token: str) -> None:
    """Delete a saved scenario with its owner token.

    Parameters
    ----------
    store : planner.store.Store
    scenario_id : str
    token : str
        The owner token returned by :func:`save_scenario`.

    Raises
    ------
    SavedScenarioError
        Code ``bad_id``, ``not_deletable`` (a built-in id), ``unknown_id`` or ``bad_token``;
        nothing is deleted.
    """
    _check_id(scenario_id)
    if not SAVED_ID_PATTERN.fullmatch(scenario_id):
        raise SavedScenarioError.one("not_deletable", "id", {"value": scenario_id})
    row = store.get_saved(scenario_id)
    if row is None:
        raise SavedScenarioError.one("unknown_id", "id", {"value": scenario_id})
    if not token_matches(token, row["owner_token_hash"]):
        raise SavedScenarioError.one("bad_token", "token")
    if not store.delete_saved(scenario_id, row["owner_token_hash"]):
        raise SavedScenarioError.one("unknown_id", "id", {"value": scenario_id})
