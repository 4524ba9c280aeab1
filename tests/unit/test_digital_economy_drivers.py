"""The digital economy's share of GRDP: the digital-technology industry drives it, with a caveat."""

import functools

import numpy as np

from planner.dataset import read_data_dir
from planner.engine import fit_dataset
from planner.targets import evaluate_targets

DE = "digital_economy_share_grdp"


@functools.cache
def real_model():
    return fit_dataset(read_data_dir("data"))


def test_industry_driver_is_a_named_assumption_with_range_and_source():
    a = real_model().assumptions
    for aid in ("de_ict_industry_share_2024", "de_ict_industry_relative_growth"):
        row = a.row(aid)
        assert row.low < row.value < row.high and row.rationale_vi and row.rationale_en and row.source


def test_industry_growth_moves_the_share_and_never_the_2024_figure():
    m = real_model()
    base = m.project().set_index(["indicator", "year"])["value"]
    fast = m.project(m.validate({"overrides": {"de_ict_industry_relative_growth": 40}}))
    fast = fast.set_index(["indicator", "year"])["value"]
    assert fast[(DE, 2024)] == base[(DE, 2024)] == 7.1
    assert fast[(DE, 2030)] > base[(DE, 2030)] + 5


def test_2030_targets_are_unlikely_but_not_impossible():
    m = real_model()
    t = evaluate_targets(m, m.simulate(draws=10_000, seed=1)).set_index("target_id")
    for tid in (f"{DE}@2030=30", f"{DE}@2030=35"):
        assert 0.0 < t.loc[tid, "probability"] < 0.1


def test_the_share_carries_a_method_caveat():
    m = real_model()
    t = evaluate_targets(m, m.simulate(draws=500, seed=1))
    de = t[t.indicator == DE]
    assert (de["caveat"] == "model.caveat.digital_economy_share_grdp").all()
    assert (t.loc[t.indicator != DE, "caveat"] == "").all()
    assert np.isfinite(de["probability"]).all()
