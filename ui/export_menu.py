"""The download menu: one button per export format, each file made only when clicked.

Every button passes a callable as ``data`` (Streamlit runs it when the button is pressed, on a
thread of its own), so a page's reruns after a lever move build nothing; ``on_click="ignore"``
keeps the page from rerunning on a download. The page hands over a factory of the bundle
(:mod:`planner.export.bundle`) built from what it shows; the bundle is built once per menu
drawing, on the first click, and shared by the formats. The scenarios page draws its menu once
a page run and hands it each lever move's numbers through a :class:`LatestBundle`.

Each page draws its menu with one call: :func:`export_menu_for_computation` (the briefing and
the planner: the scenario as the page computed it), :func:`export_menu_for_saved` (a saved
scenario's page: its stored numbers), :func:`export_menu_for_compare` (a menu per compared
scenario and one CSV of them all) and :func:`csv_button` (the data page's filtered rows).
Everything that needs the page's session (its address, the store, a cached simulation) is read
while drawing; the factories only compute.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from planner.export import FORMAT_INFO, FORMATS, file_name, render
from planner.export.bundle import ExportBundle, from_model, from_saved
from planner.export.csvfile import combined_outcomes_csv, frame_csv
from planner.export.images import available as images_available
from planner.i18n import t
from planner.links import encode as encode_link
from planner.saved import builtin_scenarios, get_scenario
from ui.data import get_store
from ui.link_messages import base_url, page_url

ICONS = {"pptx": ":material/slideshow:", "pdf": ":material/picture_as_pdf:",
         "xlsx": ":material/table_view:", "png": ":material/image:",
         "svg": ":material/image:", "csv": ":material/csv:"}


PER_ROW = 3
"""Buttons in a row of the menu."""


class _Once:
    """Calls a factory at most once (the first click), from any thread."""

    def __init__(self, factory: Callable[[], ExportBundle]):
        self._factory, self._lock, self._value = factory, threading.Lock(), None

    def __call__(self) -> ExportBundle:
        with self._lock:
            if self._value is None:
                self._value = self._factory()
            return self._value


class LatestBundle:
    """The bundle of what a page shows now, for a menu drawn once and used after many moves.

    The scenarios page draws its menu in the page's full run only, not in the fragments a
    lever move reruns (its buttons do not change, and redrawing them was 17 of the 128
    elements a move sent). Each move's fragment hands this holder the factory of the numbers
    it has just drawn (:meth:`show`); a click builds the bundle of the latest one, once per
    factory, from any thread. It is kept in the session (:func:`latest_bundle`).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._once: _Once | None = None

    def show(self, factory: Callable[[], ExportBundle]) -> None:
        """What the page shows from now on."""
        with self._lock:
            self._once = _Once(factory)

    def __call__(self) -> ExportBundle:
        """The bundle of what the page showed last."""
        with self._lock:
            once = self._once
        if once is None:
            raise LookupError("the page has shown no scenario yet")
        return once()


def latest_bundle(key: str) -> LatestBundle:
    """The session's :class:`LatestBundle` of the menu keyed ``key`` (made once)."""
    holder = st.session_state.get(f"{key}_latest")
    if not isinstance(holder, LatestBundle):
        holder = st.session_state[f"{key}_latest"] = LatestBundle()
    return holder


def download_menu(bundle_factory: Callable[[], ExportBundle], lang: str, key: str,
                  file_stem: str | None = None, formats: tuple[str, ...] = FORMATS,
                  stacked: bool = False) -> None:
    """Draw the download buttons of a page's briefing.

    Parameters
    ----------
    bundle_factory : callable
        Returns the :class:`~planner.export.bundle.ExportBundle` of what the page shows
        (for example ``lambda: from_model(model, scenario, lang, frame=..., targets=...)``);
        called only when a button is clicked, at most once per drawing of the menu; a
        :class:`LatestBundle` is called at each click (it builds each bundle once itself).
    lang : str
        ``"vi"`` or ``"en"``.
    key : str
        Prefix of the buttons' keys (``<key>_<format>``).
    file_stem : str, optional
        File name without extension (default ``briefing-<today>``).
    formats : tuple of str, optional
        The formats offered, in order.
    stacked : bool, optional
        One button under the other (in a narrow place such as a popover), not in a row.
    """
    stem = file_stem or f"briefing-{dt.date.today().isoformat()}"
    once = bundle_factory if isinstance(bundle_factory, LatestBundle) else _Once(bundle_factory)
    images = images_available()
    with st.container(key=f"{key}_menu"):
        st.markdown(f"**{t('export.menu.heading', lang)}**")
        if stacked:
            cols = [st.container() for _ in formats]
        else:  # rows of three: a label such as "Trình chiếu (PowerPoint)" is not cut short
            cols = [c for start in range(0, len(formats), PER_ROW)
                    for c in st.columns(PER_ROW)][:len(formats)]
        for col, fmt in zip(cols, formats, strict=True):
            no_image = fmt in ("png", "svg") and not images
            with col:
                st.download_button(
                    t(f"export.menu.{fmt}", lang),
                    data=(lambda f=fmt: render(once(), f)),
                    file_name=file_name(stem, fmt), mime=FORMAT_INFO[fmt].mime,
                    key=f"{key}_{fmt}", on_click="ignore", icon=ICONS[fmt],
                    disabled=no_image, width="stretch")
        st.caption(t("export.menu.help", lang))
        if not images and any(f in ("png", "svg") for f in formats):
            st.caption(t("export.menu.no_images", lang))


