"""The editors' page, section by section: download, upload and its problems, preview, publish,
versions (compare two, make one current again) and the publish log.

Everything an upload needs is computed once per uploaded file and kept in the session
(:func:`checked_upload`); publishing and rolling back need the editor's key
(:mod:`planner.dataio.credential`), checked when the button is pressed. Both are built on the
version the page showed when the button was pressed (:func:`shown_base`): when another editor
made a version current meanwhile, the store refuses and the page says who and what to do.
Text the editors typed (authors, notes) and text from an upload are shown in tables, never as
Markdown or HTML.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from planner.dataio.archive import download_zip
from planner.dataio.canonical import dataset_files
from planner.dataio.credential import SECRETS_KEY, check_editor, configured_hash
from planner.dataio.diff import DatasetDiff, diff_datasets
from planner.dataio.limits import MAX_UPLOAD_MIB
from planner.dataio.preview import Preview, preview
from planner.dataio.problems import describe, where
from planner.dataio.upload import Upload, read_upload
from planner.dataio.workbook import write_workbook
from planner.dataset import Dataset
from planner.engine import fit_dataset
from planner.formatting import fmt_chance, fmt_datetime, fmt_int, fmt_number, fmt_percent
from planner.i18n import label, t
from planner.problems import Problem
from planner.projection import PlannerResults
from planner.store import (
    MAX_AUTHOR_LENGTH,
    MAX_NOTE_LENGTH,
    BaseMovedError,
    LoadReport,
    Store,
    StoreError,
    UnfittableDatasetError,
)
from planner.views import status_label
from ui.data import _current_version, error_text
from ui.layout_css import paper_table, static_table
from ui.model import get_model

log = logging.getLogger(__name__)

UPLOAD_TYPES = ("xlsx", "zip", "csv")
"""What the uploader accepts."""

MAX_DIFF_ROWS = 300
"""Changed rows listed one by one (the counts cover them all)."""

KEY = "update.key"
"""Session key of the editor's key field."""

FLASH = "update.flash"
"""Session key of the message shown after a publish or rollback (the page reruns): a pair of
its kind (``success`` or ``error``) and text."""

SHOWN_BASE = "update.shown_base."
"""Prefix of the session keys remembering, per form, the version the page showed with it."""

UPLOADER_ROUND = "update.uploader_round"
"""Session key counting uploads published; a new count gives a fresh, empty uploader."""


@dataclass(frozen=True)
class Checked:
    """An uploaded file, read, checked and previewed against one current version.

    Attributes
    ----------
    upload : planner.dataio.upload.Upload
    base : str
        The version it was checked against (a CSV's rows are added to it).
    diff : DatasetDiff or None
        Against the current version; None when the upload has problems.
    preview : Preview or None
        The headline numbers before and after; None when the upload has problems.
    """

    upload: Upload
    base: str
    diff: DatasetDiff | None
    preview: Preview | None

    @property
    def publishable(self) -> bool:
        """Whether the upload can be published (valid and the model fits it)."""
        return self.upload.ok and self.preview is not None and not self.preview.problems


# ------------------------------------------------------------------------------ credential
def editor_hash() -> str | None:
    """The configured hash of the editor's key: the environment, else Streamlit's secrets."""
    secrets: dict[str, Any] = {}
    try:
        value = st.secrets.get(SECRETS_KEY)
    except Exception:  # no secrets file: only the environment can configure it
        value = None
    if value is not None:
        secrets[SECRETS_KEY] = value
    return configured_hash(os.environ, secrets)


def editor_ok(configured: str | None) -> bool:
    """Whether the editor's key typed in this session matches the configured hash."""
    return check_editor(st.session_state.get(KEY), configured)


def may_write(configured: str | None, author: str, lang: str) -> bool:
    """Whether a pressed publish or rollback may go ahead: the right key and an author named;
    otherwise it says which is missing."""
    if not editor_ok(configured):
        st.error(t("update.key.wrong", lang), icon=":material/key_off:")
        return False
    if not author.strip():
        st.error(t("update.need_author", lang))
        return False
    return True


