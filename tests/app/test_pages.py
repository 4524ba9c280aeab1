"""Smoke test of every page in both languages on the real data (Streamlit AppTest)."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.i18n import LANGS, t
from planner.store import DuckDBStore
from tests.app.html_tables import html_tables

REPO = Path(__file__).resolve().parents[2]

# The key numbers of the briefing: 2022 DTI of Quảng Ninh, its pillars and ranks (seed
# 000_b19f354a6a4d82ea.txt), and the change since 2021 (derived values).
BRIEFING_NUMBERS = {
    "vi": ["0,7024", "3/63", "+0,2052", "0,7804", "0,7187", "0,6864", "4/63", "9/63", "2/63",
           "+0,1428", "+0,2209", "+0,2084"],
    "en": ["0.7024", "3/63", "+0.2052", "0.7804", "0.7187", "0.6864", "4/63", "9/63", "2/63",
           "+0.1428", "+0.2209", "+0.2084"],
}
OTHER_FACTS = {"vi": ["7,1%", "76%"], "en": ["7.1%", "76%"]}


def texts(at: AppTest) -> str:
    """All the text an AppTest run shows (markdown, captions, metrics, titles, ...), joined."""
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning",
                 "error"):
        parts.extend(str(el.value) for el in getattr(at, kind))
    for metric in at.metric:
        parts.extend(
            [metric.label, metric.value, metric.proto.delta, metric.proto.delta_description]
        )
    return "\n".join(parts)


def assert_clean(at):
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


@pytest.mark.parametrize("lang", LANGS)
def test_briefing(shown, lang):
    at = shown("briefing", lang)
    assert_clean(at)
    shown = texts(at)
    assert at.title[0].value == t("briefing.title", lang, province="Quảng Ninh")
    for number in BRIEFING_NUMBERS[lang] + OTHER_FACTS[lang]:
        assert number in shown, f"{number} missing from the {lang} briefing"
    # the first two metrics are the overall score (2022) and the newest rank (2023), the line
    # under them saying what each is (observed; inferred)
    score, rank = at.metric[0], at.metric[1]
    assert score.label == t("outlook.score", lang, year=2022)
    assert score.value == BRIEFING_NUMBERS[lang][0]
    assert rank.label == t("outlook.rank", lang, year=2023)
    assert rank.value == "12/63"
    assert t("outlook.published_years", lang, score_year=2022,
             score_kind=t("kind.observed", lang), rank_year=2023,
             rank_kind=t("outlook.inferred", lang)) in shown
    # 2022's observed rank is in the details, with its source
    assert t("briefing.rank_in", lang, year=2022) in [m.label for m in at.metric]
    # every number has its source one click away: the quote of the 2022 score is there
    assert "0,7024" in shown and "DTI" in shown
    assert t("source.quote", lang) in shown
    # the other language does not leak in
    other = "en" if lang == "vi" else "vi"
    assert t("briefing.pillars_heading", other) not in shown


def test_briefing_defaults_to_vietnamese(shown):
    at = shown("briefing")
    assert_clean(at)
    assert at.query_params.get("lang") == "vi"
    assert "0,7024" in texts(at)
    assert at.sidebar.radio[0].value == "vi"


def test_language_switch_changes_text_numbers_and_url(app):
    at = app("briefing")
    at.sidebar.radio[0].set_value("en").run()
    assert_clean(at)
    assert at.query_params.get("lang") == "en"
    assert at.session_state["lang"] == "en"
    values = [m.value for m in at.metric]
    assert values[:2] == ["0.7024", "12/63"]
    vi_decimals = {n for n in BRIEFING_NUMBERS["vi"] if "," in n}
    assert not vi_decimals & set(values), values  # no Vietnamese decimal comma left
    assert at.title[0].value == t("briefing.title", "en", province="Quảng Ninh")
    # the language survives a page switch
    at.switch_page("app_pages/data_sources.py").run()
    assert_clean(at)
    assert at.title[0].value == t("data.title", "en")
    assert at.query_params.get("lang") == "en"


def test_unknown_language_in_the_link_falls_back_to_vietnamese(app):
    at = app("briefing", "fr")
    assert_clean(at)
    assert at.query_params.get("lang") == "vi"
    assert at.title[0].value == t("briefing.title", "vi", province="Quảng Ninh")


@pytest.mark.parametrize("lang", LANGS)
def test_data_and_sources(shown, lang):
    at = shown("data", lang)
    assert_clean(at)
    assert at.title[0].value == t("data.title", lang)
    table = data_table(at)
    value_col, quote_col = t("column.value", lang), t("column.quote", lang)
    conflict_col = t("column.conflict", lang)
    assert quote_col in table.columns
    assert len(table) > 20
    assert BRIEFING_NUMBERS[lang][0] in set(table[value_col])
    assert "3.400.000" in set(table[value_col]) if lang == "vi" else "3,400,000" in set(
        table[value_col]
    )
    # conflicts are marked in the table and listed with both sides
    marked = table[table[conflict_col].str.startswith("⚠")]
    assert len(marked) >= 2
    body = next(h.proto.body for h in at.get("html") if 'class="paper-table"' in h.proto.body)
    highlighted = body.count('<tr class="marked">')  # the rows in conflict, highlighted
    assert 2 <= highlighted <= len(marked)
    assert any(exp.label.startswith("") for exp in at.expander)
    assert len(at.get("plotly_chart")) == 1
    # the sources table lists the seed files
    sources = at.dataframe[-1].value
    assert "000_b19f354a6a4d82ea.txt" in set(sources[t("column.source_id", lang)])


def test_data_filters(app):
    at = app("data", "en")
    total = len(data_table(at))
    at.text_input(key="data_search").set_value("0,7024").run()
    assert_clean(at)
    found = data_table(at)
    assert 0 < len(found) < total
    assert "0.7024" in set(found[t("column.value", "en")])
    at.text_input(key="data_search").set_value("").run()
    at.multiselect(key="data_kind").set_value(["target"]).run()
    kinds = set(data_table(at)[t("column.kind", "en")])
    assert kinds == {t("kind.target", "en")}
    at.multiselect(key="data_kind").set_value([]).run()
    at.multiselect(key="data_ind").set_value(["dti_overall"]).run()
    assert len(data_table(at)) < total
    # the chart follows the chosen indicator
    at.selectbox(key="chart_ind").set_value("dti_overall_rank").run()
    assert_clean(at)


def test_no_pages_folder():
    """A ``pages/`` folder would make Streamlit's first session use the old file navigation
    (deep links then show "Page not found"): pages live in ``app_pages/``."""
    assert not (REPO / "pages").exists()
    assert (REPO / "app_pages" / "briefing.py").is_file()


def _drawn_by_magic(path: Path) -> list[int]:
    """Lines of statements Streamlit's magic would draw: a bare literal or name on its own line
    that is not a docstring."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    scopes = (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    lines = []
    for node in ast.walk(tree):
        for attr in ("body", "orelse", "finalbody"):
            stmts = getattr(node, attr, None)
            if not isinstance(stmts, list):
                continue
            for i, stmt in enumerate(stmts):
                if not isinstance(stmt, ast.Expr) or isinstance(
                        stmt.value, ast.Call | ast.Await | ast.Yield | ast.YieldFrom):
                    continue
                docstring = (i == 0 and attr == "body" and isinstance(node, scopes)
                             and isinstance(stmt.value, ast.Constant))
                if not docstring:
                    lines.append(stmt.lineno)
    return lines


