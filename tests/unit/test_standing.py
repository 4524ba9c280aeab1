"""Which value the briefing shows: latest year, kind preference, change, rank, later ranks."""

from __future__ import annotations

import pandas as pd
import pytest

from planner.ids import PILLARS
from planner.standing import (
    alternatives,
    change,
    latest_facts,
    pick,
    standing,
    targets,
    years_with_value,
)

COLUMNS = [
    "indicator", "geography", "year", "period", "value", "unit", "kind",
    "source", "source_date", "quote", "note", "conflict",
]
QN = "Quảng Ninh"


def row(indicator, year, value, kind="observed", unit="index_0_1", source="seed0",
        geography=QN, conflict="", note="", source_date="2023-07"):
    if kind == "derived" and not note:
        note = "formula"
    return [indicator, geography, year, "", value, unit, kind, source, source_date, "q", note, conflict]


@pytest.fixture
def obs() -> pd.DataFrame:
    rows = [
        row("dti_overall", 2020, 0.3897, "external", source="uongbi"),
        row("dti_overall", 2021, 0.4972, "derived"),
        row("dti_overall", 2022, 0.7024),
        row("dti_overall", 2022, 0.70, "derived"),
        row("dti_overall", 2030, 0.95, "target"),
        row("dti_overall_rank", 2021, 7, "derived", unit="rank_of_63"),
        row("dti_overall_rank", 2022, 3, unit="rank_of_63"),
        row("dti_overall_rank", 2023, 12, "external", unit="rank_of_63", source="baomoi"),
        row("dti_digital_government", 2020, 0.5293, "derived", conflict="dg_2020"),
        row("dti_digital_government", 2020, 0.4513, "external", source="uongbi", conflict="dg_2020"),
        row("dti_digital_government", 2021, 0.6376, "derived"),
        row("dti_digital_government", 2022, 0.7804),
        row("dti_digital_government_rank", 2022, 4, unit="rank_of_63"),
        row("dti_digital_government_rank", 2021, 5, "derived", unit="rank_of_63"),
        row("dti_digital_economy", 2022, 0.7187),
        row("dti_overall", 2022, 0.5786, "external", geography="Việt Nam"),
        row("digital_economy_share_grdp", 2024, 7.1, "external", unit="percent"),
        row("digital_economy_share_grdp", 2025, 20, "target", unit="percent"),
        row("digital_economy_share_grdp", 2030, 35, "target", unit="percent", conflict="de_2030"),
        row("digital_economy_share_grdp", 2030, 30, "target", unit="percent", source="res09",
            conflict="de_2030"),
        row("online_filing_rate", 2023, 76, unit="percent"),
        row("online_filing_rate", 2024, None, unit="percent"),
        row("avg", 2022, 0.5763, "external", geography="Việt Nam", source="mirror",
            source_date="2024", conflict="avg_2022"),
        row("avg", 2022, 0.5786, "external", geography="Việt Nam", source="original",
            source_date="2023-07", conflict="avg_2022"),
        row("avg", 2022, 0.5, "external", geography="Việt Nam", source="undated", source_date="",
            conflict="avg_2022"),
    ]
    return pd.DataFrame(rows, columns=COLUMNS)


def test_pick_latest_prefers_observed_and_ignores_targets_and_other_places(obs):
    found = pick(obs, "dti_overall")
    assert found["year"] == 2022
    assert found["value"] == pytest.approx(0.7024)
    assert found["kind"] == "observed"


def test_pick_a_year_follows_the_kind_order(obs):
    assert pick(obs, "dti_overall", 2021)["kind"] == "derived"
    assert pick(obs, "dti_overall", 2020)["kind"] == "external"
    # external comes before derived: the published 2020 pillar, not the implied one
    assert pick(obs, "dti_digital_government", 2020)["value"] == pytest.approx(0.4513)
    assert pick(obs, "dti_overall", 2019) is None
    assert pick(obs, "no_such_indicator") is None
    assert pick(obs, "dti_overall", 2022, kinds=("derived",))["value"] == pytest.approx(0.70)


def test_missing_values_are_not_picked(obs):
    assert pick(obs, "online_filing_rate")["year"] == 2023


def test_change_since_previous_year(obs):
    found = change(obs, "dti_overall")
    assert found.year == 2022
    assert found.previous["kind"] == "derived"
    assert found.delta == pytest.approx(0.2052)
    alone = change(obs, "dti_digital_economy")
    assert alone.previous is None and alone.delta is None


def test_standing_rank_in_the_same_year_and_later_ranks(obs):
    overall = standing(obs, "dti_overall")
    assert overall.year == 2022
    assert overall.rank.value == 3
    assert overall.places_gained == 4
    assert [int(r["year"]) for r in overall.later_ranks] == [2023]
    pillar = standing(obs, "dti_digital_government")
    assert pillar.score.delta == pytest.approx(0.1428)
    assert pillar.places_gained == 1
    assert pillar.later_ranks == ()
    economy = standing(obs, "dti_digital_economy")
    assert economy.rank is None and economy.places_gained is None
    assert standing(obs, "dti_digital_society") is None
    assert PILLARS == ("dti_digital_government", "dti_digital_economy", "dti_digital_society")


def test_alternatives_show_the_other_side_of_a_conflict(obs):
    chosen = pick(obs, "dti_digital_government", 2020)
    others = alternatives(obs, chosen)
    assert list(others["value"]) == [pytest.approx(0.5293)]
    latest = pick(obs, "dti_overall")
    assert list(alternatives(obs, latest)["kind"]) == ["derived"]


def test_latest_facts_skip_indicators_without_values(obs):
    facts = latest_facts(obs, ("digital_economy_share_grdp", "online_filing_rate",
                               "cashless_adoption"))
    assert [f.current["indicator"] for f in facts] == [
        "digital_economy_share_grdp",
        "online_filing_rate",
    ]
    assert facts[0].value == pytest.approx(7.1)


def test_targets_keep_both_sides(obs):
    goals = targets(obs, "digital_economy_share_grdp")
    assert list(goals["year"]) == [2025, 2030, 2030]
    assert sorted(goals.loc[goals["year"] == 2030, "value"]) == [30, 35]


def test_years_with_value(obs):
    assert years_with_value(obs, "dti_overall") == [2020, 2021, 2022]
    assert years_with_value(obs, "dti_overall", kinds=("target",)) == [2030]


def test_same_kind_ties_go_to_the_earliest_dated_source(obs):
    chosen = pick(obs, "avg", geography="Việt Nam")
    assert chosen["source"] == "original"
    assert sorted(alternatives(obs, chosen)["source"]) == ["mirror", "undated"]
