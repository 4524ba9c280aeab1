"""The saved-scenarios page (AppTest, a private copy of the real database per module).

Lists, the ``?s=<id>`` view with the stored numbers exactly, bad links, saving from a link,
duplicating, deleting with the owner token, a changed dataset, a damaged row, and names that
must show as text.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from planner import saved as sv
from planner.engine import load_model
from planner.i18n import LANGS, t
from planner.store import DuckDBStore
from planner.usertext import escape_markdown
from tests.app.saved_helpers import (
    MARKDOWN_PAYLOAD,
    SAVED_PAGE,
    XSS,
    assert_clean,
    assert_shown_as_text,
    expected_text,
    open_page,
    plain_texts,
    unit_decimals,
)
from tests.saved_support import changed_data_dir, copy_db

SETTINGS = {"levers": {"online_filing": {"2027": 95}, "cashless": {"2027": 60, "2030": 80}},
            "overrides": {}}
YEARS = (2025, 2027, 2030)
"""The last ended year and the settable years (today, 2026-11-27)."""
HEADLINE = tuple((ind, y) for ind in ("digital_economy_share_grdp", "dti_overall",
                                      "dti_overall_rank") for y in YEARS)
UNKNOWN_ID = "AAAAAAAAAAAAAAAA"


@pytest.fixture(scope="module")
def db(loaded_db: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A copy of the loaded database with three saved scenarios (one with hostile text)."""
    path = tmp_path_factory.mktemp("saved_page") / "planner.duckdb"
    store = copy_db(loaded_db, path)
    model = load_model(store)
    plain, plain_token = sv.save_scenario(store, model, SETTINGS, "Đẩy mạnh thanh toán số",
                                          "Ghi chú thử", "Phòng KH", "vi")
    hostile, hostile_token = sv.save_scenario(store, model, {"levers": {"ecommerce": {"2030": 70}}},
                                              XSS, MARKDOWN_PAYLOAD, XSS, "en")
    other, other_token = sv.save_scenario(store, model, None, "Baseline copy", "", "", "en")
    return {"path": path, "store": store, "model": model, "plain": plain,
            "plain_token": plain_token, "hostile": hostile, "hostile_token": hostile_token,
            "other": other, "other_token": other_token}


