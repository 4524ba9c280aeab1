"""Saved scenarios: save, open, list, delete; numbers that reproduce exactly.

A saved scenario records what its author saw: the lever settings and assumption overrides (the
canonical :class:`~planner.scenario.Scenario` JSON), the dataset version and model version
used, the number of draws and the seed, and a *snapshot* of every number shown (each outcome
and year with its percentiles, and every target's evaluation). Opening a saved scenario always
shows the snapshot, so a shared link shows exactly the saved numbers; when the data or the model
changed since, :func:`recompute` reruns it on the pinned dataset version (old versions stay in
the database) and :func:`compare_with_current` on the current one.

Rules
-----
* Ids are ``secrets.token_urlsafe(12)``: 16 URL-safe characters, 96 random bits. Built-in
  scenarios (``scenarios.csv``) keep their own ids (:data:`BUILTIN_ID_PATTERN`), which no saved
  id ever matches.
* Saved scenarios are immutable: there is no update. Editing saves a new scenario whose
  ``parent_id`` names the one it came from.
* Deleting needs the owner token returned once by :func:`save_scenario`; only its SHA-256 is
  stored, and it is compared with :func:`hmac.compare_digest`.
* Every row carries ``digest``, the SHA-256 of its canonical payload (:func:`payload_digest`);
  reading a row whose digest does not match raises (code ``corrupt``).
* Text is stored as given, after Unicode NFC normalisation and trimming of outer whitespace;
  nothing is escaped here. Whoever renders it (pages, exports) shows it as text.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import re
import secrets
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from planner.engine import load_model
from planner.i18n import LANGS
from planner.migrations import utc_now
from planner.projection import MODEL_VERSION, PlannerResults
from planner.scenario import Scenario, ScenarioError
from planner.store import (
    SavedNotFoundError,
    StaleDatasetError,
    Store,
    UnknownVersionError,
)
from planner.targets import evaluate_targets

DEFAULT_DRAWS = 2000
"""Monte Carlo draws of a snapshot; the app's default, so saved numbers match what was shown."""

DEFAULT_SEED = 0
"""Seed of a snapshot's simulation; the app's default."""

MAX_DRAWS = 100_000
"""Most draws a saved scenario may use."""

MAX_SEED = 2**63 - 1
"""Largest seed (it is stored as BIGINT)."""

NAME_MAX = 120
NOTE_MAX = 2000
AUTHOR_MAX = 120
SEARCH_MAX = 120
PAGE_MAX = 100
"""Longest name, note, author and search text (characters), largest page of a listing."""

SIGNIFICANT_DIGITS = 10
"""Numbers of a snapshot are rounded to this many significant digits."""

SNAPSHOT_FORMAT = 1
"""Version of the snapshot's layout, stored in it."""

SAVED_ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{16}")
"""A saved scenario's id: ``secrets.token_urlsafe(12)``."""

BUILTIN_ID_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,39}")
"""A built-in scenario's id (``scenarios.csv``), such as ``plan_targets``."""

ID_PATTERN = re.compile(rf"(?:{SAVED_ID_PATTERN.pattern})|(?:{BUILTIN_ID_PATTERN.pattern})")
"""Any scenario id a link may carry; match with ``fullmatch`` (see :func:`is_valid_id`)."""

OUTCOME_FIELDS = ("indicator", "year", "value", "p10", "p50", "p90", "mean", "unit", "kind")
TARGET_FIELDS = (
    "target_id", "indicator", "year", "target", "projected", "p10", "p50", "p90", "gap",
    "probability", "status", "basis", "unit", "conflict", "sources", "required_path",
)
"""The fields of a snapshot's ``outcomes`` and ``targets`` records."""

ERROR_CODES = (
    "bad_id", "unknown_id", "bad_token", "corrupt", "bad_name", "bad_note", "bad_author",
    "bad_lang", "bad_draws", "bad_seed", "bad_page", "bad_search", "unknown_parent",
    "stale_dataset", "unknown_dataset",
)
"""Every :attr:`SaveProblem.code`."""

