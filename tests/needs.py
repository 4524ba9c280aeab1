"""What a test needs from the machine: skip here without it, fail in CI.

A developer without Chromium, poppler or the seed documents still runs every other test; CI
must run them all, so there a missing piece is a failure that names it. ``CI=true`` (set by CI
and by ``.ci/run``) or ``PLANNER_REQUIRE_BROWSER=1`` means CI. The root ``conftest.py`` turns
any other skip into a failure in CI too, so no skip passes unseen there.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest

TRUE = {"1", "true", "yes", "on"}


def in_ci() -> bool:
    """True when a missing requirement must fail the run: ``CI`` or
    ``PLANNER_REQUIRE_BROWSER`` set to a true value (``1``, ``true``, ``yes``, ``on``)."""
    return any(os.environ.get(name, "").strip().lower() in TRUE
               for name in ("CI", "PLANNER_REQUIRE_BROWSER"))


def missing(what: str, how: str) -> NoReturn:
    """Skip the running test for want of ``what``; in CI (:func:`in_ci`) fail it instead.

    Parameters
    ----------
    what : str
        What is missing, such as ``"Chromium at /usr/bin/chromium"``.
    how : str
        How to get it, such as ``"apt-get install chromium"``.
    """
    message = f"{what} is missing ({how})"
    if in_ci():
        pytest.fail(f"{message}; CI runs every test, so this is a failure", pytrace=False)
    pytest.skip(message)
