"""The app's query parameters: reading untrusted links and writing shareable ones.

Schema
------
``lang=vi|en``
    The language (default ``vi``).
``s=<id>``
    Open a saved scenario (16 URL-safe characters) or a built-in one (``baseline``,
    ``plan_targets``, ``cautious``); see :mod:`planner.saved`.
``<lever>.<year>=<value>``
    A lever's value in a settable year, for example ``online_filing.2025=90``.
``a.<assumption>=<value>``
    An assumption override, for example ``a.e_filing_to_dg=0.004``.
``c=<id>,<id>[,...]``
    The compare page's scenarios: 2 to 4 entries, each a saved id, a built-in id, or
    ``current`` (the unsaved scenario carried by the same link's lever and assumption
    parameters).

``link_dropped=<count>``
    Set by the server, never written by the app: the page was opened by a link too long for
    Streamlit to read (:func:`dropped_query`), with ``count`` parameters; the page says so.

Too long a link
---------------
Streamlit 1.67 drops a query string whole, ``lang`` included and without a word, when it has
more than 1,000 parameters (it counts the ``&``) or more than 512 Ki characters
(``sanitize_query_string`` in ``streamlit/runtime/state/query_params.py``, applied to what the
browser sends before the script runs). The script then sees no parameter at all:
``st.query_params`` is empty and ``st.context.url`` never holds the query (the browser strips it
before sending). Only the HTTP request for the page still carries it, so the app's server
answers such a request with a redirect to the same page with :func:`dropped_query`'s short query
(the language, when the link named a valid one, and ``link_dropped``), and the page shows a
notice. (A link longer than about 128 KiB never reaches the app: the web server, uvicorn,
answers its request with "400 Bad Request".)

Read-only pages
---------------
``/s/<id>`` is a saved (or built-in) scenario's briefing as a plain page, served beside the
app without a session (``web/plain``); ``/embed/<id>/<indicator>`` one of its charts.
:func:`read_path` writes the first; ``?lang=`` is their only parameter.

Other keys without a dot (such as Streamlit's own ``embed``) are ignored. :func:`parse_query`
never raises: every bad piece is dropped and reported as a :class:`planner.problems.Problem`,
whose ``code`` is one of :data:`PROBLEM_CODES` (the catalogue has ``problem.<code>``) and whose
``detail`` holds the values to put in the message. Everything else is kept, and the kept
settings validate with :func:`planner.scenario.validate_scenario`.

A page given both ``s`` and settings should open the saved scenario (its numbers are pinned) and
ignore the settings; :func:`encode` writes both only when asked to.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import unquote_plus

import pandas as pd

from planner.i18n import DEFAULT_LANG, LANGS
from planner.problems import SHOWN_CHARS, Problem, shown
from planner.saved import is_valid_id
from planner.scenario import BASELINE, Scenario, ScenarioError, validate_scenario, year_problem

LANG_KEY = "lang"
SCENARIO_KEY = "s"
COMPARE_KEY = "c"
ASSUMPTION_PREFIX = "a."
CURRENT = "current"
"""The compare entry naming the unsaved scenario of the link's own settings."""

DROPPED_KEY = "link_dropped"
"""The parameter saying the page was opened by a link too long to read (its count)."""

MAX_QUERY_FIELDS = 1000
"""Most parameters Streamlit reads from a link (``CLIENT_STATE_QUERY_STRING_MAX_FIELDS``)."""

MAX_QUERY_CHARS = 512 * 1024
"""Longest query string Streamlit reads (``CLIENT_STATE_QUERY_STRING_MAX_LENGTH``)."""

MAX_DROPPED_COUNT = 10**7
"""Largest ``link_dropped`` count believed; a larger or malformed one is ignored."""

COMPARE_MIN = 2
COMPARE_MAX = 4
"""How many scenarios the compare page shows."""

MAX_VALUE_CHARS = 32
"""Longest number text accepted; a longer value is ``not_a_number``."""

MAX_SHOWN_CHARS = SHOWN_CHARS
"""User text quoted in a problem's ``detail`` is cut to this many characters."""

