"""Timing helpers shared by the benchmarks."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_ms(fn: Callable[[], object], repeat: int, warmup: int = 2) -> dict:
    """Median, minimum and maximum wall time of ``fn`` in milliseconds.

    Parameters
    ----------
    fn : callable
        The work to time.
    repeat : int
        Number of timed runs.
    warmup : int
        Untimed runs first.

    Returns
    -------
    dict
        ``{"median_ms", "min_ms", "max_ms", "runs"}``.
    """
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return summary(times)


def summary(times: list[float], digits: int = 3) -> dict:
    """Median, minimum and maximum of times in milliseconds, and how many there were.

    Parameters
    ----------
    times : list of float
        At least one time, in milliseconds.
    digits : int, optional
        Decimals kept.

    Returns
    -------
    dict
        ``{"median_ms", "min_ms", "max_ms", "runs"}``.
    """
    return {"median_ms": round(statistics.median(times), digits),
            "min_ms": round(min(times), digits), "max_ms": round(max(times), digits),
            "runs": len(times)}
