"""Labels that match the sources: what each number rests on, as a careful reader of the
sources would say it (issue 19, point 7)."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from planner import standing
from planner.dataset import read_data_dir
from planner.engine import fit_dataset
from planner.export import render
from planner.figures.outcomes import evidence_text
from planner.i18n import t
from planner.ids import OVERALL, PILLARS, RANK
from planner.standing import pick
from tests.export_support import real_bundle

QN = "Quảng Ninh"


@pytest.fixture(scope="module")
def model(data_dir):
    return fit_dataset(read_data_dir(data_dir))


@pytest.fixture(scope="module")
def bundles(model):
    return {lang: real_bundle(model, lang) for lang in ("vi", "en")}


# ---------------------------------------------------------------- ranking published, score not found
@pytest.mark.parametrize("year", [2023, 2024])
def test_dti_years_whose_ranking_was_published_say_the_score_was_not_found(model, year):
    assert standing.published_elsewhere(model.obs, OVERALL, year)
    assert standing.refined_basis(model.obs, OVERALL, year, "estimate") == "not_found"
    assert standing.refined_basis(model.obs, RANK, year, "estimate") == "not_found"
    assert standing.refined_basis(model.obs, OVERALL, 2025, "estimate") == "estimate"  # not published


def test_the_2024_pillar_averages_mark_the_pillar_rankings_published(model):
    assert all(standing.refined_basis(model.obs, p, 2024, "estimate") == "not_found" for p in PILLARS)


def test_exports_label_those_years_in_both_languages(bundles):
    for lang, b in bundles.items():
        book = openpyxl.load_workbook(io.BytesIO(render(b, "xlsx")))
        sheet = book.worksheets[1]
        basis = {(r[0], r[2]): r[8] for r in sheet.iter_rows(min_row=2, values_only=True)}
        want = t("export.basis.not_found", lang)
        assert basis[(OVERALL, 2023)] == basis[(OVERALL, 2024)] == want
        assert basis[(OVERALL, 2025)] == t("export.basis.estimate", lang)
    csv = pd.read_csv(io.BytesIO(render(bundles["en"], "csv")), encoding="utf-8-sig")
    dti = csv[csv["indicator"] == OVERALL].set_index("year")["basis"]
    assert (dti[2023], dti[2024], dti[2025]) == ("not_found", "not_found", "estimate")


def test_the_chart_says_so_on_hover(model):
    from planner.figures.outcomes import by_indicator, outcome_figure
    sim = model.simulate(draws=200, seed=0)
    frame = sim.frame()
    cols = by_indicator(frame, ("year", "value", "p10", "p90"))
    history = pd.DataFrame({"year": [2022], "value": [0.7024], "kind": ["observed"],
                            "source": ["s"]})
    fig = outcome_figure(model, OVERALL, lang="en", title="DTI", scenario=cols[OVERALL],
                         baseline=cols[OVERALL], targets=[], history=history, is_baseline=True)
    estimate = next(tr for tr in fig.data if tr.name == t("chart.estimate", "en"))
    texts = dict(zip(estimate.x, estimate.text, strict=True))
    assert texts[2023] == texts[2024] == t("basis.not_found", "en")
    assert texts[2025] == t("chart.estimate", "en")


# ---------------------------------------------------------------- observed years only
def test_the_rank_chart_counts_only_observed_ranks(model):
    inferred = pick(model.obs, RANK, 2023)
    assert "INFERRED" in inferred["note_en"]
    assert standing.observed_figures(model.obs, RANK) == 3  # 2020, 2021, 2022; 2023's 12th is inferred
    assert evidence_text(model, RANK, "en") == t("evidence.points", "en", n=3)


# ---------------------------------------------------------------- derived, two readings
def test_the_2021_online_filing_rate_is_derived_with_two_readings(model, bundles):
    row = pick(model.obs, "online_filing_rate", 2021)
    assert row["kind"] == "derived" and row["value"] == 45 and standing.has_two_readings(row)
    assert "76 / 1.31" in row["note_en"] and "76 / 1,31" in row["note_vi"]
    assert standing.refined_basis(model.obs, "online_filing_rate", 2021, "observed") == "two_readings"
    assert standing.refined_basis(model.obs, "online_filing_rate", 2023, "observed") == "observed"
    assert standing.observed_figures(model.obs, "online_filing_rate") == 1
    for lang, b in bundles.items():
        book = openpyxl.load_workbook(io.BytesIO(render(b, "xlsx")))
        basis = {(r[0], r[2]): r[8] for r in book.worksheets[1].iter_rows(min_row=2,
                                                                           values_only=True)}
        assert basis[("online_filing_rate", 2021)] == t("export.basis.two_readings", lang)
        assert basis[("online_filing_rate", 2023)] == t("export.basis.observed", lang)


# ---------------------------------------------------------------- the year of seed 002's 2022 rows
def test_rows_of_2022_never_say_they_are_the_state_at_the_end_of_2023(model):
    obs = model.obs
    wrong = obs[(obs["year"] != 2023)
                & (obs["note_en"].fillna("").str.contains("state at the end of 2023")
                   | obs["note_vi"].fillna("").str.contains("tình trạng cuối năm 2023"))]
    assert wrong.empty, wrong[["indicator", "year"]]
    seed = obs[(obs["source"] == "002_6927366462fda388.txt") & (obs["year"] == 2022)]
    assert set(seed["indicator"]) == {"dti_overall_rank", "ict_index_rank",
                                      "online_public_services_provision_rank"}
    assert seed["note_en"].str.contains("'Năm 2022'").all()


# ---------------------------------------------------------------- a chance under 0.5 %
def test_the_35_percent_target_reads_below_one_percent_never_zero(model):
    from planner.targets import target_register
    from planner.views import register_table
    sim = model.simulate(draws=2000, seed=1)
    register = target_register(model, sim)
    row = register[register["target_id"] == "digital_economy_share_grdp@2030=35"].iloc[0]
    assert 0 < row["probability"] < 0.005
    for lang in ("vi", "en"):
        shown = register_table(register, model, lang, {})
        chance = shown.loc[register["target_id"] == "digital_economy_share_grdp@2030=35",
                           t("register.chance", lang)].iloc[0]
        assert chance == "< 1%"


# ---------------------------------------------------------------- pillars against the rank
def test_the_pillar_note_gives_the_published_averages_in_both_languages(model):
    from planner.views import pillar_note
    labels = {"dti_digital_economy": "E", "dti_digital_society": "S",
              "dti_digital_government": "G"}
    en, vi = pillar_note(model.obs, "en", labels), pillar_note(model.obs, "vi", labels)
    assert "G 0.7582; E 0.7723; S 0.7692" in en and "(0.6961)" in en
    assert "G 0,7582; E 0,7723; S 0,7692" in vi and "(0,6961)" in vi
