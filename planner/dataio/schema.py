"""The columns of every data file, described from its row model in :mod:`planner.validation`.

One :class:`Column` per column: its type, whether it is required, its allowed values and bounds,
whether it is part of the file's key and which file it refers to. The workbook's explanation sheet
and ``data/datapackage.json`` are both written from these descriptions, so they say what the
validators check. Checks across rows that a column description cannot hold (a value within its
unit's range, a derived value's formula) are only in the validators.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from annotated_types import Ge, Gt, Le, Lt, MinLen
from pydantic.fields import FieldInfo

from planner.validation import FILE_SPECS

REFERENCES: dict[tuple[str, str], str] = {
    ("indicators", "unit"): "units",
    ("observations", "indicator"): "indicators",
    ("observations", "unit"): "units",
    ("observations", "source"): "sources",
    ("assumptions", "unit"): "units",
    ("levers", "indicator"): "indicators",
    ("levers", "unit"): "units",
    ("models", "indicator"): "indicators",
    ("models", "level_assumption"): "assumptions",
    ("models", "growth_assumption"): "assumptions",
    ("links", "outcome"): "indicators",
    ("links", "lever"): "levers",
    ("links", "assumption"): "assumptions",
}
"""``(file, column)`` → the file whose ``id`` the column names (checked by planner.dataset)."""

TYPES = {str: "string", float: "number", int: "integer", bool: "boolean"}


@dataclass(frozen=True)
class Column:
    """One column of a data file.

    Attributes
    ----------
    name : str
        The column name.
    type : str
        ``string``, ``number``, ``integer`` or ``boolean`` (Table Schema's names).
    required : bool
        Whether a value is required.
    enum : tuple of str, or None
        The allowed values.
    minimum, maximum : float or None
        Bounds, included.
    exclusive_minimum : float or None
        A lower bound, excluded.
    pattern : str or None
        A regular expression the whole value matches (an identifier has no spaces).
    in_key : bool
        Whether the column is part of the file's key.
    refers_to : str or None
        The file whose ``id`` the column names.
    """

    name: str
    type: str
    required: bool
    enum: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: float | None = None
    pattern: str | None = None
    in_key: bool = False
    refers_to: str | None = None


def _unwrap(annotation: Any) -> tuple[Any, list[Any]]:
    """The base type and constraint metadata of an annotation (``Optional`` removed)."""
    metadata: list[Any] = []
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        annotation = args[0]
    if typing.get_origin(annotation) is Annotated:
        base, *extra = typing.get_args(annotation)
        for item in extra:
            metadata.extend(item.metadata if isinstance(item, FieldInfo) else [item])
        annotation = base
    return annotation, metadata


def _column(file: str, name: str, info: FieldInfo) -> Column:
    base, metadata = _unwrap(info.annotation)
    metadata = [*metadata, *info.metadata]
    values: dict[str, Any] = {}
    if typing.get_origin(base) is Literal:
        values["enum"] = tuple(str(v) for v in typing.get_args(base))
        kind = "string"
    else:
        kind = TYPES[base]
    required = info.is_required()
    for item in metadata:
        if isinstance(item, Ge):
            values["minimum"] = item.ge
        elif isinstance(item, Le):
            values["maximum"] = item.le
        elif isinstance(item, Gt):
            values["exclusive_minimum"] = item.gt
        elif isinstance(item, Lt):  # pragma: no cover - no model uses it yet
            raise NotImplementedError("exclusive maximum")
        elif isinstance(item, MinLen):
            required = required or item.min_length > 0
        elif getattr(item, "pattern", None):
            values["pattern"] = item.pattern.removeprefix("^").removesuffix("$")
    return Column(
        name=name,
        type=kind,
        required=required,
        in_key=name in FILE_SPECS[file].key,
        refers_to=REFERENCES.get((file, name)),
        **values,
    )


def file_columns(name: str) -> tuple[Column, ...]:
    """The columns of one data file, in file order.

    Parameters
    ----------
    name : str
        The frame name (``observations``).

    Returns
    -------
    tuple of Column
    """
    model = FILE_SPECS[name].model
    return tuple(_column(name, column, info) for column, info in model.model_fields.items())
