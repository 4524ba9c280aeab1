"""Browser test harness: the real app in a Streamlit server, driven by Debian's Chromium.

Fixtures
--------
- ``chromium_executable`` (session): the Chromium binary (``/usr/bin/chromium``, or
  ``PLANNER_CHROMIUM``). Missing, the browser tests skip with one line saying how to enable
  them, and fail in CI (:func:`tests.needs.missing`).
- ``app_server`` (session): ``streamlit run app.py`` on a free loopback port, with
  ``PLANNER_DB`` pointing to the session's database loaded with the real data; yields the base
  URL once ``/_stcore/health`` answers, and stops the server afterwards. Its log is written to
  ``test-artifacts/streamlit-server.log``.
- ``serve`` (session): ``serve(db, log)``, the same as a context manager, for a test that
  needs a fresh server of its own.
- ``browser`` (session): Chromium launched through ``playwright.sync_api`` with
  ``executable_path`` (Playwright never downloads a browser here).
- ``new_page`` (function): ``new_page(width=1280, height=800, **context_options)`` opens a
  page in a fresh browser context. Every request to an address off this machine is blocked and
  recorded in ``external_requests`` (the app must not call the internet).
- ``page`` (function): ``new_page()`` at the desktop size 1280x800.
- ``external_requests`` (function): the list of blocked off-machine requests of this test.
- :func:`guarded_context`: a browser context blocking and recording off-machine requests, for
  a fixture keeping pages longer than a test.
- ``shared_pages`` (session): :class:`SharedPages`, each address opened once at each size on
  the shared server for the checks that only read it, in any test file; a check that changes a
  page takes it (:meth:`SharedPages.take`) or restores it.
- ``artifacts`` (session): the ``test-artifacts/`` folder (git-ignored) for screenshots.
- ``screenshot`` (session): ``screenshot(page, name)`` saves ``test-artifacts/<name>.png``.
  A failing test leaves ``<test>-failure-<n>.png`` behind.

Waiting
-------
A test waits for what it checks, never a fixed time: Playwright's ``expect`` for an element or
a text, :func:`wait_idle` for Streamlit's script run to have finished (its state on the page,
``[data-testid=stApp][data-test-script-state=notRunning]``), :func:`wait_quiet` for a page
whose drawing has stopped changing, :func:`wait_until` for a fact outside the page (a row in
the database). They live in ``tests/browser/waits.py``.

Every browser test runs on one xdist worker (the ``browser`` group, ``tests/conftest.py``):
one server and one Chromium for all of them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from bench.server import CHROMIUM_ARGS, DEFAULT_CHROMIUM  # the bench's browser, the same way
from tests.browser.waits import wait_quiet, watch_changes
from tests.needs import missing

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
SERVER_START_TIMEOUT = 90.0
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
# An expectation waits this long for its fact unless it says otherwise (Playwright's 5 s is
# short on a busy 2-core machine); a passing one returns as soon as the fact is there.
expect.set_options(timeout=20_000)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator:
    """Keep each phase's report on the item, so fixtures can see whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """The ``test-artifacts/`` folder (created)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def save_screenshot(page, name: str, *, full_page: bool = False) -> Path:
    """Save a PNG screenshot of ``page`` as ``test-artifacts/<name>.png`` and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


@pytest.fixture(scope="session")
def screenshot(artifacts: Path) -> Callable[..., Path]:
    """``screenshot(page, name, full_page=False)`` saves ``test-artifacts/<name>.png``."""
    return save_screenshot


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    """Path of Debian's Chromium; skip (or fail, when required) if it is missing."""
    override = os.environ.get("PLANNER_CHROMIUM", "").strip()
    wanted = override or DEFAULT_CHROMIUM
    path = wanted if os.access(wanted, os.X_OK) else None
    if path is None and not override:
        path = shutil.which("chromium")
    if not path:
        missing(f"Chromium at {wanted}", "apt-get install chromium; .ci/run installs it")
    return path


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_healthy(url: str, process: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    last_error = ""
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"streamlit exited with code {process.returncode} before answering; "
                f"log:\n{log.read_text(encoding='utf-8', errors='replace')[-3000:]}"
            )
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            last_error = str(exc)
        # between two questions, wait for the process to end (then the loop says so)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=0.25)
    raise RuntimeError(f"streamlit did not answer {url}/_stcore/health in {timeout}s: {last_error}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=15)


@contextlib.contextmanager
def serve_app(db: Path, log: Path) -> Iterator[str]:
    """Run ``streamlit run app.py`` on a free loopback port against ``db``; yield its URL.

    The server is stopped on exit; its output goes to ``log``.
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = dict(os.environ)
    env.pop("PLANNER_FIRST_PAINT_PAUSE", None)  # the pause a reader's browser gets
    env.update(
        {
            "PLANNER_DB": str(db),
            "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
            "PYTHONUNBUFFERED": "1",
        }
    )
    command = [
        sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"),
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
    ]
    with open(log, "w", encoding="utf-8") as out:
        process = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        try:
            _wait_healthy(url, process, log, SERVER_START_TIMEOUT)
            yield url
        finally:
            _stop(process)


@pytest.fixture(scope="session")
def served_db(loaded_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The database the shared server (``app_server``) uses: a copy of ``loaded_db``, so that
    what browser tests save never reaches the tests that copy ``loaded_db`` as loaded."""
    path = tmp_path_factory.mktemp("served_db") / "planner.duckdb"
    shutil.copy(loaded_db, path)
    return path


@pytest.fixture(scope="session")
def app_server(served_db: Path, artifacts: Path) -> Iterator[str]:
    """Run the app with ``streamlit run`` on a free loopback port; yield its base URL."""
    with serve_app(served_db, artifacts / "streamlit-server.log") as url:
        yield url


@pytest.fixture(scope="session")
def serve() -> Callable[[Path, Path], contextlib.AbstractContextManager[str]]:
    """``serve(db, log)``: a context manager running a fresh server (:func:`serve_app`)."""
    return serve_app


@pytest.fixture(scope="session")
def browser(chromium_executable: str) -> Iterator:
    """Chromium, headless, launched by Playwright from ``chromium_executable``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=chromium_executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def external_requests() -> list[str]:
    """Requests to addresses off this machine that a page tried (and that were blocked)."""
    return []


def guarded_context(browser, external: list[str], **options):
    """A new browser context (``options`` as Playwright's ``new_context`` takes them) whose
    requests to addresses off this machine are blocked and recorded in ``external``."""

    def guard(route) -> None:
        host = urlsplit(route.request.url).hostname or ""
        scheme = urlsplit(route.request.url).scheme
        if scheme in {"http", "https", "ws", "wss"} and host not in LOCAL_HOSTS:
            external.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    context = browser.new_context(**options)
    context.route("**/*", guard)
    context.set_default_timeout(30_000)
    return context


@pytest.fixture
def new_page(
    browser, request: pytest.FixtureRequest, external_requests: list[str], artifacts: Path
) -> Iterator[Callable[..., object]]:
    """Factory of pages, each in a fresh context; off-machine requests are blocked and recorded."""
    contexts = []
    pages = []

    def make(width: int = 1280, height: int = 800, **options):
        context = guarded_context(browser, external_requests,
                                  viewport={"width": width, "height": height}, **options)
        contexts.append(context)
        page = context.new_page()
        pages.append(page)
        return page

    yield make

    failed = getattr(request.node, "report_call", None)
    if failed is not None and failed.failed:
        for i, page in enumerate(pages):
            # a failed screenshot must not hide the failure itself
            with contextlib.suppress(Exception):
                page.screenshot(path=str(artifacts / f"{request.node.name}-failure-{i}.png"))
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A desktop-sized page (1280x800)."""
    return new_page()


@dataclass
class SharedPages:
    """Pages of the shared server opened once for every check that only reads them: opening a
    page (a script run, the model, the first paint) is most of such a check's time.

    A page is opened at its size (a phone is touch and mobile), waited for until its first
    heading is shown and it has been still for a second, and kept for the session; each check
    still waits for what it reads. A check that changes a page (a click, a scroll it does not
    undo, a style) takes it instead: :meth:`take` hands it over and forgets it, so that a later
    :meth:`get` opens the address anew.
    """

    browser: object
    base: str
    external: list[str] = field(default_factory=list)
    """Requests off this machine the pages tried (blocked)."""
    contexts: dict = field(default_factory=dict)
    pages: dict = field(default_factory=dict)
    opened: int = 0
    """Pages opened so far."""

    def _key(self, address: str, width: int, height: int, phone: bool) -> tuple:
        return address, width, height, phone

    def get(self, address: str, width: int = 1280, height: int = 800, *, phone: bool = False):
        """``address`` (a path and query, such as ``/briefing?lang=vi``) at ``width`` by
        ``height``, opened and still, and brought to the front (a tab behind the others gets
        no animation frames); the same page for every check that only reads it."""
        key = self._key(address, width, height, phone)
        if key not in self.pages:
            size = (width, height, phone)
            if size not in self.contexts:
                self.contexts[size] = guarded_context(
                    self.browser, self.external, viewport={"width": width, "height": height},
                    is_mobile=phone, has_touch=phone)
            page = self.contexts[size].new_page()
            watch_changes(page)
            page.goto(f"{self.base}{address}", wait_until="domcontentloaded")
            expect(page.locator("h1").first).to_be_visible(timeout=90_000)
            wait_quiet(page, 1_000)
            self.opened += 1
            self.pages[key] = page
        page = self.pages[key]
        page.bring_to_front()
        return page

    def has(self, address: str, width: int = 1280, height: int = 800, *,
            phone: bool = False) -> bool:
        """Whether :meth:`get` has the page already (opened by an earlier check)."""
        return self._key(address, width, height, phone) in self.pages

    def take(self, address: str, width: int = 1280, height: int = 800, *, phone: bool = False):
        """The page :meth:`get` gives, for a check that changes it: no other check gets it."""
        page = self.get(address, width, height, phone=phone)
        del self.pages[self._key(address, width, height, phone)]
        return page


@pytest.fixture(scope="session")
def shared_pages(browser, app_server) -> Iterator[SharedPages]:
    """:class:`SharedPages` of the shared server, for the whole session."""
    shared = SharedPages(browser, app_server)
    try:
        yield shared
    finally:
        for context in shared.contexts.values():
            context.close()
