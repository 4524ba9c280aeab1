"""The scenarios page's download menu, drawn once: a click builds the latest move's bundle."""

from __future__ import annotations

import pytest

from ui.export_menu import LatestBundle


def test_a_click_builds_the_latest_numbers_once_each() -> None:
    built: list[str] = []

    def factory(name: str):
        def make():
            built.append(name)
            return f"bundle {name}"
        return make

    latest = LatestBundle()
    with pytest.raises(LookupError):
        latest()  # nothing shown yet
    latest.show(factory("first"))
    latest.show(factory("second"))  # a lever move before any click
    assert latest() == latest() == "bundle second"  # two formats, one bundle
    assert built == ["second"]
    latest.show(factory("third"))
    assert latest() == "bundle third" and built == ["second", "third"]
