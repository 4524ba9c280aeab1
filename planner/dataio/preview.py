"""What a new dataset does to the headline numbers, and whether the model can be fitted on it.

:func:`check_fit` fits the model (:func:`planner.engine.fit_dataset`) and turns a failure into a
``model_fit`` problem naming the modelled indicator and what it lacks. :func:`headline` simulates
the baseline scenario with the app's draws and seed and keeps the numbers the briefing leads
with: the overall DTI and the digital economy's share of GRDP in 2030, the rank's 10-90% range
in 2030, and every target's status. :func:`preview` puts the current and the new dataset's
headlines side by side.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from planner.dataset import Dataset
from planner.engine import fit_dataset
from planner.horizon import END_YEAR
from planner.ids import DE_SHARE, OVERALL
from planner.problems import Problem
from planner.projection import PlannerResults
from planner.scenario import BASELINE
from planner.simulation import DEFAULT_DRAWS, DEFAULT_SEED
from planner.targets import evaluate_targets
from planner.views import rank_range

HEADLINE_YEAR = END_YEAR

Fit = Callable[[Dataset], PlannerResults]


@dataclass(frozen=True)
class TargetStatus:
    """One target under the baseline.

    Attributes
    ----------
    target_id, indicator : str
        The target and its outcome.
    year : int
        The target's year.
    target : float
        The target value.
    projected : float
        The baseline's value in that year (observed, when the year is observed).
    probability : float or None
        Share of draws reaching the target; None where there is no chance to give (a target
        on an indicator without measurement).
    status : str
        One of :data:`planner.targets.STATUSES`.
    """

    target_id: str
    indicator: str
    year: int
    target: float
    projected: float
    probability: float | None
    status: str


@dataclass(frozen=True)
class Headline:
    """The headline numbers of one dataset version under the baseline.

    Attributes
    ----------
    version : str
        The dataset version.
    dti : float
        The overall DTI in 2030 (the projection with the assumptions' values).
    de_share : float
        The digital economy's share of GRDP in 2030, in percent.
    rank : tuple of int, or None
        The overall rank's 10%, 50% and 90% points in 2030 (a smaller rank is better).
    targets : dict of str to TargetStatus
        Every target by id.
    """

    version: str
    dti: float
    de_share: float
    rank: tuple[int, int, int] | None
    targets: dict[str, TargetStatus]


@dataclass(frozen=True)
class TargetChange:
    """A target's status before and after; a side is None where the target does not exist."""

    target_id: str
    indicator: str
    year: int
    target: float
    before: TargetStatus | None
    after: TargetStatus | None

    @property
    def changed(self) -> bool:
        """Whether the status differs (or the target is new or gone)."""
        if self.before is None or self.after is None:
            return True
        return self.before.status != self.after.status


@dataclass(frozen=True)
class Preview:
    """The current and the new dataset's headlines.

    Attributes
    ----------
    before : Headline
        The current dataset's.
    after : Headline or None
        The new dataset's; None when the model cannot be fitted on it.
    problems : tuple of Problem
        ``model_fit`` when the model cannot be fitted on the new dataset.
    targets : tuple of TargetChange
        Every target of either side, by year, indicator and value.
    """

    before: Headline
    after: Headline | None
    problems: tuple[Problem, ...]
    targets: tuple[TargetChange, ...]


def check_fit(
    dataset: Dataset, fit: Fit = fit_dataset
) -> tuple[PlannerResults | None, list[Problem]]:
    """Fit the model on a dataset, reporting a failure as a problem.

    Parameters
    ----------
    dataset : planner.dataset.Dataset
        A valid dataset.
    fit : callable, optional
        Fits a dataset (a cached fit may be passed).

    Returns
    -------
    model : PlannerResults or None
        The fitted model, or None when it cannot be fitted.
    problems : list of Problem
        One ``model_fit`` problem (field ``models.csv``, ``indicator`` and ``reason``) on
        failure.
    """
    try:
        return fit(dataset), []
    except (ValueError, KeyError, ZeroDivisionError, ArithmeticError) as exc:
        indicator = getattr(exc, "indicator", None)  # a failed trend names its series
        reason = str(exc) if not isinstance(exc, KeyError) else f"missing {exc}"
        detail = {"reason": reason, **({"indicator": indicator} if indicator else {})}
        return None, [Problem("models.csv", "model_fit", detail)]


def headline(
    model: PlannerResults, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED
) -> Headline:
    """The headline numbers of a fitted model under the baseline.

    Parameters
    ----------
    model : PlannerResults
        The fitted model.
    draws, seed : int, optional
        Monte Carlo draws and seed (the app's defaults).

    Returns
    -------
    Headline
    """
    sim = model.simulate(BASELINE, draws=draws, seed=seed)
    frame = sim.frame()

    def value(indicator: str) -> float:
        row = frame[(frame["indicator"] == indicator) & (frame["year"] == HEADLINE_YEAR)]
        return float(row["value"].iloc[0]) if not row.empty else float("nan")

    targets: dict[str, TargetStatus] = {}
    table = evaluate_targets(model, sim)
    for r in table.to_dict("records"):
        targets[str(r["target_id"])] = TargetStatus(
            str(r["target_id"]),
            str(r["indicator"]),
            int(r["year"]),
            float(r["target"]),
            float(r["projected"]),
            None if pd.isna(r["probability"]) else float(r["probability"]),
            str(r["status"]),
        )
    return Headline(
        str(model.version), value(OVERALL), value(DE_SHARE), rank_range(frame, HEADLINE_YEAR), targets
    )


def _target_changes(before: Headline, after: Headline | None) -> tuple[TargetChange, ...]:
    after_targets = after.targets if after is not None else {}
    out = []
    for tid in set(before.targets) | set(after_targets):
        a, b = before.targets.get(tid), after_targets.get(tid)
        some = a if a is not None else b
        assert some is not None
        out.append(TargetChange(tid, some.indicator, some.year, some.target, a, b))
    return tuple(sorted(out, key=lambda c: (c.year, c.indicator, c.target, c.target_id)))


def preview(
    current: Dataset,
    new: Dataset,
    fit: Fit = fit_dataset,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
) -> Preview:
    """The headline numbers of the current and of a new dataset.

    Parameters
    ----------
    current : planner.dataset.Dataset
        The current dataset (the model must fit on it).
    new : planner.dataset.Dataset
        The new dataset, already valid (:func:`planner.dataio.upload.read_upload`).
    fit : callable, optional
        Fits a dataset; pass the app's cached fit to reuse the current model.
    draws, seed : int, optional
        Monte Carlo draws and seed.

    Returns
    -------
    Preview
        ``after`` is None and ``problems`` says why when the model cannot be fitted on ``new``.
    """
    before = headline(fit(current), draws, seed)
    model, problems = check_fit(new, fit)
    after = headline(model, draws, seed) if model is not None else None
    return Preview(before, after, tuple(problems), _target_changes(before, after))


def targets_frame(result: Preview) -> pd.DataFrame:
    """The target changes of a preview as a table.

    Parameters
    ----------
    result : Preview
        A preview.

    Returns
    -------
    pandas.DataFrame
        ``target_id, indicator, year, target, status_before, status_after, probability_before,
        probability_after`` (missing where a side has no such target).
    """
    rows = []
    for c in result.targets:
        rows.append(
            {
                "target_id": c.target_id,
                "indicator": c.indicator,
                "year": c.year,
                "target": c.target,
                "status_before": c.before.status if c.before else None,
                "status_after": c.after.status if c.after else None,
                "probability_before": c.before.probability if c.before else float("nan"),
                "probability_after": c.after.probability if c.after else float("nan"),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "target_id",
            "indicator",
            "year",
            "target",
            "status_before",
            "status_after",
            "probability_before",
            "probability_after",
        ],
    )
