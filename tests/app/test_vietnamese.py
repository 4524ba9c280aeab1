"""Every page in Vietnamese shows no English words (AppTest, the real data).

Each page is opened in Vietnamese from its default link, and the briefing and saved pages also
from a saved scenario's link. Every text the page draws is collected (titles, markdown,
captions, alerts, widget labels, help, placeholders and options, metric texts, table headers and
cells, chart titles, axes, legends and hover texts) and searched for common English words.
Left out: identifiers and file names (anything with ``_``, ``/`` or a dotted name), addresses,
and what is a proper name or a verbatim record of a source (quotes, source titles and
publishers, which keep the source's language).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from planner import saved as sv
from planner.dataset import read_data_dir
from planner.engine import load_model
from planner.i18n import t
from tests.app.html_tables import table_in
from tests.app.opening import open_on
from tests.app.saved_helpers import REPO, TIMEOUT, assert_clean
from tests.saved_support import copy_db
from ui.chart_view import CHART_COMPONENT

ENGLISH = frozenset(["the", "and", "of", "with", "from", "for", "is", "are", "was", "were", "this", "that", "these", "those", "by", "per", "year", "years", "rank", "target", "targets", "share", "score", "rate", "data", "source", "sources", "page", "not", "found", "download", "search", "choose", "option", "options", "trend", "level", "stated", "increase", "places", "gained", "qualifier", "nearly", "over", "about", "average", "provinces", "province", "seed", "inferred", "uncertain", "pillar", "digital", "economy", "government", "society", "online", "filing", "cashless", "shopping", "scenario", "baseline", "projection", "estimate", "observed", "derived", "external", "assumption", "assumed", "weight", "points", "percent", "chance", "track", "risk", "met", "missed", "show", "hide", "skip", "main", "content", "loading", "running", "please", "wait", "error", "note", "notes", "quote", "link", "save", "saved", "compare", "open", "delete", "settings", "default", "model", "draws", "without", "which", "when", "where", "into", "only", "also", "more", "each", "every", "none", "value", "values", "minus", "growth", "plan", "expected", "between", "reading", "read", "other", "same"])
"""Common English words; none is a Vietnamese word written without accents."""

SKIPPED_KEYS = ("icon", "id", "formId", "key", "type", "url", "href", "address", "spec", "css",
                "data", "arrow", "fragment", "deltaPath", "styler", "uuid", "format", "pageScriptHash",
                "useContainerWidth", "theme", "config", "selectionMode")
"""Proto fields that hold no reader's text."""

VERBATIM_COLUMNS = ("column.quote", "column.title", "column.publisher", "column.address",
                    "column.source", "column.source_id", "data_register.sources")
"""Table columns that record a source as it is (its quote, title, publisher, address)."""

_ID_LIKE = re.compile(r"\S*(?:_|/|://|[A-Za-z]\.[A-Za-z])\S*")
_TAG = re.compile(r"<[^>]*>")  # markup the page writes (its attributes are not text)
_VERSION = re.compile(r"(?i)(?<=phiên bản )\d+(?:\.\d+)+")  # a version number is a name
_ENUM = re.compile(r"[A-Z][A-Z_]*")  # a proto enum's name, such as NONE
_WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")


_ENGLISH_NUMBER = re.compile(r"(?<![\d.,])(?:\d+\.(?:\d{1,2}|\d{4,})|[1-9]\d{0,2}(?:,\d{3})+)(?![\d.,])")
"""A number in English notation: a decimal point (not a group of three digits) or a comma
grouping thousands."""


def english_words(text: str) -> list[str]:
    """The English words of a text, and numbers written the English way (identifiers and
    addresses left out)."""
    plain = _ID_LIKE.sub(" ", _VERSION.sub(" ", _TAG.sub(" ", text)))
    words = [w for w in _WORD.findall(plain) if w.lower() in ENGLISH]
    return words + _ENGLISH_NUMBER.findall(plain)


def _strings(value: Any, key: str = "") -> Iterator[str]:
    if any(key.lower() == k.lower() for k in SKIPPED_KEYS):
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, key)


def _chart_strings(spec: str) -> Iterator[str]:
    figure = json.loads(spec)
    for trace in figure.get("data", []):
        for k in ("name", "hovertemplate", "text", "customdata", "legendgrouptitle"):
            yield from (s for s in _strings(trace.get(k)) if not s.startswith("%{"))
    yield from _strings(figure.get("layout", {}).get("title"))
    for axis in ("xaxis", "yaxis"):
        yield from _strings(figure.get("layout", {}).get(axis, {}).get("title"))
    for note in figure.get("layout", {}).get("annotations", []):
        yield from _strings(note.get("text"))


def _table_strings(frame: pd.DataFrame) -> Iterator[str]:
    verbatim = {t(k, "vi") for k in VERBATIM_COLUMNS}
    for column in frame.columns:
        yield str(column)
        if str(column) in verbatim:
            continue
        yield from (str(v) for v in frame[column].tolist() if isinstance(v, str))