_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


# -- errors ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SaveProblem:
    """One problem with a request about saved scenarios.

    Attributes
    ----------
    field : str
        What it concerns (``name``, ``note``, ``id``, ``token``, ...), or empty.
    code : str
        One of :data:`ERROR_CODES`, for a translated message.
    message : str
        The problem in plain English.
    """

    field: str
    code: str
    message: str


class SavedScenarioError(ValueError):
    """A request about saved scenarios cannot be done; nothing was changed.

    Parameters
    ----------
    problems : list of SaveProblem
        At least one.

    Attributes
    ----------
    problems : list of SaveProblem
    code : str
        The code of the first problem.
    """

    def __init__(self, problems: list[SaveProblem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(
            f"{p.field}: {p.message}" if p.field else p.message for p in self.problems))

    @property
    def code(self) -> str:
        """The code of the first problem."""
        return self.problems[0].code

    @classmethod
    def one(cls, code: str, message: str, field: str = "") -> SavedScenarioError:
        """Build an error of one problem.

        Parameters
        ----------
        code : str
        message : str
        field : str, optional

        Returns
        -------
        SavedScenarioError
        """
        return cls([SaveProblem(field, code, message)])


# -- ids, tokens, digests -------------------------------------------------------------------


def new_id() -> str:
    """Return a new saved-scenario id: 16 URL-safe characters, 96 random bits.

    An id that would look like a built-in id (:data:`BUILTIN_ID_PATTERN`) is drawn again, so the
    two kinds never collide; so is one starting with ``-``, which a command line would read as
    an option (``scenario show -abc…``). Both rules drop a small fraction of the draws, leaving
    well over 90 bits of randomness.

    Returns
    -------
    str
    """
    while True:
        candidate = secrets.token_urlsafe(12)
        if not (BUILTIN_ID_PATTERN.fullmatch(candidate) or candidate.startswith("-")):
            return candidate


def new_token() -> str:
    """Return a new owner token: 32 URL-safe characters, 192 random bits.

    A token starting with ``-`` is drawn again, as for :func:`new_id`: a command line would read
    ``--token -abc…`` as an option. That drops 1 draw in 64, leaving over 191 bits.

    Returns
    -------
    str
    """
    while True:
        candidate = secrets.token_urlsafe(24)
        if not candidate.startswith("-"):
            return candidate


def hash_token(token: str) -> str:
    """Return the SHA-256 (hex) of an owner token, the only form stored.

    Parameters
    ----------
    token : str

    Returns
    -------
    str
    """
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_matches(token: str, token_hash: str) -> bool:
    """Whether ``token`` hashes to ``token_hash`` (compared in constant time).

    Parameters
    ----------
    token : str
    token_hash : str

    Returns
    -------
    bool
    """
    if not isinstance(token, str) or not isinstance(token_hash, str):
        return False
    return hmac.compare_digest(hash_token(token), token_hash)


def is_valid_id(value: object) -> bool:
    """Whether a value is a well-formed scenario id (saved or built-in).

    Parameters
    ----------
    value : object

    Returns
    -------
    bool
    """
    return isinstance(value, str) and ID_PATTERN.fullmatch(value) is not None


def canonical_json(value: Any) -> str:
    """Return the canonical JSON text of a value (sorted keys, no spaces, UTF-8, no NaN).

    Parameters
    ----------
    value : Any
        JSON-ready.

    Returns
    -------
    str
    """
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)


def _timestamp_text(created_at: datetime) -> str:
    naive = created_at.astimezone(UTC).replace(tzinfo=None) if created_at.tzinfo else created_at
    return naive.isoformat(timespec="microseconds")


