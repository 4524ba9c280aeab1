"""Update data: the editors download the dataset, upload an edited one, read what it changes
and publish it as a new version; any earlier version can be made current again."""

from __future__ import annotations

import streamlit as st

from planner.formatting import fmt_int
from planner.i18n import t
from ui.data import current_version, get_store
from ui.lang import current_lang
from ui.update_view import (
    checked_upload,
    editor_hash,
    render_download,
    render_key,
    render_preview,
    render_problems,
    render_publish,
    render_rollback,
    render_versions,
    show_flash,
)

lang = current_lang()
store = get_store()
version = current_version()
assert version is not None  # app.py stops before the page when there is no dataset
configured = editor_hash()
can_write = not getattr(store, "read_only", False)

st.title(t("update.title", lang))
st.caption(t("update.intro", lang))
show_flash()
versions = store.dataset_versions()
rows = next((v["row_counts"].get("observations", 0) for v in versions if v["is_current"]), 0)
st.caption(t("update.current", lang, version=version, rows=fmt_int(rows, lang)))
if configured is None:
    st.info(t("update.read_only", lang), icon=":material/lock:")
elif not can_write:
    st.warning(t("update.db_read_only", lang), icon=":material/lock:")
may_publish = configured is not None and can_write

render_download(store, version, lang)
checked = checked_upload(store, version, lang)
if checked is not None:
    if not checked.upload.ok:
        render_problems(checked.upload, lang)
    else:
        stored = {v["version"] for v in versions}
        render_preview(checked, version, stored, lang)
        if may_publish and checked.publishable and checked.upload.version != version:
            render_key(lang)
            render_publish(store, checked, configured, lang)

st.divider()
render_versions(store, versions, lang)
if may_publish:
    if checked is None or not checked.publishable or checked.upload.version == version:
        render_key(lang)
    render_rollback(store, versions, configured, lang)
