"""Saved scenarios: save, open, list, delete; numbers that reproduce exactly.

A saved scenario records what its author saw: the settings, the dataset and model versions, the
draws and seed, and a snapshot of every number shown, so a shared link shows exactly the saved
numbers. The parts:

* :mod:`planner.saved.ids`: ids and owner tokens (drawn, checked, hashed).
* :mod:`planner.saved.snapshots`: the numbers of a scenario, JSON-ready, and their comparison.
* :mod:`planner.saved.records`: a saved row read back and checked against its digest, a listing
  row, the built-in scenarios.
* :mod:`planner.saved.service`: save, open, recompute, compare, list and delete on a store.
* :mod:`planner.saved.errors`: :class:`SavedScenarioError`.

The draws and seed are those of :mod:`planner.simulation`. This package re-exports what callers
use, so ``from planner.saved import save_scenario`` keeps working.
"""

from planner.saved.errors import ERROR_CODES, SavedScenarioError, SaveProblem
from planner.saved.ids import (
    BUILTIN_ID_PATTERN,
    ID_PATTERN,
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
from planner.saved.service import (
    AUTHOR_MAX,
    NAME_MAX,
    NOTE_MAX,
    PAGE_MAX,
    SEARCH_MAX,
    CurrentComparison,
    OpenedScenario,
    compare_with_current,
    delete_scenario,
    get_scenario,
    list_scenarios,
    open_scenario,
    recompute,
    save_scenario,
)
from planner.saved.snapshots import (
    OUTCOME_FIELDS,
    SIGNIFICANT_DIGITS,
    SNAPSHOT_FORMAT,
    TARGET_FIELDS,
    canonical_json,
    compare_snapshots,
    outcome_records,
    scenario_from_settings,
    snapshot,
    snapshot_frames,
)
from planner.simulation import DEFAULT_DRAWS, DEFAULT_SEED, MAX_DRAWS, MAX_SEED

__all__ = [
    "AUTHOR_MAX", "BUILTIN_ID_PATTERN", "DEFAULT_DRAWS", "DEFAULT_SEED", "ERROR_CODES",
    "ID_PATTERN", "MAX_DRAWS", "MAX_SEED", "NAME_MAX", "NOTE_MAX", "OUTCOME_FIELDS", "PAGE_MAX",
    "SAVED_ID_PATTERN", "SEARCH_MAX", "SIGNIFICANT_DIGITS", "SNAPSHOT_FORMAT", "TARGET_FIELDS",
    "BuiltinScenario", "CurrentComparison", "OpenedScenario", "SaveProblem", "SavedScenario",
    "SavedScenarioError", "SavedSummary", "builtin_scenarios", "canonical_json",
    "compare_snapshots", "compare_with_current", "delete_scenario", "get_scenario", "hash_token",
    "is_valid_id", "list_scenarios", "new_id", "new_token", "open_scenario", "outcome_records",
    "payload_digest",
    "recompute", "save_scenario", "scenario_from_settings", "snapshot", "snapshot_frames",
    "token_matches",
]
