"""One model fit per dataset for the command-line tests run in this process.

Every in-process command that needs the model (``project``, ``scenario save``, ``export``, the
check of ``db import``...) fits it again, as a new ``python -m planner`` process does: a second
or more of the tests' time each. A fit depends only on the dataset (its frames and its version
id) and on today's date (:func:`planner.horizon.today`), so :func:`one_fit_per_dataset` keeps
each fit and hands the same fitted model to every later command on the same dataset and day,
as the app shares one model per dataset version. A fit that fails is not kept: it fails again
each time. The process boundary itself is tested by the tests that start ``python -m planner``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from planner import engine
from planner.dataio.canonical import content_version, dataset_files
from planner.horizon import today

Fits = dict[tuple[str, str, object], object]
"""Fitted models by ``(dataset.version, content version of its files, today)``."""


@contextmanager
def one_fit_per_dataset(fits: Fits | None = None) -> Iterator[Fits]:
    """Make :func:`planner.engine.fit_dataset` fit each dataset once per day while open.

    Parameters
    ----------
    fits : dict, optional
        The fits kept so far (to go on with them); a new dict when omitted.

    Yields
    ------
    dict
        The fits kept; the number of real fits is its length.
    """
    fit = engine.fit_dataset
    fits = {} if fits is None else fits

    def fit_once(dataset):  # type: ignore[no-untyped-def]
        key = (dataset.version, content_version(dataset_files(dataset)), today())
        if key not in fits:
            fits[key] = fit(dataset)
        return fits[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine, "fit_dataset", fit_once)
        yield fits
