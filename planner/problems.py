"""Problems: one type for what is wrong with a scenario, a saved-scenario request, a link or an
upload of data.

A :class:`Problem` names where (``field``, and for an upload ``sheet``, ``row`` and ``column`` in
its ``detail``), what (``code``) and the values its message needs (the rest of ``detail``). Two
families of codes, each worded from its own catalogue entries in Vietnamese and English:

- a request's (a scenario, a saved scenario, a link): :data:`CODES`, worded by
  :func:`problem_text` from ``problem.<code>``, whose ``{field}`` and detail placeholders it fills
  in: numbers per locale, text as given (or through the caller's ``escape``, such as Markdown
  escaping for a page);
- an upload's: :data:`planner.dataio.problems.PROBLEM_CODES`, worded with its place by
  :func:`planner.dataio.problems.describe` from ``dataio.problem.<code>``.

Nothing here is written in one language only: the command line and logs use the English words.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from planner.formatting import fmt_number
from planner.i18n import t

CODES: dict[str, tuple[str, ...]] = {
    # scenario settings (planner.scenario), also read from links (planner.links)
    "not_a_number": ("value",),
    "out_of_range": ("value", "min", "max"),
    "bad_year": ("year", "allowed"),
    "year_ended": ("year", "allowed"),
    "no_year_left": ("year", "end"),
    "unknown_lever": ("lever", "known"),
    "unknown_assumption": ("assumption",),
    "unknown_field": ("allowed",),
    "bad_json": ("position",),
    "bad_shape": ("shape",),
    "bad_set": ("example",),
    # ids, languages and lists of a link or a request
    "bad_id": ("value",),
    "unknown_id": ("value",),
    "bad_lang": ("value", "allowed"),
    "too_many": ("count", "max"),
    "too_few": ("count", "min"),
    # saved scenarios (planner.saved)
    "not_deletable": ("value",),
    "bad_token": (),
    "corrupt": ("value",),
    "bad_name": ("max",),
    "bad_note": ("max",),
    "bad_author": ("max",),
    "bad_search": ("max",),
    "unknown_parent": ("value",),
    "stale_dataset": (),
    "unknown_dataset": (),
    # requests to the API (web.api)
    "unknown_indicator": ("value",),
    "unknown_version": ("value",),
    "unknown_target": ("value",),
    "bad_goal": ("value",),
    "required": (),
    "bad_type": (),
    "not_found": (),
    "bad_method": ("allowed",),
    "too_large": ("max",),
    "timeout": ("seconds",),
    "unavailable": (),
    "internal": (),
}
"""Every problem code and the detail keys its message uses (besides ``field``)."""

FALLBACK_CODE = "invalid"
"""The catalogue entry (``problem.invalid``) of a code not in :data:`CODES`."""

SHOWN_CHARS = 40
"""Text from the user quoted in a detail is cut to this many characters (see :func:`shown`)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a request; nothing of the request was applied for it.

    Attributes
    ----------
    field : str
        What it concerns: a scenario path (``levers.online_filing.2025``), a query key
        (``a.e_filing_to_dg``, ``s``, ``c``), a saved-scenario field (``name``, ``token``),
        a data file (``observations.csv``) or an uploaded file's name, or empty.
    code : str
        One of :data:`CODES` (a request) or of
        :data:`planner.dataio.problems.PROBLEM_CODES` (an upload).
    detail : mapping
        The values of the message, by code; numbers stay numbers (they are formatted per
        language), text from the user is cut with :func:`shown`. An upload's problem also
        has ``sheet``, ``row`` (the line in the file, header = 1, or the row in the sheet)
        and ``column`` when known.
    """

    field: str
    code: str
    detail: Mapping[str, Any] = field(default_factory=dict)

    @property
    def row(self) -> int | None:
        """The row (or line) of an upload's problem, when it is on one."""
        return self.detail.get("row")

    @property
    def column(self) -> str | None:
        """The column of an upload's problem, when it is on one."""
        return self.detail.get("column")


def shown(value: Any) -> str:
    """Text of a value from the user, cut to :data:`SHOWN_CHARS` characters with ``…``.

    Parameters
    ----------
    value : Any

    Returns
    -------
    str
    """
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"


def _number_text(x: float, lang: str) -> str:
    """A number per locale; very large or small magnitudes in scientific form (``1e+22``),
    which the locale's decimal pattern cannot write."""
    if x != 0 and not 1e-6 <= abs(x) < 1e15:
        text = f"{x:.6g}"
        return text.replace(".", ",") if lang == "vi" else text
    return fmt_number(x, lang, 6, trim=True)


def _value_text(value: Any, lang: str, escape: Callable[[str], str]) -> str:
    if isinstance(value, bool) or value is None:
        return escape(str(value) if value is not None else "")
    if isinstance(value, int | float) and math.isfinite(value):
        return _number_text(float(value), lang)
    return escape(str(value))


def problem_text(problem: Problem, lang: str, escape: Callable[[str], str] | None = None) -> str:
    """A problem in words, from the catalogue entry ``problem.<code>``.

    Parameters
    ----------
    problem : Problem
    lang : {"vi", "en"}
    escape : callable, optional
        Applied to every text value (the field and text details), for example Markdown
        escaping on a page; numbers are formatted per ``lang`` and need none. Default: as is.

    Returns
    -------
    str
        Never raises for a missing detail (it shows as empty) or an unknown code (the text of
        ``problem.invalid`` with the details listed).
    """
    esc = escape or (lambda s: s)
    values = {k: _value_text(v, lang, esc) for k, v in problem.detail.items()}
    if isinstance(problem.detail.get("year"), int):  # a year, never "2.025"
        values["year"] = str(problem.detail["year"])
    values["field"] = esc(problem.field)
    if problem.code not in CODES:
        listed = ", ".join(f"{k}={v}" for k, v in problem.detail.items()) or problem.code
        return t(f"problem.{FALLBACK_CODE}", lang, field=values["field"], detail=esc(listed))
    for name in CODES[problem.code]:
        values.setdefault(name, "")
    return t(f"problem.{problem.code}", lang, **values)


def problems_text(problems: Iterable[Problem], lang: str,
                  escape: Callable[[str], str] | None = None) -> str:
    """Several problems in words, one after the other (duplicates once).

    Parameters
    ----------
    problems : iterable of Problem
    lang : {"vi", "en"}
    escape : callable, optional
        As for :func:`problem_text`.

    Returns
    -------
    str
    """
    return " ".join(dict.fromkeys(problem_text(p, lang, escape) for p in problems))
