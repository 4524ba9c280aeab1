"""How the indicators are listed: their display order and chart groups, read from the data.

Both are columns of ``indicators.csv`` (:class:`planner.validation.IndicatorRow`), so a new
indicator is one row: ``display_order`` places it wherever indicators are listed (the model's
outcomes on every page and in every export; smaller first, then those without one in file
order) and ``chart_group`` names the planner's tab that charts it. The briefing's facts beside
the DTI are the indicators of the :data:`FACTS_GROUP`.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from planner.formatting import is_missing
from planner.validation import CHART_GROUPS

FACTS_GROUP = "programme"
"""The chart group whose indicators the briefing shows as facts beside the DTI."""

assert FACTS_GROUP in CHART_GROUPS


def display_order(indicators: pd.DataFrame) -> tuple[str, ...]:
    """Every indicator id in display order.

    Parameters
    ----------
    indicators : pandas.DataFrame
        The frame of ``indicators.csv`` (``id``, ``display_order``).

    Returns
    -------
    tuple of str
        Those with a ``display_order`` by it (ties in file order), then the others in file
        order.
    """
    ids = [str(i) for i in indicators["id"]]
    orders = list(indicators["display_order"]) if "display_order" in indicators else []
    ranked = sorted((int(o), n) for n, o in enumerate(orders) if not is_missing(o))
    first = [ids[n] for _, n in ranked]
    placed = set(first)
    return tuple(first + [i for i in ids if i not in placed])


def ordered(ids: Iterable[str], indicators: pd.DataFrame) -> tuple[str, ...]:
    """Some indicator ids in display order; ids the frame does not list come last, as given.

    Parameters
    ----------
    ids : iterable of str
        The ids to order (each once).
    indicators : pandas.DataFrame
        The frame of ``indicators.csv``.

    Returns
    -------
    tuple of str
    """
    wanted = list(dict.fromkeys(str(i) for i in ids))
    keep = set(wanted)
    known = [i for i in display_order(indicators) if i in keep]
    return tuple(known + [i for i in wanted if i not in set(known)])


def chart_groups(indicators: pd.DataFrame, outcomes: Iterable[str]
                 ) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The planner's chart tabs: each group with its outcomes, in display order.

    Parameters
    ----------
    indicators : pandas.DataFrame
        The frame of ``indicators.csv`` (``chart_group``).
    outcomes : iterable of str
        The model's outcomes (only these are charted).

    Returns
    -------
    tuple of (str, tuple of str)
        The groups of :data:`planner.validation.CHART_GROUPS` that chart at least one outcome,
        in that order; an outcome without a group is charted in the last of them (so every
        outcome has a chart; with no group at all, in the last of ``CHART_GROUPS``). Empty
        when there is no outcome.
    """
    shown = ordered(outcomes, indicators)
    group_of = {str(r["id"]): str(r["chart_group"] or "")
                for r in indicators.to_dict("records")} if "chart_group" in indicators else {}
    members = {g: [o for o in shown if group_of.get(o) == g] for g in CHART_GROUPS}
    loose = [o for o in shown if group_of.get(o, "") not in CHART_GROUPS]
    used = [g for g in CHART_GROUPS if members[g]]
    if loose:
        last = used[-1] if used else CHART_GROUPS[-1]
        members[last] = list(ordered([*members[last], *loose], indicators))
        used = used or [last]
    return tuple((g, tuple(members[g])) for g in used)


def facts(indicators: pd.DataFrame) -> tuple[str, ...]:
    """The indicators the briefing shows as facts beside the DTI, in display order.

    Parameters
    ----------
    indicators : pandas.DataFrame
        The frame of ``indicators.csv``.

    Returns
    -------
    tuple of str
        The ids of :data:`FACTS_GROUP` (the page shows those with a value).
    """
    if "chart_group" not in indicators:
        return ()
    group = {str(r["id"]) for r in indicators.to_dict("records")
             if r["chart_group"] == FACTS_GROUP}
    return tuple(i for i in display_order(indicators) if i in group)
