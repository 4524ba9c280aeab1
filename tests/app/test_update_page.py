"""The editors' page (``/update``) in AppTest: download, upload and its problems, preview,
publish, rollback, and the read-only mode without an editor credential.

Each test works on its own copy of the session's loaded database; a refused upload or publish
must leave the versions, the publish log and the current version as they were.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.dataio.credential import ENV_VAR, hash_secret
from planner.dataio.upload import read_upload
from planner.formatting import fmt_datetime
from planner.i18n import t
from planner.store import DuckDBStore, LoadReport
from tests.app.html_tables import html_tables
from tests.app.opening import open_on
from tests.saved_support import copy_db
from tests.update_support import NEW_DTI, NEW_DTI_ROW, observations_csv, workbook_with

REPO = Path(__file__).resolve().parents[2]
APP = REPO / "app.py"
PAGE = "app_pages/update_data.py"
TIMEOUT = 120
EDITOR_KEY = "a long editor key for the tests"


@pytest.fixture
def update_db(loaded_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DuckDBStore:
    """A copy of the loaded database, named by ``PLANNER_DB``; no credential configured."""
    store = copy_db(loaded_db, tmp_path / "update.duckdb")
    monkeypatch.setenv("PLANNER_DB", str(store.path))
    monkeypatch.delenv(ENV_VAR, raising=False)
    return store


@pytest.fixture
def editor(update_db: DuckDBStore, monkeypatch: pytest.MonkeyPatch) -> DuckDBStore:
    """As ``update_db``, with the hash of :data:`EDITOR_KEY` configured."""
    monkeypatch.setenv(ENV_VAR, hash_secret(EDITOR_KEY))
    return update_db


def open_update(lang: str = "en") -> AppTest:
    at = open_on(PAGE, lang, timeout=TIMEOUT)
    assert not at.exception, [e.value for e in at.exception]
    return at


def upload(at: AppTest, name: str, content: bytes, mime: str = "application/octet-stream"
           ) -> AppTest:
    at.file_uploader[0].set_value((name, content, mime))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def state(store: DuckDBStore) -> tuple:
    return store.current_version(), store.dataset_versions(), store.publish_log()


def button(at: AppTest, key: str, lang: str = "en"):
    found = [b for b in at.button if b.label == t(key, lang)]
    assert len(found) == 1, [b.label for b in at.button]
    return found[0]


def text_input(at: AppTest, key: str):
    return at.text_input(key=key)


def texts(at: AppTest, kind: str) -> list[str]:
    return [str(e.value) for e in getattr(at, kind)]


def test_without_a_credential_the_page_is_read_only_and_says_why(update_db: DuckDBStore) -> None:
    before = state(update_db)
    at = open_update()
    assert t("update.read_only", "en") in texts(at, "info")
    assert [b.label for b in at.download_button] == [
        t("update.download.xlsx", "en"), t("update.download.zip", "en")]
    upload(at, "new.xlsx", workbook_with(update_db.dataset()))
    assert any(t("update.valid", "en", name="new.xlsx", version="")[:-2] in s
               for s in texts(at, "success"))
    labels = [b.label for b in at.button]
    assert t("update.publish.button", "en") not in labels
    assert t("update.rollback.button", "en") not in labels
    assert not [w for w in at.text_input if w.key == "update.key"]
    assert state(update_db) == before


def test_the_page_offers_both_downloads_in_vietnamese(update_db: DuckDBStore) -> None:
    at = open_update("vi")
    assert [b.label for b in at.download_button] == [
        t("update.download.xlsx", "vi"), t("update.download.zip", "vi")]
    assert at.title[0].value == t("update.title", "vi")


BAD_UPLOADS = [
    pytest.param("semicolons.csv", b"indicator;geography\ndti_overall;Q\n", "File semicolons.csv",
                 "1", "", id="wrong-delimiter"),
    pytest.param("latin1.csv", "indicator,geography\nQuảng Ninh\n".encode("cp1258", "replace")
                 .replace(b"?", b"\xe1"), "File latin1.csv", "", "", id="wrong-encoding"),
    pytest.param("junk.xlsx", b"PK\x03\x04 not a workbook", "File junk.xlsx", "", "",
                 id="malformed-workbook"),
]


@pytest.mark.parametrize(("name", "content", "place", "row", "column"), BAD_UPLOADS)
def test_a_bad_file_lists_its_problems_and_changes_nothing(
    editor: DuckDBStore, name: str, content: bytes, place: str, row: str, column: str
) -> None:
    before = state(editor)
    at = upload(open_update(), name, content)
    assert t("update.problems", "en", count="1") in texts(at, "error")
    table = at.dataframe[0].value
    assert list(table.columns) == [t(f"update.problem.{k}", "en")
                                   for k in ("place", "row", "column", "text")]
    assert place.split()[-1] in set(table.iloc[:, 0])
    if row:
        assert row in set(table.iloc[:, 1])
    assert t("update.publish.button", "en") not in [b.label for b in at.button]
    assert state(editor) == before


def test_every_bad_row_of_a_workbook_is_listed_with_sheet_row_and_column(
    editor: DuckDBStore,
) -> None:
    before = state(editor)
    rows = [
        {**NEW_DTI_ROW, "value": 1.7},  # outside index_0_1
        {**NEW_DTI_ROW, "year": 2024, "indicator": "dti_nope"},  # unknown indicator
        {**NEW_DTI_ROW, "year": 2025, "source": "nowhere"},  # unknown source
        {**NEW_DTI_ROW, "year": 2026, "quote": "=HYPERLINK(\"http://x\")"},  # a formula
    ]
    at = upload(open_update("vi"), "bad.xlsx", workbook_with(editor.dataset(), rows))
    assert t("update.problems", "vi", count="4") in texts(at, "error")
    table = at.dataframe[0].value
    assert set(table[t("update.problem.place", "vi")]) == {"observations"}
    columns = list(table[t("update.problem.column", "vi")])
    assert sorted(columns) == ["indicator", "quote", "source", "value"]
    sheet_rows = [int(r.replace(".", "")) for r in table[t("update.problem.row", "vi")]]
    assert len(set(sheet_rows)) == 4 and min(sheet_rows) > 300  # rows the editor sees
    assert "nằm ngoài" in " ".join(table[t("update.problem.text", "vi")])  # in Vietnamese
    assert state(editor) == before


def test_an_upload_is_previewed_then_published_with_the_key(editor: DuckDBStore) -> None:
    first = editor.current_version()
    at = upload(open_update(), "dti-2023.xlsx", workbook_with(editor.dataset()))
    shown = "\n".join(texts(at, "success") + texts(at, "markdown"))
    assert "dti-2023.xlsx" in shown
    frames = [df.value for df in at.dataframe]
    by_indicator = next(f for f in frames if t("update.diff.indicator", "en") in f.columns
                        and t("update.diff.added", "en") in f.columns)
    assert by_indicator.to_dict("records") == [{
        t("update.diff.indicator", "en"): "dti_overall", t("update.diff.added", "en"): 1,
        t("update.diff.changed", "en"): 0, t("update.diff.removed", "en"): 0}]
    headline = next(f for f in frames if t("update.headline.measure", "en") in f.columns)
    assert list(headline[t("update.headline.measure", "en")]) == [
        t("update.headline.dti", "en"), t("update.headline.de_share", "en"),
        t("update.headline.rank", "en")]
    targets = next(f for f in frames if t("update.targets.chance_after", "en") in f.columns)
    assert len(targets) >= 5

    # a wrong key publishes nothing
    text_input(at, "update.key").set_value("not the key")
    text_input(at, "update.author").set_value("Sở TT&TT")
    button(at, "update.publish.button").click()
    at.run()
    assert t("update.key.wrong", "en") in texts(at, "error")
    assert editor.current_version() == first

    # the right key publishes; the page says so and the sidebar shows the new version
    text_input(at, "update.key").set_value(EDITOR_KEY)
    at.text_area(key="update.note").set_value("DTI 2023 <b>from</b> the ministry")
    button(at, "update.publish.button").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    new = editor.current_version()
    assert new != first
    assert t("update.published", "en", version=new, previous=first) in texts(at, "success")
    assert any(new in c for c in texts(at.sidebar, "caption"))
    entry = editor.publish_log()[0]
    assert (entry["action"], entry["version"], entry["previous_version"], entry["author"],
            entry["note"]) == ("publish", new, first, "Sở TT&TT",
                               "DTI 2023 <b>from</b> the ministry")
    versions = html_tables(at)[0]  # the versions, a static table
    assert versions.iloc[0][t("update.versions.version", "en")] == new
    assert versions.iloc[0][t("update.note", "en")] == "DTI 2023 <b>from</b> the ministry"


def test_publishing_needs_an_author(editor: DuckDBStore) -> None:
    before = state(editor)
    at = upload(open_update(), "new.csv", observations_csv(), "text/csv")
    text_input(at, "update.key").set_value(EDITOR_KEY)
    button(at, "update.publish.button").click()
    at.run()
    assert t("update.need_author", "en") in texts(at, "error")
    assert state(editor) == before


def test_a_csv_of_new_observations_is_published(editor: DuckDBStore) -> None:
    first = editor.current_version()
    at = upload(open_update(), "new-rows.csv", observations_csv(), "text/csv")
    text_input(at, "update.key").set_value(EDITOR_KEY)
    text_input(at, "update.author").set_value("editor")
    button(at, "update.publish.button").click()
    at.run()
    assert editor.current_version() != first
    values = editor.baseline(indicator="dti_overall")
    assert ((values["year"] == 2023) & (values["value"] == NEW_DTI)).any()


def test_a_rollback_makes_an_earlier_version_current_again(editor: DuckDBStore) -> None:
    first = editor.current_version()
    at = upload(open_update(), "new.csv", observations_csv(), "text/csv")
    text_input(at, "update.key").set_value(EDITOR_KEY)
    text_input(at, "update.author").set_value("editor")
    button(at, "update.publish.button").click()
    at.run()
    second = editor.current_version()
    assert second != first
    at.selectbox(key="update.rollback_version").set_value(first)
    text_input(at, "update.rollback_author").set_value("editor")
    text_input(at, "update.rollback_note").set_value("the 2023 figure is not final")
    button(at, "update.rollback.button").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert editor.current_version() == first
    assert t("update.rollback.done", "en", version=first, previous=second) in texts(at, "success")
    entry = editor.publish_log()[0]
    assert (entry["action"], entry["version"], entry["previous_version"]) == (
        "rollback", first, second)
    # the two versions can be compared
    assert at.selectbox(key="update.compare_old").value in (first, second)



def publish_rows(store: DuckDBStore, rows: list[dict], author: str) -> LoadReport:
    """Another editor's publish of new observation rows on the current version."""
    current = store.dataset()
    upload = read_upload("theirs.csv", observations_csv(rows), current)
    assert upload.dataset is not None, upload.problems
    return store.publish(upload.dataset, author, check=None, base=current.version)


