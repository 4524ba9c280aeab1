"""Page-shaped tables (planner.views) and outcome charts (planner.figures.outcomes) on the real data."""

from __future__ import annotations

import json
from pathlib import Path

import plotly.graph_objects as go
import pytest
from plotly.io.json import to_json_plotly

from planner.contributions import contributions
from planner.engine import load_model
from planner.figures import outcomes
from planner.figures.style import OKABE_ITO
from planner.ids import PILLAR_RANKS
from planner.scenario import BASELINE
from planner.store import DuckDBStore
from planner.targets import evaluate_targets
from planner.views import (
    assumption_options,
    control_values,
    display_outcomes,
    editable_assumptions,
    fmt_change,
    fmt_outcome,
    fmt_probability,
    goalseek_targets,
    headline_rank,
    headline_targets,
    lever_options,
    lever_views,
    outcome_order,
    outcome_rows,
    rank_range,
    scenario_from_controls,
    snap,
    status_label,
    waterfall_steps,
)


@pytest.fixture(scope="module")
def model(loaded_db: Path):
    return load_model(DuckDBStore(loaded_db))


@pytest.fixture(scope="module")
def baseline_results(model):
    sim = model.simulate(BASELINE, 500, 0)
    return sim.frame(), evaluate_targets(model, sim), model.project(BASELINE)


def test_lever_grid_and_snap():
    grid = lever_options(0, 100, 0.5)
    assert len(grid) == 201 and grid[0] == 0 and grid[-1] == 100 and 92.5 in grid
    assert lever_options(0, 1, 0.3) == (0, 0.3, 0.6, 0.9, 1)
    assert snap(92.456, 0, 100, 0.5) == 92.5
    assert snap(-3, 0, 100, 0.5) == 0 and snap(140, 0, 100, 0.5) == 100
    with pytest.raises(ValueError):
        lever_options(0, 100, 0)


def test_lever_defaults_are_the_rounded_baseline(model):
    levers = {lv.id: lv for lv in lever_views(model)}
    assert set(levers) == {"online_filing", "cashless", "ecommerce"}
    for lv in levers.values():
        for year in (2027, 2030):
            assert lv.default[year] in lv.options
            assert abs(lv.default[year] - lv.baseline[year]) <= lv.step / 2
    assert levers["cashless"].targets == {}  # its 2025 target is in an ended year
    assert levers["ecommerce"].label("vi") != levers["ecommerce"].label("en")


def test_controls_at_their_defaults_are_the_baseline(model):
    levers = lever_views(model)
    values = control_values(levers, BASELINE)
    assert model.validate(scenario_from_controls(levers, values)).is_baseline()
    values["cashless"][2030] = 80.0
    frame = model.assumptions.frame()
    defaults = dict(zip(frame["id"], frame["default"], strict=True))
    raw = scenario_from_controls(levers, values, {"de_share_growth_pp": 0.5,
                                                  "e_filing_to_dg": 0.004}, defaults)
    assert raw == {"levers": {"cashless": {2030: 80.0}}, "overrides": {"e_filing_to_dg": 0.004}}
    scenario = model.validate(raw)
    assert control_values(levers, scenario)["cashless"] == {
        2027: values["cashless"][2027], 2030: 80.0}


def test_editable_assumptions_change_something(model):
    editable = editable_assumptions(model)
    assert "e_filing_to_dg" in editable and "de_share_growth_pp" in editable
    assert "field_size_switch_year" not in editable  # fixed at fit time (and low == high)
    assert "dti_calibration_from_year" not in editable
    frame = model.assumptions.frame().set_index("id")
    for aid in editable:
        row = frame.loc[aid]
        grid = assumption_options(row["default"], row["low"], row["high"])
        assert grid[0] == pytest.approx(row["low"]) and grid[-1] == pytest.approx(row["high"])
        assert float(row["default"]) in grid
        assert list(grid) == sorted(grid) and 10 <= len(grid) <= 60


def test_outcome_table_against_targets(model, baseline_results):
    frame, targets, base = baseline_results
    rows = outcome_rows(model, frame, base, targets)
    assert set(rows["year"]) == {2025, 2027, 2030}  # the last ended year and the settable ones
    assert set(rows[rows["year"] == 2025]["basis"]) == {"estimate"}
    assert set(rows[rows["year"] == 2030]["basis"]) == {"projection"}
    assert set(rows[rows["assumed"]]["indicator"]) == {"cashless_adoption", "ecommerce_uptake"}
    # every outcome but the pillar ranks, which the pages show in one line beside the rank
    assert set(rows["indicator"]) == set(model.outcome_ids) - set(PILLAR_RANKS)
    # the two conflicting 2030 targets of the digital-economy share are two rows
    de = rows[(rows["indicator"] == "digital_economy_share_grdp") & (rows["year"] == 2030)]
    assert sorted(de["target"]) == [30.0, 35.0] and set(de["conflict"]) == {"de_target_2030"}
    shown = display_outcomes(rows, model, "vi", {i: i for i in model.outcome_ids})
    assert len(shown) == len(rows)
    de = shown[(shown["Chỉ số"] == "digital_economy_share_grdp") & (shown["Năm"] == "2030")]
    assert set(de["Trạng thái"]) == {"✖ Chệch hướng"}


