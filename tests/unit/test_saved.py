"""Saved scenarios on real DuckDB files: save, open, list, search, delete, pinning, integrity."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import duckdb
import pytest

from planner import saved as sv
from planner.engine import load_model
from planner.projection import MODEL_VERSION
from planner.scenario import ScenarioError
from planner.store import SAVED_COLUMNS, DuckDBStore, Store
from planner.targets import STATUSES
from tests.saved_support import changed_data_dir, copy_db

XSS = "<img src=x onerror=alert(1)>"
SETTINGS = {"levers": {"online_filing": {"2027": 90}, "cashless": {"2030": 70}},
            "overrides": {"e_filing_to_dg": 0.004}}
DRAWS = 300  # fewer than the default, for speed; the default is tested once below


@pytest.fixture(scope="module")
def model(loaded_db: Path):
    """The model fitted on the loaded database's current dataset."""
    return load_model(DuckDBStore(loaded_db))


@pytest.fixture
def db(loaded_db: Path, tmp_path: Path) -> DuckDBStore:
    """A private copy of the loaded database (saved rows do not leak between tests)."""
    return copy_db(loaded_db, tmp_path / "copy.duckdb")


def save(db, model, settings=None, name="Kịch bản thử", **kw):
    kw.setdefault("draws", DRAWS)
    return sv.save_scenario(db, model, settings if settings is not None else SETTINGS, name, **kw)


