"""Every catalogue key is used by the code: a text no page can show is a text nobody checks.

A key is used when its full name stands in a source file as a string, or when it belongs to
one of :data:`FAMILIES`: keys the code builds from a prefix and a value
(``t(f"problem.{code}")``). Each family must itself still be built somewhere, so the list
cannot keep a dead family alive.
"""

from __future__ import annotations

import re
from pathlib import Path

from planner.i18n import load_catalogue

REPO = Path(__file__).resolve().parents[2]
SOURCE_DIRS = ("planner", "ui", "app_pages", "web")
SOURCE_FILES = ("app.py",)

FAMILIES: tuple[str, ...] = (
    "basis.",
    "column.",
    "compare.kind.",
    "conflict.",
    "dataio.problem.",
    "dataio.readme.",
    "dataio.type.",
    "db.error.",
    "export.about.",
    "export.basis.",
    "export.col.",
    "export.menu.",
    "export.settings.",
    "export.sources.",
    "export.standing.",
    "kind.",
    "lang.",
    "model.caveat.",
    "nav.",
    "planner.tab_",
    "problem.",
    "saved.detail.",
    "source_kind.",
    "status.",
    "update.action.",
    "backtest.",
    "period.half.h",
    "data_register.",
    "subindex.",
    "plain.error.",
    "plain.lang.",
)
"""Prefixes of the keys built in code: ``f"<prefix>{...}"`` or ``"<prefix>{}".format(...)``."""


def _source_text() -> str:
    files = [REPO / name for name in SOURCE_FILES]
    for folder in SOURCE_DIRS:
        files += sorted((REPO / folder).rglob("*.py"))
    return "\n".join(path.read_text(encoding="utf-8") for path in files)


def _built(prefix: str, text: str) -> bool:
    """Whether the code builds keys from ``prefix``: a string starting with it and a field."""
    return re.search(rf"""f?["']{re.escape(prefix)}\{{""", text) is not None


def _named(key: str, text: str) -> bool:
    return re.search(rf"""["']{re.escape(key)}["']""", text) is not None


def test_every_family_is_built_in_code() -> None:
    text = _source_text()
    assert [p for p in FAMILIES if not _built(p, text)] == []


def test_every_catalogue_key_is_named_in_code_or_built_from_a_family() -> None:
    text = _source_text()
    unused = [key for key in sorted(load_catalogue())
              if not key.startswith(FAMILIES) and not _named(key, text)]
    assert unused == [], f"catalogue keys no code uses (delete them): {unused}"


def test_every_key_is_named_after_what_it_says() -> None:
    """A key's first part names the page or part that shows it, never by a number (``ui11.``,
    ``vi12.``); later parts may hold data words such as ``p90`` or ``utf16``."""
    numbered = [key for key in sorted(load_catalogue())
                if not re.fullmatch(r"[a-z_]+", key.split(".")[0])]
    assert numbered == []
