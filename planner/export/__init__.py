"""Briefing exports: slides, a paper, a workbook, chart images and CSV of what a page shows.

Build an :class:`~planner.export.bundle.ExportBundle` (:func:`~planner.export.bundle.from_model`,
:func:`~planner.export.bundle.from_saved`), then :func:`render` it in one of :data:`FORMATS`.
Nothing here imports Streamlit; ``ui/export_menu.py`` draws the download menu and
``planner/export/cli.py`` the ``export`` command.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.export.bundle import ExportBundle

FORMATS: tuple[str, ...] = ("pptx", "pdf", "xlsx", "png", "svg", "csv")
"""Every export format, in the order of the menu."""


@dataclass(frozen=True)
class FormatInfo:
    """How a format is saved: the file extension and the MIME type."""

    extension: str
    mime: str


FORMAT_INFO: dict[str, FormatInfo] = {
    "pptx": FormatInfo("pptx", "application/vnd.openxmlformats-officedocument."
                               "presentationml.presentation"),
    "pdf": FormatInfo("pdf", "application/pdf"),
    "xlsx": FormatInfo("xlsx", "application/vnd.openxmlformats-officedocument."
                               "spreadsheetml.sheet"),
    "png": FormatInfo("zip", "application/zip"),
    "svg": FormatInfo("zip", "application/zip"),
    "csv": FormatInfo("csv", "text/csv"),
}


def render(bundle: ExportBundle, fmt: str) -> bytes:
    """Write a bundle in one format.

    Parameters
    ----------
    bundle : ExportBundle
    fmt : str
        One of :data:`FORMATS` (``png`` and ``svg``: a ZIP of every outcome's chart).

    Returns
    -------
    bytes

    Raises
    ------
    ValueError
        For an unknown format.
    planner.export.images.ImagesUnavailable
        For ``png``/``svg`` on a server without Chromium.
    """
    if fmt == "pptx":
        from planner.export.pptxfile import write_pptx

        return write_pptx(bundle)
    if fmt == "pdf":
        from planner.export.pdffile import write_pdf

        return write_pdf(bundle)
    if fmt == "xlsx":
        from planner.export.xlsxfile import write_xlsx

        return write_xlsx(bundle)
    if fmt in ("png", "svg"):
        from planner.export.images import charts_zip

        return charts_zip(bundle, fmt)
    if fmt == "csv":
        from planner.export.csvfile import outcomes_csv

        return outcomes_csv(bundle)
    raise ValueError(f"unknown export format {fmt!r}; known: {', '.join(FORMATS)}")


def file_name(stem: str, fmt: str) -> str:
    """A download's file name: ``<stem>.<ext>``; chart images ``<stem>-charts-<fmt>.zip``."""
    suffix = f"-charts-{fmt}" if fmt in ("png", "svg") else ""
    return f"{stem}{suffix}.{FORMAT_INFO[fmt].extension}"