def test_a_publish_after_another_editors_is_refused_then_checked_again(
    editor: DuckDBStore,
) -> None:
    """Another editor publishes while this page shows its preview: the press is refused with
    who and what to do, the page moves to their version, and publishing again keeps both."""
    first = editor.current_version()
    at = upload(open_update(), "new-rows.csv", observations_csv(), "text/csv")
    other = publish_rows(editor, [{**NEW_DTI_ROW, "year": 2024, "value": 0.76}], "Trần Thị B")
    text_input(at, "update.key").set_value(EDITOR_KEY)
    text_input(at, "update.author").set_value("Nguyễn Văn A")
    button(at, "update.publish.button").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert editor.current_version() == other.version
    assert editor.publish_log()[0]["author"] == "Trần Thị B"
    assert texts(at, "error") == [t("db.error.base_moved", "en", version=other.version,
                                    base=first, author="Trần Thị B",
                                    time=fmt_datetime(other.published_at, "en"))]
    # the page now shows their version, the file checked again against it: publish again
    assert any(other.version in c for c in texts(at, "caption"))
    text_input(at, "update.key").set_value(EDITOR_KEY)
    text_input(at, "update.author").set_value("Nguyễn Văn A")
    button(at, "update.publish.button").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    entry = editor.publish_log()[0]
    assert (entry["author"], entry["previous_version"]) == ("Nguyễn Văn A", other.version)
    values = editor.baseline(indicator="dti_overall")
    assert set(values.loc[values["year"] >= 2023, "year"]) == {2023, 2024}


def test_a_rollback_chosen_before_another_publish_is_refused_in_vietnamese(
    editor: DuckDBStore,
) -> None:
    first = editor.current_version()
    second = publish_rows(editor, [NEW_DTI_ROW], "")
    at = open_update("vi")
    third = publish_rows(editor, [{**NEW_DTI_ROW, "year": 2024, "value": 0.76}], "")
    before = state(editor)
    at.selectbox(key="update.rollback_version").set_value(first)
    text_input(at, "update.key").set_value(EDITOR_KEY)
    text_input(at, "update.rollback_author").set_value("Nguyễn Văn A")
    button(at, "update.rollback.button", "vi").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert state(editor) == before
    assert texts(at, "error") == [t("db.error.base_moved", "vi", version=third.version,
                                    base=second.version, author="–",
                                    time=fmt_datetime(third.published_at, "vi"))]
