"""Scenarios: lever settings plus assumption overrides, validated whole.

A scenario is the baseline plus a set of changes. :func:`validate_scenario` checks every
field before anything is applied and raises :class:`ScenarioError` listing every problem
(unknown lever or assumption, wrong type, value outside its range, year not settable); nothing
is partially applied. :func:`nearest_allowed` is for settings made on another dataset version:
the nearest scenario the current one allows, with every change it had to make.

The canonical form, used in links, the store and the CLI, is JSON; a lever is set in the
settable years (:func:`planner.horizon.settable_years`: the first year not begun and 2030), so in
late 2026::

    {"levers": {"online_filing": {"2027": 90, "2030": 95}}, "overrides": {"e_filing_to_dg": 0.004}}
"""

from __future__ import annotations

import datetime
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from planner.horizon import END_YEAR, START_YEAR, last_ended_year, settable_years
from planner.problems import Problem, problems_text, shown


def set_example(on: datetime.date | None = None) -> str:
    """The example a malformed ``LEVER@YEAR=VALUE`` is answered with: the first year that can be
    set on ``on`` (today by default), or the plan's last year once none can."""
    return f"online_filing@{(settable_years(on) or (END_YEAR,))[0]}=90"


def year_problem(where: str, text: str, on: datetime.date | None = None) -> Problem | None:
    """What is wrong with setting a lever in the year written ``text`` on ``on`` (today by
    default), or ``None`` when that year can be set.

    Parameters
    ----------
    where : str
        The problem's field (``levers.online_filing.2025``, ``online_filing.2025``).
    text : str
        The year as written.
    on : datetime.date, optional
        Today.

    Returns
    -------
    Problem or None
        ``no_year_left`` once no year can be set (:func:`planner.horizon.horizon_ended`),
        ``year_ended`` for a year of the plan that has ended, ``bad_year`` for any other year
        that cannot be set; each names the years that can.
    """
    year = int(text) if len(text) <= 4 and text.isascii() and text.isdigit() else None
    allowed = settable_years(on)
    if year is not None and year in allowed:
        return None
    if not allowed:
        return Problem(where, "no_year_left", {"year": shown(text), "end": str(END_YEAR)})
    years = ", ".join(map(str, allowed))
    if year is not None and START_YEAR <= year <= last_ended_year(on):
        return Problem(where, "year_ended", {"year": str(year), "allowed": years})
    return Problem(where, "bad_year", {"year": shown(text), "allowed": years})


