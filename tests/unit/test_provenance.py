"""Provenance of the real data: every seed quote is in its seed, every value has a source."""

import unicodedata
from pathlib import Path

from planner.dataset import read_data_dir
from tests.needs import missing

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO.parent / "shared" / "seeds"
DATA = read_data_dir(REPO / "data")


def _norm(s: str) -> str:
    return " ".join(unicodedata.normalize("NFC", s).split())


def test_every_seed_quote_is_verbatim_in_its_seed():
    if not SEEDS.is_dir():
        missing(f"the seed documents ({SEEDS})", "the shared/seeds folder beside the repository")
    obs = DATA.observations
    seeds = {p.name: _norm(p.read_text(encoding="utf-8")) for p in SEEDS.glob("*.txt")}
    rows = obs[obs["source"].isin(list(seeds)) & (obs["quote"] != "")]
    assert len(rows) > 80
    lost = [(r.indicator, r.year, r.quote) for r in rows.itertuples() if _norm(r.quote) not in seeds[r.source]]
    assert lost == []


def test_every_value_has_a_kind_and_a_known_source():
    obs = DATA.observations
    assert set(obs["kind"]) <= {"observed", "derived", "target", "external", "assumption"}
    assert set(obs["source"]) <= set(DATA.sources["id"])
    derived = obs[obs["kind"] == "derived"]
    assert (derived["note_en"].str.len() > 10).all() and (derived["note_vi"].str.len() > 10).all()
    external = DATA.sources[DATA.sources["kind"] == "external"]
    assert (external["address"].str.len() > 0).all()


def test_known_conflicts_are_flagged():
    obs = DATA.observations
    groups = obs[obs["conflict"] != ""].groupby("conflict")["value"].apply(set)
    assert {0.5293, 0.4513} <= groups["dti_dg_2020"]
    assert {30.0, 35.0} <= groups["de_target_2030"]
    typo = obs[obs["conflict"] == "de_target_2025_typo"]
    assert (typo["value"] == 20).all() and typo["quote"].str.contains("220% GRDP").any()