PROBLEM_CODES = (
    "unknown_lever",
    "unknown_assumption",
    "not_a_number",
    "out_of_range",
    "bad_year",
    "year_ended",
    "no_year_left",
    "bad_id",
    "bad_lang",
    "too_many",
    "too_few",
)
"""Every code a link's problems may have (a subset of :data:`planner.problems.CODES`)."""

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


LinkProblem = Problem
"""A dropped piece of a link is a :class:`planner.problems.Problem` (the name stays for callers).

Its ``field`` is the query key (``online_filing.2025``, ``a.e_filing_to_dg``, ``lang``, ``s``,
``c``) and its ``detail`` holds, by code:

- ``unknown_lever``: ``lever``, ``known`` (comma-separated lever ids)
- ``unknown_assumption``: ``assumption``
- ``not_a_number``: ``value``
- ``out_of_range``: ``value`` (float), ``min``, ``max`` (floats)
- ``bad_year``: ``year``, ``allowed`` (``"2025, 2030"``)
- ``bad_id``: ``value``
- ``bad_lang``: ``value``, ``allowed`` (``"vi, en"``)
- ``too_many``: ``count``, ``max`` (ints)
- ``too_few``: ``count``, ``min`` (ints)

Text taken from the link is cut to :data:`MAX_SHOWN_CHARS` characters; show it as text, never
as HTML.
"""


@dataclass(frozen=True)
class LinkState:
    """What a link asks for, after dropping every bad piece.

    Attributes
    ----------
    lang : str
        ``vi`` or ``en``.
    scenario_id : str or None
        The ``s`` parameter when well-formed (whether it exists is checked on opening).
    scenario : Scenario
        The link's own lever settings and overrides (the baseline when there are none).
    compare : tuple of str
        The well-formed, distinct ``c`` entries, at most :data:`COMPARE_MAX`; fewer than
        :data:`COMPARE_MIN` means the page chooses (a ``too_few`` problem says so when ``c``
        was given).
    problems : tuple of planner.problems.Problem
        Every piece dropped, in the order of the link's keys.
    has_settings : bool
        Whether the link carried at least one valid lever or assumption parameter.
    """

    lang: str = DEFAULT_LANG
    scenario_id: str | None = None
    scenario: Scenario = BASELINE
    compare: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()
    has_settings: bool = False