def test_headline_targets_and_goalseek_choices(model, baseline_results):
    _, targets, _ = baseline_results
    cards = headline_targets(targets, model)
    # 2025's four (ended: likely met, likely missed or no measurement) and 2030's two
    assert len(cards) == 6 and set(cards["year"]) == {2025, 2030}  # no target falls in 2027
    assert set(cards[cards["year"] == 2025]["status"]) == {"likely_met", "likely_missed",
                                                          "no_measurement"}
    assert list(cards["year"]) == sorted(cards["year"])
    assert cards["reached"].dtype == bool
    ids = [tg.id for tg in goalseek_targets(model)]
    assert "online_filing_rate@2023=56" not in ids  # observed year: levers cannot change it
    assert "ecommerce_uptake@2025=55" not in ids  # 2025 has ended
    assert "digital_economy_share_grdp@2030=35" in ids


def test_formats_per_language(model, baseline_results):
    frame, _, _ = baseline_results
    assert fmt_outcome(0.82071, "dti_overall", 2030, model, "vi") == "0,8207"
    assert fmt_outcome(0.82071, "dti_overall", 2030, model, "en") == "0.8207"
    assert fmt_outcome(12.6, "dti_overall_rank", 2030, model, "en") == "13/34"
    assert fmt_outcome(3, "dti_overall_rank", 2022, model, "en") == "3/63"
    assert fmt_change(0.7, "digital_economy_share_grdp", 2030, model, "vi") == "+0,7 điểm %"
    # a rank three places smaller is three places gained
    assert fmt_change(-3, "dti_overall_rank", 2030, model, "en") == "+3 places"
    assert fmt_change(1, "dti_overall_rank", 2030, model, "vi") == "-1 bậc"
    assert fmt_change(1e-9, "dti_overall", 2030, model, "en") == "0"
    assert fmt_probability(0.37, "vi") == "37%" and fmt_probability(1, "en") == "100%"
    assert status_label("at_risk", "en") == "⚠ At risk"
    best, median, worst = rank_range(frame, 2030)
    assert 1 <= best <= median <= worst <= 34


def test_outcome_charts_are_valid_plotly_and_use_the_fixed_colours(model, baseline_results):
    frame, targets, base = baseline_results
    series = outcomes.by_indicator(frame, ("year", "value", "p10", "p90"))
    base_series = outcomes.by_indicator(base, ("year", "value"))
    hist = {ind: model.history.get(ind) for ind in model.outcome_ids}
    for ind in outcome_order(model):
        h = hist[ind]
        history = {"year": list(h.index), "value": list(h.values),
                   "kind": ["observed"] * len(h), "source": ["x"] * len(h)}
        goals = [r for r in targets.to_dict("records") if r["indicator"] == ind]
        spec = outcomes.outcome_spec(
            model, ind, lang="vi", title=ind, scenario=series[ind], baseline=base_series[ind],
            targets=goals, history=_frame(history), is_baseline=False)
        checked = go.Figure(spec)  # validates every property
        # what a lever move sends the browser (the dict as plotly's JSON) is the Figure's JSON
        fig = outcomes.as_figure(spec)
        assert json.loads(to_json_plotly(spec)) == json.loads(fig.to_json())
        assert checked.layout.separators == ",."
        colours = {tr.line.color for tr in checked.data if tr.line and tr.line.color}
        assert colours <= set(OKABE_ITO.values()), colours
        if ind == "dti_overall_rank":
            assert list(checked.layout.yaxis.range)[0] > list(checked.layout.yaxis.range)[1]
            assert any("34" in a.text for a in checked.layout.annotations)
    steps = [(2025, "Baseline", "absolute", 0.75, "0.75"), (2025, "A", "relative", 0.01, "+0.01"),
             (2025, "Scenario", "total", 0.76, "0.76")]
    chart = go.Figure(outcomes.contribution_chart(title="x", unit="index_0_1", lang="en",
                                                        steps=steps).to_dict())
    lo, hi = chart.layout.xaxis.range
    assert lo < 0.75 and hi > 0.76 and lo > 0.5  # zoomed on the levels the bars reach


