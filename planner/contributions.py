"""Contributions: how much of each outcome's difference from the baseline each lever brings.

Method
------
Shapley values. The players are the scenario's levers, plus ``assumptions`` when the scenario
overrides assumptions. For every subset of players the outcome is computed (deterministic run)
with those players' changes applied and the others at the baseline; a player's contribution is
its marginal effect averaged over every order in which the changes could be applied. The
contributions therefore sum exactly to the scenario minus the baseline, even where outcomes are
clipped to their bounds or combined non-linearly (the rank). All subsets run in one vectorised
call (2^L rows).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd

from planner.scenario import Scenario

ASSUMPTIONS_PLAYER = "assumptions"


def contributions(model, scenario: Scenario) -> pd.DataFrame:
    """Shapley contributions of each lever to each outcome and year.

    Parameters
    ----------
    model : planner.projection.PlannerResults
        The fitted model.
    scenario : Scenario
        A validated scenario.

    Returns
    -------
    pandas.DataFrame
        ``indicator, year, lever, contribution`` plus one row per outcome and year with
        ``lever == "total"`` (scenario minus baseline).
    """
    lever_ids = list(model.lever_ids)
    players = list(lever_ids) + ([ASSUMPTIONS_PLAYER] if scenario.overrides else [])
    k = len(players)
    subsets = list(itertools.product([False, True], repeat=k))
    mask = np.array(subsets, dtype=float)  # (2^k, k)
    lever_mask = mask[:, : len(lever_ids)]
    n = len(subsets)
    if scenario.overrides:
        with_over = mask[:, -1].astype(bool)
        p_base = model.parameters(model.assumptions, None, n)
        p_over = model.parameters(model.assumptions_for(scenario), None, n)
        out_b = model.run(scenario, p_base, lever_mask=lever_mask)
        out_o = model.run(scenario, p_over, lever_mask=lever_mask)
        values = {ind: np.where(with_over[:, None], out_o.values[ind], out_b.values[ind])
                  for ind in out_b.values}
        first, years = out_b.first_year, out_b.years
    else:
        out = model.run(scenario, model.parameters(model.assumptions, None, n), lever_mask=lever_mask)
        values, first, years = out.values, out.first_year, out.years
    index = {s: i for i, s in enumerate(subsets)}
    weights = {size: math.factorial(size) * math.factorial(k - size - 1) / math.factorial(k)
               for size in range(k)}
    rows = []
    for ind in model.outcome_ids:
        arr = values[ind]
        keep = years >= first[ind]
        phi = np.zeros((k, arr.shape[1]))
        for s in subsets:
            for j in range(k):
                if s[j]:
                    continue
                with_j = tuple(True if i == j else s[i] for i in range(k))
                phi[j] += weights[sum(s)] * (arr[index[with_j]] - arr[index[s]])
        total = arr[index[tuple([True] * k)]] - arr[index[tuple([False] * k)]]
        for yi, y in enumerate(years):
            if not keep[yi]:
                continue
            for j, pl in enumerate(players):
                rows.append((ind, int(y), pl, float(phi[j, yi])))
            rows.append((ind, int(y), "total", float(total[yi])))
    return pd.DataFrame(rows, columns=["indicator", "year", "lever", "contribution"])
