"""The series of an outcome's chart, shared by every format.

Each chart shows, for the years 2020-2030: the observed history, the scenario from the last
observed year on, its 10th and 90th percentiles as two lines, and the target(s) as markers.
:func:`chart_series` gives those series as lists with ``None`` where a series has no value
(native PowerPoint and Excel charts and the PDF's drawing read them); :func:`figure` draws the
same as a Plotly figure with the app's own chart builder
(:func:`planner.figures.outcomes.fan_chart`), for PNG and SVG images.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from planner.export.bundle import ExportBundle
from planner.formatting import is_missing
from planner.horizon import END_YEAR, START_YEAR

YEARS: tuple[int, ...] = tuple(range(START_YEAR, END_YEAR + 1))
"""The years on every chart's axis."""


@dataclass(frozen=True)
class ChartSeries:
    """The series of one outcome's chart, one value (or None) per year of :data:`YEARS`.

    Attributes
    ----------
    indicator, title, unit : str
        Outcome id, its label, the unit of its projected years.
    years : tuple of int
    history, scenario, p10, p90 : tuple of float or None
    targets : tuple of tuple
        ``(year, value, label)`` per target marker.
    reversed_axis : bool
        A rank: 1 at the top.
    field_switch : tuple or None
        For a rank whose field changes size: ``(before, after, first year of after)``.
    """

    indicator: str
    title: str
    unit: str
    years: tuple[int, ...]
    history: tuple[float | None, ...]
    scenario: tuple[float | None, ...]
    p10: tuple[float | None, ...]
    p90: tuple[float | None, ...]
    targets: tuple[tuple[int, float, str], ...]
    reversed_axis: bool
    field_switch: tuple[int, int, int] | None = None

    def target_values(self) -> tuple[float | None, ...]:
        """The targets as one series over :attr:`years` (the first target of a year)."""
        by_year: dict[int, float] = {}
        for year, value, _ in self.targets:
            by_year.setdefault(year, value)
        return tuple(by_year.get(y) for y in self.years)

    def value_range(self) -> tuple[float, float]:
        """Smallest and largest value of every series (targets included)."""
        values = [v for s in (self.history, self.scenario, self.p10, self.p90) for v in s
                  if v is not None] + [v for _, v, _ in self.targets]
        return (min(values), max(values)) if values else (0.0, 1.0)


def _num(x: Any) -> float | None:
    return None if is_missing(x) else float(x)


def chart_series(bundle: ExportBundle, indicator: str,
                 targets: Sequence[Mapping[str, Any]] | None = None) -> ChartSeries:
    """The chart series of one outcome.

    Parameters
    ----------
    bundle : ExportBundle
    indicator : str
    targets : sequence of mapping, optional
        Target rows to mark (``year``, ``target``, ``unit``); by default every target of the
        outcome.

    Returns
    -------
    ChartSeries
    """
    rows = bundle.series(indicator)
    by_year = {int(r["year"]): r for r in rows.to_dict("records")}
    observed = [y for y, r in by_year.items() if r["basis"] == "observed"]
    anchor = max(observed) if observed else (min(by_year) if by_year else START_YEAR)
    history, scenario, p10, p90 = [], [], [], []
    for y in YEARS:
        r = by_year.get(y)
        history.append(_num(r["value"]) if r and r["basis"] == "observed" else None)
        later = r is not None and y >= anchor
        scenario.append(_num(r["value"]) if later else None)
        p10.append(_num(r["p10"]) if later else None)
        p90.append(_num(r["p90"]) if later else None)
    if targets is None:
        mine = bundle.modelled_targets()
        targets = mine[mine["indicator"] == indicator].to_dict("records")
    marks = tuple((int(t["year"]), float(t["target"]), bundle.fmt(t["target"], str(t["unit"])))
                  for t in targets)
    unit = str(by_year[max(by_year)]["unit"]) if by_year else ""
    label = str(rows["label"].iloc[0]) if len(rows) else indicator
    return ChartSeries(indicator, label, unit, YEARS, tuple(history), tuple(scenario),
                       tuple(p10), tuple(p90), marks, unit.startswith("rank_of_"),
                       _field_switch(by_year))


def _field_switch(by_year: Mapping[int, Mapping[str, Any]]) -> tuple[int, int, int] | None:
    sizes = [(y, str(r["unit"])) for y, r in sorted(by_year.items())
             if str(r["unit"]).startswith("rank_of_")]
    for (_, a), (y, b) in zip(sizes, sizes[1:], strict=False):
        if a != b:
            return int(a.removeprefix("rank_of_")), int(b.removeprefix("rank_of_")), y
    return None


def figure(series: ChartSeries, lang: str, scenario_name: str, width_px: int, height_px: int):
    """The chart as a Plotly figure, drawn like the app's charts.

    Parameters
    ----------
    series : ChartSeries
    lang : str
    scenario_name : str
        Legend name of the scenario line, as typed (``fan_chart`` escapes every label it
        draws, so it shows exactly as typed).
    width_px, height_px : int
        The image's size in CSS pixels (:data:`planner.export.images.WIDTH`, ``HEIGHT``).

    Returns
    -------
    plotly.graph_objects.Figure
    """
    from planner.figures.outcomes import fan_chart  # Plotly loads only when an image is drawn

    def cols(*pairs):
        keep = [i for i, v in enumerate(pairs[0][1]) if v is not None]
        return {name: [values[i] for i in keep] for name, values in pairs}

    hist = cols(("value", series.history), ("year", series.years))
    scen = cols(("value", series.scenario), ("year", series.years), ("p10", series.p10),
                ("p90", series.p90))
    goals = [{"year": y, "target": v, "required_path": [], "hover": text}
             for y, v, text in series.targets]
    field, switch = None, None
    if series.field_switch:
        field, switch = series.field_switch[:2], series.field_switch[2]
    elif series.reversed_axis:
        size = int(series.unit.removeprefix("rank_of_"))
        field = (size, size)
    fig = fan_chart(indicator=series.indicator, title=series.title,
                    unit=series.unit, lang=lang, history=hist, baseline={}, scenario=scen,
                    targets=goals, scenario_name=scenario_name,
                    show_baseline=False, field_sizes=field, switch_year=switch,
                    height=height_px)
    fig.update_layout(width=width_px, paper_bgcolor="white", plot_bgcolor="white",
                      font={"family": "DejaVu Sans, Arial, sans-serif"})
    return fig