class ScenarioError(ValueError):
    """A scenario failed validation.

    Parameters
    ----------
    problems : list of Problem
        One per problem found (codes of :data:`planner.problems.CODES`).

    Attributes
    ----------
    problems : list of Problem
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(problems_text(self.problems, "en"))


@dataclass(frozen=True)
class Scenario:
    """A validated scenario.

    Attributes
    ----------
    levers : dict
        ``{lever_id: {year: value}}`` for the settings that differ from the baseline path.
    overrides : dict
        ``{assumption_id: value}``.
    """

    levers: dict[str, dict[int, float]] = field(default_factory=dict)
    overrides: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict:
        """Canonical JSON-ready form (sorted keys, years as strings)."""
        return {
            "levers": {k: {str(y): v for y, v in sorted(p.items())}
                       for k, p in sorted(self.levers.items()) if p},
            "overrides": dict(sorted(self.overrides.items())),
        }

    def to_json(self) -> str:
        """Canonical JSON text."""
        return json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))

    def key(self) -> str:
        """A hashable key (the canonical JSON), for caching."""
        return self.to_json()

    def is_baseline(self) -> bool:
        """Whether the scenario changes nothing."""
        return not any(self.levers.values()) and not self.overrides


BASELINE = Scenario()

SHAPES = {
    "scenario": '{"levers": {...}, "overrides": {...}}',
    "levers": "{lever: {year: value}}",
    "path": "{year: value}",
    "overrides": "{assumption: value}",
}
"""The JSON shape each part of a scenario must have (the ``shape`` of a ``bad_shape`` problem)."""


def json_problem(field: str, exc: json.JSONDecodeError) -> Problem:
    """The problem of JSON text that does not parse.

    Parameters
    ----------
    field : str
        Where the text came from (``scenario``, ``--scenario``).
    exc : json.JSONDecodeError

    Returns
    -------
    Problem
        Code ``bad_json``, with the 1-based ``position`` of the error.
    """
    return Problem(field, "bad_json", {"position": exc.pos + 1})


def _number(value, where: str, problems: list[Problem]) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        problems.append(Problem(where, "not_a_number", {"value": shown(value)}))
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        problems.append(Problem(where, "not_a_number", {"value": shown(value)}))
        return None
    if not math.isfinite(x):
        problems.append(Problem(where, "not_a_number", {"value": shown(str(value))}))
        return None
    return x + 0.0  # -0.0 becomes 0.0: one canonical form for links and saved scenarios


def validate_scenario(raw: Mapping | str | Scenario | None, levers: pd.DataFrame,
                      assumptions: pd.DataFrame, on: datetime.date | None = None) -> Scenario:
    """Validate a whole scenario against the levers and assumptions of a dataset.

    Parameters
    ----------
    raw : mapping, JSON text, Scenario or None
        ``{"levers": {id: {year: value}}, "overrides": {id: value}}``; ``None`` is the baseline.
    levers : pandas.DataFrame
        Rows of ``levers.csv`` (``id, min, max``).
    assumptions : pandas.DataFrame
        Rows of ``assumptions.csv`` (``id, low, high``).
    on : datetime.date, optional
        Today, which decides the years that can be set (:func:`year_problem`); by default
        :func:`planner.horizon.today`.

    Returns
    -------
    Scenario
        The validated scenario.

    Raises
    ------
    ScenarioError
        Listing every problem, each naming its field and the allowed range.
    """
    scenario, problems = _read(raw, levers, assumptions, clamp=False, on=on)
    if problems:
        raise ScenarioError(problems)
    return scenario


def nearest_allowed(raw: Mapping | str | Scenario | None, levers: pd.DataFrame,
                    assumptions: pd.DataFrame, on: datetime.date | None = None
                    ) -> tuple[Scenario, list[Problem]]:
    """The scenario a dataset allows that comes nearest to ``raw``, and what had to change.

    For settings made on another dataset version (a saved scenario after the levers' or the
    assumptions' ranges changed): a value outside its range is moved to the nearer end of the
    range; an unknown lever, year or assumption, or a value that is not a number, is left out.
    Every change is reported as :func:`validate_scenario` would report it.

    Parameters
    ----------
    raw : mapping, JSON text, Scenario or None
        As for :func:`validate_scenario`.
    levers, assumptions : pandas.DataFrame
        As for :func:`validate_scenario`.
    on : datetime.date, optional
        As for :func:`validate_scenario`: once no year can be set, every lever setting is
        left out (``no_year_left``) and the assumptions still apply.

    Returns
    -------
    scenario : Scenario
        Valid for ``levers`` and ``assumptions``; equal to ``validate_scenario(raw, ...)``
        when that succeeds.
    problems : list of Problem
        Empty when ``raw`` is valid as it is.
    """
    return _read(raw, levers, assumptions, clamp=True, on=on)


def _ranges(frame: pd.DataFrame, low: str, high: str) -> dict[str, tuple[float, float]]:
    return {str(i): (float(lo), float(hi)) for i, lo, hi in
            zip(frame["id"].tolist(), frame[low].tolist(), frame[high].tolist(), strict=True)}


def _read(raw, levers: pd.DataFrame, assumptions: pd.DataFrame,
          clamp: bool, on: datetime.date | None = None) -> tuple[Scenario, list[Problem]]:
    """Read ``raw`` against a dataset: the valid part (values outside their range moved into it
    when ``clamp``, else left out) and every problem found."""
    if raw is None:
        return BASELINE, []
    if isinstance(raw, Scenario):
        raw = raw.to_dict()
    problems: list[Problem] = []
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError as exc:
            return BASELINE, [json_problem("scenario", exc)]
    if not isinstance(raw, Mapping):
        return BASELINE, [Problem("scenario", "bad_shape", {"shape": SHAPES["scenario"]})]
    unknown_keys = set(raw) - {"levers", "overrides"}
    for k in sorted(unknown_keys, key=str):
        problems.append(Problem(shown(str(k)), "unknown_field", {"allowed": "levers, overrides"}))

    def in_range(x: float, lo: float, hi: float, where: str) -> float | None:
        if lo <= x <= hi:
            return x
        problems.append(Problem(where, "out_of_range", {"value": x, "min": lo, "max": hi}))
        return min(max(x, lo), hi) + 0.0 if clamp else None

    # each id's range, read column by column (rows of Arrow-backed frames box every cell)
    lever_rows = _ranges(levers, "min", "max")
    ass_rows = _ranges(assumptions, "low", "high")
    out_levers: dict[str, dict[int, float]] = {}
    raw_levers = raw.get("levers") or {}
    if not isinstance(raw_levers, Mapping):
        problems.append(Problem("levers", "bad_shape", {"shape": SHAPES["levers"]}))
        raw_levers = {}
    for lid, path in raw_levers.items():
        if lid not in lever_rows:
            problems.append(Problem(f"levers.{shown(str(lid))}", "unknown_lever", {
                "lever": shown(str(lid)), "known": ", ".join(sorted(lever_rows))}))
            continue
        if not isinstance(path, Mapping):
            problems.append(Problem(f"levers.{lid}", "bad_shape", {"shape": SHAPES["path"]}))
            continue
        lo, hi = lever_rows[lid]
        for y, v in path.items():
            where = f"levers.{lid}.{shown(str(y))}"
            if (wrong := year_problem(where, str(y).strip(), on)) is not None:
                problems.append(wrong)
                continue
            x = _number(v, where, problems)
            if x is not None and (x := in_range(x, lo, hi, where)) is not None:
                out_levers.setdefault(lid, {})[int(str(y))] = x
    out_over: dict[str, float] = {}
    raw_over = raw.get("overrides") or {}
    if not isinstance(raw_over, Mapping):
        problems.append(Problem("overrides", "bad_shape", {"shape": SHAPES["overrides"]}))
        raw_over = {}
    for aid, v in raw_over.items():
        where = f"overrides.{shown(str(aid))}"
        if aid not in ass_rows:
            problems.append(Problem(where, "unknown_assumption", {"assumption": shown(str(aid))}))
            continue
        x = _number(v, where, problems)
        lo, hi = ass_rows[aid]
        if x is not None and (x := in_range(x, lo, hi, where)) is not None:
            out_over[aid] = x
    return Scenario(out_levers, out_over), problems


def parse_set_args(items: list[str]) -> dict:
    """Parse CLI ``LEVER@YEAR=VALUE`` items into the raw scenario form.

    Parameters
    ----------
    items : list of str
        For example ``["online_filing@2030=90"]``.

    Returns
    -------
    dict
        ``{"levers": {...}}`` ready for :func:`validate_scenario`.

    Raises
    ------
    ScenarioError
        If an item is not of the form ``LEVER@YEAR=VALUE``.
    """
    levers: dict[str, dict[str, str]] = {}
    problems = []
    for item in items or []:
        head, sep, value = item.partition("=")
        lid, at, year = head.partition("@")
        if not sep or not at or not lid or not year or not value:
            problems.append(Problem(shown(item), "bad_set", {"example": set_example()}))
            continue
        levers.setdefault(lid.strip(), {})[year.strip()] = value.strip()
    if problems:
        raise ScenarioError(problems)
    return {"levers": levers, "overrides": {}}
