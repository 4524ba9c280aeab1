"""The load bench reads what the browser's processes spent from ``/proc``: the process tree under
the bench, and CPU time that survives a child's end."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.sessions import browser_pids, machine_busy_seconds, tree_cpu_seconds

pytestmark = pytest.mark.unit

BUSY = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass\n"
"""A child that spends 0.3 s of CPU, then ends."""


def _fake_chromium(folder: Path) -> Path:
    """A copy of this Python named like Chromium, so that the tree reads it as a browser."""
    link = folder / "chromium"
    link.symlink_to(Path(sys.executable).resolve())
    return link


def _run(program: Path, script: str) -> subprocess.Popen[str]:
    """``program -c script`` with pipes to its standard input and output."""
    return subprocess.Popen([str(program), "-c", script], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)


def test_the_browser_is_every_chromium_below_the_bench(tmp_path: Path) -> None:
    chromium = _fake_chromium(tmp_path)
    # a browser with a renderer under it, and another process that is no browser
    browser = _run(chromium, (
        "import subprocess, sys\n"
        f"r = subprocess.Popen([{str(chromium)!r}, '-c', 'import time; time.sleep(60)'])\n"
        "print(r.pid, flush=True)\n"
        "sys.stdin.read()\n"
        "r.kill()\n"))
    other = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"],
                             stdin=subprocess.PIPE)
    try:
        renderer = int(browser.stdout.readline())
        found = browser_pids()
        assert browser.pid in found and renderer in found
        assert other.pid not in found
        assert browser_pids(root=other.pid) == []
    finally:
        browser.communicate("")
        other.communicate(b"")


def test_a_childs_cpu_is_counted_in_its_parent_after_it_ends(tmp_path: Path) -> None:
    chromium = _fake_chromium(tmp_path)
    parent = _run(chromium, (
        "import subprocess, sys\n"
        f"subprocess.run([sys.executable, '-c', {BUSY!r}], check=True)\n"
        "print('done', flush=True)\n"
        "sys.stdin.read()\n"))
    try:
        assert parent.stdout.readline().strip() == "done"  # the child ended and was waited for
        assert tree_cpu_seconds([parent.pid]) >= 0.25
        assert tree_cpu_seconds([parent.pid, 2**22 + 1]) >= 0.25  # an ended pid is skipped
    finally:
        parent.communicate("")


def test_the_machine_is_busy_while_a_process_works() -> None:
    busy0, total0 = machine_busy_seconds()
    subprocess.run([sys.executable, "-c", BUSY], check=True)
    busy1, total1 = machine_busy_seconds()
    assert busy1 - busy0 >= 0.2
    # whole ticks divided by the tick rate: equal counts may differ in the last bit
    assert total1 - total0 >= busy1 - busy0 - 1e-9
    assert os.cpu_count() and total1 > busy1