def payload_digest(row: Mapping[str, Any]) -> str:
    """Return the SHA-256 (hex) of a saved row's canonical payload.

    The payload is every column but ``digest`` and ``owner_token_hash``, with ``settings`` and
    ``snapshot`` as their stored JSON text and ``created_at`` in ISO form (UTC, microseconds).

    Parameters
    ----------
    row : mapping
        The columns of :data:`planner.store.SAVED_COLUMNS`.

    Returns
    -------
    str
    """
    payload = {
        "id": row["id"], "parent_id": row["parent_id"], "name": row["name"],
        "note": row["note"], "author": row["author"], "settings": row["settings"],
        "lang": row["lang"], "dataset_version": row["dataset_version"],
        "model_version": row["model_version"], "draws": int(row["draws"]),
        "seed": int(row["seed"]), "snapshot": row["snapshot"],
        "created_at": _timestamp_text(row["created_at"]),
    }
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


# -- snapshots ------------------------------------------------------------------------------


def _number(x: Any) -> float | int | None:
    if x is None or x is pd.NA:
        return None
    if isinstance(x, bool):
        return x
    if isinstance(x, int):
        return x
    v = float(x)
    if not math.isfinite(v):
        return None
    return float(f"{v:.{SIGNIFICANT_DIGITS}g}")


def _text(x: Any) -> str:
    return "" if x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x)) else str(x)