def csv_button(frame_factory: Callable[[], pd.DataFrame], lang: str, key: str,
               file_stem: str = "data", label_key: str = "export.menu.csv") -> None:
    """One CSV download of a table the page shows (such as the data page's filtered rows).

    Parameters
    ----------
    frame_factory : callable
        Returns the table; called only when the button is clicked.
    lang : str
    key : str
        The button's key.
    file_stem : str, optional
        File name without extension.
    label_key : str, optional
        Catalogue key of the button's label.
    """
    st.download_button(t(label_key, lang), data=lambda: frame_csv(frame_factory()),
                       file_name=f"{file_stem}.csv", mime=FORMAT_INFO["csv"].mime, key=key,
                       on_click="ignore", icon=ICONS["csv"])


def _stem(what: str) -> str:
    return f"{what}-{dt.date.today().isoformat()}"


def computation_bundle(calc, frame: pd.DataFrame, targets: pd.DataFrame, lang: str, *,
                       name: str, link: str, store=None) -> Callable[[], ExportBundle]:
    """The bundle factory of a scenario a page computed, with the page's own numbers.

    Parameters
    ----------
    calc : ui.scenario_state.Computation
        The model (current, or a saved scenario's pinned version), exact settings, draws and
        seed the page computed with.
    frame, targets : pandas.DataFrame
        The simulation frame and evaluated targets the page shows (never simulated again).
    lang : str
    name : str
        The scenario's name as the page shows it.
    link : str
        The address that opens the scenario.
    store : planner.store.Store, optional
        Where a saved scenario's note and author are read (on click).

    Returns
    -------
    callable
        Builds the :class:`~planner.export.bundle.ExportBundle` when called.
    """
    opened = calc.opened

    def factory() -> ExportBundle:
        note = author = ""
        if opened is not None and opened.kind == "saved" and store is not None:
            row = get_scenario(store, opened.id)
            note, author = row.note, row.author
        elif opened is not None:
            found = {b.id: b for b in builtin_scenarios(calc.model.dataset)}.get(opened.id)
            note = found.note(lang) if found is not None else ""
        return from_model(calc.model, calc.scenario, lang, name=name, note=note, author=author,
                          link=link, draws=calc.draws, seed=calc.seed, frame=frame,
                          targets=targets)

    return factory


def export_menu_for_computation(calc, frame: pd.DataFrame, targets: pd.DataFrame, lang: str,
                                *, key: str, url_path: str,
                                latest: LatestBundle | None = None) -> None:
    """The download menu of the scenario the briefing or the planner shows.

    Parameters
    ----------
    calc : ui.scenario_state.Computation
        What the page computed the scenario with.
    frame, targets : pandas.DataFrame
        The page's simulation frame and evaluated targets: the export holds these numbers.
    lang : str
    key : str
        Prefix of the buttons' keys.
    url_path : str
        The page's ``url_path``: the export's link opens the scenario there (``s=<id>`` while
        it is an opened scenario, else its settings).
    latest : LatestBundle, optional
        Hand it this scenario's factory and draw nothing (the page draws the menu once, with
        :func:`latest_menu`).
    """
    from ui.target_cards import scenario_name

    opened = calc.opened
    params = (encode_link(None, lang, s=opened.id) if opened is not None
              else encode_link(calc.scenario, lang))
    link = page_url(url_path, params, url_path)
    store = get_store() if opened is not None and opened.kind == "saved" else None
    factory = computation_bundle(calc, frame, targets, lang, name=scenario_name(calc, lang),
                                 link=link, store=store)
    if latest is not None:
        latest.show(factory)
        return
    download_menu(factory, lang, key=key, file_stem=_stem(url_path))


