"""The plain pages' routes: ``/s/<id>``, ``/embed/<id>/<indicator>[.svg]``, cached.

Served by the app's own server (``st.App(routes=...)`` in ``app.py``), beside the pages and on
the same event loop, so nothing here may block it: every read of the database and every page
built runs in a worker thread, at most :data:`THREADS` at once (a limit of its own, so a crowd
of readers cannot take the threads the pages need), and a page once built is kept in memory
(:data:`PAGES_KEPT`), served from there without a thread: a saved snapshot never changes.

Caching: each answer has an ``ETag`` (:func:`web.plain.pages.page_tag`: scenario id, model and
dataset versions, current dataset version, language, day) and ``Cache-Control``; a request
whose ``If-None-Match`` holds it gets ``304 Not Modified``. A kept page is checked against its
tag again in the background once :data:`CHECK_AFTER_S` have passed (one or two small reads,
while readers keep getting the kept page), so a deleted scenario or a new dataset version shows
soon after that.

A page not yet built is sent in pieces as it is built (the numbers first, then each chart);
readers asking for it meanwhile wait for it and get the whole page.
"""

from __future__ import annotations

import asyncio
import gzip
import logging
import os
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from urllib.parse import urlencode

import anyio
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from planner.formatting import fmt_datetime
from planner.i18n import DEFAULT_LANG, LANGS, t
from planner.links import LANG_KEY, SCENARIO_KEY, read_path
from planner.problems import problem_text
from planner.saved import SavedScenarioError, is_valid_id
from planner.store import NoDatasetError, StoreError
from web.plain import html
from web.plain.charts import ChartsUnavailable, standalone_svg
from web.plain.pages import get_store, load, page_tag
from web.plain.view import briefing_view, stamp_line

THREADS = int(os.environ.get("PLANNER_PLAIN_THREADS", "2"))
"""Worker threads the plain pages may use at once."""
PAGES_KEPT = 64
"""Pages (and chart files) kept in memory, by scenario, language and kind."""
CHECK_AFTER_S = 10.0
"""Seconds a kept page is served before its tag is read again."""
CACHE_CONTROL = "public, max-age=60"
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": ("default-src 'none'; style-src 'unsafe-inline'; "
                                "img-src 'self' data:; base-uri 'none'; form-action 'none'"),
    "Referrer-Policy": "same-origin",
}
"""Every plain answer's headers: no script may run, nothing is loaded from elsewhere."""
GZIP_LEVEL = 6
"""How hard a kept page is compressed (once per page)."""
SVG_TYPE = "image/svg+xml"
HTML_TYPE = "text/html; charset=utf-8"

log = logging.getLogger(__name__)


class UnknownIndicator(LookupError):
    """An embed address names an outcome the scenario does not have."""


@dataclass
class _Kept:
    tag: str
    body: bytes
    media_type: str
    checked: float
    checking: bool = False
    gzipped: bytes | None = None
    """The body compressed, made for the first reader that accepts it and kept: compressing
    a page at every answer cost the server about five times the rest of the answer."""


class PageCache:
    """Built pages by ``(kind, id, lang)``, the oldest dropped past :data:`PAGES_KEPT`."""

    def __init__(self, size: int = PAGES_KEPT) -> None:
        self.size = size
        self._pages: OrderedDict[tuple, _Kept] = OrderedDict()
        self._building: dict[tuple, asyncio.Event] = {}

    def get(self, key: tuple) -> _Kept | None:
        """The kept page of ``key``, if any."""
        found = self._pages.get(key)
        if found is not None:
            self._pages.move_to_end(key)
        return found

    def put(self, key: tuple, kept: _Kept) -> None:
        """Keep a page."""
        self._pages[key] = kept
        self._pages.move_to_end(key)
        while len(self._pages) > self.size:
            self._pages.popitem(last=False)

    def drop(self, key: tuple, kept: _Kept) -> None:
        """Forget ``key``'s page if it is still ``kept``."""
        if self._pages.get(key) is kept:
            del self._pages[key]

    def clear(self) -> None:
        """Forget every page (tests)."""
        self._pages.clear()


CACHE = PageCache()
_checks: set[asyncio.Task] = set()
"""The checks running in the background (kept here so none is collected half-way)."""
_limiter: anyio.CapacityLimiter | None = None


