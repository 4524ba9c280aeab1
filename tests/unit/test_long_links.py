"""A link too long for Streamlit: the server sends the page on with a short query it can explain."""

from __future__ import annotations

import pytest
from streamlit.runtime.state import query_params as streamlit_query

from planner.links import (
    DROPPED_KEY,
    MAX_QUERY_CHARS,
    MAX_QUERY_FIELDS,
    dropped_count,
    dropped_query,
    query_fields,
)
from tests.asyncio_support import run
from ui.long_links import DroppedLinkRedirect, NestedPathRedirect, page_parts


def query(n: int, *first: str) -> str:
    return "&".join([*first, *(f"online_filing.2027={i % 100}" for i in range(n - len(first)))])


def test_the_limits_are_streamlits() -> None:
    assert MAX_QUERY_FIELDS == streamlit_query.CLIENT_STATE_QUERY_STRING_MAX_FIELDS
    assert MAX_QUERY_CHARS == streamlit_query.CLIENT_STATE_QUERY_STRING_MAX_LENGTH


@pytest.mark.parametrize("text", [
    query(MAX_QUERY_FIELDS), query(MAX_QUERY_FIELDS + 1), "", "lang=en",
    "a=" + "x" * MAX_QUERY_CHARS, "a=" + "x" * (MAX_QUERY_CHARS - 2)])
def test_a_query_is_shortened_exactly_when_streamlit_drops_it(text: str) -> None:
    dropped = streamlit_query.sanitize_query_string(text) == "" and text != ""
    assert (dropped_query(text) is not None) == dropped


def test_the_short_query_keeps_the_links_language_and_counts_its_parameters() -> None:
    assert dropped_query(query(1001, "lang=en")) == {"lang": "en", DROPPED_KEY: "1001"}
    assert dropped_query(query(1500, "lang=en", "lang=%20VI")) == {"lang": "vi",
                                                                   DROPPED_KEY: "1500"}
    assert dropped_query(query(1001, "lang=fr")) == {DROPPED_KEY: "1001"}
    assert dropped_query(query(1001)) == {DROPPED_KEY: "1001"}
    assert query_fields("") == 0 and query_fields("a=1&b=2") == 2


@pytest.mark.parametrize(("value", "count"), [
    ("1001", 1001), (["3", "1200"], 1200), ("abc", None), ("0", None), ("-5", None),
    ("١٢٣", None), ("9" * 40, None), (None, None), ("", None)])
def test_only_a_sound_count_is_believed(value, count) -> None:
    assert dropped_count(value) == count


def call(scope: dict, middleware=DroppedLinkRedirect) -> list[dict]:
    """Run ``middleware`` (a class given the app) on one request; what it sent, or ``passed``
    when it let it through."""
    sent: list[dict] = []

    async def app(scope, receive, send) -> None:
        sent.append({"passed": scope["path"]})

    async def receive() -> dict:
        return {"type": "http.request", "body": b""}

    async def send(message: dict) -> None:
        sent.append(message)

    run(middleware(app)(scope, receive, send))
    return sent


def page_request(path: str, text: str, method: str = "GET") -> dict:
    return {"type": "http", "method": method, "path": path, "root_path": "",
            "query_string": text.encode()}


def test_a_page_request_with_too_long_a_query_is_sent_on_to_the_same_page() -> None:
    start, body = call(page_request("/planner", query(1001, "lang=en")))
    assert start["status"] == 303 and body["body"] == b""
    headers = dict(start["headers"])
    assert headers[b"location"] == b"/planner?lang=en&link_dropped=1001"


@pytest.mark.parametrize("scope", [
    page_request("/planner", query(MAX_QUERY_FIELDS, "lang=en")),
    page_request("/_stcore/health", query(2000)),
    page_request("/static/x.js", query(2000)),
    page_request("/planner", query(2000), method="POST"),
    {"type": "websocket", "path": "/_stcore/stream", "query_string": b""},
])
def test_every_other_request_passes_untouched(scope) -> None:
    assert call(scope) == [{"passed": scope["path"]}]


def nested(path: str, text: str = "", accept: bytes = b"text/html,*/*", base: str = "",
           method: str = "GET") -> list[dict]:
    """Run :class:`NestedPathRedirect` on one request (see :func:`call`)."""
    scope = {"type": "http", "method": method, "path": path, "root_path": "",
             "query_string": text.encode(), "headers": [(b"accept", accept)]}
    return call(scope, lambda app: NestedPathRedirect(app, base=base))


@pytest.mark.parametrize(("path", "text", "base", "location"), [
    ("/planner/x", "lang=en&s=abc", "", b"/planner?lang=en&s=abc"),
    ("/khong-co-trang-nay/<b>x/", "", "", b"/khong-co-trang-nay"),
    ("/a/b/c", "lang=vi", "", b"/a?lang=vi"),
    ("/qn/planner/x", "", "/qn", b"/qn/planner"),
    ("/trang có dấu/x", "", "", b"/trang%20c%C3%B3%20d%E1%BA%A5u"),
])
def test_a_page_asked_for_below_a_page_is_sent_on_to_the_upper_one(path, text, base,
                                                                     location) -> None:
    start, body = nested(path, text, base=base)
    assert start["status"] == 303 and body["body"] == b""
    assert dict(start["headers"])[b"location"] == location


@pytest.mark.parametrize(("path", "accept", "method", "base"), [
    ("/planner", b"text/html", "GET", ""),            # a page: one part deep
    ("/", b"text/html", "GET", ""),
    ("/qn/planner", b"text/html", "GET", "/qn"),
    ("/a/static/js/index.js", b"*/*", "GET", ""),     # a script, not a page
    ("/planner/x", b"text/html", "POST", ""),
    ("/_stcore/health", b"text/html", "GET", ""),     # Streamlit's and the app's own routes
    ("/static/js/x.js", b"text/html", "GET", ""),
    ("/component/a/b", b"text/html", "GET", ""),
    ("/api/v1/indicators", b"text/html", "GET", ""),
    ("/s/plan_targets", b"text/html", "GET", ""),
    ("/embed/plan_targets/dti_overall", b"text/html", "GET", ""),
    ("/_planner/plotly.min.js", b"text/html", "GET", ""),
])
def test_everything_else_passes_untouched(path, accept, method, base) -> None:
    assert nested(path, accept=accept, method=method, base=base) == [{"passed": path}]


@pytest.mark.parametrize(("path", "base", "parts"), [
    ("/qn/planner/x", "/qn", ["planner", "x"]), ("/qn", "qn/", []), ("/qnx/a", "/qn", ["qnx", "a"]),
    ("/a//b/", "", ["a", "b"]), ("/", "", [])])
def test_an_address_is_read_below_the_base_path(path, base, parts) -> None:
    assert page_parts(path, base) == parts
