"""Reliability tests: several processes on one database, and a writer killed mid-save.

They are part of the default ``pytest`` run (and so of CI), marked ``reliability`` by the root
``conftest.py``; ``-m "not reliability"`` leaves them out for a quick run. Each runs on every
backend of ``tests/conftest.py``'s ``STORE_BACKENDS`` (a DuckDB file and a PostgreSQL
database): the processes get the database's address.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from planner.store import Store, open_store
from tests.conftest import close_stores


@pytest.fixture
def loaded_address(new_database: Callable[[str | None], str]) -> str:
    """The address of a new copy of the session's loaded database, without saved scenarios."""
    return new_database("loaded")


@pytest.fixture
def open_stores() -> Iterator[Callable[..., Store]]:
    """``open_stores(address, **options)``: a store (not seeding), closed after the test."""
    made: list[Store] = []

    def opener(address: str, **options: object) -> Store:
        store = open_store(address, seed=False, **options)
        made.append(store)
        return store

    yield opener
    close_stores(made)