def _frame(cols):
    import pandas as pd

    return pd.DataFrame(cols)


def test_compare_rank_chart_marks_the_change_of_field(model, baseline_results):
    from planner.figures.compare import compare_figure

    frame = baseline_results[0]
    rank = frame[frame["indicator"] == "dti_overall_rank"]
    sizes, switch = outcomes.rank_field(model)
    assert (sizes, switch) == ((63, 34), 2024)
    fig = go.Figure(compare_figure(indicator="dti_overall_rank", title="Rank", unit="rank_of_34",
                                   lang="en", series=[("A", "Baseline", rank)],
                                   field_sizes=sizes, switch_year=switch).to_dict())
    assert [s.x0 for s in fig.layout.shapes] == [2023.5]
    assert [a.text for a in fig.layout.annotations] == [
        outcomes.t("planner.chart.field_switch", "en", before=63, after=34), "Rank"]
    # no mark on another outcome, nor without field sizes
    overall = frame[frame["indicator"] == "dti_overall"]
    plain = compare_figure(indicator="dti_overall", title="DTI", unit="index_0_1", lang="en",
                           series=[("A", "Baseline", overall)], field_sizes=sizes,
                           switch_year=switch)
    assert not plain.layout.shapes and [a.text for a in plain.layout.annotations] == ["DTI"]


def test_waterfall_steps_add_up_to_the_scenario(model):
    scenario = model.validate({"levers": {"online_filing": {"2027": 95}, "cashless": {"2030": 90}},
                               "overrides": {}})
    parts = contributions(model, scenario)
    base = model.project(BASELINE, name="baseline")
    frame = model.project(scenario, name="s")
    names = {"online_filing": "Online", "cashless": "Cashless", "ecommerce": "E-commerce"}
    steps = waterfall_steps(model, "dti_overall", parts, base, frame, names, "en")
    years = sorted({s[0] for s in steps})
    assert years == [2027, 2030]
    for y in years:
        run = [s for s in steps if s[0] == y]
        assert run[0][2] == "absolute" and run[-1][2] == "total"
        assert {s[1] for s in run[1:-1]} <= set(names.values()) | {"assumptions"}
        assert sum(s[3] for s in run[:-1]) == pytest.approx(run[-1][3], abs=1e-9)
    assert waterfall_steps(model, "dti_overall", parts.iloc[0:0], base, frame, names,
                           "en") == []


def test_compare_chart_draws_estimates_apart_from_the_projection():
    """Years that ended without a figure are a lighter dotted line that meets the projection;
    the projection's own line starts where the estimates end."""
    import pandas as pd

    from planner.figures.compare import compare_figure
    from planner.i18n import t

    frame = pd.DataFrame({"year": [2022, 2023, 2024, 2025, 2026, 2027],
                          "value": [0.70, 0.71, 0.72, 0.73, 0.74, 0.75],
                          "p10": [0.7] * 6, "p90": [0.8] * 6,
                          "basis": ["observed", "estimate", "estimate", "estimate",
                                    "projection", "projection"]})
    fig = compare_figure(indicator="dti_overall", title="DTI", unit="index_0_1", lang="en",
                         series=[("A", "Baseline", frame)])
    dotted = [tr for tr in fig.data if tr.line.dash == "dot" and tr.x[0] is not None]
    assert [list(tr.x) for tr in dotted] == [[2022, 2023, 2024, 2025]]
    assert dotted[0].opacity < 1
    main = next(tr for tr in fig.data if tr.name and "Baseline" in tr.name)
    assert list(main.x) == [2025, 2026, 2027] and main.line.dash == "solid"
    assert any(tr.name == t("basis.estimate", "en") for tr in fig.data)
    # a frame without basis: one line, as before
    plain = compare_figure(indicator="dti_overall", title="DTI", unit="index_0_1", lang="en",
                           series=[("A", "Baseline", frame.drop(columns="basis"))])
    assert [list(tr.x) for tr in plain.data] == [[2022, 2023, 2024, 2025, 2026, 2027]]


def test_the_stated_rank_is_the_projection_and_the_draws_give_its_range(model, baseline_results):
    frame, _, _ = baseline_results
    path = model.deterministic(BASELINE).values["dti_overall_rank"][0]
    years = list(model.deterministic(BASELINE).years)
    for year in (2027, 2030):
        assert headline_rank(frame, year) == max(1, round(float(path[years.index(year)])))
        best, _, worst = rank_range(frame, year)
        assert best <= headline_rank(frame, year) <= worst
    assert headline_rank(frame, 1990) is None
