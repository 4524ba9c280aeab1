"""The test suite's own rules: each test's layer and xdist group, and no silent skip in CI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.conftest import TESTS, layer_and_group

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
    ("app/test_new_page.py", "app", "app/test_new_page.py"),
    ("unit/test_store.py", "unit", "unit/test_store.py"),
    ("reliability/test_new.py", "reliability", "reliability/test_new.py"),
    ("property/test_new.py", "property", "property/test_new.py"),
    ("test_at_the_top.py", None, "test_at_the_top.py"),
])
def test_a_new_file_gets_its_layer_and_group_from_its_folder(path, layer, group):
    item = SimpleNamespace(fspath=TESTS / path)
    assert layer_and_group(item) == (layer, group)


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