def _threads() -> anyio.CapacityLimiter:
    global _limiter
    if _limiter is None:
        _limiter = anyio.CapacityLimiter(THREADS)
    return _limiter


async def _run(fn: Callable, *args):
    """``fn(*args)`` in a worker thread, within the plain pages' own limit."""
    return await anyio.to_thread.run_sync(fn, *args, limiter=_threads())


# ------------------------------------------------------------------------------------ answers
def _headers(tag: str | None = None, lang: str | None = None, frame: bool = False) -> dict:
    out = dict(SECURITY_HEADERS)
    if frame:  # an embedded chart may stand in any page
        out["Content-Security-Policy"] += "; frame-ancestors *"
    else:
        out["Content-Security-Policy"] += "; frame-ancestors 'self'"
    if tag:
        out["ETag"] = tag
        out["Cache-Control"] = CACHE_CONTROL
        out["Vary"] = "Accept-Encoding"  # a kept page goes out compressed or not
    if lang:
        out["Content-Language"] = lang
    return out


def _error(status: int, lang: str, message: str, base: str) -> Response:
    title = t(f"plain.error.{status}", lang)
    body = html.error_page(lang, title, message, f"{base}/briefing?{LANG_KEY}={lang}")
    return Response(body, status_code=status, media_type=HTML_TYPE,
                    headers={**_headers(lang=lang), "Cache-Control": "no-store"})


def _store_message(exc: BaseException, lang: str) -> str:
    if isinstance(exc, NoDatasetError):
        return t("app.no_data", lang)
    if isinstance(exc, StoreError):
        fields = {k: ("–" if v in (None, "") else fmt_datetime(v, lang) if hasattr(v, "hour")
                      else str(v)) for k, v in exc.details.items()}
        try:
            return t(f"db.error.{exc.code}", lang, **fields)
        except (KeyError, IndexError):
            pass
    return t(f"db.error.{StoreError.code}", lang)


def _failure(exc: BaseException, lang: str, base: str) -> Response:
    """The page for an error: 400 a malformed id, 404 an unknown one, 503 the database."""
    if isinstance(exc, SavedScenarioError):
        code = exc.problems[0].code if exc.problems else ""
        status = {"bad_id": 400, "unknown_id": 404}.get(code, 500)
        return _error(status, lang, " ".join(problem_text(p, lang) for p in exc.problems), base)
    if isinstance(exc, StoreError | NoDatasetError):
        return _error(503, lang, _store_message(exc, lang), base)
    if isinstance(exc, UnknownIndicator):
        return _error(404, lang, t("plain.embed.unknown_indicator", lang,
                                   value=str(exc.args[0])[:40]), base)
    if isinstance(exc, ChartsUnavailable):
        return _error(503, lang, t("plain.chart.missing", lang), base)
    log.exception("a plain page failed", exc_info=exc)
    return _error(500, lang, t("plain.error.failed", lang), base)


def _lang(request: Request) -> str | None:
    """The requested language (the default when none), or None when it is not one of ours."""
    values = request.query_params.getlist(LANG_KEY)
    if not values:
        return DEFAULT_LANG
    return values[-1] if values[-1] in LANGS else None


def _bad_lang(request: Request, base: str) -> Response:
    value = request.query_params.getlist(LANG_KEY)[-1]
    return _error(400, DEFAULT_LANG, t("plain.error.bad_lang", DEFAULT_LANG,
                                       value=value[:40], allowed=", ".join(LANGS)), base)


def accepts_gzip(request: Request) -> bool:
    """Whether the request's ``Accept-Encoding`` takes gzip (not refused with ``q=0``)."""
    for part in request.headers.get("accept-encoding", "").split(","):
        name, _, params = part.partition(";")
        if name.strip().lower() in ("gzip", "*"):
            q = params.strip().removeprefix("q=").strip() if "q=" in params else "1"
            try:
                return float(q) > 0
            except ValueError:
                return False
    return False


async def _kept_answer(request: Request, kept: _Kept, media_type: str,
                       headers: dict) -> Response:
    """A kept page: compressed once and then as kept when the reader takes gzip (the app
    server's own compression leaves an answer that is encoded already as it is)."""
    if not accepts_gzip(request):
        return Response(kept.body, media_type=media_type, headers=headers)
    if kept.gzipped is None:
        kept.gzipped = await _run(gzip.compress, kept.body, GZIP_LEVEL)
    return Response(kept.gzipped, media_type=media_type,
                    headers={**headers, "Content-Encoding": "gzip"})


