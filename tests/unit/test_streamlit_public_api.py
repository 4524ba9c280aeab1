"""The app uses Streamlit's public API only, so an upgrade breaks it loudly or not at all.

Every import of Streamlit in ``app.py``, ``app_pages/`` and ``ui/`` (lazy ones inside
functions too) is of a public module, and no script-run internals are reached through the
public objects. ``bench/`` measures Streamlit's own script runs and may reach inside it.
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PUBLIC = {"streamlit", "streamlit.components.v1", "streamlit.column_config",
          "streamlit.testing.v1"}
"""Streamlit's documented modules."""
INTERNALS = {"pages_manager", "get_script_run_ctx", "Runtime", "_fragment_storage",
             "script_run_context", "ScriptRunContext"}
"""Names of Streamlit's internals that a script could reach through a public object."""


def _sources() -> list[Path]:
    return [REPO / "app.py", *sorted((REPO / "app_pages").rglob("*.py")),
            *sorted((REPO / "ui").rglob("*.py"))]


def _uses(path: Path, root: Path = REPO) -> list[str]:
    """``file:line name`` of every private Streamlit module imported and internal named."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names if a.name.split(".")[0] == "streamlit"
                     and a.name not in PUBLIC]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "streamlit":
            if node.module not in PUBLIC:
                names = [node.module]
            names += [a.name for a in node.names if a.name in INTERNALS]
        elif isinstance(node, ast.Attribute) and node.attr in INTERNALS:
            names = [node.attr]
        found += [f"{path.relative_to(root)}:{node.lineno} {name}" for name in names]
    return found


def test_the_app_imports_only_public_streamlit_modules() -> None:
    found = [use for path in _sources() for use in _uses(path)]
    assert found == []


def test_the_check_sees_private_imports_and_internals(tmp_path: Path) -> None:
    path = tmp_path / "page.py"
    path.write_text(
        "import streamlit as st\n"
        "from streamlit.runtime import Runtime\n"
        "def f():\n"
        "    from streamlit.runtime.scriptrunner import get_script_run_ctx\n"
        "    return get_script_run_ctx().pages_manager\n", encoding="utf-8")
    assert sorted(_uses(path, tmp_path)) == [
        "page.py:2 Runtime", "page.py:2 streamlit.runtime", "page.py:4 get_script_run_ctx",
        "page.py:4 streamlit.runtime.scriptrunner", "page.py:5 pages_manager"]
