"""Chart images (PNG, SVG) drawn by Kaleido in Debian's Chromium.

One browser process serves every image of the process (Kaleido's sync server, started on the
first image and stopped at exit): the first image pays the browser's start, later ones about
a tenth of a second. The browser is the system's (:data:`BROWSER_PATH`, ``/usr/bin/chromium``
unless ``PLANNER_CHROMIUM`` names another); nothing is ever downloaded, MathJax is off and
plotly.js comes from the installed plotly package, so no request leaves the machine. Without
the browser, :class:`ImagesUnavailable` says what the server needs; every other format works.
"""

from __future__ import annotations

import io
import os
import shutil
import threading
import zipfile
from pathlib import Path

from planner.export.bundle import ExportBundle
from planner.export.charts import chart_series, figure

IMAGE_FORMATS: tuple[str, ...] = ("png", "svg")
DEFAULT_BROWSER = "/usr/bin/chromium"
WIDTH, HEIGHT, PNG_SCALE = 900, 500, 2
"""Size of an image in CSS pixels, and the PNG's pixel density (2: sharp on slides)."""

_lock = threading.Lock()
_started = False


class ImagesUnavailable(RuntimeError):
    """Chart images cannot be drawn on this server (no Chromium); other formats still work."""


def browser_path() -> str | None:
    """The Chromium binary to use, if present (``PLANNER_CHROMIUM`` or /usr/bin/chromium)."""
    path = os.environ.get("PLANNER_CHROMIUM") or DEFAULT_BROWSER
    if Path(path).is_file() and os.access(path, os.X_OK):
        return path
    found = shutil.which("chromium")
    return found if found and not os.environ.get("PLANNER_CHROMIUM") else None


def available() -> bool:
    """Whether chart images can be drawn here."""
    try:
        import kaleido  # noqa: F401
    except ImportError:
        return False
    return browser_path() is not None


def _start() -> None:
    global _started
    import kaleido

    path = browser_path()
    if path is None:
        raise ImagesUnavailable(
            "chart images need Chromium (Debian: apt-get install chromium) at "
            f"{DEFAULT_BROWSER} or in PLANNER_CHROMIUM; the other formats work without it")
    if not _started:
        kaleido.start_sync_server(n=1, path=path, mathjax=False, timeout=60,
                                  silence_warnings=True)
        _started = True


def stop() -> None:
    """Stop the browser (it is also stopped when the process exits)."""
    global _started
    import kaleido

    with _lock:
        if _started:
            kaleido.stop_sync_server(silence_warnings=True)
            _started = False


def render(fig, fmt: str, width: int = WIDTH, height: int = HEIGHT) -> bytes:
    """Draw a Plotly figure as PNG or SVG bytes in the long-lived browser.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure
    fmt : {"png", "svg"}
    width, height : int, optional
        CSS pixels.

    Returns
    -------
    bytes

    Raises
    ------
    ImagesUnavailable
        Without Chromium or Kaleido.
    """
    if fmt not in IMAGE_FORMATS:
        raise ValueError(f"unknown image format {fmt!r}")
    try:
        import kaleido
    except ImportError as exc:  # pragma: no cover - kaleido is a pinned requirement
        raise ImagesUnavailable("chart images need the kaleido package") from exc
    opts = {"format": fmt, "width": width, "height": height,
            "scale": PNG_SCALE if fmt == "png" else 1}
    # Kaleido's sync server answers one caller at a time (its queues are shared).
    with _lock:
        _start()
        return kaleido.calc_fig_sync(fig, opts=opts)


def chart_image(bundle: ExportBundle, indicator: str, fmt: str) -> bytes:
    """One outcome's chart as an image.

    Parameters
    ----------
    bundle : ExportBundle
    indicator : str
    fmt : {"png", "svg"}

    Returns
    -------
    bytes
    """
    series = chart_series(bundle, indicator)
    return render(figure(series, bundle.lang, bundle.name, WIDTH, HEIGHT), fmt)


def charts_zip(bundle: ExportBundle, fmt: str) -> bytes:
    """Every outcome's chart as images in one ZIP (``<indicator>.<fmt>``).

    Parameters
    ----------
    bundle : ExportBundle
    fmt : {"png", "svg"}

    Returns
    -------
    bytes
    """
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for ind in dict.fromkeys(bundle.outcomes["indicator"]):
            zf.writestr(f"{ind}.{fmt}", chart_image(bundle, str(ind), fmt))
    return buf.getvalue()
