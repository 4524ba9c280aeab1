"""Many processes running the command line at once, started cheaply from a preloaded server."""

from __future__ import annotations

import multiprocessing
import time
from typing import Any

from tests.reliability.workers import run_cli

PRELOAD = ["tests.reliability.workers", "planner.cli.main", "planner.cli.scenario", "planner.cli.db"]
"""Imported once by the fork server, so each process starts in milliseconds instead of the
second or more a new interpreter spends importing pandas and the model."""


def run_at_once(commands: list[list[str]], timeout: float) -> list[tuple[Any, ...]]:
    """Run every command line in its own process, all starting at the same moment.

    Parameters
    ----------
    commands : list of list of str
        The arguments of each command line (``["--db", path, "scenario", "save", ...]``).
    timeout : float
        Seconds to wait for all of them.

    Returns
    -------
    list of tuple
        ``(argv, exit code, stdout, stderr)`` of every process, in the order they finished.
    """
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    results = context.Queue()
    start_at = time.time() + 1.0 + 0.05 * len(commands)
    processes = [context.Process(target=run_cli, args=(argv, start_at, results))
                 for argv in commands]
    for process in processes:
        process.start()
    deadline = time.monotonic() + timeout
    out = [results.get(timeout=max(1.0, deadline - time.monotonic())) for _ in processes]
    for process in processes:
        process.join(timeout=30)
    return out


def without_wait_notices(err: str) -> str:
    """Standard error without the lines saying a command waits for the database."""
    return "".join(line for line in err.splitlines(keepends=True)
                   if not line.startswith("waiting for the database: "))