def latest_menu(lang: str, *, key: str, url_path: str) -> None:
    """The download menu of what a page's fragments showed last (:class:`LatestBundle`).

    Parameters
    ----------
    lang : str
    key : str
        Prefix of the buttons' keys; the holder is :func:`latest_bundle` of it.
    url_path : str
        The page's ``url_path`` (the files' names).
    """
    download_menu(latest_bundle(key), lang, key=key, file_stem=_stem(url_path))


def saved_bundle(store, scenario_id: str, model, lang: str, base: str = ""
                 ) -> Callable[[], ExportBundle]:
    """The bundle factory of a saved or built-in scenario: its stored numbers exactly.

    Parameters
    ----------
    store : planner.store.Store
    scenario_id : str
    model : planner.projection.PlannerResults
        The current model: a built-in scenario is computed on it, and it gives the baseline
        values of the settings of a scenario saved on the current data.
    lang : str
    base : str, optional
        The app's address, for an absolute link.

    Returns
    -------
    callable
    """
    def factory() -> ExportBundle:
        return from_saved(store, scenario_id, lang, base=base,
                          current_model_loader=lambda: model,
                          model_loader=lambda v: model if v == model.version else None)

    return factory


def export_menu_for_saved(scenario_id: str, model, lang: str, *, key: str,
                          url_path: str) -> None:
    """The download menu of one saved or built-in scenario (the saved page's details).

    Parameters
    ----------
    scenario_id : str
    model : planner.projection.PlannerResults
        The current model.
    lang : str
    key : str
    url_path : str
        The page's ``url_path`` (for the app's address in the link).
    """
    factory = saved_bundle(get_store(), scenario_id, model, lang, base_url(url_path))
    download_menu(factory, lang, key=key, file_stem=_stem(f"scenario-{scenario_id}"))


def export_menu_for_compare(slots: Sequence, model, lang: str, *, key: str,
                            url_path: str) -> None:
    """Downloads of the compare page: one CSV of every compared scenario's outcomes, and the
    full menu of each scenario in a popover of its own.

    A saved scenario is exported from its stored numbers; the others with the numbers the
    page computed (:func:`ui.model.simulation`, cached: nothing is simulated again).

    Parameters
    ----------
    slots : sequence of ui.compare_view.Slot
        The compared scenarios, as the page shows them.
    model : planner.projection.PlannerResults
        The current model.
    lang : str
    key : str
    url_path : str
    """
    from planner.saved import DEFAULT_DRAWS, DEFAULT_SEED
    from ui.model import simulation

    store, base = get_store(), base_url(url_path)
    factories = []
    for s in slots:
        if s.kind == "saved":
            factories.append(_Once(saved_bundle(store, s.entry, model, lang, base)))
            continue
        sim = simulation(model, s.scenario, DEFAULT_DRAWS, DEFAULT_SEED)
        params = (encode_link(None, lang, s=s.entry) if s.kind == "builtin"
                  else encode_link(s.scenario, lang))
        link = page_url("planner", params, url_path)

        def factory(s=s, sim=sim, link=link) -> ExportBundle:
            return from_model(model, s.scenario, lang, name=s.name, note=s.note, link=link,
                              frame=sim["frame"], targets=sim["targets"])

        factories.append(_Once(factory))
    letters = [s.slot for s in slots]
    with st.container(key=f"{key}_menu"):
        st.markdown(f"**{t('export.menu.heading', lang)}**")
        st.download_button(
            t("export.compare.csv", lang),
            data=lambda: combined_outcomes_csv(letters, [f() for f in factories]),
            file_name=f"{_stem('compare')}.csv", mime=FORMAT_INFO["csv"].mime,
            key=f"{key}_csv", on_click="ignore", icon=ICONS["csv"])
        cols = st.columns(len(slots))
        for col, s, factory in zip(cols, slots, factories, strict=True):
            with col, st.popover(t("export.compare.one", lang, slot=s.slot),
                                 icon=":material/download:", width="stretch"):
                st.text(s.name)
                download_menu(factory, lang, key=f"{key}_{s.slot}",
                              file_stem=_stem(f"compare-{s.slot}"), stacked=True)


def export_menu_for_rows(rows: pd.DataFrame, lang: str, *, key: str) -> None:
    """One CSV download of the rows a page's filters show (the data page), as stored: numbers
    as numbers, ids not labels, every column of the data file.

    Parameters
    ----------
    rows : pandas.DataFrame
        The rows shown, in the order shown.
    lang : str
    key : str
        The button's key.
    """
    csv_button(lambda: rows, lang, key=key, file_stem=_stem("data"),
               label_key="export.data.csv")
