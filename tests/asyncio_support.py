"""Running a coroutine from a test, whatever the test's process has running.

A worker that ran browser tests before keeps Playwright's event loop in its main thread, and
``asyncio.run`` refuses to start inside a running loop: :func:`run` runs the coroutine in a
thread of its own, on a loop of its own.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any


def run(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """``asyncio.run(coroutine)`` in a new thread; its result (or its exception raised)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
