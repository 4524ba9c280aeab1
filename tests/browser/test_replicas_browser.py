"""Two replicas behind nginx, started as ``make replicas`` starts them (``python -m
deploy.replicas``): a browser's page loads and talks through the balancer, a client keeps
reaching the replica its cookie names, and Ctrl-C stops everything.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from deploy.replicas import Replicas, nginx_binary
from tests.needs import missing
from ui.affinity import COOKIE

REPO = Path(__file__).resolve().parents[2]
REPLICA_HEADER = "X-Planner-Replica"
START_TIMEOUT = 180


def _consecutive_free_ports(count: int) -> int:
    """A port free on loopback with the ``count - 1`` after it free too."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            first = probe.getsockname()[1]
        if first + count > 65535:
            continue
        try:
            held = []
            for port in range(first, first + count):
                sock = socket.socket()
                held.append(sock)
                sock.bind(("127.0.0.1", port))
            return first
        except OSError:
            continue
        finally:
            for sock in held:
                sock.close()
    raise RuntimeError("no run of free ports")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as resp:
            return resp.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@pytest.fixture(scope="module")
def balanced(loaded_db: Path, tmp_path_factory: pytest.TempPathFactory,
             artifacts: Path) -> Iterator[Replicas]:
    """``python -m deploy.replicas --count 2`` on one database copy; stopped with Ctrl-C
    (SIGINT), after which nothing it started answers."""
    if nginx_binary() is None:
        missing("nginx", "apt-get install nginx-light; .ci/run installs it")
    db = tmp_path_factory.mktemp("replicas_db") / "planner.duckdb"
    shutil.copy(loaded_db, db)
    env = dict(os.environ, PLANNER_DB=str(db))
    env.pop("PLANNER_FIRST_PAINT_PAUSE", None)
    port = _consecutive_free_ports(3)
    running = Replicas(f"http://127.0.0.1:{port}",
                       [f"http://127.0.0.1:{port + i}" for i in (1, 2)])
    log = artifacts / "replicas.log"
    with open(log, "w", encoding="utf-8") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "deploy.replicas", "--count", "2", "--port", str(port)],
            cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            # it says where it serves once the balancer and both replicas answer
            while "Ctrl-C stops them all" not in log.read_text(encoding="utf-8"):
                assert process.poll() is None, log.read_text(encoding="utf-8")[-3000:]
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=0.5)
            yield running
        finally:
            process.send_signal(signal.SIGINT)
            code = process.wait(timeout=START_TIMEOUT)
    assert code == 0, log.read_text(encoding="utf-8")[-3000:]
    assert not any(_answers(url) for url in (running.url, *running.replica_urls))


def _get(url: str, cookie: str | None = None) -> tuple[str | None, str]:
    """GET ``url``; return the affinity cookie it set (or None) and the replica that answered."""
    request = urllib.request.Request(url, headers={"Cookie": f"{COOKIE}={cookie}"} if cookie
                                     else {})
    with urllib.request.urlopen(request, timeout=30) as resp:
        set_cookie = [v for k, v in resp.headers.items() if k.lower() == "set-cookie"
                      and v.startswith(f"{COOKIE}=")]
        value = set_cookie[0].split(";")[0].split("=", 1)[1] if set_cookie else None
        return value, resp.headers[REPLICA_HEADER]


def test_a_page_loads_and_its_websocket_runs_through_the_balancer(balanced, new_page) -> None:
    page = new_page()
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    page.goto(f"{balanced.url}/briefing?lang=vi")
    # the numbers arrive over the websocket: the script ran for this session
    expect(page.locator("[data-testid=stMetricValue]").first).to_be_visible(timeout=90_000)
    host = balanced.url.removeprefix("http://")
    assert any(url.startswith(f"ws://{host}/_stcore/stream") for url in sockets), sockets
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    assert cookies.get(COOKIE)


def test_a_client_without_a_cookie_gets_one_and_sticks_to_a_replica(balanced) -> None:
    cookie, _ = _get(f"{balanced.url}/_stcore/health")
    assert cookie
    answered = {_get(f"{balanced.url}/_stcore/health", cookie)[1] for _ in range(6)}
    assert len(answered) == 1
    assert answered <= {u.removeprefix("http://") for u in balanced.replica_urls}
    # and cookies spread over both replicas (fixed values: the consistent hash is the same)
    spread = {_get(f"{balanced.url}/_stcore/health", f"browser{i}")[1] for i in range(16)}
    assert len(spread) == 2
