"""Shared pieces of the export tests: the unsafe texts and a bundle of the real data."""

from __future__ import annotations

import datetime as dt

from planner.export.bundle import from_model

PAYLOADS = ("<img src=x onerror=alert(1)>", '=HYPERLINK("http://x")', "+cmd", "@SUM(1)")
"""User text that must show as typed in every format, never as markup, formula or link."""

NAME = f"Kế hoạch {PAYLOADS[0]}"
NOTE = f'{PAYLOADS[1]} {PAYLOADS[2]}'
AUTHOR = PAYLOADS[3]
SETTINGS = {"levers": {"cashless": {"2027": 50}}, "overrides": {"de_share_growth_pp": 0.4}}
DRAWS = 300
DAY = dt.date(2026, 11, 27)


def real_bundle(model, lang: str = "vi", **kw):
    """A bundle of a scenario with unsafe name, note and author on ``model``."""
    scenario = model.validate(SETTINGS)
    kw.setdefault("name", NAME)
    kw.setdefault("note", NOTE)
    kw.setdefault("author", AUTHOR)
    return from_model(model, scenario, lang, draws=DRAWS, exported_on=DAY, **kw)
