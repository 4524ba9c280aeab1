"""Many browser sessions on the planner at once: open them, move their levers, count the cost.

The machinery of ``bench.load`` (``make bench-load``) and ``bench.profile``. One Chromium holds
every session, each in a context of its own (its own cookies, so behind the balancer each
sticks to its replica) and its own websocket. Sessions are driven with Playwright's async API,
so ``n`` sessions press their lever at once.

Every session opens ``/planner`` with a second lever (:data:`SPREAD_PARAM`) set to a value no
other session of the run uses, so their scenarios differ and every press is a new simulation
for the server, as many planners at work are; a benchmark of sessions in step would measure the
cache instead. Each session then presses its lever (:mod:`bench.lever`) ``moves`` times: a
press, the new 2030 number (the latency), the page's script finished and the page drawn
(nothing changed for :data:`SETTLE_MS`), a short pause (:data:`PAUSE_S`), the next press: a
person looks at what a step did before the next. Every session waits for its page to be drawn
before its first press too. At a given pace instead (``level(..., pace=...)``), a press starts
that many seconds after the session's one before, and the sessions' first presses are spread
over one pace. (Until 2026-12-06 the next press came :data:`PAUSE_S` after the
script finished, while Chromium, on the same two cores, was often still drawing the charts of
the step before: with ten sessions the browsers' backlog, as much as the server, set the
latency.)

What the server spends is read from outside it: CPU time and resident memory of its processes
from ``/proc``, what the process computed from ``/_planner/work`` (``ui.work_counts``; the
servers run with ``PLANNER_WORK_COUNTS=1``), and bytes and script runs from the websocket
frames each page receives (Streamlit's ``ForwardMsg``: a run ends with ``script_finished``).
What the browser spends on the same presses is read the same way (the CPU of the Chromium
processes under this one, :func:`browser_pids`), with the share of the machine's cores that
were busy: the pages and the servers share this machine's cores.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import statistics
import tempfile
import time
import urllib.request
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bench.lever import ARM, CONFIRMED, KEY_CLOCK, STEP_KEY, STEPS_LEFT
from bench.server import CHROMIUM_ARGS, REPO, chromium, server_env, start, stop, write_bare_app

SPREAD_PARAM = "ecommerce.2030"
SPREAD_FIRST = 40.0
SPREAD_STEP = 0.5
"""Session ``k`` of a run opens with ``SPREAD_PARAM = SPREAD_FIRST + k * SPREAD_STEP``."""
OPEN_TIMEOUT_MS = 300_000
PRESS_TIMEOUT_MS = 120_000
PAUSE_S = 0.3
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"
SETTLE_MS = 500
"""A page is drawn once nothing in it has changed for this long (:data:`SETTLED`)."""
SETTLED = """([quiet, timeout]) => new Promise((resolve) => {
  const b = window.__bench;
  let timer = null;
  const done = () => { obs.disconnect(); clearTimeout(cap); resolve(); };
  const again = () => { clearTimeout(timer); timer = setTimeout(done, quiet); };
  const obs = b.watch(b.roots(), again, true);
  const cap = setTimeout(done, timeout);
  again();
})"""
"""Resolves once no element of the page (nor of a shadow root) has changed for ``quiet`` ms,
or after ``timeout`` ms (needs :data:`bench.lever.KEY_CLOCK` installed)."""
MB = 1024 * 1024


@dataclass
class Server:
    """A server under test: its address, its app processes and where each tells its work."""

    name: str
    url: str
    pids: list[int]
    work_urls: list[str]


@dataclass
class Wire:
    """What a page's websockets carried: bytes each way and finished script runs."""

    received: int = 0
    sent: int = 0
    runs: int = 0
    cut_short: int = 0
    """Runs stopped early for another (a slider's full run whose callback asks for the
    result fragments only); counted in ``runs`` too."""
    messages: dict[str, int] = field(default_factory=dict)

    def attach(self, socket) -> None:
        """Count the frames of a websocket (``page.on("websocket", wire.attach)``)."""
        socket.on("framereceived", self._received)
        socket.on("framesent", self._sent)

    def _received(self, payload) -> None:
        data = payload if isinstance(payload, bytes) else str(payload).encode()
        self.received += len(data)
        kind, early = _message_kind(data)
        self.messages[kind] = self.messages.get(kind, 0) + 1
        if kind == "script_finished":
            self.runs += 1
            self.cut_short += early

    def _sent(self, payload) -> None:
        self.sent += len(payload if isinstance(payload, bytes) else str(payload).encode())

    def snapshot(self) -> tuple[int, int, int, int]:
        """``(received, sent, runs, cut_short)`` so far."""
        return self.received, self.sent, self.runs, self.cut_short


