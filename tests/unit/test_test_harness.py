"""The test suite's own rules: each test's layer and xdist group, and no silent skip in CI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.conftest import TESTS, group_of, layer_of

REPO = TESTS.parent
# A test file run by a pytest of its own, with the suite's root conftest as a plugin.
SKIPPING = '''
from tests.needs import missing

def test_without_a_tool():
    missing("the frobnicator", "apt-get install frobnicator")

def test_skipped_by_hand():
    import pytest
    pytest.skip("no widgets here")

def test_that_runs():
    assert True
'''


@pytest.mark.parametrize(("path", "layer", "group"), [
    ("browser/test_new_browser.py", "browser", "browser"),
    ("browser/test_other_browser.py", "browser", "browser"),
    ("app/test_new_page.py", "app", "tests/app/test_new_page.py"),
    ("unit/test_store.py", "unit", "tests/unit/test_store.py"),
    ("reliability/test_new.py", "reliability", "tests/reliability/test_new.py"),
    ("property/test_new.py", "property", "tests/property/test_new.py"),
    ("test_at_the_top.py", None, "tests/test_at_the_top.py"),
])
def test_a_new_file_gets_its_layer_and_group_from_its_folder(path, layer, group):
    assert layer_of(SimpleNamespace(fspath=TESTS / path)) == layer
    assert group_of(f"tests/{path}::test_one[a@b]") == group


RECORDING = """
import os
import pytest

@pytest.mark.parametrize("n", range(10))
def test_where(n):
    with open(os.environ["WHERE_LOG"], "a") as log:
        log.write(f"{__file__} {os.environ['PYTEST_XDIST_WORKER']}\\n")
"""


def test_two_workers_get_the_tests_by_group(tmp_path: Path) -> None:
    """Run by xdist, both browser files go to one worker, each other file whole to one."""
    for path in ("browser/test_a.py", "browser/test_b.py", "unit/test_c.py", "app/test_d.py"):
        (tmp_path / "tests" / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "tests" / path).write_text(RECORDING, encoding="utf-8")
    log = tmp_path / "where.log"
    env = {**os.environ, "PYTHONPATH": str(REPO), "WHERE_LOG": str(log)}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.conftest", "-p", "no:cacheprovider", "-q",
         "-n", "2", "--dist", "loadgroup", "--rootdir", str(tmp_path), "tests"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    workers: dict[str, set[str]] = {}
    for line in log.read_text(encoding="utf-8").splitlines():
        path, worker = line.rsplit(" ", 1)
        group = "browser" if "/browser/" in path else path
        workers.setdefault(group, set()).add(worker)
    assert len(workers) == 3 and all(len(w) == 1 for w in workers.values()), workers


def _run(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_skipping.py").write_text(SKIPPING, encoding="utf-8")
    clean = {k: v for k, v in os.environ.items() if k not in {"CI", "PLANNER_REQUIRE_BROWSER"}}
    clean.update(PYTHONPATH=str(REPO), COLUMNS="200")
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.conftest", "-p", "no:cacheprovider",
         "-q", "-rA", "--rootdir", str(tmp_path), str(tmp_path)],
        cwd=tmp_path, env={**clean, **env}, capture_output=True, text=True, timeout=300,
        check=False)


def test_a_skip_stays_a_skip_outside_ci(tmp_path: Path) -> None:
    done = _run(tmp_path)
    assert done.returncode == 0, done.stdout
    assert "2 skipped" in done.stdout and "1 passed" in done.stdout
    assert "the frobnicator is missing (apt-get install frobnicator)" in done.stdout


@pytest.mark.parametrize("env", [{"CI": "true"}, {"PLANNER_REQUIRE_BROWSER": "1"}])
def test_in_ci_every_skip_fails_naming_what_is_missing(tmp_path: Path, env) -> None:
    done = _run(tmp_path, **env)
    assert done.returncode == 1, done.stdout
    assert "2 failed" in done.stdout and "1 passed" in done.stdout
    assert "skipped" not in done.stdout.splitlines()[-1]
    assert "the frobnicator is missing (apt-get install frobnicator)" in done.stdout
    assert "skipped in CI, where every test runs: no widgets here" in done.stdout
