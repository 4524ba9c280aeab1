"""CSV exports: a scenario's outcomes, several scenarios' outcomes in one file (the compare
page), and whatever table a page shows (the data page's filtered rows), written by the one CSV
writer, :func:`planner.csvsafe.csv_bytes` (UTF-8 with a byte-order mark; every text cell a
spreadsheet would run as a formula gets a leading ``'``)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from planner.csvsafe import csv_bytes
from planner.export.bundle import ExportBundle


def frame_csv(frame: pd.DataFrame) -> bytes:
    """A table as CSV bytes, text cells made safe for spreadsheets.

    Parameters
    ----------
    frame : pandas.DataFrame
        Any table, for example what the data page's filters show.

    Returns
    -------
    bytes
        UTF-8 (with BOM), header row, ``\\n`` line ends; numbers written as numbers.
    """
    return csv_bytes(frame)


def outcomes_csv(bundle: ExportBundle) -> bytes:
    """A scenario's outcomes as CSV: one row per outcome and year with p10/p50/p90 and basis.

    The scenario's name, link and versions are columns of every row, so the file stands alone.

    Parameters
    ----------
    bundle : ExportBundle

    Returns
    -------
    bytes
    """
    return frame_csv(_outcomes(bundle))


ASSUMED_BASIS = "assumed_level"
"""The ``basis`` of an estimate or projection of an outcome without measurement in the CSV:
the number restates an assumption, it is no estimate."""


def _outcomes(bundle: ExportBundle) -> pd.DataFrame:
    out = bundle.outcomes.copy()
    out["basis"] = out.pop("evidence")  # what the number rests on, as the sources allow
    out.loc[out["assumed"].astype(bool) & (out["basis"] != "observed"), "basis"] = ASSUMED_BASIS
    out.insert(0, "scenario", bundle.name)
    out["saved"] = bundle.saved
    out["dataset_version"] = bundle.dataset_version
    out["model_version"] = bundle.model_version
    out["link"] = bundle.link
    return out


def combined_outcomes_csv(slots: Sequence[str], bundles: Sequence[ExportBundle]) -> bytes:
    """Several scenarios' outcomes in one CSV, as :func:`outcomes_csv` with a ``slot`` first.

    Parameters
    ----------
    slots : sequence of str
        Each scenario's place on the page (``A``, ``B`` ...).
    bundles : sequence of ExportBundle
        In the same order.

    Returns
    -------
    bytes
    """
    parts = [_outcomes(b).assign(slot=slot) for slot, b in zip(slots, bundles, strict=True)]
    out = pd.concat(parts, ignore_index=True)
    return frame_csv(out[["slot", *[c for c in out.columns if c != "slot"]]])
