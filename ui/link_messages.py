"""Messages about links and saved scenarios, and the app's own addresses.

* :func:`link_problem_text` / :func:`show_link_problems`: a dropped piece of a link
  (:class:`planner.links.LinkProblem`) in words, from the catalogue ``link.problem.<code>``.
  Every value taken from the link is escaped, so it shows as typed.
* :func:`saved_error_texts`: a :class:`planner.saved.SavedScenarioError` in words, one text per
  problem, from ``saved.error.<code>``.
* :func:`page_url`: the address of a page with query parameters, absolute when the browser's
  address is known (``st.context.url``), else relative to the server's root.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st

from planner.formatting import fmt_number
from planner.i18n import t
from planner.links import PROBLEM_CODES, LinkProblem
from planner.saved import AUTHOR_MAX, NAME_MAX, NOTE_MAX, SEARCH_MAX, SavedScenarioError
from ui.text import escape_markdown

LIMITS: dict[str, int] = {"bad_name": NAME_MAX, "bad_note": NOTE_MAX, "bad_author": AUTHOR_MAX,
                          "bad_search": SEARCH_MAX}
"""The length limit named in the message of each text problem."""


def _number(x: Any, lang: str) -> str:
    try:
        return fmt_number(float(x), lang, 6, trim=True)
    except (TypeError, ValueError):
        return escape_markdown(x)


def link_problem_text(problem: LinkProblem, lang: str) -> str:
    """A dropped piece of a link in words, naming the parameter.

    Parameters
    ----------
    problem : planner.links.LinkProblem
        The problem.
    lang : str
        ``"vi"`` or ``"en"``.

    Returns
    -------
    str
        Markdown (values from the link escaped), for ``st.warning``.
    """
    d = {k: escape_markdown(v) for k, v in problem.detail.items()}
    d["param"] = escape_markdown(problem.field)
    code = problem.code
    if "message" in problem.detail or code not in PROBLEM_CODES:
        detail = problem.detail.get("message") or (
            problem.message() if code in PROBLEM_CODES
            else ", ".join(f"{k}={v}" for k, v in problem.detail.items()) or code)
        return t("link.problem.invalid", lang, param=d["param"], detail=escape_markdown(detail))
    if code == "out_of_range":
        d.update(value=_number(problem.detail.get("value"), lang),
                 min=_number(problem.detail.get("min"), lang),
                 max=_number(problem.detail.get("max"), lang))
    needed = {"unknown_lever": ("lever", "known"), "unknown_assumption": ("assumption",),
              "not_a_number": ("value",), "out_of_range": ("value", "min", "max"),
              "bad_year": ("year", "allowed"), "year_ended": ("year", "allowed"),
              "bad_id": ("value",),
              "bad_lang": ("value", "allowed"), "too_many": ("count", "max"),
              "too_few": ("count", "min")}[code]
    for name in needed:
        d.setdefault(name, "")
    return t(f"link.problem.{code}", lang, **d)


def show_link_problems(problems: Iterable[LinkProblem], lang: str,
                       ignore_fields: Iterable[str] = ()) -> int:
    """Show a warning per dropped piece of the page's link.

    Parameters
    ----------
    problems : iterable of LinkProblem
        From :func:`planner.links.parse_query`.
    lang : str
        ``"vi"`` or ``"en"``.
    ignore_fields : iterable of str, optional
        Parameters another page reads (for example ``c`` outside the compare page).

    Returns
    -------
    int
        How many warnings were shown.
    """
    skip = set(ignore_fields)
    n = 0
    for problem in problems:
        if problem.field in skip:
            continue
        st.warning(link_problem_text(problem, lang), icon=":material/link_off:")
        n += 1
    return n


def saved_error_texts(error: SavedScenarioError, lang: str) -> list[str]:
    """A saved-scenario error in words, one text per problem (duplicates dropped).

    Parameters
    ----------
    error : planner.saved.SavedScenarioError
        The error.
    lang : str
        ``"vi"`` or ``"en"``.

    Returns
    -------
    list of str
        Catalogue texts ``saved.error.<code>`` (plain text, no user input in them).
    """
    out: list[str] = []
    for p in error.problems:
        text = t(f"saved.error.{p.code}", lang, max=LIMITS.get(p.code, ""))
        if text not in out:
            out.append(text)
    return out


def base_url(current_url_path: str) -> str:
    """The app's address in the browser without the page and query (``""`` when unknown).

    Parameters
    ----------
    current_url_path : str
        The ``url_path`` of the page that is running (removed from the end of the address).

    Returns
    -------
    str
        Such as ``http://127.0.0.1:8501`` or ``https://host/prefix``; empty when Streamlit
        does not know the browser's address (tests, the first run of some sessions).
    """
    try:
        url = st.context.url
    except Exception:  # noqa: BLE001 - outside a session the context cannot be read
        url = None
    if not url:
        return ""
    parts = urlsplit(str(url))
    path = parts.path.rstrip("/")
    if current_url_path and path.endswith("/" + current_url_path):
        path = path[: -len(current_url_path) - 1]
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def page_url(url_path: str, params: Mapping[str, str], current_url_path: str) -> str:
    """The address of a page of this app with query parameters.

    Parameters
    ----------
    url_path : str
        The target page's ``url_path`` (``saved``, ``planner``, ``compare``, ``briefing``).
    params : mapping of str to str
        Query parameters, in order.
    current_url_path : str
        The running page's ``url_path`` (see :func:`base_url`).

    Returns
    -------
    str
        ``<base>/<url_path>?<query>``; with an unknown base, ``/<url_path>?<query>``.
    """
    query = urlencode(list(params.items()), safe=",")
    path = f"{base_url(current_url_path)}/{url_path}"
    return f"{path}?{query}" if query else path
