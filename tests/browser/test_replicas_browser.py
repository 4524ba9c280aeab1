"""Two replicas behind nginx (``deploy/``, as ``make replicas`` runs them): a browser's page
loads and talks through the balancer, and a client keeps reaching the replica its cookie names.
"""

from __future__ import annotations

import shutil
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from deploy.replicas import Replicas, free_ports, nginx_binary, replica_env, replicas
from tests.needs import missing
from ui.affinity import COOKIE

REPLICA_HEADER = "X-Planner-Replica"


@pytest.fixture(scope="module")
def balanced(loaded_db: Path, tmp_path_factory: pytest.TempPathFactory,
             artifacts: Path) -> Iterator[Replicas]:
    """Two app processes on one database copy, nginx in front."""
    if nginx_binary() is None:
        missing("nginx", "apt-get install nginx-light; .ci/run installs it")
    db = tmp_path_factory.mktemp("replicas_db") / "planner.duckdb"
    shutil.copy(loaded_db, db)
    env = replica_env()
    env["PLANNER_DB"] = str(db)
    env.pop("PLANNER_FIRST_PAINT_PAUSE", None)
    *ports, balancer = free_ports(3)
    with replicas(ports, balancer, env=env, log_dir=artifacts) as running:
        yield running


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