def page_texts(at: AppTest) -> list[str]:
    """Every text of a finished run, as a reader of the page would meet it."""
    out: list[str] = []

    def walk(node: Any) -> None:
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            proto = getattr(node, "proto", None)
            if proto is not None:
                out.extend(_strings(MessageToDict(proto)))
            for child in children.values():
                walk(child)
            return
        kind = getattr(node, "type", "")
        if kind in ("arrow_data_frame", "dataframe"):
            out.extend(_table_strings(node.value))
            return
        proto = getattr(node, "proto", None)
        if proto is None:
            return
        if kind == "html":  # a static table's cells; else the page's own style and script
            table = table_in(proto.body)
            if table is not None:
                out.extend(_table_strings(table))
            return
        if kind == "plotly_chart":
            out.extend(_chart_strings(proto.spec))
            return
        if kind == "bidi_component" and proto.component_name == CHART_COMPONENT:
            data = json.loads(proto.json)  # a chart drawn in place: its figure and name
            out.extend([*_chart_strings(json.dumps(data["figure"])), str(data["label"]),
                        str(data["unavailable"])])
            return
        if kind == "bidi_component":  # a custom component: the texts its data gives it to show
            out.extend(_panel_strings(proto))
            return
        out.extend(_strings(MessageToDict(proto)))

    walk(at._tree)
    return out


def _panel_strings(proto) -> list[str]:
    """The texts the lever panel (``ui.lever_panel``) shows: its own words, the outcomes' and
    levers' names, each slider's name and marks (its numbers are written in the browser with
    the page's locale); not its code, style or numbers."""
    data = json.loads(proto.json) if proto.json else {}
    out = [re.sub(r"\{\w+\}", "", str(v)) for v in data.get("text", {}).values()]  # fields
    out += [str(r["label"]) for r in data.get("rows", [])]
    for lever in data.get("levers", []):
        out += [str(lever["label"]), str(lever["evidence"])]
        out += [str(c[k]) for c in lever["years"].values() for k in ("label", "marks")]
    return out


def _verbatim() -> set[str]:
    """Source titles and publishers: each source's own words, kept as recorded."""
    sources = read_data_dir(REPO / "data").sources
    return {str(v) for c in ("title", "publisher") for v in sources[c] if str(v)}


def english_on(at: AppTest) -> dict[str, list[str]]:
    """Texts of the run with the English words each holds."""
    found = {}
    verbatim = _verbatim()
    for text in page_texts(at):
        if text in verbatim or _ENUM.fullmatch(text):
            continue
        words = english_words(text)
        if words:
            found[text[:160]] = words
    return found


PAGES = ("app_pages/briefing.py", "app_pages/planner_page.py", "app_pages/data_sources.py",
         "app_pages/saved.py", "app_pages/compare.py", "app_pages/update_data.py")


@pytest.fixture(scope="module")
def db(loaded_db: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A copy of the loaded database with one saved scenario."""
    path = tmp_path_factory.mktemp("vietnamese") / "planner.duckdb"
    store = copy_db(loaded_db, path)
    model = load_model(store)
    settings = {"levers": {"cashless": {"2030": 80}}, "overrides": {}}
    saved, _token = sv.save_scenario(store, model, settings, "Kịch bản thử", "Ghi chú", "Sở",
                                     "vi")
    return {"path": path, "saved": saved}


def _open(db: dict, monkeypatch: pytest.MonkeyPatch, page: str,
          params: dict[str, str] | None = None) -> AppTest:
    monkeypatch.setenv("PLANNER_DB", str(db["path"]))
    at = open_on(page, "vi", params, TIMEOUT)
    assert_clean(at)
    return at


def test_the_detector_finds_english_and_leaves_ids_names_and_vietnamese():
    assert english_words("2021 value = 2022 value 0.7024 minus the stated increase") == [
        "value", "value", "minus", "the", "stated", "increase", "0.7024"]
    assert english_words('<span style="font-weight:700">mô hình (phiên bản 2.0)</span>') == []
    assert english_words("dti_overall · 000_b19f354a6a4d82ea.txt · https://vov.vn/") == []
    assert english_words("Điểm DTI của Quảng Ninh năm 2022 đạt 0,7024; GRDP tăng 8,42%") == []
    assert english_words("(thang logit/năm) (Logit mỗi năm)") == []
    assert english_words("giá trị 0.7024 và 3,400,000 tài khoản") == ["0.7024", "3,400,000"]
    assert english_words("giá trị 0,7024 và 3.400.000 tài khoản; 7,1%") == []


@pytest.mark.parametrize("page", PAGES)
def test_every_page_in_vietnamese_has_no_english_words(db, monkeypatch, page):
    at = _open(db, monkeypatch, page)
    found = english_on(at)
    assert found == {}, "\n".join(f"{words}: {text}" for text, words in found.items())


@pytest.mark.parametrize("page", ("app_pages/briefing.py", "app_pages/saved.py"))
def test_a_saved_scenario_in_vietnamese_has_no_english_words(db, monkeypatch, page):
    at = _open(db, monkeypatch, page, {"s": db["saved"].id})
    found = english_on(at)
    assert found == {}, "\n".join(f"{words}: {text}" for text, words in found.items())


def test_the_planner_with_its_assumptions_open_has_no_english_words(db, monkeypatch):
    at = _open(db, monkeypatch, "app_pages/planner_page.py")
    at.session_state["planner.assumptions_panel"] = True
    at.run()
    assert_clean(at)
    texts = page_texts(at)
    assert any("Đến năm 2024" in text for text in texts)  # the rationales are shown
    found = english_on(at)
    assert found == {}, "\n".join(f"{words}: {text}" for text, words in found.items())
