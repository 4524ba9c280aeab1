"""The export bundle: what a page shows, a saved scenario's stored numbers, the basis of each
number, and text that stays plain."""

from __future__ import annotations

import io
import subprocess
import sys

import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pptx import Presentation

from planner import saved as sv
from planner.engine import load_model
from planner.export import render
from planner.export.bundle import from_model, from_saved
from planner.export.safety import FORMULA_STARTS, csv_cell, looks_numeric, typst_escape
from tests.export_support import AUTHOR, DAY, DRAWS, NAME, NOTE, SETTINGS
from tests.saved_support import changed_data_dir, copy_db


@pytest.fixture
def db(loaded_db, tmp_path):
    return copy_db(loaded_db, tmp_path / "copy.duckdb")


def test_planner_export_never_imports_streamlit():
    code = ("import sys, planner.export, planner.export.cli, planner.export.pptxfile, "
            "planner.export.pdffile, planner.export.xlsxfile, planner.export.images; "
            "print('streamlit' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_bundle_from_model_uses_the_page_frame_and_basis(db):
    model = load_model(db)
    scenario = model.validate(SETTINGS)
    sim = model.simulate(scenario, draws=DRAWS, seed=3)
    frame = sim.frame()
    from planner.targets import evaluate_targets

    b = from_model(model, scenario, "vi", draws=DRAWS, seed=3, frame=frame,
                   targets=evaluate_targets(model, sim), exported_on=DAY)
    merged = b.outcomes.merge(frame, on=["indicator", "year"], suffixes=("", "_f"))
    assert len(merged) == len(frame)
    assert (merged["value"] == merged["value_f"]).all()
    assert "basis" in frame.columns  # the model's own basis is taken as it is
    assert (merged["basis"] == merged["basis_f"]).all()
    # without a basis column (a stored snapshot), the kind and today's date give the same one
    b0 = from_model(model, scenario, "vi", frame=frame.drop(columns="basis"),
                    targets=evaluate_targets(model, sim))
    m0 = b0.outcomes.merge(frame, on=["indicator", "year"], suffixes=("", "_f"))
    assert (m0["basis"] == m0["basis_f"]).all()
    assert set(m0["basis"]) == {"observed", "estimate", "projection"}
    # a frame that carries its own basis wins over the kind
    frame2 = frame.assign(basis="observed")
    b2 = from_model(model, scenario, "vi", frame=frame2, targets=evaluate_targets(model, sim))
    assert set(b2.outcomes["basis"]) == {"observed"}
    assert [s.id for s in b.settings] == ["cashless", "de_share_growth_pp"]
    lever = b.settings[0]
    assert lever.year == 2027 and lever.value == 50 and lever.baseline is not None
    assert b.standing[0].indicator == "dti_overall" and b.standing[0].score == 0.7024
    assert b.link == "/planner?lang=vi&cashless.2027=50&a.de_share_growth_pp=0.4"
    quotes = set(b.sources["quote"])
    assert "điểm số DTI đạt 0,7024" in quotes


def test_saved_export_holds_the_stored_numbers_after_the_data_changed(db, data_dir, tmp_path):
    model = load_model(db)
    saved, _ = sv.save_scenario(db, model, {"levers": {"cashless": {"2027": 50}}}, NAME,
                                note=NOTE, author=AUTHOR, draws=DRAWS)
    new_dir = changed_data_dir(data_dir, tmp_path / "data2", "de_share_growth_pp",
                               value="1.1", high="1.2")
    assert db.load_dataset(new_dir).status == "loaded"
    assert db.current_version() != saved.dataset_version
    b = from_saved(db, saved.id, "vi", exported_on=DAY)
    stored, stored_targets = sv.snapshot_frames(saved.snapshot)
    assert b.saved and b.dataset_version == saved.dataset_version
    assert (b.name, b.note, b.author) == (NAME, NOTE, AUTHOR)
    assert b.link == f"/saved?s={saved.id}"
    got = b.outcomes.set_index(["indicator", "year"])["value"]
    want = stored.set_index(["indicator", "year"])["value"]
    assert got.sort_index().tolist() == want.sort_index().tolist()
    # the basis of each stored number is what the model says of that year today: a year that
    # has ended without a figure (2025 on 2026-11-27) is an estimate, never a projection
    frame = model.simulate(model.validate({"levers": {"cashless": {"2027": 50}}}),
                           draws=DRAWS).frame()
    bases = b.outcomes.merge(frame, on=["indicator", "year"], suffixes=("", "_m"))
    assert len(bases) == len(b.outcomes)
    assert (bases["basis"] == bases["basis_m"]).all()
    assert set(b.outcomes.loc[b.outcomes["year"] == 2025, "basis"]) <= {"observed", "estimate"}
    # the current data would give other numbers: the export is not a recomputation
    now = sv.compare_with_current(db, saved)
    assert now.differences["difference"].abs().max() > 1e-6
    # every format carries the stored numbers
    de = stored[(stored["indicator"] == "digital_economy_share_grdp")
                & (stored["year"] == 2030)]["value"].iloc[0]
    book = openpyxl.load_workbook(io.BytesIO(render(b, "xlsx")))
    values = {(r[0], r[2]): r[3] for r in book["Kết quả"].iter_rows(min_row=2, values_only=True)}
    assert values[("digital_economy_share_grdp", 2030)] == pytest.approx(de, rel=0, abs=0)
    prs = Presentation(io.BytesIO(render(b, "pptx")))
    chart = next(s.chart for sl in prs.slides for s in sl.shapes if s.has_chart)
    scen = chart.plots[0].series[1].values
    row = b.headline_targets().iloc[0]
    want_row = stored[(stored["indicator"] == row["indicator"]) & (stored["year"] == 2030)]
    assert scen[-1] == pytest.approx(float(want_row["value"].iloc[0]), rel=1e-12)
    csv = pd.read_csv(io.BytesIO(render(b, "csv")), encoding="utf-8-sig")
    assert csv["value"].tolist() == pytest.approx(b.outcomes["value"].tolist(), rel=1e-12)
    # the stored targets exactly, then every other target of the data with its status
    mine = b.modelled_targets().set_index("target_id")
    assert set(mine.index) == set(stored_targets["target_id"])
    for r in stored_targets.to_dict("records"):
        assert mine.loc[r["target_id"], "status"] == r["status"]
        assert mine.loc[r["target_id"], "projected"] == pytest.approx(r["projected"], rel=1e-12)
    obs = b_dataset_targets(db, saved.dataset_version)
    assert len(b.targets) == len(obs) > len(stored_targets)


def test_builtin_scenario_exports_with_its_label(db):
    b = from_saved(db, "plan_targets", "en")
    assert not b.saved and b.name == "Plan accelerated" and b.link == "/saved?s=plan_targets"


@given(st.text(max_size=20))
def test_csv_cell_never_leaves_a_formula_start(text):
    out = csv_cell(text)
    if text.startswith(FORMULA_STARTS) and not looks_numeric(text):
        assert out == "'" + text
    else:
        assert out == text


@pytest.mark.parametrize("text", ["-3", "+0,4", "-1.234,5", "7,9%", "1e-3"])
def test_numbers_stay_numbers_in_csv(text):
    assert csv_cell(text) == text


def test_typst_escape_makes_markup_literal():
    assert typst_escape("#set *b* $x$ <y> @z") == r"\#set \*b\* \$x\$ \<y\> \@z"


def b_dataset_targets(db, version):
    """The distinct target rows (indicator, place, year, value) of a dataset version."""
    obs = db.dataset(version).observations
    rows = obs[obs["kind"] == "target"]
    return set(zip(rows["indicator"], rows["geography"], rows["year"], rows["value"], strict=True))
