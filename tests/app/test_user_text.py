"""A saved scenario's name is text on the briefing: its heading, captions and chart legends."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner import saved as sv
from planner.engine import load_model
from planner.i18n import t
from planner.store import DuckDBStore
from planner.usertext import escape_markdown
from tests.app.saved_helpers import APP, TIMEOUT, assert_clean

NAME = "**BOLD** [phish](http://evil.example/login) ![px](http://evil.example/p.png)"
HTML_NAME = '<a href="http://evil.example">x</a>'


@pytest.mark.parametrize("name", (NAME, HTML_NAME))
@pytest.mark.parametrize("lang", ("vi", "en"))
def test_the_briefing_shows_a_saved_name_as_typed(loaded_db: Path, tmp_path: Path, monkeypatch,
                                                  name, lang):
    db = tmp_path / "planner.duckdb"
    shutil.copy(loaded_db, db)
    store = DuckDBStore(db)
    saved, _ = sv.save_scenario(store, load_model(store),
                                {"levers": {"cashless": {"2030": 80}}, "overrides": {}},
                                name, "", "", lang)
    monkeypatch.setenv("PLANNER_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params["lang"] = lang
    at.query_params["s"] = saved.id
    at.run()
    assert_clean(at)
    heading = t("briefing.scenario.heading", lang, name=escape_markdown(name))
    assert [h.value for h in at.header] == [heading]
    for el in [*at.header, *at.caption, *at.markdown, *at.info, *at.warning]:
        assert "](http" not in str(el.value) and "<a " not in str(el.value), el.value
        assert "http://" not in str(el.value), el.value  # no address left to auto-link
    charts = at.get("plotly_chart")
    assert charts
    for chart in charts:
        assert "<a href" not in chart.proto.spec and "evil.example/login)" not in chart.proto.spec
