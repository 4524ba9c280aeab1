"""Reliability tests: several processes on one database file, and a writer killed mid-save.

They are part of the default ``pytest`` run (and so of CI); ``-m "not reliability"`` leaves them
out for a quick run.
"""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``reliability`` marker."""
    config.addinivalue_line(
        "markers", "reliability: concurrent writers and a killed writer on a real DuckDB file")
