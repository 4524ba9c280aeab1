"""Messages about links and saved scenarios, and the app's own addresses.

* :func:`problem_text`: a :class:`planner.problems.Problem` in words (catalogue
  ``problem.<code>``), every value from the user escaped, so it shows as typed.
* :func:`link_problem_text` / :func:`show_link_problems`: a dropped piece of a link.
* :func:`saved_error_texts`: a saved-scenario or scenario error, one text per problem.
* :func:`page_url`: the address of a page with query parameters, absolute when the browser's
  address is known (``st.context.url``), else relative to the server's root.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st

from planner.i18n import DEFAULT_LANG, t
from planner.links import read_path
from planner.problems import Problem
from planner.problems import problem_text as plain_problem_text
from planner.saved import SavedScenarioError
from planner.scenario import ScenarioError
from planner.usertext import escape_markdown


def problem_text(problem: Problem, lang: str) -> str:
    """A problem in words for a page: :func:`planner.problems.problem_text` with every value
    from the user escaped, so it shows as typed in Markdown (``st.warning``, ``st.error``).

    Parameters
    ----------
    problem : planner.problems.Problem
    lang : str
        ``"vi"`` or ``"en"``.

    Returns
    -------
    str
        Markdown.
    """
    return plain_problem_text(problem, lang, escape=escape_markdown)


def link_problem_text(problem: Problem, lang: str) -> str:
    """A dropped piece of a link in words: the problem, said to be part of the link.

    Parameters
    ----------
    problem : planner.problems.Problem
        From :func:`planner.links.parse_query`.
    lang : str
        ``"vi"`` or ``"en"``.

    Returns
    -------
    str
        Markdown (values from the link escaped), for ``st.warning``.
    """
    return t("link.ignored", lang, problem=problem_text(problem, lang))


def show_link_problems(problems: Iterable[Problem], lang: str,
                       ignore_fields: Iterable[str] = ()) -> int:
    """Show a warning per dropped piece of the page's link.

    Parameters
    ----------
    problems : iterable of planner.problems.Problem
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


def saved_error_texts(error: SavedScenarioError | ScenarioError, lang: str) -> list[str]:
    """A saved-scenario or scenario error in words, one text per problem (duplicates dropped).

    Parameters
    ----------
    error : planner.saved.SavedScenarioError or planner.scenario.ScenarioError
        The error.
    lang : str
        ``"vi"`` or ``"en"``.

    Returns
    -------
    list of str
        Markdown texts of :func:`problem_text`.
    """
    return list(dict.fromkeys(problem_text(p, lang) for p in error.problems))


URL_PATH_KEY = "app.url_path"
"""Session-state key where the router (``app.py``) keeps the running page's ``url_path``, as
``st.navigation`` gives it."""


def current_url_path() -> str:
    """The ``url_path`` of the running page, as the router kept it ('' when unknown: a page
    script run on its own, as in some tests).

    Returns
    -------
    str
        Such as ``planner``.
    """
    return str(st.session_state.get(URL_PATH_KEY, "") or "")


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


def server_root(current_url_path: str) -> str:
    """The server's own address, without ``server.baseUrlPath`` (``""`` when unknown).

    The plain pages (``/s/<id>``, ``/embed/...``) are served there: Streamlit does not put its
    extra routes under the base path.

    Parameters
    ----------
    current_url_path : str
        As for :func:`base_url`.
    """
    base = base_url(current_url_path)
    prefix = "/" + str(st.get_option("server.baseUrlPath") or "").strip("/")
    if prefix != "/" and base.endswith(prefix):
        base = base[: -len(prefix)]
    return base


def read_url(scenario_id: str, lang: str, current_url_path: str) -> str:
    """The read-only page of a scenario, to share: ``<server>/s/<id>`` (``?lang=en`` in English).

    Parameters
    ----------
    scenario_id : str
        A saved or built-in id.
    lang : str
        The page's language (the default one is left out of the link).
    current_url_path : str
        As for :func:`base_url`.

    Returns
    -------
    str
        Absolute when the browser's address is known, else ``/s/<id>``.
    """
    return server_root(current_url_path) + read_path(
        scenario_id, None if lang == DEFAULT_LANG else lang)


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