def _not_modified(request: Request, tag: str) -> bool:
    given = request.headers.get("if-none-match", "")
    return any(part.strip().removeprefix("W/") in (tag, "*") for part in given.split(","))


# --------------------------------------------------------------------------------- the pages
class PlainPages:
    """The routes' handlers, for one app address (``base``: where the app's pages are)."""

    def __init__(self, base: str = "", address: str | None = None) -> None:
        self.base = base.rstrip("/")
        self.address = address

    def _store(self):
        return get_store(self.address)

    def planner_href(self, scenario_id: str, lang: str) -> str:
        """The address that opens a scenario in the planner, as the saved page links it."""
        return f"{self.base}/planner?{urlencode({SCENARIO_KEY: scenario_id, LANG_KEY: lang})}"

    def _page_tag(self, scenario_id: str, lang: str, kind: str) -> str:
        """:func:`web.plain.pages.page_tag` on this database (run in a worker thread: the
        store's first opening reads the file)."""
        return page_tag(self._store(), scenario_id, lang, kind)

    async def _tag(self, key: tuple, scenario_id: str, lang: str) -> tuple[str, _Kept | None]:
        """The tag of ``key`` and its kept page, if any.

        A kept page is answered at once; once its tag was read more than
        :data:`CHECK_AFTER_S` ago, it is read again in the background (one check at a time),
        and the page is dropped if the tag changed or the scenario is gone: no reader waits
        for the database while a page is kept."""
        kept = CACHE.get(key)
        if kept is not None:
            if time.monotonic() - kept.checked >= CHECK_AFTER_S and not kept.checking:
                kept.checking = True
                task = asyncio.get_running_loop().create_task(
                    self._check(key, kept, scenario_id, lang))
                _checks.add(task)
                task.add_done_callback(_checks.discard)
            return kept.tag, kept
        return await _run(self._page_tag, scenario_id, lang, f"{key[0]}/{key[3]}"), None

    async def _check(self, key: tuple, kept: _Kept, scenario_id: str, lang: str) -> None:
        """Read a kept page's tag again; drop the page when it changed or is gone."""
        try:
            tag = await _run(self._page_tag, scenario_id, lang, f"{key[0]}/{key[3]}")
        except SavedScenarioError:  # deleted: the next reader is told so
            CACHE.drop(key, kept)
            return
        except Exception:  # noqa: BLE001 - the database is busy: keep the page, check later
            log.warning("could not check the plain page %s again", key, exc_info=True)
            kept.checked = time.monotonic()
            return
        finally:
            kept.checking = False
        if tag != kept.tag:
            CACHE.drop(key, kept)
        else:
            kept.checked = time.monotonic()

    async def _answer(self, request: Request, kind: str, scenario_id: str, lang: str,
                      build: Callable[[], object], media_type: str, frame: bool,
                      part: str = "") -> Response:
        """The common path: tag, 304, kept page, or build (streamed when it comes in pieces)."""
        key = (kind, scenario_id, lang, part)
        try:
            tag, kept = await self._tag(key, scenario_id, lang)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a page in words
            return _failure(exc, lang, self.base)
        headers = _headers(tag, lang, frame)
        if _not_modified(request, tag):
            return Response(status_code=304, headers=headers)
        if kept is not None:
            return await _kept_answer(request, kept, media_type, headers)
        waiting = CACHE._building.get(key)
        if waiting is not None:  # another reader is building it: wait for the whole page
            await waiting.wait()
            kept = CACHE.get(key)
            if kept is not None and kept.tag == tag:
                return await _kept_answer(request, kept, media_type, headers)
        done = CACHE._building[key] = asyncio.Event()
        try:
            pieces = await _run(build)
        except Exception as exc:  # noqa: BLE001
            CACHE._building.pop(key, None)
            done.set()
            return _failure(exc, lang, self.base)
        if isinstance(pieces, str | bytes):
            body = pieces.encode("utf-8") if isinstance(pieces, str) else pieces
            CACHE.put(key, _Kept(tag, body, media_type, time.monotonic()))
            CACHE._building.pop(key, None)
            done.set()
            return Response(body, media_type=media_type, headers=headers)
        return StreamingResponse(self._stream(key, tag, pieces, media_type, done),
                                 media_type=media_type, headers=headers)

    async def _stream(self, key: tuple, tag: str, pieces, media_type: str,
                      done: asyncio.Event) -> AsyncIterator[bytes]:
        parts: list[bytes] = []
        end = object()
        try:
            while True:
                piece = await _run(next, pieces, end)
                if piece is end:
                    break
                data = piece.encode("utf-8")
                parts.append(data)
                yield data
            CACHE.put(key, _Kept(tag, b"".join(parts), media_type, time.monotonic()))
        finally:
            CACHE._building.pop(key, None)
            done.set()

    # -- /s/<id> ------------------------------------------------------------------------------
    async def briefing(self, request: Request) -> Response:
        """``GET /s/<id>``: a scenario's briefing as a plain page."""
        lang = _lang(request)
        if lang is None:
            return _bad_lang(request, self.base)
        scenario_id = request.path_params["scenario_id"]
        if not is_valid_id(scenario_id):
            return _failure(SavedScenarioError.one("bad_id", "id", {"value": scenario_id[:40]}),
                            lang, self.base)

        def build():
            planner = self.planner_href(scenario_id, lang)
            loaded = load(self._store(), scenario_id, lang, planner)
            opened = loaded.opened
            view = briefing_view(
                loaded.bundle, loaded.dataset, loaded_on=loaded.loaded_on,
                data_changed=opened.data_changed, model_changed=opened.model_changed,
                saved_on=opened.saved.created_at if opened.saved else None)
            other = next(x for x in LANGS if x != lang)
            return html.briefing_chunks(view, loaded.bundle, loaded.key,
                                        scenario_id=scenario_id, planner_href=planner,
                                        other_lang_href=read_path(scenario_id, other))

        return await self._answer(request, "s", scenario_id, lang, build, HTML_TYPE, False)

    # -- /embed/<id>/<indicator>[.svg] --------------------------------------------------------
    async def embed(self, request: Request) -> Response:
        """``GET /embed/<id>/<indicator>.svg`` (the chart) or ``/embed/<id>/<indicator>``
        (a small page with the chart, its sources and its text alternative)."""
        lang = _lang(request)
        if lang is None:
            return _bad_lang(request, self.base)
        scenario_id = request.path_params["scenario_id"]
        name = request.path_params["name"]
        svg = name.endswith(".svg")
        indicator = name.removesuffix(".svg")
        if not is_valid_id(scenario_id):
            return _failure(SavedScenarioError.one("bad_id", "id", {"value": scenario_id[:40]}),
                            lang, self.base)

        def build():
            loaded = load(self._store(), scenario_id, lang, self.planner_href(scenario_id, lang))
            b = loaded.bundle
            if indicator not in set(b.outcomes["indicator"]):
                raise UnknownIndicator(indicator)
            if svg:
                return standalone_svg(b, loaded.key, indicator)
            return html.embed_page(b, loaded.key, indicator,
                                   stamp=stamp_line(b.dataset_version, loaded.loaded_on, lang),
                                   page_href=read_path(scenario_id, lang))

        return await self._answer(request, "embed.svg" if svg else "embed", scenario_id, lang,
                                  build, SVG_TYPE if svg else HTML_TYPE, True, part=indicator)


def routes(base: str = "", address: str | None = None) -> list[Route]:
    """The plain pages' routes, for ``st.App(routes=...)`` or any Starlette app.

    Parameters
    ----------
    base : str, optional
        Where the app's pages are (``server.baseUrlPath`` with a leading ``/``), for the links
        to the planner and the briefing; the routes themselves are at the server's root.
    address : str, optional
        The database (``PLANNER_DB`` by default).

    Returns
    -------
    list of starlette.routing.Route
    """
    pages = PlainPages(base, address)
    return [Route("/s/{scenario_id}", pages.briefing, methods=["GET", "HEAD"]),
            Route("/embed/{scenario_id}/{name}", pages.embed, methods=["GET", "HEAD"])]


ROUTES = routes()
"""The routes on the configured database, the app at the server's root."""
