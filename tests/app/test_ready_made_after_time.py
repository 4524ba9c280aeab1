"""A ready-made scenario written before a year ended still opens once it has (AppTest, a real
database): its setting for the ended year is left out and said, and the rest applies."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from planner.engine import load_model
from planner.horizon import last_ended_year, settable_years
from planner.i18n import LANGS
from planner.saved import builtin_scenarios
from planner.store import DuckDBStore
from tests.app.saved_helpers import open_app

LAST_ENDED_YEAR, SETTABLE_YEARS = last_ended_year(), settable_years()  # on the tests' day
# written when the ended year could still be set: one setting for it, one for a year ahead
SETTINGS = {"levers": {"cashless": {str(LAST_ENDED_YEAR): 50, str(SETTABLE_YEARS[0]): 60}},
            "overrides": {}}


@pytest.fixture(scope="module")
def old_db(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Path:
    """The real data with ``plan_targets`` setting the last ended year."""
    folder = tmp_path_factory.mktemp("old_ready_made") / "data"
    shutil.copytree(data_dir, folder)
    path = folder / "scenarios.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    for row in rows:
        if row["id"] == "plan_targets":
            row["settings"] = json.dumps(SETTINGS)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    db = folder.parent / "planner.duckdb"
    store = DuckDBStore(db)
    store.migrate()
    store.load_dataset(folder)
    return db


def test_the_ended_setting_is_left_out_and_the_rest_applies(old_db: Path) -> None:
    model = load_model(DuckDBStore(old_db))
    b = {b.id: b for b in builtin_scenarios(model.dataset)}["plan_targets"]
    scenario, problems = b.applied(model)
    assert scenario.levers == {"cashless": {SETTABLE_YEARS[0]: 60.0}}
    assert [(p.field, p.code) for p in problems] == [
        (f"levers.cashless.{LAST_ENDED_YEAR}", "year_ended")]


@pytest.mark.parametrize("lang", LANGS)
def test_compare_saved_and_briefing_open_it(old_db: Path, lang: str,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    ended = "đã kết thúc" if lang == "vi" else "has ended"
    at = open_app(old_db, monkeypatch, lang, {"c": "baseline,plan_targets"}, "app_pages/compare.py")
    said = [c.value for c in at.caption if ended in c.value and str(LAST_ENDED_YEAR) in c.value]
    assert said, [c.value for c in at.caption]
    assert at.dataframe  # the comparison is drawn
    open_app(old_db, monkeypatch, lang, {"s": "plan_targets"}, "app_pages/saved.py")
    at = open_app(old_db, monkeypatch, lang, {"s": "plan_targets"})
    assert at.metric
