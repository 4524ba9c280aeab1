"""Row models of the data files, one pydantic model per file, and the file specifications.

Each model checks one row on its own (types, allowed values, required cells, ranges within the
row). Checks across rows and files (unknown ids, units, duplicate keys) live in
:mod:`planner.dataset`. The columns of every file are exactly the fields of its model, in order;
``data/datapackage.json`` and the workbook's explanation sheet are written from them
(:mod:`planner.dataio.schema`).
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

Id = Annotated[str, Field(min_length=1, pattern=r"^\S+$")]
"""An identifier: non-empty, without spaces."""
Text = Annotated[str, Field(min_length=1)]
"""A required text cell."""
Year = Annotated[int, Field(ge=1900, le=2100)]

Pillar = Literal["digital_government", "digital_economy", "digital_society", "overall", "context"]
SourceKind = Literal["seed", "external"]
ObservationKind = Literal["observed", "derived", "target", "external", "assumption"]
Method = Literal["logit_linear", "linear", "logit_growth", "linear_growth"]
ChartGroup = Literal["dti", "programme"]

PILLARS: tuple[str, ...] = get_args(Pillar)
SOURCE_KINDS: tuple[str, ...] = get_args(SourceKind)
OBSERVATION_KINDS: tuple[str, ...] = get_args(ObservationKind)
METHODS: tuple[str, ...] = get_args(Method)
"""The trend methods of ``models.csv`` (:class:`planner.trend.TrendModel`)."""
GROWTH_METHODS: tuple[str, ...] = ("logit_growth", "linear_growth")
"""The methods that grow from an assumed level instead of fitting the observations."""
CHART_GROUPS: tuple[str, ...] = get_args(ChartGroup)
"""The groups of ``indicators.csv``'s ``chart_group``: ``dti`` (the index, its pillars and rank)
and ``programme`` (the programme's other indicators). Each is a tab of the planner's charts
(catalogue ``planner.tab_<group>``); the briefing's facts are the ``programme`` group."""


def row_error(column: str, message: str) -> PydanticCustomError:
    """Build an error about one column, raised from a whole-row validator.

    Parameters
    ----------
    column : str
        The column the problem is reported on.
    message : str
        The problem, in plain words.

    Returns
    -------
    pydantic_core.PydanticCustomError
        An error whose context carries ``column`` and ``message``.
    """
    return PydanticCustomError("row_error", "{message}", {"column": column, "message": message})


def _num(x: float) -> str:
    return f"{x:g}"


class Row(BaseModel):
    """Base of the row models: empty cells are absent, text is stripped and NFC-normalised."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, allow_inf_nan=False, str_strip_whitespace=True
    )

    @model_validator(mode="before")
    @classmethod
    def _drop_empty_cells(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        cleaned = {}
        for key, value in data.items():
            if isinstance(value, str):
                value = unicodedata.normalize("NFC", value.strip())
                if value == "":
                    continue
            cleaned[key] = value
        return cleaned


class UnitRow(Row):
    """A row of ``units.csv``."""

    id: Id
    label_vi: Text
    label_en: Text
    min: float | None = None
    max: float | None = None
    decimals: Annotated[int, Field(ge=0, le=12)]

    @model_validator(mode="after")
    def _min_below_max(self) -> UnitRow:
        if self.min is not None and self.max is not None and self.min >= self.max:
            raise row_error("max", f"max {_num(self.max)} is not above min {_num(self.min)}")
        return self

    def contains(self, value: float) -> bool:
        """Return whether ``value`` lies within this unit's range (bounds included).

        Parameters
        ----------
        value : float
            The number to test.

        Returns
        -------
        bool
            False when ``value`` is below ``min`` or above ``max``.
        """
        return not (
            (self.min is not None and value < self.min)
            or (self.max is not None and value > self.max)
        )

    def range_text(self) -> str:
        """Return the range as text, for example ``0 to 100`` or ``0 or more``.

        Returns
        -------
        str
            A short description of the bounds.
        """
        if self.min is not None and self.max is not None:
            return f"{_num(self.min)} to {_num(self.max)}"
        if self.min is not None:
            return f"{_num(self.min)} or more"
        if self.max is not None:
            return f"{_num(self.max)} or less"
        return "unbounded"


class SourceRow(Row):
    """A row of ``sources.csv``."""

    id: Id
    kind: SourceKind
    title: Text
    publisher: str = ""
    date: str = ""
    address: str = ""


class IndicatorRow(Row):
    """A row of ``indicators.csv``.

    ``display_order`` places an indicator among the others wherever they are listed (the
    model's outcomes on every page and export): smaller first; indicators without one follow,
    in file order. ``chart_group`` names the planner's tab that charts it (one of
    :data:`CHART_GROUPS`); a model outcome without one is charted in the last tab.
    """

    id: Id
    label_vi: Text
    label_en: Text
    unit: Id
    pillar: Pillar
    higher_is_better: bool
    definition_vi: str = ""
    definition_en: str = ""
    display_order: Annotated[int, Field(ge=1)] | None = None
    chart_group: ChartGroup | None = None


class ObservationRow(Row):
    """A row of ``observations.csv``: one value of the tidy baseline."""

    indicator: Id
    geography: Text
    year: Year
    period: str = ""
    value: float
    unit: Id
    kind: ObservationKind
    source: Id
    source_date: str = ""
    quote: str = ""
    note_vi: str = ""
    note_en: str = ""
    conflict: str = ""

    @model_validator(mode="after")
    def _derived_has_formula(self) -> ObservationRow:
        if self.kind == "derived" and not (self.note_vi or self.note_en):
            raise row_error("note_vi", "a derived value must write its formula in note_vi or note_en")
        return self


class AssumptionRow(Row):
    """A row of ``assumptions.csv``: a model number with its range and rationale."""

    id: Id
    value: float
    unit: Id
    low: float
    high: float
    label_vi: Text
    label_en: Text
    rationale_vi: str = ""
    rationale_en: str = ""
    source: str = ""

    @model_validator(mode="after")
    def _value_within_range(self) -> AssumptionRow:
        if not (self.rationale_vi or self.rationale_en):
            raise row_error("rationale_vi", "a rationale is required (rationale_vi or rationale_en)")
        if self.low > self.high:
            raise row_error("high", f"high {_num(self.high)} is below low {_num(self.low)}")
        if not self.low <= self.value <= self.high:
            raise row_error(
                "value",
                f"value {_num(self.value)} is outside low {_num(self.low)} .. high {_num(self.high)}",
            )
        return self


class LeverRow(Row):
    """A row of ``levers.csv``.

    ``min``..``max`` is what the lever's control allows; ``plausible_low``..``plausible_high``
    (optional) what the evidence says the province can reach, with its ``rationale_*`` and
    ``source``: goal seeking flags an answer that needs a value outside it
    (:func:`planner.goalseek.beyond_plausible`). A documented range lies within ``min``..``max``
    and has a rationale.
    """

    id: Id
    indicator: Id
    label_vi: Text
    label_en: Text
    unit: Id
    min: float
    max: float
    step: Annotated[float, Field(gt=0)] | None = None
    plausible_low: float | None = None
    plausible_high: float | None = None
    rationale_vi: str = ""
    rationale_en: str = ""
    source: str = ""

    @model_validator(mode="after")
    def _min_below_max(self) -> LeverRow:
        if self.min >= self.max:
            raise row_error("max", f"max {_num(self.max)} is not above min {_num(self.min)}")
        for name in ("plausible_low", "plausible_high"):
            value = getattr(self, name)
            if value is not None and not self.min <= value <= self.max:
                raise row_error(name, f"{name} {_num(value)} is outside min {_num(self.min)} "
                                      f".. max {_num(self.max)}")
        low, high = self.plausible_low, self.plausible_high
        if low is not None and high is not None and low > high:
            raise row_error("plausible_high",
                            f"plausible_high {_num(high)} is below plausible_low {_num(low)}")
        if (low is not None or high is not None) and not (self.rationale_vi or self.rationale_en):
            raise row_error("rationale_vi", "a plausible range needs a rationale "
                                            "(rationale_vi or rationale_en)")
        return self


class ModelRow(Row):
    """A row of ``models.csv``: the trend method of one modelled indicator."""

    indicator: Id
    method: Method
    fit_from_year: Year | None = None
    level_assumption: str = ""
    growth_assumption: str = ""
    anchor_year: Year | None = None

    @model_validator(mode="after")
    def _growth_methods_name_growth(self) -> ModelRow:
        if self.method in GROWTH_METHODS and not self.growth_assumption:
            raise row_error(
                "growth_assumption", f"method {self.method} needs a growth_assumption"
            )
        return self


class LinkRow(Row):
    """A row of ``links.csv``: the elasticity of an outcome to a lever is an assumption."""

    outcome: Id
    lever: Id
    assumption: Id


class ScenarioRow(Row):
    """A row of ``scenarios.csv``: a ready-made scenario; ``settings`` is a JSON object."""

    id: Id
    label_vi: Text
    label_en: Text
    note_vi: str = ""
    note_en: str = ""
    settings: Text

    @field_validator("settings")
    @classmethod
    def _settings_is_json_object(cls, value: str) -> str:
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError as exc:
            raise ValueError(f"is not valid JSON ({exc.msg} at character {exc.pos + 1})") from None
        if not isinstance(parsed, dict):
            raise ValueError("must be a JSON object ({...})")
        return value


@dataclass(frozen=True)
class FileSpec:
    """How one data file is read: its name, row model, key and the dtypes of its frame.

    Attributes
    ----------
    name : str
        The frame name (``observations``); the file is ``<name>.csv``.
    model : type[Row]
        The pydantic model of one row; its fields are the file's columns, in order.
    key : tuple of str
        The columns whose values are unique within the file.
    dtypes : dict
        The pandas dtype of every column of the frame.
    """

    name: str
    model: type[Row]
    key: tuple[str, ...]
    dtypes: dict[str, str]

    @property
    def filename(self) -> str:
        """The file name, ``<name>.csv``."""
        return f"{self.name}.csv"

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns of the file, in order."""
        return tuple(self.model.model_fields)


RENAMED_COLUMNS: dict[str, dict[str, str]] = {
    "observations": {"note": "note_en"},
    "assumptions": {"rationale": "rationale_en"},
}
"""Columns renamed when a Vietnamese column was added: ``{file: {old name: new name}}``.

A file written before (``note``, ``rationale``: English text) is still read; its old column is
the new English one.
"""

ADDED_COLUMNS: dict[str, tuple[str, ...]] = {
    "observations": ("note_vi",),
    "assumptions": ("rationale_vi",),
    "indicators": ("display_order", "chart_group"),
    "levers": ("plausible_low", "plausible_high", "rationale_vi", "rationale_en", "source"),
}
"""Columns a file written before they existed may lack; they are read as empty."""


def current_header(name: str, header: list[str]) -> tuple[list[str], list[str]]:
    """The header of a data file in today's column names, and the added columns it lacks.

    Parameters
    ----------
    name : str
        The frame name (``observations``).
    header : list of str
        The header row as read.

    Returns
    -------
    header : list of str
        The same columns, renamed by :data:`RENAMED_COLUMNS` where the new name is absent.
    absent : list of str
        Columns of :data:`ADDED_COLUMNS` missing from the header (to be read as empty).
    """
    renames = RENAMED_COLUMNS.get(name, {})
    renamed = [renames[c] if c in renames and renames[c] not in header else c for c in header]
    absent = [c for c in ADDED_COLUMNS.get(name, ()) if c not in renamed]
    return renamed, absent


def _dtypes(model: type[Row], **special: str) -> dict[str, str]:
    return {column: special.get(column, "str") for column in model.model_fields}


FILE_SPECS: dict[str, FileSpec] = {
    spec.name: spec
    for spec in (
        FileSpec("units", UnitRow, ("id",), _dtypes(UnitRow, min="float64", max="float64", decimals="int64")),
        FileSpec("sources", SourceRow, ("id",), _dtypes(SourceRow)),
        FileSpec("indicators", IndicatorRow, ("id",),
                 _dtypes(IndicatorRow, higher_is_better="bool", display_order="Int64")),
        FileSpec(
            "observations",
            ObservationRow,
            ("indicator", "geography", "year", "period", "kind", "source"),
            _dtypes(ObservationRow, year="int64", value="float64"),
        ),
        FileSpec(
            "assumptions",
            AssumptionRow,
            ("id",),
            _dtypes(AssumptionRow, value="float64", low="float64", high="float64"),
        ),
        FileSpec(
            "levers",
            LeverRow,
            ("id",),
            _dtypes(LeverRow, min="float64", max="float64", step="float64",
                    plausible_low="float64", plausible_high="float64"),
        ),
        FileSpec(
            "models",
            ModelRow,
            ("indicator",),
            _dtypes(ModelRow, fit_from_year="Int64", anchor_year="Int64"),
        ),
        FileSpec("links", LinkRow, ("outcome", "lever"), _dtypes(LinkRow)),
        FileSpec("scenarios", ScenarioRow, ("id",), _dtypes(ScenarioRow)),
    )
}
"""Every data file, in loading order (a file only refers to files before it)."""
