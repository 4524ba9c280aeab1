"""In a real browser: how soon a fresh server's first visitor sees the briefing.

Starts the app on a free loopback port with ``PLANNER_DB`` (by default a new database in a
temporary folder, loaded with ``data/``),
waits for ``/_stcore/health``, then waits ``--settle`` seconds (a server is started some
time before its first visitor). Opens ``/`` in Chromium and reports, in seconds from the
navigation, when the page's title (``h1``) and when its first number
(``[data-testid=stMetricValue]``) appear; then the same in a second browser context (a warm
server), :data:`WARM` times. A bare Streamlit app's time to its first text is measured the same way.

Run: ``python -m bench.first_number [--settle S]``; prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.browser import CHROMIUM_ARGS, REPO, _chromium, _start, _stop

WARM = 3
"""Visits of each warm server after its first."""
BARE_APP = 'import streamlit as st\n\nst.title("Bare")\nst.metric("Number", "1")\n'


def _visit(browser, url: str) -> dict[str, float]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(90_000)
    t0 = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.locator("h1").first.wait_for(state="visible")
    title = time.perf_counter() - t0
    page.locator("[data-testid=stMetricValue]").first.wait_for(state="visible")
    number = time.perf_counter() - t0
    context.close()
    return {"title_s": round(title, 3), "first_number_s": round(number, 3)}


def run(settle: float) -> dict:
    """Measure the briefing and a bare app on fresh servers (see the module docstring)."""
    chromium = _chromium()
    if chromium is None:
        return {"skipped": "Chromium not found"}
    from playwright.sync_api import sync_playwright

    env = dict(os.environ)
    env["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] = "false"
    out: dict[str, object] = {"settle_s": settle}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        if "PLANNER_DB" not in env:
            env["PLANNER_DB"] = str(Path(tmp) / "planner.duckdb")
            subprocess.run([sys.executable, "-m", "planner", "db", "upgrade"], cwd=REPO,
                           env=env, check=True, capture_output=True)
        bare = Path(tmp) / "bare.py"
        bare.write_text(BARE_APP, encoding="utf-8")
        browser = pw.chromium.launch(executable_path=chromium, headless=True,
                                     args=CHROMIUM_ARGS)
        try:
            for name, script in (("briefing", REPO / "app.py"), ("bare", bare)):
                process, url = _start(script, env, Path(tmp) / f"{name}.log")
                try:
                    time.sleep(settle)
                    out[name] = {"cold": _visit(browser, f"{url}/"),
                                 "warm": [_visit(browser, f"{url}/") for _ in range(WARM)]}
                finally:
                    _stop(process)
        finally:
            browser.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--settle", type=float, default=5.0,
                        help="seconds between the server answering and the first visit")
    print(json.dumps(run(parser.parse_args().settle), indent=2))


if __name__ == "__main__":
    main()