def _last(value: str | Sequence[str] | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    items = list(value)
    return str(items[-1]) if items else None


def _parse_number(key: str, text: str, problems: list[Problem]) -> float | None:
    raw = text.strip()
    if len(raw) > MAX_VALUE_CHARS or not _NUMBER.fullmatch(raw):
        problems.append(Problem(key, "not_a_number", {"value": shown(text)}))
        return None
    x = float(raw)
    if not math.isfinite(x):
        problems.append(Problem(key, "not_a_number", {"value": shown(text)}))
        return None
    return x


def _in_range(key: str, x: float, lo: float, hi: float, problems: list[Problem]) -> bool:
    if lo <= x <= hi:
        return True
    problems.append(Problem(key, "out_of_range", {"value": x, "min": lo, "max": hi}))
    return False


def _ranges(frame: pd.DataFrame, low: str, high: str) -> dict[str, tuple[float, float]]:
    return {str(i): (float(a), float(b))
            for i, a, b in zip(frame["id"], frame[low], frame[high], strict=True)}


def parse_query(params: Mapping[str, str | Sequence[str]], levers_frame: pd.DataFrame,
                assumptions_frame: pd.DataFrame) -> LinkState:
    """Read the app's query parameters; never raises.

    Parameters
    ----------
    params : mapping
        Key to value, or to a list of values (the last one counts), as from
        ``st.query_params`` or ``urllib.parse.parse_qs``.
    levers_frame : pandas.DataFrame
        Rows of ``levers.csv`` (``id, min, max``).
    assumptions_frame : pandas.DataFrame
        Rows of ``assumptions.csv`` (``id, low, high``).

    Returns
    -------
    LinkState
        The valid pieces, defaults for the rest, and a problem per dropped piece.
    """
    levers = _ranges(levers_frame, "min", "max")
    assumptions = _ranges(assumptions_frame, "low", "high")
    problems: list[Problem] = []
    lang = DEFAULT_LANG
    scenario_id: str | None = None
    compare: list[str] = []
    lever_values: dict[str, dict[int, float]] = {}
    overrides: dict[str, float] = {}
    for key in params:
        value = _last(params[key])
        if value is None:
            continue
        key = str(key)
        value = str(value)
        if key == LANG_KEY:
            code = value.strip().lower()
            if code in LANGS:
                lang = code
            else:
                problems.append(Problem(key, "bad_lang", {"value": shown(value),
                                                              "allowed": ", ".join(LANGS)}))
        elif key == SCENARIO_KEY:
            sid = value.strip()
            if is_valid_id(sid):
                scenario_id = sid
            else:
                problems.append(Problem(key, "bad_id", {"value": shown(value)}))
        elif key == COMPARE_KEY:
            compare = _parse_compare(key, value, problems)
        elif key.startswith(ASSUMPTION_PREFIX):
            aid = key[len(ASSUMPTION_PREFIX):]
            if aid not in assumptions:
                problems.append(Problem(key, "unknown_assumption", {"assumption": shown(aid)}))
                continue
            x = _parse_number(key, value, problems)
            if x is not None and _in_range(key, x, *assumptions[aid], problems):
                overrides[aid] = x
        elif "." in key:
            lid, _, year_text = key.partition(".")
            if lid not in levers:
                problems.append(Problem(key, "unknown_lever", {
                    "lever": shown(lid), "known": ", ".join(sorted(levers))}))
                continue
            if (wrong := year_problem(key, year_text)) is not None:
                problems.append(wrong)
                continue
            x = _parse_number(key, value, problems)
            if x is not None and _in_range(key, x, *levers[lid], problems):
                lever_values.setdefault(lid, {})[int(year_text)] = x
        # any other key (no dot) is not ours: ignored
    raw = {"levers": lever_values, "overrides": overrides}
    try:
        scenario = validate_scenario(raw, levers_frame, assumptions_frame)
    except ScenarioError as exc:  # not expected: every piece was checked above
        problems.extend(exc.problems)
        scenario = BASELINE
    return LinkState(lang, scenario_id, scenario, tuple(compare), tuple(problems),
                     bool(lever_values or overrides))


def _parse_compare(key: str, value: str, problems: list[Problem]) -> list[str]:
    entries: list[str] = []
    for part in value.split(","):
        entry = part.strip()
        if entry != CURRENT and not is_valid_id(entry):
            problems.append(Problem(key, "bad_id", {"value": shown(part)}))
        elif entry not in entries:
            entries.append(entry)
    if len(entries) > COMPARE_MAX:
        problems.append(Problem(key, "too_many", {"count": len(entries), "max": COMPARE_MAX}))
        entries = entries[:COMPARE_MAX]
    elif len(entries) < COMPARE_MIN:
        problems.append(Problem(key, "too_few", {"count": len(entries), "min": COMPARE_MIN}))
    return entries


def format_value(x: float) -> str:
    """Write a number in its shortest exact form: ``90``, ``92.5``, ``0.004``, ``1e-05``.

    Parameters
    ----------
    x : float
        Finite.

    Returns
    -------
    str
        Parses back (``float``) to exactly ``x`` (``-0.0`` is written ``0``).

    Raises
    ------
    ValueError
        When ``x`` is not finite.
    """
    v = float(x)
    if not math.isfinite(v):
        raise ValueError(f"cannot write {x!r} in a link")
    if v.is_integer() and abs(v) < 1e16:
        return str(int(v))
    return repr(v)


def encode(scenario: Scenario | None = None, lang: str = DEFAULT_LANG, s: str | None = None,
           compare: Iterable[str] | None = None) -> dict[str, str]:
    """Write the query parameters of a link.

    Parameters
    ----------
    scenario : Scenario, optional
        Settings to carry (``<lever>.<year>`` and ``a.<assumption>`` keys); none when None or
        the baseline.
    lang : {"vi", "en"}, optional
    s : str, optional
        A saved or built-in scenario id.
    compare : iterable of str, optional
        2 to 4 distinct entries for ``c`` (ids or ``current``).

    Returns
    -------
    dict of str to str
        In a stable order: ``lang``, ``s``, ``c``, levers, assumptions (sorted).

    Raises
    ------
    ValueError
        When ``lang``, ``s`` or ``compare`` is not valid.
    """
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}")
    out = {LANG_KEY: lang}
    if s is not None:
        if not is_valid_id(s):
            raise ValueError(f"{s!r} is not a scenario id")
        out[SCENARIO_KEY] = s
    if compare is not None:
        entries = list(compare)
        bad = [e for e in entries if e != CURRENT and not is_valid_id(e)]
        if bad or len(set(entries)) != len(entries) or not COMPARE_MIN <= len(entries) <= COMPARE_MAX:
            raise ValueError(f"compare needs {COMPARE_MIN} to {COMPARE_MAX} distinct ids, got {entries}")
        out[COMPARE_KEY] = ",".join(entries)
    if scenario is not None:
        for lid, path in sorted(scenario.levers.items()):
            for year, value in sorted(path.items()):
                out[f"{lid}.{int(year)}"] = format_value(value)
        for aid, value in sorted(scenario.overrides.items()):
            out[f"{ASSUMPTION_PREFIX}{aid}"] = format_value(value)
    return out