@pytest.mark.parametrize("script", ["app.py", *sorted(
    str(p.relative_to(REPO)) for p in (REPO / "app_pages").glob("*.py"))])
def test_pages_draw_nothing_by_magic(script):
    """A bare string in a page (an attribute docstring, say) would be drawn on the page."""
    assert _drawn_by_magic(REPO / script) == [], script


def test_magic_is_off():
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["runner"]["magicEnabled"] is False


def test_the_magic_check_finds_a_bare_string(tmp_path):
    page = tmp_path / "page.py"
    page.write_text('"""Doc."""\nX = 1\n"""Shown by magic."""\ndef f():\n    """Doc."""\n'
                    '    if X:\n        X\n', encoding="utf-8")
    assert _drawn_by_magic(page) == [3, 7]


@pytest.mark.parametrize("migrated", [False, True])
def test_a_database_without_data_says_what_to_do(tmp_path, monkeypatch, migrated):
    path = tmp_path / "empty.duckdb"
    if migrated:
        DuckDBStore(path).migrate()
    monkeypatch.setenv("PLANNER_DB", str(path))
    # a new database fills itself from PLANNER_DATA_DIR: without that folder it stays empty
    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path / "nowhere"))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == [t("app.no_data", "en")]
    assert not at.metric


def data_table(at):
    """The data page's values: a static table, every row."""
    return html_tables(at)[0]


