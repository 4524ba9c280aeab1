"""Every assumption of the real data: a unit, a range containing the value, a rationale."""

import pandas as pd
import pytest

from planner.dataset import read_data_dir

REAL = read_data_dir("data")


@pytest.mark.parametrize("row", REAL.assumptions.to_dict("records"), ids=lambda r: r["id"])
def test_assumption_row(row):
    units = set(REAL.units["id"])
    assert row["unit"] in units
    assert row["low"] <= row["value"] <= row["high"]
    assert isinstance(row["rationale_en"], str) and len(row["rationale_en"]) > 30
    assert isinstance(row["rationale_vi"], str) and len(row["rationale_vi"]) > 30
    assert row["label_vi"] and row["label_en"]


def test_every_referenced_assumption_exists_and_elasticities_are_non_negative():
    ids = set(REAL.assumptions["id"])
    for r in REAL.links.itertuples():
        assert r.assumption in ids
        a = REAL.assumptions.set_index("id").loc[r.assumption]
        assert a["low"] >= 0, "elasticities must be non-negative for monotone levers"
    for r in REAL.models.itertuples():
        for col in ("level_assumption", "growth_assumption"):
            v = getattr(r, col)
            if isinstance(v, str) and v:
                assert v in ids


def test_no_model_number_in_formulas():
    """The engine's formulas take their numbers from data: no float literal in them."""
    import ast
    from pathlib import Path
    for name in ("projection", "rank", "targets", "contributions"):
        tree = ast.parse(Path(f"planner/{name}.py").read_text())
        floats = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)
                  and isinstance(n.value, float) and n.value not in (0.0, 0.5, 1.0)]
        assert floats == [], (name, floats)


def test_scenarios_validate():
    from planner.scenario import validate_scenario
    for r in REAL.scenarios.itertuples():
        validate_scenario(r.settings, REAL.levers, REAL.assumptions)
    assert {"baseline", "plan_targets", "cautious"} <= set(REAL.scenarios["id"])
    assert isinstance(REAL.scenarios, pd.DataFrame)