READ_PREFIX = "/s/"
"""Where a scenario's read-only page lives: ``/s/<id>``."""
EMBED_PREFIX = "/embed/"
"""Where a scenario's embeddable charts live: ``/embed/<id>/<indicator>[.svg]``."""


def read_path(scenario_id: str, lang: str | None = None) -> str:
    """The address of a scenario's read-only page: ``/s/<id>``, with ``?lang=`` when given.

    Parameters
    ----------
    scenario_id : str
        A saved or built-in scenario id.
    lang : {"vi", "en"}, optional

    Returns
    -------
    str

    Raises
    ------
    ValueError
        When the id or the language is not valid.
    """
    if not is_valid_id(scenario_id):
        raise ValueError(f"{scenario_id!r} is not a scenario id")
    if lang is not None and lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}")
    return f"{READ_PREFIX}{scenario_id}" + (f"?{LANG_KEY}={lang}" if lang else "")


def query_fields(query: str) -> int:
    """How many parameters Streamlit counts in a query string (its ``&`` plus one).

    Parameters
    ----------
    query : str
        The query string without its ``?``.

    Returns
    -------
    int
        0 for an empty query.
    """
    return query.count("&") + 1 if query else 0


def dropped_query(query: str) -> dict[str, str] | None:
    """The short query to open instead of one Streamlit would drop whole.

    Parameters
    ----------
    query : str
        The raw query string of a page request, without its ``?``.

    Returns
    -------
    dict of str to str, or None
        None when Streamlit reads the query (at most :data:`MAX_QUERY_FIELDS` parameters and
        :data:`MAX_QUERY_CHARS` characters); else ``lang`` (its last valid value, when the
        query has one) and :data:`DROPPED_KEY` (the number of parameters).
    """
    fields = query_fields(query)
    if fields <= MAX_QUERY_FIELDS and len(query) <= MAX_QUERY_CHARS:
        return None
    out: dict[str, str] = {}
    for pair in query.split("&"):
        key, _, value = pair.partition("=")
        if unquote_plus(key) == LANG_KEY and unquote_plus(value).strip().lower() in LANGS:
            out[LANG_KEY] = unquote_plus(value).strip().lower()
    out[DROPPED_KEY] = str(fields)
    return out


def dropped_count(value: str | Sequence[str] | None) -> int | None:
    """The count of a :data:`DROPPED_KEY` parameter, or None when it is not a sound one.

    Parameters
    ----------
    value : str, sequence of str or None
        The parameter's value (the last one counts).

    Returns
    -------
    int or None
        A whole number from 1 to :data:`MAX_DROPPED_COUNT`.
    """
    text = (_last(value) or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_DROPPED_COUNT)):
        return None
    count = int(text)
    return count if 1 <= count <= MAX_DROPPED_COUNT else None