def _message_kind(data: bytes) -> tuple[str, bool]:
    """A frame's ``ForwardMsg`` type, and whether it ends a run stopped early for a rerun."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = ForwardMsg()
    try:
        msg.ParseFromString(data)
    except Exception:  # noqa: BLE001 - not a ForwardMsg: counted as such
        return "unknown", False
    kind = msg.WhichOneof("type") or "none"
    early = (kind == "script_finished"
             and msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN)
    return kind, early


@dataclass
class Session:
    """One browser session on a page, ready to press its lever."""

    context: object
    page: object
    wire: Wire
    open_ms: float
    target: dict[str, str]
    replica: str | None = None
    """The replica the balancer keeps the session on (its ``X-Planner-Replica``), or None."""


# --------------------------------------------------------------------------- the server side
def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU seconds the processes have used (``/proc/<pid>/stat``)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / ticks


def tree_cpu_seconds(pids: list[int]) -> float:
    """CPU seconds of the processes and of their children that have ended and been waited for
    (``/proc/<pid>/stat``: utime, stime, cutime, cstime). Chromium's renderers come and go with
    the pages; what an ended one used is counted in its parent's cutime and cstime."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile: its time is in its parent's
            continue
        total += sum(int(x) for x in fields[11:15])
    return total / ticks


def browser_pids(root: int | None = None) -> list[int]:
    """The Chromium processes descended from ``root`` (this process by default): the browser
    the bench's Playwright started, with its renderers, GPU and utility processes."""
    children: dict[int, list[int]] = {}
    names: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name, rest = stat.split(" (", 1)[1].rsplit(")", 1)
        pid = int(entry.name)
        names[pid] = name
        children.setdefault(int(rest.split()[1]), []).append(pid)
    out, todo = [], list(children.get(root or os.getpid(), []))
    while todo:
        pid = todo.pop()
        if "chrom" in names.get(pid, ""):
            out.append(pid)
        todo.extend(children.get(pid, []))
    return sorted(out)


