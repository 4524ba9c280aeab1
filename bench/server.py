"""Streamlit servers and Chromium for the browser benchmarks.

Each server runs ``streamlit run`` on a free loopback port, its output in a log file; Chromium
is Debian's (``/usr/bin/chromium`` or ``PLANNER_CHROMIUM``), launched with the flags of
``tests/browser/conftest.py``. :func:`app_and_bare` runs the planner and a bare app side by
side, :func:`open_browser` opens Chromium: the benches measure in between.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CHROMIUM = "/usr/bin/chromium"
START_TIMEOUT = 90.0
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
    "--metrics-recording-only",
]


def missing_browser() -> str | None:
    """Why the browser benchmarks cannot run, or None when they can.

    Returns
    -------
    str or None
        The reason (no Chromium, no Playwright), for the JSON's ``skipped``.
    """
    if chromium() is None:
        return f"Chromium not found at {DEFAULT_CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        return f"playwright is not installed ({exc})"
    return None


def chromium() -> str | None:
    """The Chromium binary: ``PLANNER_CHROMIUM``, else ``/usr/bin/chromium``, else on PATH."""
    wanted = os.environ.get("PLANNER_CHROMIUM", "").strip() or DEFAULT_CHROMIUM
    if os.access(wanted, os.X_OK):
        return wanted
    return shutil.which("chromium")


def launch(pw):
    """Launch headless Chromium through a started ``sync_playwright()``.

    Parameters
    ----------
    pw : playwright.sync_api.Playwright

    Returns
    -------
    playwright.sync_api.Browser
    """
    return pw.chromium.launch(executable_path=chromium(), headless=True, args=CHROMIUM_ARGS)


@contextlib.contextmanager
def open_browser() -> Iterator:
    """Headless Chromium (:func:`launch`) through its own ``sync_playwright()``, closed after.

    Yields
    ------
    playwright.sync_api.Browser
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        opened = launch(pw)
        try:
            yield opened
        finally:
            opened.close()


def write_bare_app(folder: Path, source: str) -> Path:
    """Write a bare Streamlit app, the floor a bench compares the planner with.

    Parameters
    ----------
    folder : pathlib.Path
    source : str
        The app's code.

    Returns
    -------
    pathlib.Path
        ``folder/bare_app.py``.
    """
    script = folder / "bare_app.py"
    script.write_text(source, encoding="utf-8")
    return script


@contextlib.contextmanager
def app_and_bare(bare_app: str, prefix: str, db: Path | None = None
                 ) -> Iterator[tuple[str, str]]:
    """Run ``app.py`` and a bare app side by side (:func:`start`), both stopped after.

    Parameters
    ----------
    bare_app : str
        The bare app's code (see :func:`write_bare_app`).
    prefix : str
        Of the temporary folder holding the bare app and both logs.
    db : pathlib.Path, optional
        The database the app serves (``PLANNER_DB`` by default).

    Yields
    ------
    tuple of str
        ``(app_url, bare_url)``.
    """
    env = server_env()
    if db is not None:
        env["PLANNER_DB"] = str(db)
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        folder = Path(tmp)
        bare_script = write_bare_app(folder, bare_app)
        processes = []
        try:
            app_proc, app_url = start(REPO / "app.py", env, folder / "app.log")
            processes.append(app_proc)
            bare_proc, bare_url = start(bare_script, env, folder / "bare.log")
            processes.append(bare_proc)
            yield app_url, bare_url
        finally:
            for process in processes:
                stop(process)


def server_env() -> dict[str, str]:
    """The environment of a benchmark server: ``PLANNER_DB`` resolved, usage statistics off."""
    from planner.config import database, db_path

    address = str(database())
    # a PostgreSQL address as it is; a DuckDB file made absolute (servers run elsewhere)
    db = address if address.startswith(("postgresql://", "postgres://")) else str(db_path())
    return dict(os.environ, PLANNER_DB=db, PYTHONUNBUFFERED="1",
                STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(script: Path, env: dict[str, str], log: Path) -> tuple[subprocess.Popen, str]:
    """Start ``streamlit run script`` and wait until ``/_stcore/health`` answers.

    Parameters
    ----------
    script : pathlib.Path
        The app.
    env : dict
        The server's environment (see :func:`server_env`).
    log : pathlib.Path
        Receives the server's output.

    Returns
    -------
    tuple
        ``(process, base_url)``; stop the process with :func:`stop`.

    Raises
    ------
    RuntimeError
        When the server exits or does not answer within ``START_TIMEOUT`` seconds.
    """
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "streamlit", "run", str(script),
               "--server.address", "127.0.0.1", "--server.port", str(port),
               "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    out = open(log, "w", encoding="utf-8")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL)
    process._bench_log = out  # type: ignore[attr-defined]
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            stop(process)
            raise RuntimeError(f"streamlit exited: {log.read_text(encoding='utf-8')[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return process, url
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    stop(process)
    raise RuntimeError(f"streamlit did not start on {url}")


def stop(process: subprocess.Popen) -> None:
    """Stop a server started by :func:`start` and close its log."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)
    log = getattr(process, "_bench_log", None)
    if log is not None:
        log.close()