def _table_with(at, column: str):
    """The first table of the run that has ``column``."""
    return next(df.value for df in at.dataframe if column in df.value.columns)


@pytest.mark.parametrize("lang", LANGS)
def test_data_page_shows_every_target_with_its_status(shown, lang):
    at = shown("data", lang)
    assert_clean(at)
    register = _table_with(at, t("data_register.status", lang))
    assert len(register) >= 20
    statuses = set(register[t("data_register.status", lang)])
    assert {t("status.met", lang), t("status.no_measurement", lang)} <= statuses
    # the derived central requirement shows its formula in the page's language
    formulas = [f for f in register[t("data_register.formula", lang)] if f]
    assert formulas and all(("trừ" in f) == (lang == "vi") for f in formulas)


@pytest.mark.parametrize(("lang", "weakest"), [("vi", "0,4505"), ("en", "0.4505")])
def test_data_page_shows_the_eight_sub_indices(shown, lang, weakest):
    at = shown("data", lang)
    table = _table_with(at, t("subindex.name", lang))
    assert len(table) == 8
    assert table[t("subindex.value", lang)].iloc[0] == weakest


@pytest.mark.parametrize("lang", LANGS)
def test_data_page_shows_the_backtest_hold_out_errors(shown, lang):
    at = shown("data", lang)
    summary = _table_with(at, t("backtest.mae", lang))
    tests = set(summary[t("backtest.test", lang)])
    assert t("backtest.kind.hold_out", lang) in tests
    assert t("backtest.kind.by_construction", lang) not in tests  # left out
    rows = next(df.value for df in at.dataframe if {t("backtest.modelled", lang),
                                                     t("backtest.test", lang)} <= set(df.value.columns))
    assert t("backtest.kind.by_construction", lang) in set(rows[t("backtest.test", lang)])


@pytest.mark.parametrize("lang", LANGS)
def test_data_page_shows_how_often_the_hold_outs_fall_inside_their_bands(shown, lang):
    at = shown("data", lang)
    assert_clean(at)
    table = _table_with(at, t("backtest.band", lang))
    inside = list(table[t("backtest.inside", lang)])
    assert len(inside) == 4
    assert set(inside) <= {t("backtest.inside_yes", lang), t("backtest.inside_no", lang)}
    n_inside = inside.count(t("backtest.inside_yes", lang))
    # each band is "low – high", in the page's number format (a decimal comma in Vietnamese)
    assert all(" – " in band for band in table[t("backtest.band", lang)])
    assert any(("," in band) == (lang == "vi") for band in table[t("backtest.band", lang)])
    # the caption counts them (the text up to the share in brackets)
    counted = t("data.calibration_text", lang, inside=str(n_inside), n="4", share="",
                draws="").split("(")[0]
    assert any(c.value.split("(")[0] == counted for c in at.caption), counted
    assert t("data.calibration_heading", lang) in texts(at)


@pytest.mark.parametrize("lang", LANGS)
def test_data_page_titles_conflicts_and_flags_the_uncertain_row(shown, lang):
    at = shown("data", lang)
    table = data_table(at)
    flags = table[t("column.conflict", lang)]
    assert not flags.str.contains("de_target_2030").any()  # titles, not ids
    assert flags.str.contains(t("data.uncertain", lang), regex=False).sum() >= 1
    labels = [e.value for e in at.markdown]
    assert "**de_target_2030**" not in labels


@pytest.mark.parametrize("query", ["802.000", "802,000", "802000"])
def test_data_search_finds_a_number_however_written(app, query):
    at = app("data", "vi")
    at.text_input(key="data_search").set_value(query).run()
    assert_clean(at)
    found = data_table(at)
    assert "802.000" in set(found[t("column.value", "vi")])


def test_data_search_with_accents_needs_them(app):
    at = app("data", "vi")
    at.text_input(key="data_search").set_value("ví điện tử").run()
    accented = len(data_table(at))
    at.text_input(key="data_search").set_value("vi dien tu").run()
    plain = len(data_table(at))
    assert 0 < accented <= plain


def test_data_page_has_its_own_download_button(shown):
    at = shown("data", "vi")
    labels = [b.proto.label for b in at.get("download_button")]
    assert t("export.data.csv", "vi") in labels
