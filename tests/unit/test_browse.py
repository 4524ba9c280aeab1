"""Searching and filtering the baseline, conflict groups and the display table."""

from __future__ import annotations

import pandas as pd
import pytest

from planner.browse import (
    conflict_groups,
    conflict_title,
    display_table,
    filter_observations,
    fold,
    has_accents,
    has_conflict,
    number_readings,
)
from planner.i18n import t

COLUMNS = [
    "indicator", "geography", "year", "period", "value", "unit", "kind",
    "source", "source_date", "quote", "note_vi", "note_en", "conflict",
]


@pytest.fixture
def obs() -> pd.DataFrame:
    return pd.DataFrame(
        [
            ["dti_overall", "Quảng Ninh", 2022, "", 0.7024, "index_0_1", "observed", "s0",
             "2023-07", "điểm số DTI đạt 0,7024", "", "", ""],
            ["dti_digital_government", "Quảng Ninh", 2020, "", 0.5293, "index_0_1", "derived",
             "s0", "2023-07", "tăng 0,2511 điểm", "0,7804 trừ 0,2511", "0.7804 minus 0.2511",
             "dg_2020"],
            ["dti_digital_government", "Quảng Ninh", 2020, "", 0.4513, "index_0_1", "external",
             "ext", "", "Chính quyền số: 0,4513", "", "", "dg_2020"],
            ["personal_payment_accounts", "Quảng Ninh", 2024, "2024-09", 3_400_000, "count",
             "external", "ext", "", "", "gần 802.000 tài khoản ví điện tử",
             "nearly 802,000 e-wallet accounts", ""],
            ["dti_digital_government_rank", "Quảng Ninh", 2023, "", 2, "rank_of_63", "observed",
             "s0", "2024", "tiếp tục xếp vị trí thứ 2/63", "CHƯA CHẮC CHẮN: vi dien tu",
             "UNCERTAIN: 'tiếp tục' conflicts with 2022", ""],
        ],
        columns=COLUMNS,
    )


@pytest.fixture
def indicators() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["dti_overall", "dti_digital_government", "personal_payment_accounts"],
            "label_vi": ["Chỉ số DTI tổng thể", "Chính quyền số", "Tài khoản thanh toán"],
            "label_en": ["Overall DTI", "Digital government", "Payment accounts"],
        }
    )


@pytest.fixture
def units() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["index_0_1", "count"],
            "label_vi": ["Chỉ số 0-1", "Số lượng"],
            "label_en": ["Index 0-1", "Count"],
            "decimals": [4, 0],
        }
    )


@pytest.fixture
def sources() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["s0", "ext"],
            "kind": ["seed", "external"],
            "title": ["Báo Quảng Ninh", "Cổng thông tin Uông Bí"],
            "publisher": ["", "UBND TP Uông Bí"],
        }
    )


def test_fold_removes_accents_and_case():
    assert fold("Quảng Ninh ĐẠT") == "quang ninh dat"
    assert fold(None) == ""


def test_search_without_accents_in_quotes_labels_and_sources(obs, indicators, sources):
    def search(text):
        return list(
            filter_observations(obs, text, indicator_table=indicators, source_table=sources).index
        )

    assert search("chinh quyen") == [1, 2]  # label of the indicator, without accents
    assert search("overall") == [0]  # English label
    assert search("uong bi") == [2, 3]  # source title and publisher
    assert search("2024") == [3]  # year
    assert search("dg_2020") == [1, 2]  # conflict id
    assert search("0,7024 DTI") == [0]  # every word must match
    assert search("nothing-like-this") == []
    assert search("") == [0, 1, 2, 3, 4]


def test_filters_combine(obs):
    assert list(filter_observations(obs, kinds=["external"]).index) == [2, 3]
    assert list(filter_observations(obs, kinds=["external"], sources=["s0"]).index) == []
    got = filter_observations(obs, indicators=["dti_digital_government"], kinds=[])
    assert list(got.index) == [1, 2]


def test_conflicts(obs):
    assert list(has_conflict(obs)) == [False, True, True, False, False]
    groups = conflict_groups(obs)
    assert list(groups) == ["dg_2020"]
    assert sorted(groups["dg_2020"]["kind"]) == ["derived", "external"]


@pytest.mark.parametrize(
    ("lang", "score", "accounts"), [("vi", "0,7024", "3.400.000"), ("en", "0.7024", "3,400,000")]
)
def test_display_table_is_translated_and_formatted(obs, indicators, units, sources, lang, score,
                                                   accounts):
    table = display_table(obs, lang, indicators, units, sources)
    value = t("column.value", lang)
    assert list(table[value]) == [score, "0,5293" if lang == "vi" else "0.5293",
                                  "0,4513" if lang == "vi" else "0.4513", accounts, "2"]
    assert table[t("column.kind", lang)].iloc[1] == t("kind.derived", lang)
    title = conflict_title("dg_2020", lang, obs, indicators)
    assert title != "dg_2020" and "dg_2020" not in title
    assert table[t("column.conflict", lang)].iloc[1] == f"⚠ {title}"
    assert table[t("column.conflict", lang)].iloc[0] == ""
    assert table[t("column.conflict", lang)].iloc[4] == f"⚠ {t('data.uncertain', lang)}"
    note = t("column.note", lang)
    assert table[note].iloc[1] == ("0,7804 trừ 0,2511" if lang == "vi" else "0.7804 minus 0.2511")
    assert table[t("column.year", lang)].iloc[0] == "2022"
    assert table[t("column.source", lang)].iloc[2] == "Cổng thông tin Uông Bí"
    assert table[t("column.quote", lang)].iloc[0] == "điểm số DTI đạt 0,7024"
    assert list(table.index) == list(obs.index)


def _search(obs, text, indicators=None, sources=None):
    return list(filter_observations(obs, text, indicator_table=indicators,
                                    source_table=sources).index)


@pytest.mark.parametrize("written", ["3.400.000", "3,400,000", "3400000"])
def test_a_number_is_found_however_it_is_written(obs, written):
    assert _search(obs, written) == [3]  # the value 3,400,000 of row 3


@pytest.mark.parametrize("written", ["802.000", "802,000", "802000"])
def test_a_number_in_a_note_is_found_however_it_is_written(obs, written):
    assert _search(obs, written) == [3]  # "802.000" (vi note) and "802,000" (en note)


@pytest.mark.parametrize("written", ["0,7024", "0.7024"])
def test_a_decimal_is_found_in_either_notation(obs, written):
    assert _search(obs, written) == [0]


def test_part_of_a_number_still_matches_as_text(obs):
    assert _search(obs, "802") == [3]


def test_number_readings():
    assert number_readings("802.000") == {802000.0, 802.0}
    assert number_readings("802,000") == {802000.0, 802.0}
    assert number_readings("0,7024") == {0.7024}
    assert number_readings("1.234,5") == {1234.5}
    assert number_readings("3.4") == {3.4}
    assert number_readings("abc") == frozenset()


def test_accents_matter_when_the_query_has_them(obs):
    # row 3 writes "ví điện tử"; row 4 only "vi dien tu" (without accents)
    assert _search(obs, "ví điện tử") == [3]
    assert _search(obs, "vi dien tu") == [3, 4]
    assert has_accents("điện") and has_accents("Ví") and not has_accents("DTI 2022")


def test_search_finds_kind_names_and_conflict_titles_in_both_languages(obs, indicators):
    assert _search(obs, t("kind.derived", "vi")) == [1]
    assert _search(obs, t("kind.derived", "en")) == [1]
