"""Code run in other processes by the reliability tests (started from the preloaded fork server
of ``cli_processes.py``; ``writer`` also by hand, ``python -m`` this module)."""

from __future__ import annotations

import contextlib
import io
import sys
import time
import traceback

from planner import cli
from planner.engine import load_model
from planner.saved import save_scenario
from planner.store import open_store

XSS = "<img src=x onerror=alert(1)>"


def settings_for(worker: int, i: int) -> dict:
    """The distinct settings the ``i``-th save of ``worker`` uses."""
    return {"levers": {"online_filing": {"2027": 50 + worker + i / 100}},
            "overrides": {"e_filing_to_dg": 0.001 + 0.0001 * (i % 30)}}


def name_for(worker: int, i: int) -> str:
    """The name the ``i``-th save of ``worker`` uses."""
    return f"w{worker}-{i} {XSS}"


def save_many(address: str, worker: int, n: int, draws: int, ready, results) -> None:
    """Open the store and fit the model, wait at ``ready`` (a barrier of every worker: all start
    saving at once), save ``n`` scenarios; put ``(worker, [(id, worker, i, token), ...])`` on
    ``results`` (a queue), or ``(worker, traceback)`` when anything failed."""
    try:
        store = open_store(address, seed=False, lock_timeout=60)
        model = load_model(store)
        ready.wait(timeout=600)
        out = []
        for i in range(n):
            saved, token = save_scenario(store, model, settings_for(worker, i),
                                         name_for(worker, i), note=f"note {worker}/{i}\n{XSS}",
                                         draws=draws, seed=i)
            out.append((saved.id, worker, i, token))
    except BaseException:  # reported to the test, never lost
        ready.abort()  # the others stop waiting for this worker
        results.put((worker, traceback.format_exc()))
        raise
    results.put((worker, out))


def writer(address: str, draws: int) -> None:
    """Save scenarios forever, printing ``<id> <i>`` after each commit (killed by the test)."""
    store = open_store(address, seed=False, lock_timeout=60)
    model = load_model(store)
    print("ready", flush=True)
    i = 0
    while True:
        saved, _ = save_scenario(store, model, settings_for(0, i), name_for(0, i),
                                 note=f"note 0/{i}\n{XSS}", draws=draws, seed=i)
        print(saved.id, i, flush=True)
        i += 1


def run_cli(argv: list[str], start_at: float, results) -> None:
    """Wait until ``start_at`` (``time.time()``), run the command line, put
    ``(argv, exit code, stdout, stderr)`` on ``results`` (a queue)."""
    time.sleep(max(0.0, start_at - time.time()))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(argv)
        except BaseException as exc:  # reported to the test, never lost
            code = f"{type(exc).__name__}: {exc}"
    results.put((argv, code, out.getvalue(), err.getvalue()))


if __name__ == "__main__":
    writer(sys.argv[1], int(sys.argv[2]))
