"""A frame's rows as plain dictionaries, fast: all of them, or one by indicator and year.

``DataFrame.to_dict("records")`` boxes every cell one at a time, which on the frames of a lever
move (text columns stored by Arrow) took a few milliseconds a call, called several times a
move; :func:`records` reads each column once. :func:`row_of` finds one row without filtering
the frame each time, through :func:`frame_memo`.
"""

from __future__ import annotations

import weakref

import pandas as pd


def records(frame: pd.DataFrame) -> list[dict]:
    """The rows of ``frame`` as dictionaries ``{column: value}``.

    Parameters
    ----------
    frame : pandas.DataFrame

    Returns
    -------
    list of dict
        One per row, in order, each value as ``Series.tolist`` gives it.

    Examples
    --------
    >>> records(pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}))
    [{'a': 1, 'b': 'x'}, {'a': 2, 'b': 'y'}]
    """
    columns = list(frame.columns)
    return [dict(zip(columns, row, strict=True))
            for row in zip(*(frame[c].tolist() for c in columns), strict=True)]


def row_of(frame: pd.DataFrame, indicator: str, year: int) -> dict | None:
    """The first row of a tidy frame (``indicator, year, …``) of one indicator and year.

    The frame is indexed once, at its first lookup, and the index kept with the frame
    (:func:`frame_memo`): a lever move looks up a simulation frame's ranks a dozen times, and
    each boolean filter of the frame took about a millisecond.

    Parameters
    ----------
    frame : pandas.DataFrame
    indicator : str
    year : int

    Returns
    -------
    dict or None
        The row (:func:`records`), or ``None`` when the frame has none.
    """
    memo = frame_memo(frame)
    if "rows by indicator and year" not in memo:
        index: dict[tuple[str, int], dict] = {}
        for row in records(frame):
            index.setdefault((str(row["indicator"]), int(row["year"])), row)
        memo["rows by indicator and year"] = index
    return memo["rows by indicator and year"].get((str(indicator), int(year)))


def frame_memo(frame: pd.DataFrame) -> dict:
    """A dictionary kept with a frame while it lives, for what is worked out from it once.

    The frames given are not changed after they are made (the model's observations, a
    simulation's frame: the caches of :mod:`ui.model` share them); a frame of another length
    than at its first call gets a new, empty memo.

    Parameters
    ----------
    frame : pandas.DataFrame

    Returns
    -------
    dict
        The same dictionary for the same frame; forgotten with the frame.
    """
    key = id(frame)
    hit = _MEMOS.get(key)
    if hit is None or hit[0]() is not frame or hit[1] != len(frame):
        hit = (weakref.ref(frame), len(frame), {})
        _MEMOS[key] = hit
        weakref.finalize(frame, _MEMOS.pop, key, None)
    return hit[2]


_MEMOS: dict[int, tuple] = {}
""":func:`frame_memo`'s dictionaries, by the frame's id (checked by a weak reference and the
frame's length)."""
