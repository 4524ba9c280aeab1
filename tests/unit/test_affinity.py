"""The affinity cookie (ui/affinity.py) and the balancer's configuration (deploy/nginx.conf)."""

from __future__ import annotations

import subprocess

import pytest

from deploy.replicas import nginx_binary, render
from tests.asyncio_support import run
from tests.needs import missing
from ui.affinity import COOKIE, ReplicaAffinity, has_cookie


def _call(scope: dict) -> list[dict]:
    """Run the middleware around an app answering 200; return what it sent."""
    sent: list[dict] = []

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"ok"})

    async def receive():
        return {"type": "http.request"}

    async def send(message):
        sent.append(message)

    run(ReplicaAffinity(app)(scope, receive, send))
    return sent


def _set_cookies(sent: list[dict]) -> list[bytes]:
    return [v for k, v in sent[0]["headers"] if k == b"set-cookie"]


def _http(cookie: bytes | None = None) -> dict:
    headers = [(b"host", b"example")] + ([(b"cookie", cookie)] if cookie is not None else [])
    return {"type": "http", "method": "GET", "path": "/planner", "headers": headers}


def test_a_request_without_the_cookie_gets_one() -> None:
    cookies = _set_cookies(_call(_http()))
    assert len(cookies) == 1
    assert cookies[0].startswith(f"{COOKIE}=".encode())
    assert b"Path=/" in cookies[0] and b"HttpOnly" in cookies[0]


def test_two_browsers_get_different_values() -> None:
    first, second = (_set_cookies(_call(_http()))[0].split(b";")[0] for _ in range(2))
    assert first != second


def test_a_request_with_the_cookie_passes_untouched() -> None:
    sent = _call(_http(f"other=1; {COOKIE}=abc".encode()))
    assert _set_cookies(sent) == []
    assert sent[1]["body"] == b"ok"


@pytest.mark.parametrize("header", [b"", f"{COOKIE}=".encode(), b"\xff\x00;;=", b"other=1"])
def test_an_empty_or_malformed_cookie_header_gets_a_cookie(header: bytes) -> None:
    assert not has_cookie(_http(header))
    assert len(_set_cookies(_call(_http(header)))) == 1


def test_a_websocket_passes_untouched() -> None:
    seen = []

    async def app(scope, receive, send):
        seen.append(scope["type"])

    run(ReplicaAffinity(app)({"type": "websocket", "headers": []}, None, None))
    assert seen == ["websocket"]


def test_the_balancer_hashes_the_cookie_and_keeps_websockets_open(tmp_path) -> None:
    text = render("127.0.0.1:9000", ["127.0.0.1:9001", "127.0.0.1:9002"], tmp_path)
    assert f"map $cookie_{COOKIE} $planner_affinity" in text
    assert "hash $planner_affinity consistent;" in text
    assert "server 127.0.0.1:9001" in text and "server 127.0.0.1:9002" in text
    assert "proxy_set_header Upgrade $http_upgrade;" in text
    assert "proxy_read_timeout 1d;" in text
    assert "{{" not in text


def test_nginx_accepts_the_configuration(tmp_path) -> None:
    nginx = nginx_binary()
    if nginx is None:
        missing("nginx", "apt-get install nginx-light; .ci/run installs it")
    config = tmp_path / "nginx.conf"
    config.write_text(render("127.0.0.1:9000", ["127.0.0.1:9001"], tmp_path), encoding="utf-8")
    done = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-c", str(config), "-e", "stderr"],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
