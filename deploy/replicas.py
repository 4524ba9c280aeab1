"""``make replicas``: N app processes on consecutive ports and nginx in front, in the foreground.

``python -m deploy.replicas --count 2 --port 8501`` starts ``streamlit run app.py`` on ports
8502 and 8503 (the next ``count`` ports after the balancer's), waits until each answers, fills
in ``deploy/nginx.conf`` with their addresses in a temporary run folder and runs nginx there on
port 8501. Ctrl-C (or SIGTERM) stops the balancer and every replica. Every replica uses the
same ``PLANNER_DB`` (a DuckDB file, the processes taking turns on it, or a shared server's
address) and the same cookie secret (``STREAMLIT_SERVER_COOKIE_SECRET``, made up at start when
unset), so what one replica signed another accepts.

:func:`replicas` is the same as a context manager, for the tests and the load benchmark.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CONFIG = Path(__file__).with_name("nginx.conf")
START_TIMEOUT = 120.0
NGINX_HINT = "apt-get install nginx-light (.ci/run installs it)"


@dataclass
class Replicas:
    """What :func:`replicas` started: the balancer's address and each replica's."""

    url: str
    replica_urls: list[str]
    processes: list[subprocess.Popen] = field(default_factory=list)
    """The replicas' processes, then the balancer's (last)."""

    @property
    def replica_pids(self) -> list[int]:
        """Process ids of the app replicas (not the balancer)."""
        return [p.pid for p in self.processes[:len(self.replica_urls)]]


def nginx_binary() -> str | None:
    """The nginx binary: on ``PATH``, else ``/usr/sbin/nginx``; None when not installed."""
    found = shutil.which("nginx")
    if found:
        return found
    return "/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None


def render(listen: str, servers: list[str], run_dir: Path) -> str:
    """``deploy/nginx.conf`` filled in.

    Parameters
    ----------
    listen : str
        ``host:port`` the balancer listens on.
    servers : list of str
        ``host:port`` of each replica.
    run_dir : pathlib.Path
        Folder for nginx's process id and temporary files.

    Returns
    -------
    str
        The configuration.
    """
    # a replica that fails to answer three times within 10 s is left out for 10 s: its
    # browsers move to the next on the hash ring (their Streamlit sessions start afresh there)
    lines = "\n".join(f"        server {s} max_fails=3 fail_timeout=10s;" for s in servers)
    return (CONFIG.read_text(encoding="utf-8").replace("{{RUN_DIR}}", str(run_dir))
            .replace("{{LISTEN}}", listen).replace("{{SERVERS}}", lines))


def replica_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """The replicas' environment: ``base`` (``os.environ``) with a shared cookie secret."""
    env = dict(os.environ if base is None else base)
    env.setdefault("STREAMLIT_SERVER_COOKIE_SECRET", secrets.token_hex(32))
    env.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def _start_app(host: str, port: int, env: dict[str, str], out) -> subprocess.Popen:
    command = [sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"),
               "--server.address", host, "--server.port", str(port),
               "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    return subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return resp.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def _wait(processes: list[subprocess.Popen], urls: list[str], timeout: float) -> None:
    """Wait until every URL answers 200; raise if a process exits or time runs out."""
    deadline = time.monotonic() + timeout
    waiting = list(urls)
    while waiting:
        for process in processes:
            if process.poll() is not None:
                raise RuntimeError(f"{process.args[0]} exited with code {process.returncode} "
                                   "before answering (see its log)")
        waiting = [u for u in waiting if not _answers(u)]
        if waiting and time.monotonic() > deadline:
            raise RuntimeError(f"no answer from {', '.join(waiting)} in {timeout:.0f} s")
        if waiting:
            with contextlib.suppress(subprocess.TimeoutExpired):
                processes[0].wait(timeout=0.25)


def stop(processes: list[subprocess.Popen]) -> None:
    """Stop processes started here: SIGTERM to all, then SIGKILL to any left after 15 s."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


@contextlib.contextmanager
def replicas(ports: list[int], balancer_port: int, host: str = "127.0.0.1",
             env: dict[str, str] | None = None, log_dir: Path | None = None
             ) -> Iterator[Replicas]:
    """Run one app process per port and nginx in front of them; stop them all on exit.

    Parameters
    ----------
    ports : list of int
        A port for each replica.
    balancer_port : int
        The balancer's port.
    host : str, optional
        The address everything listens on (loopback by default).
    env : dict, optional
        The replicas' environment (:func:`replica_env` of ``os.environ`` when omitted).
    log_dir : pathlib.Path, optional
        Receives ``replica-<port>.log`` and ``nginx.log``; without it, the output goes to this
        process's standard output.

    Yields
    ------
    Replicas
        Once the balancer and every replica answer ``/_stcore/health``.

    Raises
    ------
    RuntimeError
        nginx missing, or a process that exits or does not answer in ``START_TIMEOUT`` s.
    """
    nginx = nginx_binary()
    if nginx is None:
        raise RuntimeError(f"nginx is not installed ({NGINX_HINT})")
    env = replica_env() if env is None else env
    started: list[subprocess.Popen] = []
    with contextlib.ExitStack() as stack:
        run_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="planner-lb-")))

        def output(name: str):
            if log_dir is None:
                return None
            return stack.enter_context(open(log_dir / name, "w", encoding="utf-8"))

        try:
            urls = [f"http://{host}:{port}" for port in ports]
            for port in ports:
                started.append(_start_app(host, port, env, output(f"replica-{port}.log")))
            _wait(started, [f"{u}/_stcore/health" for u in urls], START_TIMEOUT)
            config = run_dir / "nginx.conf"
            config.write_text(render(f"{host}:{balancer_port}", [f"{host}:{p}" for p in ports],
                                     run_dir), encoding="utf-8")
            started.append(subprocess.Popen(
                [nginx, "-p", str(run_dir), "-c", str(config), "-e", "stderr"],
                stdout=output("nginx.log"), stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL))
            url = f"http://{host}:{balancer_port}"
            _wait(started[-1:], [f"{url}/_stcore/health"], START_TIMEOUT)
            yield Replicas(url, urls, started)
        finally:
            stop(started[::-1])


def free_ports(count: int, host: str = "127.0.0.1") -> list[int]:
    """``count`` TCP ports free on ``host`` right now (not necessarily consecutive)."""
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind((host, 0))
            sockets.append(sock)
        return [int(s.getsockname()[1]) for s in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _interrupt(_signum: int, _frame: object) -> None:
    """SIGTERM stops everything as Ctrl-C does."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Run the replicas and the balancer until Ctrl-C or SIGTERM.

    Returns
    -------
    int
        0 after a stop, 1 when something could not start (the reason on standard error).
    """
    parser = argparse.ArgumentParser(prog="python -m deploy.replicas",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2, help="app processes (default 2)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8501,
                        help="the balancer's port; the replicas take the next ones")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count must be at least 1")
    ports = [args.port + i for i in range(1, args.count + 1)]
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        with replicas(ports, args.port, args.host) as running:
            print(f"planner: {running.url} (replicas {', '.join(running.replica_urls)}); "
                  "Ctrl-C stops them all", flush=True)
            while all(p.poll() is None for p in running.processes):
                time.sleep(0.5)
            print("a process stopped; stopping the rest", file=sys.stderr)
            return 1
    except KeyboardInterrupt:
        return 0
    except RuntimeError as exc:
        print(f"make replicas: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