# ------------------------------------------------------------------------------- download
def render_download(store: Store, version: str, lang: str) -> None:
    """The two download buttons; the files are built only when a button is pressed."""
    st.subheader(t("update.download.header", lang))
    st.caption(t("update.download.help", lang))

    def workbook() -> bytes:
        return write_workbook(store.dataset(version), lang)

    def archive() -> bytes:
        return download_zip(dataset_files(store.dataset(version)))

    left, right = st.columns(2)
    with left:
        st.download_button(
            t("update.download.xlsx", lang), workbook, file_name=f"planner-data-{version}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            icon=":material/table:", key="update.download_xlsx", on_click="ignore")
    with right:
        st.download_button(
            t("update.download.zip", lang), archive, file_name=f"planner-data-{version}.zip",
            mime="application/zip", icon=":material/folder_zip:", key="update.download_zip",
            on_click="ignore")


# --------------------------------------------------------------------------------- upload
def _fit_with(current: Dataset) -> Callable[[Dataset], PlannerResults]:
    """Fit a dataset, reusing the app's cached model for the current version."""

    def fit(dataset: Dataset) -> PlannerResults:
        if dataset is current:
            return get_model(current.version)
        return fit_dataset(dataset)

    return fit


def check_upload(name: str, content: bytes, current: Dataset) -> Checked:
    """Read, check and preview one uploaded file against the current dataset.

    Parameters
    ----------
    name : str
        The file's name.
    content : bytes
        Its bytes.
    current : planner.dataset.Dataset
        The current dataset.

    Returns
    -------
    Checked
    """
    upload = read_upload(name, content, current)
    if not upload.ok or upload.dataset is None:
        return Checked(upload, current.version, None, None)
    new = upload.dataset
    return Checked(upload, current.version, diff_datasets(current, new),
                   preview(current, new, _fit_with(current)))


def checked_upload(store: Store, version: str, lang: str) -> Checked | None:
    """The uploader, and what the uploaded file holds (computed once per file and version)."""
    st.subheader(t("update.upload.header", lang))
    round_no = st.session_state.get(UPLOADER_ROUND, 0)
    uploaded = st.file_uploader(
        t("update.upload.label", lang), type=list(UPLOAD_TYPES), key=f"update.upload.{round_no}",
        help=t("update.upload.help", lang, size=fmt_int(MAX_UPLOAD_MIB, lang)),
        max_upload_size=MAX_UPLOAD_MIB)
    if uploaded is None:
        st.session_state.pop("update.checked", None)
        return None
    content = uploaded.getvalue()
    cache_key = (uploaded.name, hashlib.sha256(content).hexdigest(), version)
    cached = st.session_state.get("update.checked")
    if cached is not None and cached[0] == cache_key:
        return cached[1]
    with st.spinner():
        checked = check_upload(uploaded.name, content, store.dataset(version))
    st.session_state["update.checked"] = (cache_key, checked)
    return checked


def problems_frame(problems: tuple[Problem, ...], lang: str) -> pd.DataFrame:
    """Every problem as a row: file or sheet, row, column, and what is wrong."""
    rows = []
    for p in problems:
        place = where(p, lang)
        text = describe(p, lang)[len(place) + 2:]
        rows.append({
            t("update.problem.place", lang): p.detail.get("sheet") or p.field,
            t("update.problem.row", lang): fmt_int(p.row, lang) if p.row is not None else "",
            t("update.problem.column", lang): p.column or "",
            t("update.problem.text", lang): text,
        })
    return pd.DataFrame(rows)


def render_problems(upload: Upload, lang: str) -> None:
    """Say that nothing was stored, and list every problem with its place."""
    st.error(t("update.problems", lang, count=fmt_int(len(upload.problems), lang)),
             icon=":material/error:")
    paper_table(problems_frame(upload.problems, lang), "update.problems", hide_index=True,
                width="stretch")


# -------------------------------------------------------------------------------- preview
def counts_frames(diff: DatasetDiff, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows added, changed and removed by file, and the observations' by indicator."""
    states = [("added", "update.diff.added"), ("changed", "update.diff.changed"),
              ("removed", "update.diff.removed")]
    by_file = pd.DataFrame([
        {t("update.diff.file", lang): f"{name}.csv",
         **{t(key, lang): getattr(counts, state) for state, key in states}}
        for name, counts in diff.by_file.items() if counts.total])
    by_indicator = pd.DataFrame([
        {t("update.diff.indicator", lang): indicator,
         **{t(key, lang): getattr(counts, state) for state, key in states}}
        for indicator, counts in diff.by_indicator.items()])
    return by_file, by_indicator


def rows_frame(diff: DatasetDiff, lang: str, limit: int = MAX_DIFF_ROWS) -> pd.DataFrame:
    """The changed rows one by one: file, change, key, columns changed, before and after."""
    rows = []
    for change in diff.changes[:limit]:
        shown = change.columns if change.state == "changed" else ()
        rows.append({
            t("update.diff.file", lang): f"{change.file}.csv",
            t("update.diff.change", lang): t(f"update.diff.{change.state}", lang),
            t("update.diff.key", lang): ", ".join(v for v in change.key.values() if v),
            t("update.diff.columns", lang): ", ".join(shown),
            t("update.diff.before", lang): _cells(change.before, shown),
            t("update.diff.after", lang): _cells(change.after, shown),
        })
    return pd.DataFrame(rows)


def _cells(row: dict[str, str] | None, columns: tuple[str, ...]) -> str:
    if row is None:
        return ""
    picked = columns or tuple(row)
    return "; ".join(f"{c}={row[c]}" for c in picked if row.get(c, "") != "")


def render_diff(diff: DatasetDiff, lang: str, key: str) -> None:
    """The counts by file and indicator, and the changed rows in a lazy expander."""
    if diff.empty:
        st.info(t("update.diff.none", lang))
        return
    by_file, by_indicator = counts_frames(diff, lang)
    left, right = st.columns(2)
    with left:
        paper_table(by_file, f"{key}.by_file", hide_index=True, width="stretch")
    with right:
        if not by_indicator.empty:
            paper_table(by_indicator, f"{key}.by_indicator", hide_index=True,
                        width="stretch")
    with st.expander(t("update.diff.rows", lang)):
        total = len(diff.changes)
        if total > MAX_DIFF_ROWS:
            st.caption(t("update.diff.more", lang, shown=fmt_int(MAX_DIFF_ROWS, lang),
                         total=fmt_int(total, lang)))
        paper_table(rows_frame(diff, lang), f"{key}.rows", hide_index=True, width="stretch")


def _rank_text(rank: tuple[int, int, int] | None, lang: str) -> str:
    return "–" if rank is None else f"{fmt_int(rank[0], lang)}–{fmt_int(rank[2], lang)}"


def headline_frame(result: Preview, lang: str) -> pd.DataFrame:
    """The baseline's 2030 DTI, digital-economy share and rank range, current and new."""
    before, after = result.before, result.after
    measures = [
        ("update.headline.dti", lambda h: fmt_number(h.dti, lang, 4)),
        ("update.headline.de_share", lambda h: fmt_percent(h.de_share, lang, 1)),
        ("update.headline.rank", lambda h: _rank_text(h.rank, lang)),
    ]
    return pd.DataFrame([
        {t("update.headline.measure", lang): t(key, lang),
         t("update.headline.before", lang): show(before),
         t("update.headline.after", lang): show(after) if after is not None else "–"}
        for key, show in measures])


def targets_frame(result: Preview, indicators: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every target's status and chance under the baseline, current and new."""
    names = {str(r["id"]): label(r, lang) for _, r in indicators.iterrows()}
    rows = []
    for c in result.targets:
        rows.append({
            t("update.diff.indicator", lang): names.get(c.indicator, c.indicator),
            t("update.targets.year", lang): str(c.year),
            t("update.targets.target", lang): fmt_number(c.target, lang, trim=True),
            t("update.headline.before", lang): status_label(c.before.status, lang)
            if c.before else "–",
            t("update.headline.after", lang): status_label(c.after.status, lang)
            if c.after else "–",
            t("update.targets.chance_before", lang): fmt_chance(c.before.probability, lang)
            if c.before else "–",
            t("update.targets.chance_after", lang): fmt_chance(c.after.probability, lang)
            if c.after else "–",
        })
    return pd.DataFrame(rows)


def render_preview(checked: Checked, current: str, stored: set[str], lang: str) -> None:
    """What the upload changes: rows by file and indicator, headline numbers, targets."""
    upload = checked.upload
    assert upload.dataset is not None and checked.diff is not None and checked.preview is not None
    st.success(t("update.valid", lang, name=upload.name, version=upload.version),
               icon=":material/check_circle:")
    if upload.version == current:
        st.info(t("update.same", lang))
    elif upload.version in stored:
        st.info(t("update.stored", lang, version=upload.version))
    st.subheader(t("update.preview.header", lang))
    if checked.preview.problems:
        st.error(t("update.unfittable", lang), icon=":material/error:")
        paper_table(problems_frame(checked.preview.problems, lang), "update.preview.problems",
                    hide_index=True, width="stretch")
    st.markdown(f"**{t('update.diff.header', lang)}**")
    render_diff(checked.diff, lang, "update.preview")
    st.markdown(f"**{t('update.headline.header', lang)}**")
    paper_table(headline_frame(checked.preview, lang), "update.preview.headline",
                hide_index=True, width="stretch")
    st.markdown(f"**{t('update.targets.header', lang)}**")
    paper_table(targets_frame(checked.preview, upload.dataset.indicators, lang),
                "update.preview.targets", hide_index=True, width="stretch")


# -------------------------------------------------------------------------- publish, rollback
def _after_change(report: LoadReport, message: str, lang: str) -> None:
    """Forget the cached current version, keep the message for the next run, rerun."""
    _current_version.clear()  # every page reads the new current version at once
    previous = report.previous_version or "–"
    if report.status == "unchanged":
        text = t("update.unchanged", lang, version=report.version)
    else:
        text = t(message, lang, version=report.version, previous=previous)
    st.session_state[FLASH] = ("success", text)
    st.rerun()


def _store_error(exc: StoreError, lang: str) -> None:
    """Say why a publish or rollback was refused. When another editor made a version current
    first, the page is drawn again on that version (an upload checked again against it) with
    the message above it."""
    log.warning("a data update was refused: %s", exc)
    if isinstance(exc, UnfittableDatasetError):
        st.error(f"{t('update.unfittable', lang)} {exc}", icon=":material/error:")
    elif isinstance(exc, BaseMovedError):
        _current_version.clear()
        st.session_state[FLASH] = ("error", error_text(exc, lang))
        st.rerun()
    else:
        st.error(error_text(exc, lang), icon=":material/database:")


def shown_base(form: str, version: str | None) -> str | None:
    """The version the page showed with a form when its button was pressed.

    A pressed button reruns the page, which may by then read a newer current version (another
    editor's publish); the change must be built on what the editor saw. Each run remembers the
    version drawn with the form, and a press uses the one of the run before.

    Parameters
    ----------
    form : str
        The form's name.
    version : str or None
        The version this run shows with the form.

    Returns
    -------
    str or None
        The version shown in the run before (this run's when there was none).
    """
    key = SHOWN_BASE + form
    seen = st.session_state.get(key, version)
    st.session_state[key] = version
    return seen


def render_key(lang: str) -> None:
    """The editor's key field (shared by publishing and rolling back)."""
    st.text_input(t("update.key.label", lang), type="password", key=KEY,
                  help=t("update.key.help", lang))


def render_publish(store: Store, checked: Checked, configured: str | None, lang: str) -> None:
    """Author, note and the publish button; publishes only with the right key."""
    st.subheader(t("update.publish.header", lang))
    upload = checked.upload
    base = shown_base("publish", checked.base)
    with st.form("update.publish_form", border=False):
        author = st.text_input(t("update.author", lang), key="update.author",
                               max_chars=MAX_AUTHOR_LENGTH)
        note = st.text_area(t("update.note", lang), key="update.note",
                            max_chars=MAX_NOTE_LENGTH)
        pressed = st.form_submit_button(t("update.publish.button", lang), type="primary",
                                        icon=":material/publish:")
    if not pressed:
        return
    if not may_write(configured, author, lang):
        return
    assert upload.dataset is not None
    try:
        report = store.publish(upload.dataset, author, note, base=base)
    except StoreError as exc:
        _store_error(exc, lang)
        return
    st.session_state[UPLOADER_ROUND] = st.session_state.get(UPLOADER_ROUND, 0) + 1
    st.session_state.pop("update.checked", None)
    _after_change(report, "update.published", lang)


def show_flash() -> None:
    """The message of the last publish or rollback (or of its refusal), once."""
    kind, text = st.session_state.pop(FLASH, (None, ""))
    if kind == "error":
        st.error(text, icon=":material/group:")
    elif text:
        st.success(text, icon=":material/check_circle:")


# ------------------------------------------------------------------------------- versions
def versions_frame(versions: list[dict[str, Any]], lang: str) -> pd.DataFrame:
    """Every stored version, newest first: version, time, author, note, current, values."""
    return pd.DataFrame([
        {t("update.versions.version", lang): v["version"],
         t("update.versions.time", lang): fmt_datetime(v["loaded_at"], lang),
         t("update.author", lang): v.get("author", ""),
         t("update.note", lang): v.get("note", ""),
         t("update.versions.current", lang): "✓" if v["is_current"] else "",
         t("update.versions.values", lang): fmt_int(v["row_counts"].get("observations", 0),
                                                    lang)}
        for v in reversed(versions)])


def log_frame(entries: list[dict[str, Any]], lang: str) -> pd.DataFrame:
    """Every publish, newest first."""
    return pd.DataFrame([
        {t("update.versions.time", lang): fmt_datetime(e["published_at"], lang),
         t("update.log.action", lang): t(f"update.action.{e['action']}", lang),
         t("update.versions.version", lang): e["version"],
         t("update.log.previous", lang): e["previous_version"] or "",
         t("update.author", lang): e["author"],
         t("update.note", lang): e["note"]}
        for e in entries])


def render_versions(store: Store, versions: list[dict[str, Any]], lang: str) -> None:
    """The versions, the publish log, and two versions compared."""
    st.subheader(t("update.versions.header", lang))
    static_table(versions_frame(versions, lang), "update.versions")  # a few rows, read whole
    entries = store.publish_log()
    if entries:
        with st.expander(t("update.log.header", lang)):
            paper_table(log_frame(entries, lang), "update.log", hide_index=True,
                        width="stretch")
    if len(versions) < 2:
        return
    st.markdown(f"**{t('update.compare.header', lang)}**")
    ids = [v["version"] for v in reversed(versions)]  # newest first
    left, right = st.columns(2)
    with left:
        old = st.selectbox(t("update.compare.old", lang), ids, index=1, key="update.compare_old")
    with right:
        new = st.selectbox(t("update.compare.new", lang), ids, index=0, key="update.compare_new")
    if old != new:
        render_diff(diff_datasets(store.dataset(old), store.dataset(new)), lang,
                    "update.compare")


def render_rollback(store: Store, versions: list[dict[str, Any]], configured: str | None,
                    lang: str) -> None:
    """Choose a stored version and make it current again (needs the editor's key)."""
    st.markdown(f"**{t('update.rollback.header', lang)}**")
    current = next((v["version"] for v in versions if v["is_current"]), None)
    base = shown_base("rollback", current)
    others = [v["version"] for v in reversed(versions) if not v["is_current"]]
    if not others:
        st.caption(t("update.rollback.none", lang))
        return
    with st.form("update.rollback_form", border=False):
        version = st.selectbox(t("update.rollback.choose", lang), others,
                               key="update.rollback_version")
        author = st.text_input(t("update.author", lang), key="update.rollback_author",
                               max_chars=MAX_AUTHOR_LENGTH)
        note = st.text_input(t("update.note", lang), key="update.rollback_note",
                             max_chars=MAX_NOTE_LENGTH)
        pressed = st.form_submit_button(t("update.rollback.button", lang),
                                        icon=":material/history:")
    if not pressed:
        return
    if not may_write(configured, author, lang):
        return
    try:
        report = store.make_current(version, author, note, base=base)
    except StoreError as exc:
        _store_error(exc, lang)
        return
    _after_change(report, "update.rollback.done", lang)
