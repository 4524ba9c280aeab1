"""The download menu: one button per export format, each file made only when clicked.

Every button passes a callable as ``data`` (Streamlit runs it when the button is pressed, on a
thread of its own), so a page's reruns after a lever move build nothing; ``on_click="ignore"``
keeps the page from rerunning on a download. The page hands over a factory of the bundle
(:mod:`planner.export.bundle`) built from what it shows; the bundle is built once per menu
drawing, on the first click, and shared by the formats.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pandas as pd
import streamlit as st

from planner.export import FORMAT_INFO, FORMATS, file_name, render
from planner.export.bundle import ExportBundle
from planner.export.csvfile import frame_csv
from planner.export.images import available as images_available
from planner.i18n import t

ICONS = {"pptx": ":material/slideshow:", "pdf": ":material/picture_as_pdf:",
         "xlsx": ":material/table_view:", "png": ":material/image:",
         "svg": ":material/image:", "csv": ":material/csv:"}


class _Once:
    """Calls a factory at most once (the first click), from any thread."""

    def __init__(self, factory: Callable[[], ExportBundle]):
        self._factory, self._lock, self._value = factory, threading.Lock(), None

    def __call__(self) -> ExportBundle:
        with self._lock:
            if self._value is None:
                self._value = self._factory()
            return self._value


def download_menu(bundle_factory: Callable[[], ExportBundle], lang: str, key: str,
                  file_stem: str | None = None, formats: tuple[str, ...] = FORMATS) -> None:
    """Draw the download buttons of a page's briefing.

    Parameters
    ----------
    bundle_factory : callable
        Returns the :class:`~planner.export.bundle.ExportBundle` of what the page shows
        (for example ``lambda: from_model(model, scenario, lang, frame=..., targets=...)``);
        called only when a button is clicked.
    lang : str
        ``"vi"`` or ``"en"``.
    key : str
        Prefix of the buttons' keys (``<key>_<format>``).
    file_stem : str, optional
        File name without extension (default ``briefing-<today>``).
    formats : tuple of str, optional
        The formats offered, in order.
    """
    stem = file_stem or f"briefing-{dt.date.today().isoformat()}"
    once = _Once(bundle_factory)
    images = images_available()
    with st.container(key=f"{key}_menu"):
        st.markdown(f"**{t('export.menu.heading', lang)}**")
        cols = st.columns(len(formats))
        for col, fmt in zip(cols, formats, strict=True):
            no_image = fmt in ("png", "svg") and not images
            with col:
                st.download_button(
                    t(f"export.menu.{fmt}", lang),
                    data=(lambda f=fmt: render(once(), f)),
                    file_name=file_name(stem, fmt), mime=FORMAT_INFO[fmt].mime,
                    key=f"{key}_{fmt}", on_click="ignore", icon=ICONS[fmt],
                    disabled=no_image, width="stretch")
        st.caption(t("export.menu.help", lang))
        if not images and any(f in ("png", "svg") for f in formats):
            st.caption(t("export.menu.no_images", lang))


def csv_button(frame_factory: Callable[[], pd.DataFrame], lang: str, key: str,
               file_stem: str = "data") -> None:
    """One CSV download of a table the page shows (such as the data page's filtered rows).

    Parameters
    ----------
    frame_factory : callable
        Returns the table; called only when the button is clicked.
    lang : str
    key : str
        The button's key.
    file_stem : str, optional
        File name without extension.
    """
    st.download_button(t("export.menu.csv", lang), data=lambda: frame_csv(frame_factory()),
                       file_name=f"{file_stem}.csv", mime=FORMAT_INFO["csv"].mime, key=key,
                       on_click="ignore", icon=ICONS["csv"])
