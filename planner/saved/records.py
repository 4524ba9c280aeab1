"""Stored records: a saved scenario as read back (checked against its digest), a listing row,
and the built-in scenarios shipped with the data.

Every saved row carries ``digest``, the SHA-256 of its canonical payload
(:func:`payload_digest`); reading a row whose digest does not match raises (code ``corrupt``).
Text is stored as given; whoever renders it shows it as text.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from planner.problems import Problem, shown
from planner.saved.errors import SavedScenarioError
from planner.saved.ids import BUILTIN_ID_PATTERN
from planner.saved.snapshots import canonical_json, cell_text, scenario_from_settings
from planner.scenario import Scenario, nearest_allowed


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
            return SavedScenarioError.one("corrupt", "id", {"value": shown(row.get("id"))})

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

    def applied(self, model: Any) -> tuple[Scenario, list[Problem]]:
        """The scenario as a model allows it today, and what had to change.

        A ready-made scenario is written once, in the data, but the years go on: a setting
        for a year that has since ended (or outside a range the data has since narrowed) is
        left out (or moved into the range) and reported, and the rest applies
        (:func:`planner.scenario.nearest_allowed`).

        Parameters
        ----------
        model : planner.projection.PlannerResults
            The fitted model (its dataset's levers and assumptions).

        Returns
        -------
        scenario : Scenario
        problems : list of Problem
            Empty when every setting still applies.
        """
        return nearest_allowed(self.settings, model.dataset.levers, model.dataset.assumptions)


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
        out.append(BuiltinScenario(sid, cell_text(r.label_vi), cell_text(r.label_en),
                                   cell_text(r.note_vi), cell_text(r.note_en), settings))
    return out
