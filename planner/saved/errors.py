"""What goes wrong with a request about saved scenarios: :class:`SavedScenarioError`."""

from __future__ import annotations

from dataclasses import dataclass

ERROR_CODES = (
    "bad_id", "unknown_id", "bad_token", "corrupt", "bad_name", "bad_note", "bad_author",
    "bad_lang", "bad_draws", "bad_seed", "bad_page", "bad_search", "unknown_parent",
    "stale_dataset", "unknown_dataset",
)
"""Every :attr:`SaveProblem.code`."""


@dataclass(frozen=True)
class SaveProblem:
    """One problem with a request about saved scenarios.

    Attributes
    ----------
    field : str
        What it concerns (``name``, ``note``, ``id``, ``token``, ...), or empty.
    code : str
        One of :data:`ERROR_CODES`, for a translated message.
    message : str
        The problem in plain English.
    """

    field: str
    code: str
    message: str


class SavedScenarioError(ValueError):
    """A request about saved scenarios cannot be done; nothing was changed.

    Parameters
    ----------
    problems : list of SaveProblem
        At least one.

    Attributes
    ----------
    problems : list of SaveProblem
    code : str
        The code of the first problem.
    """

    def __init__(self, problems: list[SaveProblem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(
            f"{p.field}: {p.message}" if p.field else p.message for p in self.problems))

    @property
    def code(self) -> str:
        """The code of the first problem."""
        return self.problems[0].code

    @classmethod
    def one(cls, code: str, message: str, field: str = "") -> SavedScenarioError:
        """Build an error of one problem.

        Parameters
        ----------
        code : str
        message : str
        field : str, optional

        Returns
        -------
        SavedScenarioError
        """
        return cls([SaveProblem(field, code, message)])
