"""Helpers of the AppTest tests of the scenarios, saved-scenarios and compare pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.formatting import fmt_rank, fmt_value
from planner.i18n import t
from planner.store import DuckDBStore
from tests.app.opening import APP, REPO, open_on  # noqa: F401 - APP, REPO for the tests
from ui.chart_view import CHART_COMPONENT
from ui.headline_strip import STRIP_COMPONENT

BRIEFING_PAGE = "app_pages/briefing.py"
SAVED_PAGE = "app_pages/saved.py"
COMPARE_PAGE = "app_pages/compare.py"
TIMEOUT = 120

XSS = "<img src=x onerror=alert(1)>"
MARKDOWN_PAYLOAD = "**bold** [x](javascript:alert(1))"
PAYLOADS = (XSS, MARKDOWN_PAYLOAD)

MARKDOWN_KINDS = ("title", "header", "subheader", "markdown", "caption", "info", "warning",
                  "error", "success")


def open_page(db_path: Path, monkeypatch: pytest.MonkeyPatch, page: str,
              lang: str | None = None, params: dict[str, str] | None = None) -> AppTest:
    """The app on ``page`` as opened from a link with ``params`` (and ``?lang=``): the page's
    first run reads them, as a browser's does."""
    monkeypatch.setenv("PLANNER_DB", str(db_path))
    return open_on(page, lang, params, TIMEOUT)


def assert_clean(at: AppTest) -> None:
    """No exception and no error box."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


PLANNER_HEADLINE = ("dti_overall", "dti_overall_rank", "digital_economy_share_grdp")


def planner_strip(at: AppTest) -> dict | None:
    """What the scenarios page's headline (a custom component, :mod:`ui.headline_strip`) was
    given, or ``None`` when the page does not draw it."""
    strips = [e for e in at.get("bidi_component")
              if e.proto.component_name == STRIP_COMPONENT]
    assert len(strips) <= 1, "the headline is drawn once"
    return json.loads(strips[0].proto.json) if strips else None


def strip_numbers(at: AppTest) -> list[dict]:
    """Every number of the scenarios page's headline, in order: each ``{"label", "value",
    "delta", "tone"}`` (the accessible name it is shown under, the text shown, its change
    against the baseline and that change's tone, both ``""`` when it has none); the targets
    ahead on track last. Empty when the headline is not drawn."""
    data = planner_strip(at)
    if data is None:
        return []
    out = [{"label": cell["name"], "value": cell["value"],
            "delta": (cell["change"] or {}).get("text", ""),
            "tone": (cell["change"] or {}).get("tone", "")}
           for row in data["rows"] for cell in row["cells"]]
    track = data["on_track"]
    return out + [{"label": track["label"], "value": track["value"], "delta": "", "tone": ""}]


def planner_headline(at: AppTest, labels: dict[str, dict[str, str]],
                     lang: str) -> dict[str, str]:
    """The scenarios page's 2030 results: ``{indicator: value shown}``, found by their names
    (``labels``: ``{lang: {indicator: label}}``)."""
    out = {}
    shown = strip_numbers(at)
    for ind in PLANNER_HEADLINE:
        name = t("planner.metric_value", lang, label=labels[lang][ind], year=2030)
        found = [n["value"] for n in shown if n["label"] == name]
        assert len(found) == 1, (name, [n["label"] for n in shown])
        out[ind] = found[0]
    return out


def move(at: AppTest, key: str, value: float) -> AppTest:
    """Move a control as a user would. Its callback reruns only the results fragment (AppTest
    then holds just the fragment's elements); a plain rerun shows the whole page again.

    A lever (``lever.<id>.<year>``) sits in the lever panel, a custom component AppTest cannot
    drive: its value is written where the panel reads it and sends it
    (:func:`ui.planner_controls.lever_key`), then the page runs."""
    if key.startswith("lever."):
        return set_lever(at, key, value)
    at.select_slider(key=key).set_value(value).run()
    assert_clean(at)
    return at.run()


def set_lever(at: AppTest, key: str, value: float) -> AppTest:
    """Set a lever (``lever.<id>.<year>``) as the lever panel does on release (what it sends,
    under ``ui.lever_panel.SENT_KEY``), and run."""
    _, lever, year = key.split(".")
    at.session_state["planner.lever_panel.sent"] = {"values": {lever: {year: value}}}
    at.run()
    assert_clean(at)
    return at


def lever_panel_data(at: AppTest) -> dict:
    """What the lever panel (a custom component, :mod:`ui.lever_panel`) was given: its values,
    texts and the response it computes the headline from."""
    panels = [e for e in at.get("bidi_component")
              if e.proto.component_name == "planner_lever_panel"]
    assert len(panels) == 1, "the lever panel is drawn once"
    return json.loads(panels[0].proto.json)


def live_charts(at: AppTest) -> list[dict]:
    """The figures of the charts drawn in place (:func:`ui.chart_view.live_chart`: the
    scenarios page's fan charts), in order: each ``{"figure", "config", "src", "label"}``."""
    return [json.loads(e.proto.json) for e in at.get("bidi_component")
            if e.proto.component_name == CHART_COMPONENT]


def lever_value(at: AppTest, key: str) -> float:
    """The value the lever panel shows for a lever (``lever.<id>.<year>``)."""
    _, lever, year = key.split(".")
    return float(lever_panel_data(at)["values"][lever][year])


def plain_texts(at: AppTest) -> list[str]:
    """Values of the plain-text elements (``st.text`` and ``st.code``)."""
    return [str(e.value) for e in at.text] + [str(e.value) for e in at.get("code")]


def markdown_elements(at: AppTest) -> list:
    """Every element whose text is rendered as Markdown."""
    out = []
    for kind in MARKDOWN_KINDS:
        out.extend(getattr(at, kind))
    return out


def assert_shown_as_text(at: AppTest, payloads=PAYLOADS) -> None:
    """Each payload appears literally in a plain-text element and never in Markdown."""
    texts = plain_texts(at)
    for payload in payloads:
        assert any(payload in s for s in texts), f"{payload!r} not shown as text"
        for el in markdown_elements(at):
            value = str(el.value)
            assert payload not in value, f"{payload!r} inside Markdown: {value!r}"
            if getattr(el.proto, "allow_html", False):
                assert "<img" not in value and "javascript:" not in value, value


def expected_text(value: float, indicator: str, unit: str, units: dict[str, int]) -> dict[str, str]:
    """``{lang: text}`` of a value as the pages must show it (written independently)."""
    out = {}
    for lang in ("vi", "en"):
        if unit.startswith("rank_of_"):
            out[lang] = fmt_rank(int(round(value)), int(unit.removeprefix("rank_of_")), lang)
        else:
            out[lang] = fmt_value(value, {"id": unit, "decimals": units[unit]}, lang)
    return out


def unit_decimals(db_path: Path) -> dict[str, int]:
    """``{unit id: decimals}`` of the current dataset."""
    units = DuckDBStore(db_path).dataset().units
    return {str(r["id"]): (None if r["decimals"] != r["decimals"] else int(r["decimals"]))
            for r in units.to_dict("records")}


def open_app(path: Path, monkeypatch, lang: str, params: dict[str, str],
             page: str | None = None) -> AppTest:
    """The app opened from a link (the session's first run reads it), on ``page`` (the
    briefing when none is named)."""
    monkeypatch.setenv("PLANNER_DB", str(path))
    at = open_on(page or BRIEFING_PAGE, lang, params, TIMEOUT)
    assert_clean(at)
    return at
