"""Engine benchmarks: deterministic projection, 10,000-draw Monte Carlo, goal seek."""

from __future__ import annotations

from bench.timing import median_ms
from planner.contributions import contributions
from planner.engine import load_model
from planner.goalseek import goal_seek
from planner.store import open_store
from planner.targets import evaluate_targets, find_target

GOALS_MS = {"projection_deterministic": 5, "monte_carlo_10000": 100, "goal_seek_one_lever": 100,
            "goal_seek_all_levers": 100}


def run(quick: bool = False) -> dict:
    """Time the engine on the current dataset of ``PLANNER_DB``.

    Parameters
    ----------
    quick : bool, optional
        Three runs per median instead of 20 to 200 (a check that the bench runs).

    Returns
    -------
    dict
        One entry per measurement, each with its goal in milliseconds.
    """
    model = load_model(open_store())
    # the years a scenario sets (a bench needs one left: it runs before 2030)
    first, last = str(model.settable_years[0]), str(model.settable_years[-1])
    sc = model.validate({"levers": {"online_filing": {first: 95},
                                    "cashless": {first: 50, last: 75},
                                    "ecommerce": {first: 55, last: 70}}})
    # the targets still ahead are the digital economy's 2030 shares
    target = find_target(model.targets, "digital_economy_share_grdp@2030=30")
    de = find_target(model.targets, "digital_economy_share_grdp@2030=35")

    def mc():
        sim = model.simulate(sc, draws=10_000, seed=1)
        sim.frame()
        evaluate_targets(model, sim)

    def runs(n: int) -> int:
        return 3 if quick else n

    out = {
        "projection_deterministic": median_ms(lambda: model.project(sc), runs(200)),
        "monte_carlo_10000": median_ms(mc, runs(20)),
        "goal_seek_one_lever": median_ms(lambda: goal_seek(model, target, lever="ecommerce"),
                                         runs(20)),
        "goal_seek_all_levers": median_ms(lambda: goal_seek(model, target), runs(20)),
        "goal_seek_unreachable": median_ms(lambda: goal_seek(model, de), runs(20)),
        "contributions_all_outcomes": median_ms(lambda: contributions(model, sc), runs(50)),
    }
    for k, v in out.items():
        if k in GOALS_MS:
            v["goal_ms"] = GOALS_MS[k]
    return out
