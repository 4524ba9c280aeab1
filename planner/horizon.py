"""The planning horizon and today's place in it.

The planner is used in the present: it knows today's date (:func:`today`, from the environment
variable ``PLANNER_TODAY`` in ISO form, else the system date). From it follow

* the last year that has ended (:func:`last_ended_year`): up to it a value is observed (an
  official figure exists) or an estimate (a nowcast while the figure is pending); after it
  every value is a projection;
* the years a scenario sets (:func:`settable_years`): the first year that has not begun and
  2030. A lever acts from the first year that has not ended (its change is zero at the last
  ended year and grows linearly to the first set year), so it never changes the past.

When 2030 has begun no year is left to set (:func:`horizon_ended`): the plan's horizon has
ended for scenarios, and the pages, the command line and the exports show where the targets
ended (met, missed, likely so) rather than what a scenario could still change.

Nothing here is fixed when the module is imported: every answer is read from the date at the
time of asking (the planner runs for any date from 2026 to 2036 and beyond). The fitted model
keeps its own copy of the date (``PlannerResults.today``, with ``last_ended_year`` and
``settable_years``); code that holds a model asks it, code that does not asks the functions here.
"""

from __future__ import annotations

import datetime as _dt
import os

START_YEAR = 2020
"""First year shown (the first DTI assessment)."""

END_YEAR = 2030
"""Last year projected (the horizon of Resolution 09-NQ/TU)."""

YEARS = tuple(range(START_YEAR, END_YEAR + 1))
"""Every modelled year."""

TODAY_ENV = "PLANNER_TODAY"
"""Environment variable that fixes today's date (``YYYY-MM-DD``), for tests and replays."""

BASES = ("observed", "estimate", "projection")
"""What a value of a year rests on: an official figure, a nowcast of an ended year, a projection."""


def today() -> _dt.date:
    """Today's date: ``PLANNER_TODAY`` when set, else the system date.

    Returns
    -------
    datetime.date
        The date.

    Raises
    ------
    ValueError
        When ``PLANNER_TODAY`` is set but is not an ISO date.
    """
    text = os.environ.get(TODAY_ENV, "").strip()
    if not text:
        return _dt.date.today()
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{TODAY_ENV} must be a date like 2026-11-27, got {text!r}") from None


def last_ended_year(on: _dt.date | None = None) -> int:
    """The last year that has ended on ``on`` (today by default)."""
    return (on or today()).year - 1


def settable_years(on: _dt.date | None = None) -> tuple[int, ...]:
    """The years a scenario sets on ``on`` (today by default): the first year not begun and 2030.

    Returns
    -------
    tuple of int
        ``(first year not begun, 2030)``, only ``(2030,)`` in 2029, and empty once 2030 has
        begun (nothing is left to set, :func:`horizon_ended`).
    """
    first = (on or today()).year + 1
    if first > END_YEAR:
        return ()
    return tuple(sorted({first, END_YEAR}))


def basis(year: int, has_figure: bool, on: _dt.date | None = None) -> str:
    """What the value of ``year`` rests on (one of :data:`BASES`).

    Parameters
    ----------
    year : int
        The year.
    has_figure : bool
        Whether the value shown is an official figure of that year.
    on : datetime.date, optional
        Today (by default :func:`today`).

    Returns
    -------
    str
        ``observed`` for a figure, ``estimate`` for an ended year without one, else
        ``projection``.
    """
    if has_figure:
        return "observed"
    return "estimate" if year <= last_ended_year(on) else "projection"


def horizon_ended(on: _dt.date | None = None) -> bool:
    """Whether no year is left for a scenario to set on ``on`` (today by default).

    True once :data:`END_YEAR` has begun: a lever acts only on years not begun, so from then
    on every lever keeps its baseline path (assumptions can still be changed) and the targets'
    years are under way or over.
    """
    return not settable_years(on)


def shown_years(on: _dt.date | None = None) -> tuple[int, ...]:
    """The years whose outcomes the pages and exports headline on ``on`` (today by default).

    Returns
    -------
    tuple of int
        The settable years while any is left; once the horizon has ended, :data:`END_YEAR`
        alone (the plan's last year, under way or over).
    """
    return settable_years(on) or (END_YEAR,)


def headline_years(on: _dt.date | None = None) -> tuple[int, ...]:
    """The years of the headline cards and outcome tables on ``on`` (today by default).

    Returns
    -------
    tuple of int
        The last ended year of the plan (its targets are met, missed or likely so) followed by
        :func:`shown_years`: ``(2025, 2027, 2030)`` in late 2026, ``(2029, 2030)`` in 2030,
        ``(2030,)`` from 2031 on.
    """
    ended = min(last_ended_year(on), END_YEAR)
    return tuple(dict.fromkeys((ended, *shown_years(on))))
