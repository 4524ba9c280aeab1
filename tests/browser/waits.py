"""Waiting in the browser tests for what they check, never for a fixed time.

- :func:`wait_idle`: Streamlit's script run has finished (its state on the page,
  ``[data-testid=stApp][data-test-script-state=notRunning]``).
- :func:`watch_changes` and :func:`wait_quiet`: the page's drawing has stopped changing
  (charts drawn by their own code after the run).
- :func:`wait_until`: a fact outside the page, such as a row in the database.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from playwright.sync_api import expect

LOAD_TIMEOUT = 60_000
"""Milliseconds a page may take to draw on a busy machine."""
SCRIPT_IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
"""Streamlit's app element once the script run (a whole run or a fragment's) has finished."""
# The time of the page's last change, kept by an observer added before the page loads.
_WATCH = """window.__lastChange = performance.now();
new MutationObserver(() => { window.__lastChange = performance.now(); }).observe(document,
  {subtree: true, childList: true, characterData: true, attributes: true});"""
_QUIET = "(ms) => window.__lastChange !== undefined && performance.now() - window.__lastChange > ms"


# A run can start and end between two deliveries of the observer's records: a record whose old
# value is "running" counts as much as the attribute reading "running" now.
_RUN_SEEN = """() => { window.__runStarted = false;
  const app = document.querySelector('[data-testid="stApp"]');
  new MutationObserver((records) => {
    if (app.getAttribute('data-test-script-state') === 'running'
        || records.some((r) => r.oldValue === 'running')) { window.__runStarted = true; }
  }).observe(app, {attributes: true, attributeOldValue: true,
                   attributeFilter: ['data-test-script-state']}); }"""


def watch_next_run(page) -> None:
    """Note when Streamlit's next script run starts; :func:`wait_run_started` waits for it.

    Call it before the action that causes the run, so that even a short run is seen.
    """
    page.evaluate(_RUN_SEEN)


def wait_run_started(page, timeout: float = LOAD_TIMEOUT) -> None:
    """Wait until the run noted by :func:`watch_next_run` has started (it may be over)."""
    page.wait_for_function("() => window.__runStarted === true", timeout=timeout)


def wait_idle(page, timeout: float = LOAD_TIMEOUT) -> None:
    """Wait until Streamlit's script run has finished and what it drew is on the page.

    Parameters
    ----------
    page : playwright.sync_api.Page
        A page of the app.
    timeout : float, optional
        Milliseconds to wait at most.
    """
    expect(page.locator(SCRIPT_IDLE)).to_be_attached(timeout=timeout)


def watch_changes(page) -> None:
    """Keep the time of the page's last change, for :func:`wait_quiet` (call before ``goto``)."""
    page.add_init_script(script=_WATCH)


def wait_quiet(page, ms: int = 1_000, timeout: float = 90_000) -> None:
    """Wait until the script run has finished and the page has not changed for ``ms``
    milliseconds: every chart drawn by its own code, every number in (needs
    :func:`watch_changes`)."""
    wait_idle(page, timeout)
    page.wait_for_function(_QUIET, arg=ms, polling=100, timeout=timeout)


def wait_until(check: Callable[[], object], what: str, timeout: float = LOAD_TIMEOUT / 1000,
               every: float = 0.2) -> object:
    """Ask ``check()`` until it gives a true value, and return it; fail naming ``what`` after
    ``timeout`` seconds. For a fact outside the page, such as a row in the database.

    Parameters
    ----------
    check : callable
        Returns the fact, or a false value while it is not there yet.
    what : str
        The fact, for the failure's message.
    timeout, every : float, optional
        Seconds to wait at most, and between two questions.
    """
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found or time.monotonic() > deadline:
            break
        time.sleep(every)  # the poll's interval, not a wait for the fact: the loop asks again
    assert found, f"{what}: not there after {timeout:.0f} s"
    return found