def table_rows(path: Path) -> list[tuple]:
    """Every row of every table in the database file."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = [t for (t,) in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()]
        return [row for t in tables for row in con.execute(f'SELECT * FROM "{t}"').fetchall()]
    finally:
        con.close()


# -- save and open -----------------------------------------------------------------------------


def test_migration_creates_the_saved_table(db: DuckDBStore) -> None:
    with db.connect() as con:
        cols = [c for (c,) in con.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = 'saved_scenarios' ORDER BY ordinal_position").fetchall()]
    assert tuple(cols) == SAVED_COLUMNS


def test_save_then_open_shows_exactly_the_saved_numbers(db, model) -> None:
    saved, token = save(db, model, note="ghi chú", author="Sở TT&TT", lang="en")
    assert saved.dataset_version == model.version == db.current_version()
    assert saved.model_version == MODEL_VERSION
    assert saved.settings == model.validate(SETTINGS).to_dict()
    assert (saved.name, saved.note, saved.author, saved.lang) == ("Kịch bản thử", "ghi chú", "Sở TT&TT", "en")
    assert saved.link == f"?s={saved.id}"
    opened = sv.open_scenario(db, saved.id)
    assert opened.kind == "saved" and opened.saved == saved
    assert opened.snapshot == saved.snapshot
    assert not opened.data_changed and not opened.model_changed
    assert opened.scenario == model.validate(SETTINGS)
    # the snapshot is what the app computes for that scenario, draws and seed
    assert saved.snapshot == sv.snapshot(model, model.validate(SETTINGS), DRAWS, 0)


def test_snapshot_holds_every_outcome_year_and_target(model) -> None:
    scenario = model.validate(SETTINGS)
    snap = sv.snapshot(model, scenario)
    assert snap["draws"] == sv.DEFAULT_DRAWS == 2000 and snap["seed"] == sv.DEFAULT_SEED == 0
    sim = model.simulate(scenario, draws=2000, seed=0)
    frame = sim.frame()
    assert len(snap["outcomes"]) == len(frame)
    for rec, row in zip(snap["outcomes"], frame.itertuples(index=False), strict=True):
        assert set(rec) == set(sv.OUTCOME_FIELDS)
        assert (rec["indicator"], rec["year"], rec["unit"], rec["kind"]) == (
            row.indicator, row.year, row.unit, row.kind)
        for col in ("value", "p10", "p50", "p90"):
            assert rec[col] == pytest.approx(getattr(row, col), rel=1e-9, abs=1e-12)
    assert {t["target_id"] for t in snap["targets"]} == {t.id for t in model.targets}
    for t in snap["targets"]:
        assert set(t) == set(sv.TARGET_FIELDS)
        assert t["status"] in STATUSES
    # survives JSON unchanged
    assert json.loads(sv.canonical_json(snap)) == snap


def test_ids_are_long_random_and_url_safe() -> None:
    ids = {sv.new_id() for _ in range(500)}
    assert len(ids) == 500
    for i in ids:
        assert len(i) == 16 and sv.SAVED_ID_PATTERN.fullmatch(i) and sv.is_valid_id(i)
        assert len(base64.urlsafe_b64decode(i)) * 8 == 96 >= 64
        assert not sv.BUILTIN_ID_PATTERN.fullmatch(i)
        assert not i.startswith("-")  # a command line would read it as an option
    tokens = {sv.new_token() for _ in range(100)}
    assert len(tokens) == 100 and all(len(base64.urlsafe_b64decode(t)) == 24 for t in tokens)


def test_owner_tokens_never_begin_with_a_dash() -> None:
    # 1 token in 64 began with "-" before the redraw: 5,000 draws miss it with odds about 1e-34
    tokens = [sv.new_token() for _ in range(5000)]
    assert not [t for t in tokens if t.startswith("-")]
    assert all(len(t) == 32 and len(base64.urlsafe_b64decode(t)) == 24 for t in tokens)


@pytest.mark.parametrize("bad", ["", "a b", "X" * 17, "x" * 41, "abc\n", "AAAAAAAAAAAAAAA\n", "../etc/passwd",
                                 "'; DROP TABLE saved_scenarios; --", None, 42, "Baseline"])
def test_malformed_ids_are_refused(db, bad) -> None:
    with pytest.raises(sv.SavedScenarioError) as err:
        sv.open_scenario(db, bad)
    assert err.value.code == "bad_id"


def test_unknown_ids_are_reported(db) -> None:
    for unknown in ("AAAAAAAAAAAAAAAA", "no_such_builtin"):
        with pytest.raises(sv.SavedScenarioError) as err:
            sv.open_scenario(db, unknown)
        assert err.value.code == "unknown_id"


def test_owner_token_is_stored_only_as_its_hash(db, model) -> None:
    saved, token = save(db, model)
    assert sv.token_matches(token, sv.hash_token(token))
    rows = table_rows(db.path)
    text = "\n".join(str(v) for row in rows for v in row)
    assert token not in text
    assert sv.hash_token(token) in text
    assert token.encode() not in db.path.read_bytes()


# -- text is kept verbatim ---------------------------------------------------------------------


def test_html_and_unicode_text_is_stored_and_returned_verbatim(db, model) -> None:
    note = f'{XSS}\n"quoted" & \'single\' <script>alert("x")</script>\tĐạt 20% GRDP'
    saved, _ = save(db, model, name=XSS, note=note, author="<b>Nguyễn</b>")
    again = sv.get_scenario(db, saved.id)
    assert (again.name, again.note, again.author) == (XSS, note, "<b>Nguyễn</b>")
    rows, total = sv.list_scenarios(db, search="onerror")
    assert total == 1 and rows[0].name == XSS and rows[0].note == note
    doc = json.loads(json.dumps(again.to_dict(), ensure_ascii=False))
    assert doc["name"] == XSS and doc["note"] == note


@pytest.mark.parametrize(("field", "value", "code"), [
    ("name", "", "bad_name"),
    ("name", "   ", "bad_name"),
    ("name", "x" * 121, "bad_name"),
    ("name", "line\nbreak", "bad_name"),
    ("name", "bell\x07", "bad_name"),
    ("name", "rtl\u202eevil", "bad_name"),
    ("note", "n" * 2001, "bad_note"),
    ("note", "nul\x00", "bad_note"),
    ("author", "a" * 121, "bad_author"),
    ("lang", "fr", "bad_lang"),
    ("draws", 0, "out_of_range"),
    ("draws", 100_001, "out_of_range"),
    ("draws", "many", "not_a_number"),
    ("seed", -1, "out_of_range"),
    ("parent_id", "not an id", "bad_id"),
])
def test_bad_fields_are_refused_and_nothing_is_written(db, model, field, value, code) -> None:
    kw = {"name": "ok", field: value}
    name = kw.pop("name")
    with pytest.raises(sv.SavedScenarioError) as err:
        save(db, model, name=name, **kw)
    assert err.value.code == code and err.value.problems[0].field == field
    assert db.count_saved() == 0


def test_every_bad_field_is_listed_at_once(db, model) -> None:
    with pytest.raises(sv.SavedScenarioError) as err:
        save(db, model, name="", note="x" * 3000, lang="de")
    assert [p.code for p in err.value.problems] == ["bad_name", "bad_note", "bad_lang"]


def test_note_keeps_line_breaks_and_text_is_trimmed(db, model) -> None:
    saved, _ = save(db, model, name="  tên  ", note="dòng 1\r\ndòng 2\n")
    assert saved.name == "tên" and saved.note == "dòng 1\ndòng 2"


def test_an_invalid_scenario_raises_scenario_error_and_writes_nothing(db, model) -> None:
    with pytest.raises(ScenarioError) as err:
        save(db, model, {"levers": {"online_filing": {"2027": 150}, "nope": {"2027": 1}}})
    fields = [p.field for p in err.value.problems]
    assert fields == ["levers.online_filing.2027", "levers.nope"]
    assert db.count_saved() == 0


# -- immutability and versions -----------------------------------------------------------------


def test_there_is_no_update_path() -> None:
    for cls in (Store, DuckDBStore):
        assert not [m for m in dir(cls) if "update" in m.lower() and "saved" in m.lower()]
    assert not [m for m in dir(sv) if m.lower().startswith(("update", "edit", "rename"))]


def test_editing_saves_a_child_and_leaves_the_parent_unchanged(db, model) -> None:
    parent, _ = save(db, model, name="v1")
    edited = {"levers": {"online_filing": {"2027": 95}}, "overrides": {}}
    child, child_token = save(db, model, edited, name="v2", parent_id=parent.id)
    assert child.parent_id == parent.id and child.id != parent.id
    assert sv.get_scenario(db, parent.id) == parent
    assert sv.get_scenario(db, child.id).settings["levers"] == {"online_filing": {"2027": 95.0}}
    assert db.count_saved() == 2
    with pytest.raises(sv.SavedScenarioError) as err:
        save(db, model, name="orphan", parent_id="AAAAAAAAAAAAAAAA")
    assert err.value.code == "unknown_parent"
    assert db.count_saved() == 2


def test_a_changed_row_fails_its_integrity_check(db, model) -> None:
    saved, _ = save(db, model)
    tampered = json.loads(json.dumps(saved.snapshot))
    tampered["outcomes"][-1]["value"] += 1
    with db.connect() as con:
        con.execute("UPDATE saved_scenarios SET snapshot = ? WHERE id = ?",
                    [sv.canonical_json(tampered), saved.id])
    with pytest.raises(sv.SavedScenarioError) as err:
        sv.open_scenario(db, saved.id)
    assert err.value.code == "corrupt"


def test_recompute_on_the_same_model_version_equals_the_snapshot(db, model) -> None:
    saved, _ = sv.save_scenario(db, model, SETTINGS, "mặc định")  # default draws and seed
    assert saved.draws == 2000 and saved.seed == 0
    assert sv.recompute(db, saved) == saved.snapshot
    assert sv.recompute(db, saved, model_loader=lambda v: model) == saved.snapshot


def test_a_scenario_pinned_to_an_old_dataset_still_opens_with_its_numbers(
        db, model, data_dir: Path, tmp_path: Path) -> None:
    old_version = db.current_version()
    baseline, _ = save(db, model, {}, name="baseline then")
    high_growth, _ = save(db, model, {"overrides": {"de_share_growth_pp": 1.5}}, name="growth")
    # a new dataset version: one assumption changed (value and range)
    new_dir = changed_data_dir(data_dir, tmp_path / "data2", "de_share_growth_pp",
                               value="1.1", high="1.2")
    report = db.load_dataset(new_dir)
    assert report.status == "loaded" and db.current_version() != old_version
    assert old_version in {v["version"] for v in db.dataset_versions()}

    opened = sv.open_scenario(db, baseline.id)
    assert opened.snapshot == baseline.snapshot
    assert opened.data_changed and not opened.model_changed
    assert opened.dataset_version == old_version
    assert opened.current_dataset_version == db.current_version()
    # recomputed on the pinned version: exactly the saved numbers
    assert sv.recompute(db, baseline) == baseline.snapshot
    # on the current data the digital-economy share differs
    current = load_model(db)
    cmp = sv.compare_with_current(db, baseline, current)
    assert cmp.ok and cmp.dataset_version == db.current_version()
    de = cmp.differences[cmp.differences["indicator"] == "digital_economy_share_grdp"]
    assert (de["difference"].abs() > 1e-6).any()
    # a scenario no longer valid on the current data: computed with the nearest allowed
    # value, and the setting that no longer applies is named (no exception)
    cmp = sv.compare_with_current(db, high_growth, current)
    assert cmp.ok and cmp.snapshot is not None
    assert [p.field for p in cmp.problems] == ["overrides.de_share_growth_pp"]
    assert cmp.problems[0].code == "out_of_range"
    assert sv.recompute(db, high_growth) == high_growth.snapshot
    # the old model can no longer save: its dataset is not current
    with pytest.raises(sv.SavedScenarioError) as err:
        save(db, model, {}, name="stale")
    assert err.value.code == "stale_dataset"
    assert db.count_saved() == 2


# -- built-in scenarios ------------------------------------------------------------------------


def test_builtin_scenarios_ship_with_notes(model) -> None:
    builtins = {b.id: b for b in sv.builtin_scenarios(model.dataset)}
    assert set(builtins) == {"baseline", "plan_targets", "cautious"}
    for b in builtins.values():
        assert b.note("vi") and b.note("en") and b.label("vi") and b.label("en")
        model.validate(b.settings)
        assert b.link == f"?s={b.id}"


def test_opening_a_builtin_computes_it_on_the_current_data(db, model) -> None:
    opened = sv.open_scenario(db, "plan_targets", current_model_loader=lambda: model)
    assert opened.kind == "builtin" and opened.saved is None
    assert opened.name("en") == "Plan accelerated"
    expected = model.validate(opened.builtin.settings)
    assert opened.scenario == expected
    assert opened.snapshot == sv.snapshot(model, expected)
    assert not opened.data_changed


# -- list, search, paging ----------------------------------------------------------------------


def test_list_is_newest_first_and_pages(db, model) -> None:
    ids = [save(db, model, {}, name=f"scenario {i}", draws=1)[0].id for i in range(7)]
    rows, total = sv.list_scenarios(db, limit=3)
    assert total == 7 and [r.id for r in rows] == ids[::-1][:3]
    rows, _ = sv.list_scenarios(db, limit=3, offset=3)
    assert [r.id for r in rows] == ids[::-1][3:6]
    rows, _ = sv.list_scenarios(db, limit=3, offset=6)
    assert [r.id for r in rows] == [ids[0]]
    rows, total = sv.list_scenarios(db, limit=3, offset=50)
    assert rows == [] and total == 7
    with pytest.raises(sv.SavedScenarioError) as err:
        sv.list_scenarios(db, limit=0)
    assert err.value.code == "out_of_range" and err.value.problems[0].field == "limit"
    with pytest.raises(sv.SavedScenarioError):
        sv.list_scenarios(db, offset=-1)


def test_search_is_case_insensitive_and_takes_wildcards_literally(db, model) -> None:
    names = ["100% online", "100 x online", "a_b", "axb", "Đạt chỉ tiêu", "THẬN TRỌNG", "back\\slash"]
    for n in names:
        save(db, model, {}, name=n, draws=1)

    def found(text):
        rows, total = sv.list_scenarios(db, search=text, limit=100)
        assert total == len(rows)
        return sorted(r.name for r in rows)

    assert found("%") == ["100% online"]
    assert found("_") == ["a_b"]
    assert found("ONLINE") == ["100 x online", "100% online"]
    assert found("đạt") == ["Đạt chỉ tiêu"]
    assert found("thận") == ["THẬN TRỌNG"]
    assert found("\\") == ["back\\slash"]
    assert found("'; DROP TABLE saved_scenarios; --") == []
    assert found("") == sorted(names) == found(None)
    assert db.count_saved() == len(names)


# -- delete ------------------------------------------------------------------------------------


def test_delete_needs_the_owner_token(db, model) -> None:
    saved, token = save(db, model)
    other, other_token = save(db, model, name="other")
    for wrong in ("", "x", other_token, token + "x", token.upper()):
        with pytest.raises(sv.SavedScenarioError) as err:
            sv.delete_scenario(db, saved.id, wrong)
        assert err.value.code == "bad_token" and "nothing was deleted" in str(err.value)
    assert sv.get_scenario(db, saved.id) == saved
    sv.delete_scenario(db, saved.id, token)
    with pytest.raises(sv.SavedScenarioError) as err:
        sv.open_scenario(db, saved.id)
    assert err.value.code == "unknown_id"
    with pytest.raises(sv.SavedScenarioError) as err:
        sv.delete_scenario(db, saved.id, token)
    assert err.value.code == "unknown_id"
    with pytest.raises(sv.SavedScenarioError) as err:
        sv.delete_scenario(db, "baseline", token)
    assert err.value.code == "not_deletable"
    assert sv.get_scenario(db, other.id) == other and db.count_saved() == 1


def test_a_scenario_saved_under_the_old_model_with_an_ended_year_keeps_its_numbers(db, model):
    """Saved before the model knew the date (model 1.0, a 2025 setting): it opens with its
    stored snapshot, says the model changed, and compares with today's model, naming the
    setting that no longer applies."""
    saved, _ = save(db, model, {"levers": {"cashless": {"2030": 70}}}, name="old")
    row = dict(db.get_saved(saved.id))
    row.update(id=sv.new_id(), model_version="1.0",
               settings=sv.canonical_json({"levers": {"cashless": {"2025": 50, "2030": 70}},
                                           "overrides": {}}))
    row["digest"] = sv.payload_digest(row)
    db.insert_saved(row)
    opened = sv.open_scenario(db, row["id"])
    assert opened.model_changed and not opened.data_changed
    assert opened.snapshot == saved.snapshot  # the stored numbers, exactly
    cmp = sv.compare_with_current(db, opened.saved, model)
    assert [(p.field, p.code) for p in cmp.problems] == [("levers.cashless.2025", "year_ended")]
    assert cmp.ok and not cmp.differences.empty
    # computing it again today leaves the ended year out instead of failing
    assert sv.recompute(db, opened.saved) == cmp.snapshot
