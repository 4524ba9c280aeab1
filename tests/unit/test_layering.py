"""The layers import only downwards, and the domain's modules import each other without circles.

Every import in the source is read with :mod:`ast`: ``import x``, ``from x import y`` (a ``y``
that is a module of the project counts as ``x.y``), relative imports, and
``importlib.import_module("x")`` or ``__import__("x")`` with a literal name, wherever they are
written (at the top of a module, inside a function, under ``if`` or ``try``). The layers, from the
top: ``app`` (``app.py``, the router), ``app_pages`` (the pages), ``ui`` (what pages draw),
``planner`` (the domain); ``web`` (the routes without a session, such as the API) stands beside
``ui`` and, unlike it, never imports Streamlit. ``bench`` measures them all; ``tests`` are outside the rules.
"""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

SOURCE_ROOTS: tuple[str, ...] = ("app.py", "app_pages", "ui", "web", "planner", "bench")
"""What is read: the router file and the packages."""

FORBIDDEN: dict[str, frozenset[str]] = {
    "planner": frozenset({"streamlit", "ui", "web", "app_pages", "app", "bench", "tests"}),
    "web": frozenset({"streamlit", "ui", "app_pages", "app", "bench", "tests"}),
    "ui": frozenset({"app_pages", "app", "bench", "tests"}),
    "app_pages": frozenset({"app", "bench", "tests"}),
    "app": frozenset({"bench", "tests"}),
    "bench": frozenset({"tests"}),
}
"""Top-level packages each layer must never import."""


def source_files(root: Path = REPO) -> dict[str, Path]:
    """Every module of :data:`SOURCE_ROOTS` by its dotted name (a package by its own name)."""
    out: dict[str, Path] = {}
    for entry in SOURCE_ROOTS:
        path = root / entry
        files = [path] if path.is_file() else sorted(path.rglob("*.py"))
        for file in files:
            parts = list(file.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join(parts)] = file
    return out


def _literal_module(call: ast.Call) -> str | None:
    """The module named by ``importlib.import_module("x")`` or ``__import__("x")``."""
    func = call.func
    named = (isinstance(func, ast.Attribute) and func.attr == "import_module") or (
        isinstance(func, ast.Name) and func.id in ("import_module", "__import__"))
    if named and call.args and isinstance(call.args[0], ast.Constant) \
            and isinstance(call.args[0].value, str):
        return call.args[0].value
    return None


def _top_level_nodes(tree: ast.Module) -> Iterator[ast.AST]:
    """The nodes a module runs when it is imported: not inside a function's body."""
    todo: list[ast.AST] = list(tree.body)
    while todo:
        node = todo.pop()
        yield node
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            todo.extend(node.decorator_list if not isinstance(node, ast.Lambda) else [])
            continue
        todo.extend(ast.iter_child_nodes(node))


def imports_of(name: str, source: str, modules: Mapping[str, object],
               top_level_only: bool = False) -> set[str]:
    """The modules a module's source imports.

    Parameters
    ----------
    name : str
        The module's dotted name (``planner.export.charts``; a package's ``__init__`` by the
        package's name).
    source : str
        Its text.
    modules : mapping
        The project's modules by dotted name: ``from a import b`` is ``a.b`` when that is one.
    top_level_only : bool, optional
        Only the imports run when the module is imported (not those inside functions).

    Returns
    -------
    set of str
        Dotted names, as written or resolved (relative imports made absolute).
    """
    tree = ast.parse(source)
    is_package = name in modules and str(modules[name]).endswith("__init__.py")
    package = name if is_package else name.rpartition(".")[0]
    nodes = _top_level_nodes(tree) if top_level_only else ast.walk(tree)
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in modules else base)
        elif isinstance(node, ast.Call):
            literal = _literal_module(node)
            if literal:
                found.add(literal)
    return found


def import_graph(files: Mapping[str, Path], top_level_only: bool = False) -> dict[str, set[str]]:
    """Each module's imports of other modules of the project (and of anything else)."""
    return {name: imports_of(name, path.read_text(encoding="utf-8"), files, top_level_only)
            for name, path in files.items()}


def layer_violations(graph: Mapping[str, set[str]]) -> list[str]:
    """``"importer -> imported"`` for each import :data:`FORBIDDEN` forbids."""
    bad = []
    for name, imported in sorted(graph.items()):
        forbidden = FORBIDDEN.get(name.split(".")[0], frozenset())
        bad.extend(f"{name} -> {other}" for other in sorted(imported)
                   if other.split(".")[0] in forbidden)
    return bad


