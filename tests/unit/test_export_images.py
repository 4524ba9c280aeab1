"""Chart images: drawn in the system's Chromium, one long-lived browser; a clear message
without it, and every other format still works."""

from __future__ import annotations

import pytest

from planner.engine import load_model
from planner.export import images, render
from tests.export_support import real_bundle
from tests.needs import missing


@pytest.fixture(scope="module")
def bundle(loaded_db):
    from planner.store import DuckDBStore

    return real_bundle(load_model(DuckDBStore(loaded_db)))


def test_without_chromium_images_say_so_and_other_formats_work(bundle, monkeypatch):
    monkeypatch.setenv("PLANNER_CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setattr(images, "_started", False)
    assert not images.available()
    with pytest.raises(images.ImagesUnavailable, match="apt-get install chromium"):
        images.chart_image(bundle, "dti_overall", "png")
    for fmt in ("pptx", "pdf", "xlsx", "csv"):
        assert render(bundle, fmt)


def test_png_and_svg_from_one_warm_browser(bundle, monkeypatch):
    if not images.available():
        missing("Chromium for chart images", "apt-get install chromium; .ci/run installs it")
    import kaleido

    starts = []
    start = kaleido.start_sync_server
    monkeypatch.setattr(kaleido, "start_sync_server",
                        lambda *args, **kwargs: (starts.append(1), start(*args, **kwargs))[1])
    png = images.chart_image(bundle, "digital_economy_share_grdp", "png")
    assert png.startswith(b"\x89PNG")
    svg = images.chart_image(bundle, "dti_overall_rank", "svg").decode("utf-8")
    assert len(starts) <= 1, "each chart started a browser of its own"
    assert svg.startswith("<svg") and "Xếp hạng" in svg
    # the scenario's name is a legend entry shown as typed: escaped once (the SVG shows
    # "<img ...>" as letters), never markup and never "&lt;img" on screen
    assert "&#60;img src=x onerror=alert(1)&#62;" in svg and "<img" not in svg
    assert "&amp;lt;" not in svg and "&amp;#60;" not in svg
