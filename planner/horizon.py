"""The planning horizon: which years are modelled and which lever years can be set."""

START_YEAR = 2020
"""First year shown (the first DTI assessment)."""

END_YEAR = 2030
"""Last year projected (the horizon of Resolution 09-NQ/TU)."""

SETTABLE_YEARS = (2025, 2030)
"""Years whose lever values a scenario sets; the path between is interpolated."""

YEARS = tuple(range(START_YEAR, END_YEAR + 1))
"""Every modelled year."""