def machine_busy_seconds() -> tuple[float, float]:
    """``(busy, total)`` CPU seconds of the whole machine since boot (``/proc/stat``; idle and
    I/O wait are not busy), summed over its cores."""
    ticks = os.sysconf("SC_CLK_TCK")
    with open("/proc/stat", encoding="ascii") as stat:
        fields = [int(x) for x in stat.readline().split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / ticks, sum(fields) / ticks


def rss_bytes(pids: list[int]) -> int:
    """Resident memory of the processes (``VmRSS``), in bytes."""
    total = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
    return total


def work(server: Server) -> dict[str, int]:
    """What the server's processes computed so far (``/_planner/work``), summed."""
    out: dict[str, int] = {}
    for url in server.work_urls:
        with urllib.request.urlopen(f"{url}/_planner/work", timeout=30) as resp:
            for kind, n in json.load(resp)["counts"].items():
                out[kind] = out.get(kind, 0) + int(n)
    return out


def _difference(after: dict[str, int], before: dict[str, int]) -> dict[str, int]:
    return {k: after.get(k, 0) - before.get(k, 0) for k in after}


def bench_env() -> dict[str, str]:
    """A bench server's environment: :func:`bench.server.server_env`, work counts served."""
    env = server_env()
    env["PLANNER_WORK_COUNTS"] = "1"
    return env


@contextlib.contextmanager
def one_process(log_dir: Path) -> Iterator[Server]:
    """``streamlit run app.py`` alone."""
    process, url = start(REPO / "app.py", bench_env(), log_dir / "app.log")
    try:
        yield Server("one_process", url, [process.pid], [url])
    finally:
        stop(process)


@contextlib.contextmanager
def two_replicas(log_dir: Path) -> Iterator[Server]:
    """Two app processes behind nginx (``deploy.replicas``, as ``make replicas``)."""
    from deploy.replicas import free_ports, replica_env, replicas

    *ports, balancer = free_ports(3)
    with replicas(ports, balancer, env=replica_env(bench_env()), log_dir=log_dir) as running:
        yield Server("two_replicas", running.url, running.replica_pids, running.replica_urls)


@contextlib.contextmanager
def bare_app(source: str, log_dir: Path) -> Iterator[Server]:
    """A bare Streamlit app (``source``), the floor the planner is compared with."""
    script = write_bare_app(log_dir, source)
    process, url = start(script, bench_env(), log_dir / "bare.log")
    try:
        yield Server("bare", url, [process.pid], [])
    finally:
        stop(process)


# -------------------------------------------------------------------------- the browser side
@contextlib.asynccontextmanager
async def chromium_browser():
    """Debian's Chromium through Playwright's async API, closed after."""
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium(), headless=True,
                                           args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            await browser.close()


def spread_path(target: dict[str, str], k: int | None) -> str:
    """The path session ``k`` opens: the target's, with its own :data:`SPREAD_PARAM`."""
    if k is None:
        return target["path"]
    sep = "&" if "?" in target["path"] else "?"
    return f"{target['path']}{sep}{SPREAD_PARAM}={SPREAD_FIRST + k * SPREAD_STEP:g}"


async def open_session(browser, url: str, target: dict[str, str] = CONFIRMED,
                       k: int | None = None) -> Session:
    """Open a new session on ``target`` and focus its lever; time to its number in ms."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(OPEN_TIMEOUT_MS)
    wire = Wire()
    page.on("websocket", wire.attach)
    t0 = time.perf_counter()
    await page.goto(url + spread_path(target, k), wait_until="domcontentloaded")
    await page.locator(target["number"]).first.wait_for(state="visible")
    open_ms = (time.perf_counter() - t0) * 1000
    await page.locator(target["slider"]).first.wait_for(state="attached")
    await page.locator(IDLE).wait_for(state="attached")
    # what the balancer answers this browser (with its cookie) names the session's replica
    replica = await page.evaluate(
        "fetch('/_stcore/health').then((r) => r.headers.get('x-planner-replica'))")
    await page.evaluate(KEY_CLOCK)
    # a person reads the page before moving a lever: the first press waits until the page is
    # drawn (on 2 cores, ten pages opened at once keep Chromium drawing charts for seconds)
    await page.evaluate(SETTLED, [SETTLE_MS, OPEN_TIMEOUT_MS])
    await page.locator(target["slider"]).first.focus()
    return Session(context, page, wire, open_ms, target, replica)


async def press(session: Session) -> float:
    """One step of the lever: ms from the keydown to the new number; returns once the page's
    script has finished, the page is drawn (:data:`SETTLED`) and :data:`PAUSE_S` has passed."""
    page, target = session.page, session.target
    old = (await page.locator(target["number"]).first.inner_text()).strip()
    await page.evaluate(ARM, [target["number"], old, PRESS_TIMEOUT_MS])
    await page.keyboard.press(STEP_KEY)
    ms = float(await page.evaluate("window.__bench.done"))
    await page.evaluate("window.__bench.all.disconnect()")
    await page.locator(IDLE).wait_for(state="attached", timeout=PRESS_TIMEOUT_MS)
    # the person looks at the result once it is drawn, then presses again
    await page.evaluate(SETTLED, [SETTLE_MS, PRESS_TIMEOUT_MS])
    await asyncio.sleep(PAUSE_S)
    return ms


def first_press_delay(k: int, n: int, pace: float) -> float:
    """Seconds session ``k`` of ``n`` waits before its first press at ``pace`` seconds a press:
    the sessions' first presses spread evenly over one pace, as people who did not start at
    the same moment."""
    return k * pace / n


async def presses(session: Session, moves: int, pace: float | None = None,
                  delay: float = 0.0, act: Callable[[Session], Awaitable[float]] = press
                  ) -> list[float]:
    """``moves`` presses of one session (``act``, :func:`press` by default), each answered in
    ms; without ``pace`` the next press follows as soon as the page is drawn (and
    :data:`PAUSE_S`); with it, a press starts ``pace`` seconds after the one before started (or
    as soon as that one is drawn, if later), the first after ``delay`` seconds."""
    await asyncio.sleep(delay)
    times = []
    for _ in range(moves):
        started = time.perf_counter()
        times.append(await act(session))
        if pace is not None:
            await asyncio.sleep(max(0.0, pace - (time.perf_counter() - started)))
    return times


def p95(times: list[float]) -> float:
    """The 95th percentile (the largest of fewer than 20 times' neighbours, interpolated)."""
    if len(times) < 2:
        return times[0]
    return statistics.quantiles(times, n=20, method="inclusive")[18]


def latency(times: list[float]) -> dict[str, float | int]:
    """Median and 95th percentile in ms, and how many."""
    return {"median_ms": round(statistics.median(times), 1), "p95_ms": round(p95(times), 1),
            "max_ms": round(max(times), 1), "presses": len(times)}


async def level(browser, server: Server, n: int, moves: int, first_k: int,
                target: dict[str, str] = CONFIRMED, pace: float | None = None) -> dict:
    """Open ``n`` sessions at once, then let each press its lever ``moves`` times at once.

    Parameters
    ----------
    browser : playwright.async_api.Browser
    server : Server
    n : int
        Sessions.
    moves : int
        Presses per session (at most :data:`bench.lever.STEPS_LEFT`).
    first_k : int
        The first session's number (:func:`spread_path`); the level uses ``n`` numbers.
    target : dict, optional
        The page (:data:`bench.lever.CONFIRMED`, or a bare app's).
    pace : float, optional
        Seconds from a session's press to its next (:func:`presses`; the first presses spread
        over one pace, :func:`first_press_delay`); by default each session presses again as
        soon as its page is drawn, all starting together.

    Returns
    -------
    dict
        ``open`` (time to the number, CPU, work and kB per page open), ``move`` (latency, the
        server's CPU and the browser's (:func:`browser_pids`: every page is drawn by one
        Chromium on the same machine), the share of the machine's cores busy while the
        sessions pressed, script runs, work and kB per press) and ``memory`` (resident MB before and after, and
        the difference per session).
    """
    moves = min(moves, STEPS_LEFT)
    spread = first_k if target is CONFIRMED else None
    counted = bool(server.work_urls)
    cpu0, rss0 = cpu_seconds(server.pids), rss_bytes(server.pids)
    work0 = work(server) if counted else {}
    sessions = await asyncio.gather(*(open_session(
        browser, server.url, target, None if spread is None else spread + i) for i in range(n)))
    cpu1, work1 = cpu_seconds(server.pids), work(server) if counted else {}
    wires1 = [s.wire.snapshot() for s in sessions]

    browsers = browser_pids()
    chrome1, machine1 = tree_cpu_seconds(browsers), machine_busy_seconds()
    times = [ms for got in await asyncio.gather(*(
        presses(s, moves, pace, 0.0 if pace is None else first_press_delay(i, n, pace))
        for i, s in enumerate(sessions))) for ms in got]
    cpu2, rss2 = cpu_seconds(server.pids), rss_bytes(server.pids)
    chrome2, machine2 = tree_cpu_seconds(browsers), machine_busy_seconds()
    work2 = work(server) if counted else {}
    wires2 = [s.wire.snapshot() for s in sessions]
    for session in sessions:
        await session.context.close()
    total = n * moves
    opened = {k: v / n for k, v in _difference(work1, work0).items()}
    moved = {k: v / total for k, v in _difference(work2, work1).items()}
    replicas = sorted(s.replica for s in sessions if s.replica)
    return {
        "sessions": n,
        **({"pace_s": pace} if pace is not None else {}),
        **({"sessions_per_replica": {r: replicas.count(r) for r in dict.fromkeys(replicas)}}
           if replicas else {}),
        "open": {**latency([s.open_ms for s in sessions]),
                 "cpu_ms_per_open": round((cpu1 - cpu0) * 1000 / n, 1),
                 "work_per_open": {k: round(v, 2) for k, v in opened.items()},
                 "kb_received_per_open": round(sum(w[0] for w in wires1) / n / 1024, 1)},
        "move": {**latency(times),
                 "cpu_ms_per_move": round((cpu2 - cpu1) * 1000 / total, 1),
                 "browser_cpu_ms_per_move": round((chrome2 - chrome1) * 1000 / total, 1),
                 "machine_busy_share": round((machine2[0] - machine1[0])
                                             / max(machine2[1] - machine1[1], 1e-9), 2),
                 "script_runs_per_move": round(
                     sum(b[2] - a[2] for a, b in zip(wires1, wires2, strict=True)) / total, 2),
                 "runs_cut_short_per_move": round(
                     sum(b[3] - a[3] for a, b in zip(wires1, wires2, strict=True)) / total, 2),
                 "work_per_move": {k: round(v, 2) for k, v in moved.items()},
                 "kb_received_per_move": round(
                     sum(b[0] - a[0] for a, b in zip(wires1, wires2, strict=True))
                     / total / 1024, 1),
                 "kb_sent_per_move": round(
                     sum(b[1] - a[1] for a, b in zip(wires1, wires2, strict=True))
                     / total / 1024, 2)},
        "memory": {"rss_mb_before": round(rss0 / MB, 1), "rss_mb_after": round(rss2 / MB, 1),
                   "mb_per_session": round((rss2 - rss0) / MB / n, 1)},
    }


async def warm(browser, server: Server, target: dict[str, str] = CONFIRMED) -> float:
    """A first session that opens the page and presses twice (not measured: the server's
    first visit); returns its open time in ms."""
    session = await open_session(browser, server.url, target, None)
    for _ in range(2):
        await press(session)
    await session.context.close()
    return round(session.open_ms, 1)


def log_folder(prefix: str) -> contextlib.AbstractContextManager[str]:
    """A temporary folder for the servers' logs and the bare app."""
    return tempfile.TemporaryDirectory(prefix=prefix)
