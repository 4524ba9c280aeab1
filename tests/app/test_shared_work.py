"""Sessions share the process's work: two planners on the same settings compute once.

Counted by the process itself (``ui.work_counts``: each fit, simulation and projection the
caches actually compute), around real AppTest sessions on the real data.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.opening import open_on
from ui.work_counts import counts

REPO = Path(__file__).resolve().parents[2]
PAGE = "app_pages/planner_page.py"
TIMEOUT = 60
# settings no other test opens, so the first session here is the first to compute them
SETTINGS = {"ecommerce.2030": "77.3"}
OTHER = {"ecommerce.2030": "77.9"}


@pytest.fixture
def planner(loaded_db: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """``planner(params)``: a new session opened from a link to the scenarios page."""
    monkeypatch.setenv("PLANNER_DB", str(loaded_db))

    def open_page(params: dict[str, str]) -> AppTest:
        at = open_on(PAGE, "en", params, TIMEOUT)
        assert not at.exception
        return at

    return open_page


def _work(open_session: Callable[[], AppTest]) -> tuple[AppTest, dict[str, int]]:
    """Run a session; return it and what the process computed meanwhile."""
    before = counts()
    at = open_session()
    after = counts()
    return at, {k: after.get(k, 0) - before.get(k, 0) for k in after}


def test_two_sessions_on_the_same_settings_simulate_once(planner) -> None:
    first, first_work = _work(lambda: planner(SETTINGS))
    assert first_work.get("simulation", 0) >= 1  # at least this scenario's
    second, second_work = _work(lambda: planner(SETTINGS))
    assert second_work.get("simulation", 0) == 0
    assert second_work.get("fit", 0) == 0
    assert second_work.get("projection", 0) == 0
    assert [m.value for m in second.metric] == [m.value for m in first.metric]
    # the chart grid's pillar note, made once and shared, is on both pages alike
    notes = [[c.value for c in at.caption if c.value.startswith("Why a pillar estimate")]
             for at in (first, second)]
    assert len(notes[0]) == 1 and notes[0] == notes[1]
    # other settings are other work, which the counts see
    _, other_work = _work(lambda: planner(OTHER))
    assert other_work.get("simulation", 0) >= 1