def snapshot(model: PlannerResults, scenario: Scenario, draws: int = DEFAULT_DRAWS,
             seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """Compute the numbers the app shows for a scenario, JSON-ready.

    Parameters
    ----------
    model : planner.projection.PlannerResults
        The fitted model.
    scenario : Scenario
        A scenario validated by ``model``.
    draws : int, optional
        Monte Carlo draws (default :data:`DEFAULT_DRAWS`).
    seed : int, optional
        Seed (default :data:`DEFAULT_SEED`).

    Returns
    -------
    dict
        ``format, dataset_version, model_version, draws, seed``; ``outcomes``: one record per
        outcome and year (:data:`OUTCOME_FIELDS`: the deterministic ``value``, ``p10, p50,
        p90, mean``, ``unit``, ``kind``); ``targets``: one record per target
        (:data:`TARGET_FIELDS`; ``required_path`` is a list of ``[year, value]``). Numbers are
        rounded to :data:`SIGNIFICANT_DIGITS` significant digits, so the dict survives a JSON
        round trip unchanged; missing numbers are None.
    """
    sim = model.simulate(scenario, draws=int(draws), seed=int(seed))
    frame = sim.frame()
    outcomes = [
        {"indicator": str(r.indicator), "year": int(r.year), "value": _number(r.value),
         "p10": _number(r.p10), "p50": _number(r.p50), "p90": _number(r.p90),
         "mean": _number(r.mean), "unit": str(r.unit), "kind": str(r.kind)}
        for r in frame.itertuples(index=False)
    ]
    targets = []
    for r in evaluate_targets(model, sim).itertuples(index=False):
        targets.append({
            "target_id": str(r.target_id), "indicator": str(r.indicator), "year": int(r.year),
            "target": _number(r.target), "projected": _number(r.projected),
            "p10": _number(r.p10), "p50": _number(r.p50), "p90": _number(r.p90),
            "gap": _number(r.gap), "probability": _number(r.probability),
            "status": str(r.status), "basis": str(r.basis), "unit": str(r.unit),
            "conflict": _text(r.conflict), "sources": [str(s) for s in r.sources],
            "required_path": [[int(y), _number(v)] for y, v in r.required_path],
        })
    doc = {"format": SNAPSHOT_FORMAT, "dataset_version": model.version,
           "model_version": MODEL_VERSION, "draws": int(draws), "seed": int(seed),
           "outcomes": outcomes, "targets": targets}
    # The stored form and this one are the same object after a JSON round trip.
    return json.loads(canonical_json(doc))


def snapshot_frames(snap: Mapping[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return a snapshot's outcomes and targets as frames, for charts and tables.

    Parameters
    ----------
    snap : mapping
        A snapshot (:func:`snapshot`).

    Returns
    -------
    tuple of pandas.DataFrame
        ``(outcomes, targets)`` with the columns :data:`OUTCOME_FIELDS` and
        :data:`TARGET_FIELDS`; missing numbers are NaN.
    """
    outcomes = pd.DataFrame(list(snap.get("outcomes", [])), columns=list(OUTCOME_FIELDS))
    targets = pd.DataFrame(list(snap.get("targets", [])), columns=list(TARGET_FIELDS))
    for col in ("value", "p10", "p50", "p90", "mean"):
        outcomes[col] = pd.to_numeric(outcomes[col], errors="coerce").astype("float64")
    for col in ("target", "projected", "p10", "p50", "p90", "gap", "probability"):
        targets[col] = pd.to_numeric(targets[col], errors="coerce").astype("float64")
    return outcomes, targets


def compare_snapshots(saved: Mapping[str, Any], current: Mapping[str, Any]) -> pd.DataFrame:
    """Line up two snapshots' outcomes (saved numbers against numbers on current data).

    Parameters
    ----------
    saved, current : mapping
        Snapshots (:func:`snapshot`).

    Returns
    -------
    pandas.DataFrame
        ``indicator, year, unit, saved, current, difference`` (deterministic values; an
        outcome-year present in one snapshot only has NaN on the other side), sorted by
        indicator in the saved order, then year.
    """
    a, _ = snapshot_frames(saved)
    b, _ = snapshot_frames(current)
    order = {ind: i for i, ind in enumerate(dict.fromkeys([*a["indicator"], *b["indicator"]]))}
    merged = a[["indicator", "year", "unit", "value"]].merge(
        b[["indicator", "year", "unit", "value"]], on=["indicator", "year"], how="outer",
        suffixes=("_saved", "_current"))
    merged["unit"] = merged["unit_current"].fillna(merged["unit_saved"])
    out = pd.DataFrame({
        "indicator": merged["indicator"], "year": merged["year"].astype("int64"),
        "unit": merged["unit"], "saved": merged["value_saved"],
        "current": merged["value_current"],
        "difference": merged["value_current"] - merged["value_saved"],
    })
    out["_order"] = out["indicator"].map(order)
    return out.sort_values(["_order", "year"]).drop(columns="_order").reset_index(drop=True)


def scenario_from_settings(settings: Mapping[str, Any]) -> Scenario:
    """Rebuild a :class:`Scenario` from its canonical dict without validating it again.

    For settings read from a row whose digest matched (they were validated when saved).

    Parameters
    ----------
    settings : mapping
        ``{"levers": {id: {"year": value}}, "overrides": {id: value}}``.

    Returns
    -------
    Scenario
    """
    levers = {str(k): {int(y): float(v) for y, v in path.items()}
              for k, path in (settings.get("levers") or {}).items()}
    overrides = {str(k): float(v) for k, v in (settings.get("overrides") or {}).items()}
    return Scenario(levers, overrides)


# -- records --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SavedScenario:
    """A saved scenario, as read back and checked against its digest.

    Attributes
    ----------
    id : str
    parent_id : str or None
        The scenario it was edited from.
    name, note, author : str
        As saved (verbatim text; render it as text, never as HTML).
    settings : dict
        The canonical scenario (``{"levers": ..., "overrides": ...}``).
    lang : str
        The author's language.
    dataset_version, model_version : str
        What computed the snapshot.
    draws, seed : int
        Of the simulation.
    snapshot : dict
        The numbers shown when saved (:func:`snapshot`): always what a link shows.
    digest : str
        SHA-256 of the canonical payload.
    created_at : datetime.datetime
        UTC, time-zone aware.
    """

    id: str
    parent_id: str | None
    name: str
    note: str
    author: str
    settings: dict[str, Any]
    lang: str
    dataset_version: str
    model_version: str
    draws: int
    seed: int
    snapshot: dict[str, Any] = field(repr=False)
    digest: str
    created_at: datetime

    @property
    def link(self) -> str:
        """The query string that opens it: ``?s=<id>``."""
        return f"?s={self.id}"

    @property
    def scenario(self) -> Scenario:
        """The settings as a :class:`Scenario`."""
        return scenario_from_settings(self.settings)

    def to_dict(self, with_snapshot: bool = True) -> dict[str, Any]:
        """Return a JSON-ready dict (``created_at`` in ISO 8601 with ``+00:00``).

        Parameters
        ----------
        with_snapshot : bool, optional
            Include the snapshot (default).

        Returns
        -------
        dict
        """
        doc = {
            "id": self.id, "parent_id": self.parent_id, "name": self.name, "note": self.note,
            "author": self.author, "settings": self.settings, "lang": self.lang,
            "dataset_version": self.dataset_version, "model_version": self.model_version,
            "draws": self.draws, "seed": self.seed, "digest": self.digest,
            "created_at": self.created_at.isoformat(), "link": self.link,
        }
        if with_snapshot:
            doc["snapshot"] = self.snapshot
        return doc

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> SavedScenario:
        """Build from a stored row after checking its digest.

        Parameters
        ----------
        row : mapping
            The columns of :data:`planner.store.SAVED_COLUMNS`.

        Returns
        -------
        SavedScenario

        Raises
        ------
        SavedScenarioError
            Code ``corrupt`` when the digest does not match or the JSON does not parse.
        """
        def corrupt() -> SavedScenarioError:
            return SavedScenarioError.one(
                "corrupt", f"saved scenario {row.get('id')!r} failed its integrity check "
                "(the stored row was changed or damaged)", "id")

        try:
            ok = hmac.compare_digest(payload_digest(row), str(row["digest"]))
            settings = json.loads(row["settings"])
            snap = json.loads(row["snapshot"])
        except (KeyError, TypeError, ValueError) as exc:
            raise corrupt() from exc
        if not ok:
            raise corrupt()
        created = row["created_at"]
        return cls(
            id=row["id"], parent_id=row["parent_id"], name=row["name"], note=row["note"],
            author=row["author"], settings=settings, lang=row["lang"],
            dataset_version=row["dataset_version"], model_version=row["model_version"],
            draws=int(row["draws"]), seed=int(row["seed"]), snapshot=snap, digest=row["digest"],
            created_at=created.replace(tzinfo=UTC) if created.tzinfo is None else created,
        )


@dataclass(frozen=True)
class SavedSummary:
    """One row of a listing (no settings or numbers).

    Attributes
    ----------
    id, parent_id, name, note, author, lang, dataset_version, model_version : str
        As saved (``parent_id`` may be None).
    created_at : datetime.datetime
        UTC, time-zone aware.
    """

    id: str
    parent_id: str | None
    name: str
    note: str
    author: str
    lang: str
    dataset_version: str
    model_version: str
    created_at: datetime

    @property
    def link(self) -> str:
        """The query string that opens it: ``?s=<id>``."""
        return f"?s={self.id}"

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (``created_at`` in ISO 8601 with ``+00:00``).

        Returns
        -------
        dict
        """
        return {"id": self.id, "parent_id": self.parent_id, "name": self.name,
                "note": self.note, "author": self.author, "lang": self.lang,
                "dataset_version": self.dataset_version, "model_version": self.model_version,
                "created_at": self.created_at.isoformat(), "link": self.link}


@dataclass(frozen=True)
class BuiltinScenario:
    """A ready-made scenario shipped with the data (``scenarios.csv``).

    Attributes
    ----------
    id : str
    label_vi, label_en, note_vi, note_en : str
        Name and note (what it assumes) in both languages.
    settings : dict
        The raw settings (validate with ``model.validate``).
    """

    id: str
    label_vi: str
    label_en: str
    note_vi: str
    note_en: str
    settings: dict[str, Any]

    @property
    def link(self) -> str:
        """The query string that opens it: ``?s=<id>``."""
        return f"?s={self.id}"

    def label(self, lang: str) -> str:
        """The name in ``lang`` (``vi`` or ``en``)."""
        return self.label_en if lang == "en" else self.label_vi

    def note(self, lang: str) -> str:
        """The note in ``lang`` (``vi`` or ``en``)."""
        return self.note_en if lang == "en" else self.note_vi


def builtin_scenarios(dataset: Any) -> list[BuiltinScenario]:
    """Return the ready-made scenarios of a dataset, in file order.

    Rows whose id is not a valid built-in id (:data:`BUILTIN_ID_PATTERN`) cannot be linked to
    and are left out.

    Parameters
    ----------
    dataset : planner.dataset.Dataset
        Its ``scenarios`` frame (``id, label_vi, label_en, note_vi, note_en, settings``).

    Returns
    -------
    list of BuiltinScenario
    """
    out = []
    for r in dataset.scenarios.itertuples(index=False):
        sid = str(r.id)
        if not BUILTIN_ID_PATTERN.fullmatch(sid):
            continue
        settings = json.loads(r.settings) if isinstance(r.settings, str) else dict(r.settings)
        out.append(BuiltinScenario(sid, _text(r.label_vi), _text(r.label_en), _text(r.note_vi),
                                   _text(r.note_en), settings))
    return out


# -- input checks ---------------------------------------------------------------------------


def _clean_text(value: Any, name: str, code: str, max_len: int, required: bool,
                multiline: bool, problems: list[SaveProblem]) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        problems.append(SaveProblem(name, code, f"must be text, got {type(value).__name__}"))
        return ""
    text = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if required and not text:
        problems.append(SaveProblem(name, code, "must not be empty"))
        return text
    if len(text) > max_len:
        problems.append(SaveProblem(
            name, code, f"is {len(text)} characters long; at most {max_len} are allowed"))
        return text
    allowed = "\n\t" if multiline else ""
    for ch in text:
        cat = unicodedata.category(ch)
        if (cat == "Cc" and ch not in allowed) or cat in ("Zl", "Zp") or ch in _BIDI_CONTROLS:
            problems.append(SaveProblem(
                name, code, f"contains the control character U+{ord(ch):04X}"))
            break
    return text


def _check_int(value: Any, name: str, code: str, low: int, high: int,
               problems: list[SaveProblem]) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        problems.append(SaveProblem(name, code, f"must be a whole number, got {value!r}"))
        return 0
    if not low <= value <= high:
        problems.append(SaveProblem(name, code, f"{value} is outside the allowed range [{low}, {high}]"))
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
        Of the snapshot's simulation (defaults :data:`DEFAULT_DRAWS`, :data:`DEFAULT_SEED`).

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
        ``bad_author``, ``bad_lang``, ``bad_draws``, ``bad_seed``, ``bad_id``), or with code
        ``unknown_parent``, ``stale_dataset`` (the model's dataset is no longer current) or
        ``unknown_dataset``. Nothing is written.
    """
    problems: list[SaveProblem] = []
    name = _clean_text(name, "name", "bad_name", NAME_MAX, True, False, problems)
    note = _clean_text(note, "note", "bad_note", NOTE_MAX, False, True, problems)
    author = _clean_text(author, "author", "bad_author", AUTHOR_MAX, False, False, problems)
    if lang not in LANGS:
        problems.append(SaveProblem("lang", "bad_lang", f"must be one of {', '.join(LANGS)}, got {lang!r}"))
    draws = _check_int(draws, "draws", "bad_draws", 1, MAX_DRAWS, problems)
    seed = _check_int(seed, "seed", "bad_seed", 0, MAX_SEED, problems)
    if parent_id is not None and not (isinstance(parent_id, str)
                                      and SAVED_ID_PATTERN.fullmatch(parent_id)):
        problems.append(SaveProblem("parent_id", "bad_id", f"{parent_id!r} is not a saved scenario id"))
    if problems:
        raise SavedScenarioError(problems)
    scenario = model.validate(raw_scenario)
    if not model.version:
        raise SavedScenarioError.one("unknown_dataset", "the model has no dataset version", "dataset_version")
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
        raise SavedScenarioError.one(
            "unknown_parent", f"no saved scenario has the id {parent_id!r}", "parent_id") from None
    except StaleDatasetError as exc:
        raise SavedScenarioError.one("stale_dataset", str(exc), "dataset_version") from None
    except UnknownVersionError as exc:
        raise SavedScenarioError.one("unknown_dataset", str(exc), "dataset_version") from None
    return SavedScenario.from_row(row), token


def _check_id(scenario_id: Any) -> str:
    if not is_valid_id(scenario_id):
        shown = scenario_id if isinstance(scenario_id, str) else type(scenario_id).__name__
        raise SavedScenarioError.one(
            "bad_id", f"{shown[:40]!r} is not a scenario id (16 characters A-Z a-z 0-9 _ -, "
            "or a built-in id)", "id")
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
        raise SavedScenarioError.one("unknown_id", f"no saved scenario has the id {scenario_id!r}", "id")
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
        for a built-in id, numbers computed on the current data with :data:`DEFAULT_DRAWS` and
        :data:`DEFAULT_SEED`.

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
                scenario = model.validate(b.settings)
                snap = snapshot(model, scenario, DEFAULT_DRAWS, DEFAULT_SEED)
                return OpenedScenario(b.id, "builtin", scenario, snap, str(model.version),
                                      False, False, builtin=b)
        raise SavedScenarioError.one(
            "unknown_id", f"no scenario has the id {scenario_id!r}", "id")
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
    data; the saved snapshot stays what a link shows.

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
    return snapshot(model, model.validate(saved.settings), saved.draws, saved.seed)


@dataclass(frozen=True)
class CurrentComparison:
    """A saved scenario computed again on the current data.

    Attributes
    ----------
    dataset_version : str
        The current dataset version.
    snapshot : dict or None
        The numbers on the current data; None when the settings no longer validate.
    problems : list of tuple
        ``(field, message)`` from :class:`planner.scenario.ScenarioError` when the settings no
        longer validate on the current data (for example a lever that was removed).
    differences : pandas.DataFrame or None
        :func:`compare_snapshots` of the saved and the current numbers.
    """

    dataset_version: str
    snapshot: dict[str, Any] | None = field(repr=False)
    problems: list[tuple[str, str]]
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
        With the snapshot and differences, or the validation problems (never raises
        :class:`planner.scenario.ScenarioError`).
    """
    model = current_model if current_model is not None else load_model(store)
    try:
        scenario = model.validate(saved.settings)
    except ScenarioError as exc:
        return CurrentComparison(str(model.version), None, list(exc.problems))
    snap = snapshot(model, scenario, saved.draws, saved.seed)
    return CurrentComparison(str(model.version), snap, [], compare_snapshots(saved.snapshot, snap))


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
        Code ``bad_page`` or ``bad_search``.
    """
    problems: list[SaveProblem] = []
    limit = _check_int(limit, "limit", "bad_page", 1, PAGE_MAX, problems)
    offset = _check_int(offset, "offset", "bad_page", 0, 2**62, problems)
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
        Code ``bad_id``, ``unknown_id`` or ``bad_token``; nothing is deleted.
    """
    if not is_valid_id(scenario_id) or not SAVED_ID_PATTERN.fullmatch(scenario_id):
        raise SavedScenarioError.one(
            "bad_id", f"{str(scenario_id)[:40]!r} is not a saved scenario id (built-in "
            "scenarios cannot be deleted)", "id")
    row = store.get_saved(scenario_id)
    if row is None:
        raise SavedScenarioError.one("unknown_id", f"no saved scenario has the id {scenario_id!r}", "id")
    if not token_matches(token, row["owner_token_hash"]):
        raise SavedScenarioError.one(
            "bad_token", f"the owner token does not match saved scenario {scenario_id!r}; "
            "nothing was deleted", "token")
    if not store.delete_saved(scenario_id, row["owner_token_hash"]):
        raise SavedScenarioError.one("unknown_id", f"no saved scenario has the id {scenario_id!r}", "id")
