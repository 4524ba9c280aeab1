"""The load bench's paced sessions: a press starts a pace after the one before, and the sessions'
first presses spread over one pace; every session on a plausible setting of its own."""

from __future__ import annotations

import csv
import time
from itertools import pairwise

import pytest

from bench.load import COUNTS, PACED, plan
from bench.server import REPO
from bench.sessions import SPREAD_FIRST, SPREAD_PARAM, SPREAD_STEP, first_press_delay, presses
from tests.asyncio_support import run

pytestmark = pytest.mark.unit


def test_first_presses_spread_evenly_over_one_pace() -> None:
    assert [first_press_delay(k, 4, 3.0) for k in range(4)] == [0.0, 0.75, 1.5, 2.25]
    assert first_press_delay(0, 1, 3.0) == 0.0


def test_a_paced_press_starts_no_sooner_than_a_pace_after_the_last() -> None:
    starts: list[float] = []

    async def act(session: object) -> float:
        starts.append(time.perf_counter())
        return 12.5

    began = time.perf_counter()
    assert run(presses(object(), 3, pace=0.2, delay=0.1, act=act)) == [12.5] * 3
    assert len(starts) == 3
    assert starts[0] - began >= 0.1
    assert all(later - earlier >= 0.2 for earlier, later in pairwise(starts))


def test_an_unpaced_session_presses_as_often_as_asked() -> None:
    calls: list[object] = []

    async def act(session: object) -> float:
        calls.append(session)
        return 1.0

    session = object()
    assert run(presses(session, 4, act=act)) == [1.0] * 4
    assert calls == [session] * 4


def test_every_session_a_setup_opens_has_a_plausible_setting_of_its_own() -> None:
    """The sessions of a setup (the back-to-back counts, then the paced ones) open with the
    spread lever at values no two share, all within the lever's plausible range in
    ``data/levers.csv`` (past its bounds a value is refused, and the sessions would share the
    default settings: the cache measured instead of a new simulation a move)."""
    lever_id, year = SPREAD_PARAM.split(".")
    with (REPO / "data" / "levers.csv").open(encoding="utf-8") as f:
        row = next(r for r in csv.DictReader(f) if r["id"] == lever_id)
    low, high = float(row["plausible_low"]), float(row["plausible_high"])
    assert year == "2030"
    levels = plan(COUNTS, PACED)
    assert [(n, pace) for n, pace, _ in levels] == [(1, None), (5, None), (10, None),
                                                     (20, None), *PACED]
    values = [SPREAD_FIRST + k * SPREAD_STEP for n, _, first in levels
              for k in range(first, first + n)]
    assert len(set(values)) == len(values) == 1 + 5 + 10 + 20 + 10 + 20 + 20
    assert low <= min(values) and max(values) <= high, (min(values), max(values), low, high)
