"""What the lever panel sends back is checked before it reaches the session (ui.lever_panel)."""

from __future__ import annotations

import math

import pytest

from planner.views import LeverView, lever_options
from ui.lever_panel import take_values

LEVER = LeverView("cashless", "cashless_adoption", "percent", 0.0, 100.0, 0.5, "Thanh toán",
                  "Cashless", lever_options(0.0, 100.0, 0.5), {2027: 57.17, 2030: 71.66},
                  {2027: 57.0, 2030: 71.5})
YEARS = (2027, 2030)


def test_known_values_are_kept_on_the_grid():
    sent = {"values": {"cashless": {"2027": 60, "2030": 80.26}}}
    assert take_values([LEVER], YEARS, sent) == {("cashless", 2027): 60.0,
                                                 ("cashless", 2030): 80.5}


@pytest.mark.parametrize("sent", [
    None, "x", [], {"values": None}, {"values": {"cashless": "80"}},
    {"values": {"nolever": {"2030": 50}}},
    {"values": {"cashless": {"2030": "80", "2027": True, "2025": 50}}},
    {"values": {"cashless": {"2030": math.nan, "2027": math.inf}}},
    {"values": {"cashless": {"2030": -1, "2027": 100.5}}},
])
def test_anything_else_is_left_out(sent):
    """Not a lever, not a settable year, not a finite number inside the range: the control
    keeps its value."""
    assert take_values([LEVER], YEARS, sent) == {}