@pytest.fixture(scope="module")
def private_template(loaded_db: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A copy of the loaded database with one saved scenario, built once for the module; each
    test that changes a database gets its own copy of it (``private_db``)."""
    path = tmp_path_factory.mktemp("saved_private") / "planner.duckdb"
    store = copy_db(loaded_db, path)
    model = load_model(store)
    saved, token = sv.save_scenario(store, model, SETTINGS, "Để xoá", "", "", "vi")
    return {"path": path, "model": model, "saved": saved, "token": token}


@pytest.fixture
def private_db(private_template: dict, tmp_path: Path) -> dict:
    """A copy of the loaded database for one test that changes it, with one saved scenario
    (a copy of ``private_template``: the same scenario, id and token)."""
    store = copy_db(private_template["path"], tmp_path / "planner.duckdb")
    return {**private_template, "path": tmp_path / "planner.duckdb", "store": store}


def metric_values(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def snapshot_value(snap: dict, indicator: str, year: int) -> dict:
    found = [r for r in snap["outcomes"] if r["indicator"] == indicator and r["year"] == year]
    assert len(found) == 1
    return found[0]


# -- list -----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_list_shows_ready_made_and_saved_scenarios(db, monkeypatch, lang):
    at = open_page(db["path"], monkeypatch, SAVED_PAGE, lang)
    assert_clean(at)
    assert at.title[0].value == t("saved.title", lang)
    shown = "\n".join(str(m.value) for m in [*at.markdown, *at.caption])
    for b in sv.builtin_scenarios(db["model"].dataset):
        assert b.label(lang) in shown and b.note(lang) in shown
    texts = plain_texts(at)
    assert "Đẩy mạnh thanh toán số" in texts
    assert any("Phòng KH" in s for s in texts)
    # headline numbers of the saved snapshot, formatted for the language
    units = unit_decimals(db["path"])
    snap = db["plain"].snapshot
    for ind, year in HEADLINE:
        r = snapshot_value(snap, ind, year)
        assert expected_text(r["value"], ind, r["unit"], units)[lang] in shown
    # the copy-link box holds the read-only link
    assert any(s.endswith(f"/s/{db['plain'].id}" + ("" if lang == "vi" else "?lang=en"))
               for s in texts)
    # newest first: the last saved comes first
    names = [s for s in texts if s in ("Đẩy mạnh thanh toán số", XSS, "Baseline copy")]
    assert names == ["Baseline copy", XSS, "Đẩy mạnh thanh toán số"]


def test_search_filters_the_library(db, monkeypatch):
    at = open_page(db["path"], monkeypatch, SAVED_PAGE, "en")
    at.text_input(key="saved.search").set_value("thanh toán").run()
    assert_clean(at)
    texts = plain_texts(at)
    assert "Đẩy mạnh thanh toán số" in texts and "Baseline copy" not in texts
    at.text_input(key="saved.search").set_value("no such name").run()
    assert t("saved.library.empty_search", "en") in [i.value for i in at.info]


def test_paging(private_db, monkeypatch):
    store, model = private_db["store"], private_db["model"]
    for i in range(11):
        sv.save_scenario(store, model, None, f"Trang {i:02d}", "", "", "vi", draws=50)
    at = open_page(private_db["path"], monkeypatch, SAVED_PAGE, "vi")
    assert_clean(at)
    first = [s for s in plain_texts(at) if s.startswith("Trang ") or s == "Để xoá"]
    assert first == [f"Trang {i:02d}" for i in range(10, 0, -1)]
    assert t("saved.library.page", "vi", page=1, pages=2) in [c.value for c in at.caption]
    at.button(key="saved.next").click().run()
    assert_clean(at)
    second = [s for s in plain_texts(at) if s.startswith("Trang ") or s == "Để xoá"]
    assert second == ["Trang 00", "Để xoá"]
    at.button(key="saved.prev").click().run()
    assert [s for s in plain_texts(at) if s.startswith("Trang ")][0] == "Trang 10"


# -- one scenario ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_link_opens_the_saved_numbers_exactly(db, monkeypatch, lang):
    saved = db["plain"]
    at = open_page(db["path"], monkeypatch, SAVED_PAGE, lang, {"s": saved.id})
    assert_clean(at)
    assert "Đẩy mạnh thanh toán số" in plain_texts(at)
    assert "Ghi chú thử" in plain_texts(at)
    assert t("saved.detail.exact", lang) in [c.value for c in at.caption]
    units = unit_decimals(db["path"])
    metrics = metric_values(at)
    labels = {str(r["id"]): (r["label_en"] if lang == "en" else r["label_vi"])
              for r in db["model"].dataset.indicators.to_dict("records")}
    for ind, year in HEADLINE:
        r = snapshot_value(saved.snapshot, ind, year)
        name = t("saved.headline.metric", lang, label=labels[ind], year=year)
        assert metrics[name] == expected_text(r["value"], ind, r["unit"], units)[lang]
    # the full outcome table: every outcome in 2025, 2027 and 2030 with what it rests on and
    # its 10-90% range (2025 has ended: an estimate)
    table = at.table[0].value
    value_col, range_col = t("saved.table.value", lang), t("saved.table.range", lang)
    basis_col = t("outcomes.table.basis", lang)
    assert set(table[table[t("saved.table.year", lang)] == "2025"][basis_col]) <= {
        f"◐ {t('basis.estimate', lang)}", f"◐ {t('evidence.assumed_level', lang)}",
        f"● {t('basis.observed', lang)}"}
    assert f"○ {t('basis.projection', lang)}" in set(table[basis_col])
    for r in saved.snapshot["outcomes"]:
        if r["year"] not in YEARS:
            continue
        row = table[(table.index == labels[r["indicator"]])
                    & (table[t("saved.table.year", lang)] == str(r["year"]))]
        assert len(row) == 1, (r["indicator"], r["year"])
        expected = expected_text(r["value"], r["indicator"], r["unit"], units)[lang]
        assert row[value_col].iloc[0] == expected
        low = expected_text(r["p10"], r["indicator"], r["unit"], units)[lang]
        high = expected_text(r["p90"], r["indicator"], r["unit"], units)[lang]
        assert row[range_col].iloc[0] == f"{low} – {high}"
    # every target with its status
    targets = at.table[1].value
    assert len(targets) == len(saved.snapshot["targets"])
    # the read-only link
    assert any(f"/s/{saved.id}" in s for s in plain_texts(at))


def test_link_to_a_ready_made_scenario(db, monkeypatch):
    at = open_page(db["path"], monkeypatch, SAVED_PAGE, "en", {"s": "cautious"})
    assert_clean(at)
    assert "Cautious" in plain_texts(at)
    assert t("saved.detail.builtin_current", "en") in [c.value for c in at.caption]
    assert len(at.metric) == 9  # three outcomes in 2025, 2027 and 2030


def test_back_to_the_list(db, monkeypatch):
    at = open_page(db["path"], monkeypatch, SAVED_PAGE, "vi", {"s": db["plain"].id})
    at.button(key="saved.back").click().run()
    assert_clean(at)
    assert "s" not in at.query_params
    assert t("saved.library.heading", "vi") in [h.value for h in at.subheader]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("bad", [UNKNOWN_ID, "x" * 17, "<script>", "baseline2", "a b"])
def test_bad_or_unknown_id_shows_a_message_and_the_list(db, monkeypatch, lang, bad):
    at = open_page(db["path"], monkeypatch, SAVED_PAGE, lang, {"s": bad})
    assert not at.exception, [e.value for e in at.exception]
    warnings = " ".join(w.value for w in at.warning)
    if sv.is_valid_id(bad):
        assert t("saved.not_found", lang, id="").split("“")[0] in warnings
    else:
        assert t("link.ignored", lang, problem="") in warnings
    # defaults for the rest: the ready-made scenarios and the library
    assert t("saved.builtin.heading", lang) in [h.value for h in at.subheader]
    assert "Đẩy mạnh thanh toán số" in plain_texts(at)


def test_tampered_lever_values_show_messages_and_keep_the_rest(db, monkeypatch):
    params = {"online_filing.2027": "999", "cashless.2027": "60", "ecommerce.2030": "abc",
              "nolever.2027": "5", "online_filing.2019": "50", "a.no_such": "1"}
    at = open_page(db["path"], monkeypatch, SAVED_PAGE, "en", params)
    assert not at.exception, [e.value for e in at.exception]
    warnings = [w.value for w in at.warning]
    assert len(warnings) == 1, warnings  # one warning, a line per problem
    assert len([line for line in warnings[0].splitlines() if line.startswith("- ")]) == 5
    joined = " ".join(warnings)
    assert "999" in joined and "[0, 100]" in joined          # out of range
    assert "abc" in joined                                   # not a number
    assert "nolever" in joined                               # unknown lever
    assert "2019" in joined and "2027, 2030" in joined       # bad year
    assert "no\\_such" in joined                             # unknown assumption (escaped)
    # the valid value is kept: the page offers to save the link's scenario with it
    assert t("saved.link.heading", "en") in [h.value for h in at.subheader]
    settings = at.dataframe[0].value
    cashless = settings[(settings[t("saved.settings.year", "en")] == "2027")
                        & settings[t("saved.settings.setting", "en")].str.contains("Cashless")]
    assert cashless[t("saved.detail.value", "en")].iloc[0] == "60%"


def test_out_of_range_in_vietnamese_uses_vietnamese_numbers(db, monkeypatch):
    at = open_page(db["path"], monkeypatch, SAVED_PAGE, "vi", {"online_filing.2027": "100.5"})
    assert not at.exception
    assert any("100,5" in w.value and "[0; 100]" in w.value for w in at.warning)


# -- saving, duplicating, deleting ----------------------------------------------------------


def fill_form(at, prefix: str, name: str, note: str = "", author: str = ""):
    at.text_input(key=f"{prefix}.name").input(name)
    at.text_area(key=f"{prefix}.note").input(note)
    at.text_input(key=f"{prefix}.author").input(author)
    return at.button(key=f"{prefix}.submit").click().run()


@pytest.mark.parametrize("lang", LANGS)
def test_save_the_scenario_of_a_link(private_db, monkeypatch, lang):
    params = {"online_filing.2027": "95", "cashless.2027": "60"}
    at = open_page(private_db["path"], monkeypatch, SAVED_PAGE, lang, params)
    assert_clean(at)
    at = fill_form(at, "saved.link", XSS, MARKDOWN_PAYLOAD, XSS)
    assert_clean(at)
    assert t("saved.form.done", lang) in [s.value for s in at.success]
    assert t("saved.form.token_once", lang) in [w.value for w in at.warning]
    rows, total = sv.list_scenarios(private_db["store"])
    assert total == 2
    new = sv.get_scenario(private_db["store"], rows[0].id)
    assert new.name == XSS and new.note == MARKDOWN_PAYLOAD and new.author == XSS
    assert new.settings["levers"] == {"online_filing": {"2027": 95.0},
                                      "cashless": {"2027": 60.0}}
    assert (new.draws, new.seed, new.lang) == (sv.DEFAULT_DRAWS, sv.DEFAULT_SEED, lang)
    codes = [c.value for c in at.get("code")]
    assert new.id in codes
    assert any(f"/s/{new.id}" in c for c in codes)  # the link to read it
    assert any(c.endswith(f"/planner?s={new.id}") for c in codes)  # the link to change it
    token = next(c for c in codes if len(c) == 32)
    assert sv.token_matches(token, private_db["store"].get_saved(new.id)["owner_token_hash"])
    assert_shown_as_text(at, (XSS,))
    shown_after_save = metric_values(at)
    # the link opens the same numbers in a new session
    again = open_page(private_db["path"], monkeypatch, SAVED_PAGE, lang, {"s": new.id})
    assert_clean(again)
    assert metric_values(again) == shown_after_save
    assert_shown_as_text(again)
    # the token is not shown again, anywhere
    assert token not in " ".join(plain_texts(again))
    # dismissing hides the token for good
    at.button(key="saved.link.dismiss").click().run()
    assert token not in " ".join(c.value for c in at.get("code"))


@pytest.mark.parametrize("lang", LANGS)
def test_save_errors_are_translated_and_save_nothing(private_db, monkeypatch, lang):
    at = open_page(private_db["path"], monkeypatch, SAVED_PAGE, lang, {"cashless.2027": "60"})
    at = fill_form(at, "saved.link", "   ")
    assert not at.exception
    assert t("problem.bad_name", lang, max=sv.NAME_MAX) in [e.value for e in at.error]
    at = fill_form(at, "saved.link", "tên\u0007lạ", "", "a\u202eb")
    errors = [e.value for e in at.error]
    assert t("problem.bad_name", lang, max=sv.NAME_MAX) in errors
    assert t("problem.bad_author", lang, max=sv.AUTHOR_MAX) in errors
    assert sv.list_scenarios(private_db["store"])[1] == 1


def test_stale_dataset_asks_to_reload(private_db, monkeypatch, data_dir, tmp_path):
    at = open_page(private_db["path"], monkeypatch, SAVED_PAGE, "en", {"cashless.2027": "60"})
    # the data change while the page is open
    changed = changed_data_dir(data_dir, tmp_path / "data2", "de_share_growth_pp", value="0.9")
    private_db["store"].load_dataset(changed)
    at = fill_form(at, "saved.link", "Too late")
    assert not at.exception
    assert t("problem.stale_dataset", "en") in [e.value for e in at.error]
    assert sv.list_scenarios(private_db["store"])[1] == 1


def test_duplicate(private_db, monkeypatch):
    original = private_db["saved"]
    at = open_page(private_db["path"], monkeypatch, SAVED_PAGE, "vi")
    at.button(key=f"saved.row.{original.id}.duplicate").click().run()
    assert_clean(at)
    assert t("saved.copied", "vi") in [s.value for s in at.success]
    rows, total = sv.list_scenarios(private_db["store"])
    assert total == 2
    copy = sv.get_scenario(private_db["store"], rows[0].id)
    assert copy.parent_id == original.id
    assert copy.name == "Để xoá (bản sao)"
    assert copy.settings == original.settings
    codes = [c.value for c in at.get("code")]
    token = next(c for c in codes if len(c) == 32)
    assert sv.token_matches(token, private_db["store"].get_saved(copy.id)["owner_token_hash"])


def test_delete_needs_the_owner_token(private_db, monkeypatch):
    saved = private_db["saved"]
    at = open_page(private_db["path"], monkeypatch, SAVED_PAGE, "en", {"s": saved.id})
    key = f"saved.detail.{saved.id}"
    at.text_input(key=f"{key}.token").input("not-the-token")
    at.button(key=f"{key}.delete").click().run()
    assert t("problem.bad_token", "en") in [e.value for e in at.error]
    assert private_db["store"].get_saved(saved.id) is not None
    at.text_input(key=f"{key}.token").input(private_db["token"])
    at.button(key=f"{key}.delete").click().run()
    assert not at.exception and not at.error
    assert t("saved.deleted", "en", id=escape_markdown(saved.id)) in [s.value for s in at.success]
    assert private_db["store"].get_saved(saved.id) is None
    assert "s" not in at.query_params
    assert t("saved.library.empty", "en") in [i.value for i in at.info]


def test_delete_from_the_list_with_a_wrong_token(db, monkeypatch):
    hostile = db["hostile"]
    at = open_page(db["path"], monkeypatch, SAVED_PAGE, "vi")
    key = f"saved.row.{hostile.id}"
    at.text_input(key=f"{key}.token").input(db["plain_token"])  # another scenario's token
    at.button(key=f"{key}.delete").click().run()
    assert t("problem.bad_token", "vi") in [e.value for e in at.error]
    assert db["store"].get_saved(hostile.id) is not None


# -- changed data, damaged rows, hostile text -------------------------------------------------


def test_changed_data_keeps_the_saved_numbers_and_offers_a_comparison(
        private_db, monkeypatch, data_dir, tmp_path):
    saved = private_db["saved"]
    changed = changed_data_dir(data_dir, tmp_path / "data2", "de_share_growth_pp", value="1.5")
    private_db["store"].load_dataset(changed)
    at = open_page(private_db["path"], monkeypatch, SAVED_PAGE, "en", {"s": saved.id})
    assert_clean(at)
    info = " ".join(i.value for i in at.info)
    assert saved.dataset_version in info and "changed" in info
    units = unit_decimals(private_db["path"])
    labels = {str(r["id"]): r["label_en"]
              for r in private_db["model"].dataset.indicators.to_dict("records")}
    metrics = metric_values(at)
    for ind, year in HEADLINE:
        r = snapshot_value(saved.snapshot, ind, year)
        name = t("saved.headline.metric", "en", label=labels[ind], year=year)
        assert metrics[name] == expected_text(r["value"], ind, r["unit"], units)["en"]
    # the comparison with the current data: the digital economy grows faster now
    assert t("saved.current.heading", "en") in [e.label for e in at.expander]
    current = at.table[2].value
    de = current[(current.index == labels["digital_economy_share_grdp"])
                 & (current[t("saved.table.year", "en")] == "2030")]
    saved_de = snapshot_value(saved.snapshot, "digital_economy_share_grdp", 2030)
    assert de[t("saved.current.saved", "en")].iloc[0] == expected_text(
        saved_de["value"], "digital_economy_share_grdp", "percent", units)["en"]
    assert de[t("saved.current.difference", "en")].iloc[0].startswith("+")


def test_a_damaged_row_is_refused(private_db, monkeypatch):
    saved = private_db["saved"]
    con = duckdb.connect(str(private_db["path"]))
    try:
        con.execute("UPDATE saved_scenarios SET name = 'changed' WHERE id = ?", [saved.id])
    finally:
        con.close()
    at = open_page(private_db["path"], monkeypatch, SAVED_PAGE, "en", {"s": saved.id})
    assert not at.exception
    assert t("problem.corrupt", "en") in [e.value for e in at.error]
    assert "changed" not in plain_texts(at)


@pytest.mark.parametrize("lang", LANGS)
def test_hostile_text_is_shown_as_text(db, monkeypatch, lang):
    at = open_page(db["path"], monkeypatch, SAVED_PAGE, lang)
    assert_clean(at)
    assert_shown_as_text(at, (XSS,))
    at = open_page(db["path"], monkeypatch, SAVED_PAGE, lang, {"s": db["hostile"].id})
    assert_clean(at)
    assert_shown_as_text(at)  # name, note and author


def test_store_is_unchanged_by_reading(db):
    """Reading pages never writes: the module's scenarios are all still there."""
    assert DuckDBStore(db["path"]).count_saved() == 3