def circles(graph: Mapping[str, set[str]], prefix: str) -> list[list[str]]:
    """The import circles among the modules whose names start with ``prefix``.

    Returns
    -------
    list of list of str
        Each strongly connected group of two or more modules (or a module importing itself),
        sorted (Tarjan's algorithm).
    """
    nodes = sorted(n for n in graph if n.startswith(prefix))
    edges = {n: sorted(m for m in graph[n] if m in graph and m.startswith(prefix)) for n in nodes}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1 or v in edges[v]:
                groups.append(sorted(group))

    for v in nodes:
        if v not in index:
            visit(v)
    return sorted(groups)


# ------------------------------------------------------------------------------ the project
@pytest.fixture(scope="module")
def files() -> dict[str, Path]:
    return source_files()


def test_every_layer_is_read(files):
    assert {"app", "app_pages.briefing", "ui.model", "planner.export.charts",
            "planner.store.duckdb_store", "bench.engine"} <= set(files)


def test_no_layer_imports_one_above_it(files):
    assert layer_violations(import_graph(files)) == []


def test_the_domain_has_no_import_circles(files):
    """Lazy imports included: a circle broken only by importing inside a function is still
    two modules that cannot be understood apart."""
    assert circles(import_graph(files), "planner.") == []


def test_the_pages_and_views_have_no_import_circles(files):
    assert circles(import_graph(files, top_level_only=True), "") == []


# ------------------------------------------------------------------------------ the reader
MODULES = {name: f"{name.replace('.', '/')}.py" for name in (
    "planner.a", "planner.b", "planner.sub.c", "ui.view", "planner.store.base")}
MODULES["planner.sub"] = "planner/sub/__init__.py"


def graph_of(sources: Mapping[str, str], top_level_only: bool = False) -> dict[str, set[str]]:
    return {name: imports_of(name, textwrap.dedent(text), MODULES, top_level_only)
            for name, text in sources.items()}


@pytest.mark.parametrize("text", [
    "import ui.view",
    "from ui import view",
    "from ui.view import figure",
    "def f():\n    from ui.view import figure\n",
    "class A:\n    def m(self):\n        import ui\n",
    "try:\n    import streamlit as st\nexcept ImportError:\n    st = None\n",
    "import importlib\nmodule = importlib.import_module('ui.view')\n",
    "from importlib import import_module\ndef f():\n    return import_module('streamlit')\n",
    "view = __import__('ui.view')\n",
])
def test_every_kind_of_import_is_seen(text):
    assert layer_violations(graph_of({"planner.a": text})), text


def test_imports_that_respect_the_layers_pass():
    graph = graph_of({"planner.a": "import pandas\nfrom planner.b import x\n"
                                   "import importlib\nm = importlib.import_module(name)\n",
                      "ui.view": "import streamlit\nfrom planner import a\n"})
    assert layer_violations(graph) == []
    assert graph["ui.view"] == {"streamlit", "planner.a"}


def test_relative_imports_are_made_absolute():
    graph = graph_of({"planner.sub.c": "from . import x\nfrom ..b import y\nfrom .. import a\n",
                      "planner.sub": "from .c import z\n"})
    assert graph["planner.sub.c"] == {"planner.sub", "planner.b", "planner.a"}
    assert graph["planner.sub"] == {"planner.sub.c"}


def test_a_circle_through_a_lazy_import_is_found():
    graph = graph_of({"planner.a": "from planner.b import x\n",
                      "planner.b": "def f():\n    from planner.a import y\n",
                      "planner.sub.c": "from planner.a import z\n"})
    assert circles(graph, "planner.") == [["planner.a", "planner.b"]]
    top = graph_of({"planner.a": "from planner.b import x\n",
                    "planner.b": "def f():\n    from planner.a import y\n"}, top_level_only=True)
    assert circles(top, "planner.") == []


def test_a_longer_circle_and_a_self_import_are_found():
    graph = graph_of({"planner.a": "import planner.b\n", "planner.b": "import planner.sub.c\n",
                      "planner.sub.c": "from planner import a\n",
                      "planner.store.base": "import planner.store.base\n"})
    assert circles(graph, "planner.") == [["planner.a", "planner.b", "planner.sub.c"],
                                          ["planner.store.base"]]
