"""Display order and chart groups are columns of indicators.csv: a new indicator is one row."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from planner.dataset import DataValidationError, read_data_dir
from planner.engine import fit_dataset
from planner.i18n import LANGS, load_catalogue
from planner.ids import PILLAR_RANKS
from planner.indicators import FACTS_GROUP, chart_groups, display_order, facts, ordered
from planner.migrations import MIGRATIONS, migrate
from planner.store import DuckDBStore
from planner.validation import ADDED_COLUMNS, CHART_GROUPS
from planner.views import outcome_order
from tests.conftest import write_data_dir

DTI_TAB = ("dti_overall", "dti_overall_rank", "dti_digital_government", "dti_digital_economy",
           "dti_digital_society")
PROGRAMME_TAB = ("digital_economy_share_grdp", "dossiers_processed_fully_online",
                 "online_filing_rate", "cashless_adoption", "ecommerce_uptake")
"""The order and tabs the planner showed when they were written in code."""


def frame(rows: list[tuple[str, object, str]]) -> pd.DataFrame:
    return pd.DataFrame([{"id": i, "display_order": o, "chart_group": g} for i, o, g in rows],
                        columns=["id", "display_order", "chart_group"]
                        ).astype({"display_order": "Int64"})


def test_display_order_puts_ordered_rows_first_then_the_rest_in_file_order():
    f = frame([("a", None, ""), ("b", 2, ""), ("c", 1, ""), ("d", None, ""), ("e", 2, "")])
    assert display_order(f) == ("c", "b", "e", "a", "d")
    assert ordered(["d", "zz", "b", "c"], f) == ("c", "b", "d", "zz")


def test_the_bundled_data_keeps_the_order_tabs_and_facts_the_pages_showed(data_dir: Path):
    data = read_data_dir(data_dir)
    outcomes = [*DTI_TAB, *PROGRAMME_TAB]
    assert ordered(outcomes, data.indicators) == (*DTI_TAB, *PROGRAMME_TAB)
    assert chart_groups(data.indicators, reversed(outcomes)) == (("dti", DTI_TAB),
                                                                 ("programme", PROGRAMME_TAB))
    assert facts(data.indicators) == PROGRAMME_TAB


def test_a_new_indicator_is_one_row(data_dir: Path):
    """An added row with an order and a group takes its place in the list and its tab."""
    data = read_data_dir(data_dir)
    new = pd.DataFrame([{**data.indicators.iloc[0].to_dict(), "id": "dti_new_pillar",
                         "display_order": 3, "chart_group": "dti"}])
    indicators = pd.concat([data.indicators, new], ignore_index=True)
    outcomes = [*DTI_TAB, *PROGRAMME_TAB, "dti_new_pillar"]
    assert ordered(outcomes, indicators)[:4] == (*DTI_TAB[:2], "dti_digital_government",
                                                 "dti_new_pillar")
    (dti, tab), _ = chart_groups(indicators, outcomes)
    assert dti == "dti" and "dti_new_pillar" in tab
    assert "dti_new_pillar" not in facts(indicators)


def test_an_outcome_without_a_group_is_charted_in_the_last_tab():
    f = frame([("a", 1, "dti"), ("b", 2, ""), ("c", 3, "programme")])
    assert chart_groups(f, ["a", "b", "c"]) == (("dti", ("a",)), ("programme", ("b", "c")))
    assert chart_groups(f, ["a", "b"]) == (("dti", ("a", "b")),)
    none = frame([("a", None, ""), ("b", None, "")])
    assert chart_groups(none, ["b", "a"]) == ((CHART_GROUPS[-1], ("a", "b")),)
    assert chart_groups(none, []) == ()


def test_every_chart_group_has_a_tab_title_in_both_languages():
    catalogue = load_catalogue()
    for group in CHART_GROUPS:
        assert all(catalogue[f"planner.tab_{group}"][lang] for lang in LANGS), group
    assert FACTS_GROUP in CHART_GROUPS


def test_the_model_lists_its_outcomes_in_the_data_order(data_dir: Path):
    model = fit_dataset(read_data_dir(data_dir))
    shown = outcome_order(model)
    assert shown[:len(DTI_TAB) + len(PROGRAMME_TAB)] == (*DTI_TAB, *PROGRAMME_TAB)
    # every outcome but the pillar ranks (shown in one line beside the overall rank)
    assert sorted(shown) == sorted(set(model.outcome_ids) - set(PILLAR_RANKS))
    # (on these data no pillar rank is projected: too few provinces with a pillar score a year)
    assert set(PILLAR_RANKS) == set(model.thin_ranks)


# ------------------------------------------------------------------ files and stores from before
OLD_HEADER = "id,label_vi,label_en,unit,pillar,higher_is_better,definition_vi,definition_en"


def without_new_columns(text: str) -> str:
    lines = text.splitlines()
    assert lines[0] == OLD_HEADER + ",display_order,chart_group"
    return "\n".join([OLD_HEADER, *(line.rsplit(",", 2)[0] for line in lines[1:])]) + "\n"


def test_a_file_written_before_the_columns_still_loads(tmp_path: Path, small_files):
    old = dict(small_files, **{"indicators.csv": without_new_columns(small_files["indicators.csv"])})
    data = read_data_dir(write_data_dir(tmp_path / "old", old))
    assert data.indicators["display_order"].isna().all()
    assert set(data.indicators["chart_group"]) == {""}
    assert display_order(data.indicators) == tuple(data.indicators["id"])  # file order
    assert facts(data.indicators) == ()


@pytest.mark.parametrize(("cells", "column", "problem"), [
    ("0,dti", "display_order", "must be >= 1"),
    ("first,dti", "display_order", "is not a whole number"),
    ("1,economy", "chart_group", "'economy' is not one of"),
])
def test_bad_cells_are_named(tmp_path: Path, small_files, cells: str, column: str, problem: str):
    text = small_files["indicators.csv"].replace(",,,1,dti\n", f",,,{cells}\n", 1)
    assert text != small_files["indicators.csv"]
    folder = write_data_dir(tmp_path / "bad", dict(small_files, **{"indicators.csv": text}))
    with pytest.raises(DataValidationError) as info:
        read_data_dir(folder)
    error = info.value
    assert (error.file, error.row, error.column) == ("indicators.csv", 2, column)
    assert problem in error.problem


def test_a_version_stored_before_the_columns_keeps_its_order_and_tabs(
        tmp_db_path: Path, data_dir: Path):
    """Migration 5 gives the versions stored under schema 4 the order and tabs of then."""
    data = read_data_dir(data_dir)
    con = duckdb.connect(str(tmp_db_path))
    try:
        migrate(con, MIGRATIONS[:4])
        con.execute("INSERT INTO dataset_versions VALUES ('old', TIMESTAMP '2026-01-02 03:04:05',"
                    " '{}', '{}', TRUE, '', '')")
        for name, f in data.frames().items():
            old = f.drop(columns=["display_order", "chart_group"], errors="ignore")
            if name == "levers":  # the plausible ranges came with migration 6
                old = old.drop(columns=list(ADDED_COLUMNS["levers"]))
            old.insert(0, "line", range(2, len(old) + 2))
            old.insert(0, "dataset_version", "old")
            con.register("incoming_old", old)
            quoted = ", ".join(f'"{c}"' for c in old.columns)
            con.execute(f'INSERT INTO "data_{name}" ({quoted}) SELECT {quoted} FROM incoming_old')  # noqa: S608
            con.unregister("incoming_old")
    finally:
        con.close()
    stored = DuckDBStore(tmp_db_path).dataset("old")
    assert stored.version == "old"
    outcomes = [*DTI_TAB, *PROGRAMME_TAB]
    assert chart_groups(stored.indicators, outcomes) == (("dti", DTI_TAB),
                                                         ("programme", PROGRAMME_TAB))
    assert facts(stored.indicators) == PROGRAMME_TAB
    others = stored.indicators[~stored.indicators["id"].isin(outcomes)]
    assert others["display_order"].isna().all() and set(others["chart_group"]) == {""}
