"""The load bench's paced sessions: a press starts a pace after the one before, and the sessions'
first presses spread over one pace."""

from __future__ import annotations

import asyncio
import time
from itertools import pairwise

import pytest

from bench.sessions import first_press_delay, presses

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
    assert asyncio.run(presses(object(), 3, pace=0.2, delay=0.1, act=act)) == [12.5] * 3
    assert len(starts) == 3
    assert starts[0] - began >= 0.1
    assert all(later - earlier >= 0.2 for earlier, later in pairwise(starts))


def test_an_unpaced_session_presses_as_often_as_asked() -> None:
    calls: list[object] = []

    async def act(session: object) -> float:
        calls.append(session)
        return 1.0

    session = object()
    assert asyncio.run(presses(session, 4, act=act)) == [1.0] * 4
    assert calls == [session] * 4
