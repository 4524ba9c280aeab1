"""What goes wrong with a request about saved scenarios: :class:`SavedScenarioError`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.problems import Problem, problems_text

ERROR_CODES = (
    "bad_id", "unknown_id", "not_deletable", "bad_token", "corrupt", "bad_name", "bad_note",
    "bad_author", "bad_lang", "bad_search", "not_a_number", "out_of_range", "unknown_parent",
    "stale_dataset", "unknown_dataset",
)
"""Every code a saved-scenario problem may have (a subset of :data:`planner.problems.CODES`)."""

SaveProblem = Problem
"""A saved-scenario problem is a :class:`planner.problems.Problem` (the name stays for callers)."""


class SavedScenarioError(ValueError):
    """A request about saved scenarios cannot be done; nothing was changed.

    Parameters
    ----------
    problems : list of Problem
        At least one, with codes of :data:`ERROR_CODES`.

    Attributes
    ----------
    problems : list of Problem
    code : str
        The code of the first problem.
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(problems_text(self.problems, "en"))

    @property
    def code(self) -> str:
        """The code of the first problem."""
        return self.problems[0].code

    @classmethod
    def one(cls, code: str, field: str = "",
            detail: Mapping[str, Any] | None = None) -> SavedScenarioError:
        """Build an error of one problem.

        Parameters
        ----------
        code : str
        field : str, optional
        detail : mapping, optional

        Returns
        -------
        SavedScenarioError
        """
        return cls([Problem(field, code, dict(detail or {}))])
