"""The planning horizon and today's place in it.

The planner is used in the present: it knows today's date (:func:`today`, from the environment
variable ``PLANNER_TODAY`` in ISO form, else the system date). From it follow

* the last year that has ended (:func:`last_ended_year`): up to it a value is observed (an
  official figure exists) or an estimate (a nowcast while the figure is pending); after it
  every value is a projection;
* the years a scenario sets (:func:`settable_years`): the first year that has not begun and
  2030. A lever acts from the first year that has not ended (its change is zero at the last
  ended year and grows linearly to the first set year), so it never changes the past.

The constants below are fixed when the module is imported; the fitted model keeps its own copy
of the date (``PlannerResults.today``), so a server and its model agree until they restart.
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
        ``(first year not begun, 2030)``, only ``(2030,)`` from 2029 on, and empty after 2029
        (nothing is left to set).
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


LAST_ENDED_YEAR = last_ended_year()
"""The last year that had ended when the process started (see the module)."""

SETTABLE_YEARS = settable_years()
"""Years whose lever values a scenario sets, as of the process's start (see the module)."""
