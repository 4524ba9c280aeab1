"""The domain package never imports streamlit: every module of ``planner`` loads without it."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import planner

REPO = Path(__file__).resolve().parents[2]


def test_no_planner_module_imports_streamlit():
    names = sorted(m.name for m in pkgutil.walk_packages(planner.__path__, "planner.")
                   if not m.name.endswith("__main__"))
    assert "planner.store.duckdb_store" in names and "planner.cli.main" in names
    code = ("import importlib, sys\n"
            f"for name in {names!r}:\n"
            "    importlib.import_module(name)\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'streamlit'))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                         text=True, check=True, timeout=120)
    assert out.stdout.strip() == "[]", out.stdout
