"""The JSON API in the real Streamlit server: a projection request's time, and what API traffic
does to a planner session.

One ``streamlit run app.py`` on a free loopback port (the API mounted at ``/api``):

- ``projection_request``: ``POST /api/v1/projections`` (one lever set, default draws and seed),
  one request at a time, wall time per request seen by the client;
- a planner session in Chromium presses ArrowRight on a lever (:mod:`bench.browser`'s
  measurement: keydown to the server's new 2030 number), ``REPEAT`` times with no other load,
  then ``REPEAT`` times while ``API_CLIENTS`` clients post projections back to back and
  ``READERS`` readers open the plain page ``READ_PATH`` as browsers do (one kept-alive
  connection each, the page asked for compressed; each reader again ``READER_PAUSE_S`` after
  its page came, with no cache); the ratio of the medians against the goal of 1.5.

The browser half is skipped, with the reason in the JSON, when Chromium or Playwright is
missing.
"""

from __future__ import annotations

import http.client
import json
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from bench.browser import WARMUP, _open, _press
from bench.lever import CONFIRMED as PLANNER
from bench.server import REPO, missing_browser, open_browser, server_env, start, stop
from bench.timing import median_ms, summary

REPEAT = 20
QUICK_REPEAT = 3
API_CLIENTS = 10
READERS = 200
READ_PATH = "/s/plan_targets"
READER_PAUSE_S = 1.0
GOAL_RATIO = 1.5
BODY = {"levers": {"online_filing": {"2027": 90}}}


def _post(url: str, body: dict) -> dict:
    request = urllib.request.Request(url, data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read())


def _get(url: str) -> None:
    with urllib.request.urlopen(url, timeout=120) as response:
        response.read()


class _Reader:
    """A reader's browser tab: one kept-alive connection, the page asked for compressed."""

    def __init__(self, url: str) -> None:
        parts = urllib.parse.urlsplit(url)
        self.path = parts.path + (f"?{parts.query}" if parts.query else "")
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)

    def read(self) -> None:
        """Open the page once (its whole body read); raise unless it came."""
        self.connection.request("GET", self.path, headers={"Accept-Encoding": "gzip"})
        response = self.connection.getresponse()
        body = response.read()
        if response.status != 200 or not body:
            raise RuntimeError(f"{response.status}: {len(body)} bytes")


def _clients(url: str, n: int, stop_event: threading.Event, *, read: bool = False,
             pause: float = 0.0) -> tuple[list[threading.Thread], dict[str, int]]:
    """``n`` threads posting projections (or, with ``read``, getting ``url``) until
    ``stop_event`` is set, ``pause`` seconds between requests."""
    counts = {"requests": 0, "errors": 0}
    lock = threading.Lock()

    def loop() -> None:
        reader = _Reader(url) if read else None
        while not stop_event.is_set():
            try:
                reader.read() if reader else _post(url, BODY)
                key = "requests"
            except Exception:  # noqa: BLE001 - counted: the bench reports failed requests
                key = "errors"
                reader = _Reader(url) if read else None
            with lock:
                counts[key] += 1
            if pause:
                stop_event.wait(pause)

    threads = [threading.Thread(target=loop, daemon=True) for _ in range(n)]
    for thread in threads:
        thread.start()
    return threads, counts


def run(quick: bool = False) -> dict:
    """Measure the API's projection time and a planner session's keypress under API load.

    Parameters
    ----------
    quick : bool, optional
        ``QUICK_REPEAT`` runs instead of ``REPEAT`` (a check that the bench runs).

    Returns
    -------
    dict
        ``projection_request`` (``median_ms``...), and ``planner_keypress_no_load``,
        ``planner_keypress_with_api_clients`` (with the readers too), ``ratio``,
        ``goal_ratio``, ``api_clients``, ``api_requests_during_presses``, ``api_errors``,
        ``readers``, ``reads_during_presses``, ``read_errors`` (or ``keypress_skipped`` with the
        reason).
    """
    repeat = QUICK_REPEAT if quick else REPEAT
    out: dict = {}
    with tempfile.TemporaryDirectory(prefix="bench-api-") as tmp:
        process, url = start(REPO / "app.py", server_env(), Path(tmp) / "app.log")
        try:
            endpoint = f"{url}/api/v1/projections"
            out["projection_request"] = median_ms(lambda: _post(endpoint, BODY), repeat)
            reason = missing_browser()
            if reason:
                out["keypress_skipped"] = reason
                return out
            with open_browser() as opened:
                page = _open(opened, url, PLANNER)
                for _ in range(WARMUP):
                    _press(page, PLANNER)
                quiet = [_press(page, PLANNER)[0] for _ in range(repeat)]
                _get(url + READ_PATH)  # the plain page built once, as a first reader finds it
                stop_event = threading.Event()
                threads, counts = _clients(endpoint, API_CLIENTS, stop_event)
                readers, reads = _clients(url + READ_PATH, READERS, stop_event, read=True,
                                          pause=READER_PAUSE_S)
                try:
                    time.sleep(1.0)  # let the clients get going
                    loaded = [_press(page, PLANNER)[0] for _ in range(repeat)]
                finally:
                    stop_event.set()
                    for thread in threads + readers:
                        thread.join(timeout=120)
        finally:
            stop(process)
    quiet_ms, loaded_ms = summary(quiet, 1), summary(loaded, 1)
    out.update({
        "planner_keypress_no_load": quiet_ms,
        "planner_keypress_with_api_clients": loaded_ms,
        "ratio": round(loaded_ms["median_ms"] / quiet_ms["median_ms"], 2),
        "goal_ratio": GOAL_RATIO,
        "api_clients": API_CLIENTS,
        "api_requests_during_presses": counts["requests"],
        "api_errors": counts["errors"],
        "readers": READERS,
        "reads_during_presses": reads["requests"],
        "read_errors": reads["errors"],
    })
    return out
