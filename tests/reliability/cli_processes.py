"""Processes started cheaply from a preloaded fork server: many command lines at once, and
workers whose printed lines the test reads as they come (to kill them at a chosen moment)."""

from __future__ import annotations

import multiprocessing
import os
import queue
import sys
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from tests.reliability.workers import run_cli

PRELOAD = ["tests.reliability.workers", "tests.reliability.publish_workers", "planner.cli.main",
           "planner.cli.scenario", "planner.cli.db"]
"""Imported once by the fork server, so each process starts in milliseconds instead of the
second or more a new interpreter spends importing pandas and the model."""


def server() -> Any:
    """The ``forkserver`` context, its server preloading :data:`PRELOAD`."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


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
    context = server()
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


class Printing:
    """A process started by :func:`start_printing`: its lines and what it wrote to stderr.

    Attributes
    ----------
    process : multiprocessing.process.BaseProcess
        The process (``pid``, ``exitcode``; kill it with :func:`os.kill`).
    lines : queue.Queue
        Every line it printed to stdout as it came, a last one cut short included, then None
        once its stdout closed (at its end).
    """

    def __init__(self, process: BaseProcess, lines: queue.Queue[str | None],
                 errors: list[str], errors_read: threading.Thread):
        self.process = process
        self.lines = lines
        self._errors = errors
        self._errors_read = errors_read

    def stderr(self, timeout: float = 10.0) -> str:
        """What the process wrote to stderr (all of it once the process has ended)."""
        self._errors_read.join(timeout=timeout)
        return "".join(self._errors)


def _printing_into(out: Connection, err: Connection, target: Callable[..., object],
                   args: tuple[Any, ...]) -> None:
    sys.stdout = open(_fd_of(out), "w", encoding="utf-8", buffering=1)  # noqa: SIM115
    sys.stderr = open(_fd_of(err), "w", encoding="utf-8", buffering=1)  # noqa: SIM115
    target(*args)


def _fd_of(connection: Connection) -> int:
    """The pipe of a one-way connection as a file descriptor of its own (the connection closed)."""
    fd = os.dup(connection.fileno())
    connection.close()
    return fd


def _pump(reader: Connection, put: Callable[[str | None], object]) -> threading.Thread:
    def pump() -> None:
        with os.fdopen(_fd_of(reader), "r", encoding="utf-8", errors="replace") as stream:
            for line in stream:
                put(line)
        put(None)

    thread = threading.Thread(target=pump, daemon=True)
    thread.start()
    return thread


def start_printing(target: Callable[..., object], *args: Any) -> Printing:
    """Run ``target(*args)`` in a new process from the preloaded fork server, its stdout and
    stderr going to pipes the test reads (as a ``python -m`` worker's would, without the second
    or more a new interpreter spends importing pandas and the model).

    Parameters
    ----------
    target : callable
        A function of an importable module (``tests.reliability.workers.writer``...).
    *args
        Its arguments.

    Returns
    -------
    Printing
        The process and its lines.
    """
    context = server()
    out_reader, out_writer = context.Pipe(duplex=False)
    err_reader, err_writer = context.Pipe(duplex=False)
    process = context.Process(target=_printing_into, args=(out_writer, err_writer, target, args))
    process.start()
    out_writer.close()  # the child holds the writing ends now: the pipes end when it does
    err_writer.close()
    lines: queue.Queue[str | None] = queue.Queue()
    errors: list[str] = []
    _pump(out_reader, lines.put)
    errors_read = _pump(err_reader, lambda line: errors.append(line) if line else None)
    return Printing(process, lines, errors, errors_read)
