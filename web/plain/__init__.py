"""Read-only pages without a Streamlit session: a saved scenario's briefing and its charts.

* ``/s/<id>`` (:func:`web.plain.routes.briefing`): the briefing of a saved or built-in scenario
  as one server-rendered HTML page, built from the export bundle
  (:mod:`planner.export.bundle`), so its numbers are the stored snapshot's;
* ``/embed/<id>/<indicator>.svg`` and ``/embed/<id>/<indicator>``: one outcome's chart, alone
  or in a small page with its sources and text alternative.

:mod:`web.plain.view` turns a bundle into texts, :mod:`web.plain.charts` draws the charts as
SVG, :mod:`web.plain.html` lays them out (Jinja2 templates in ``templates/``) and
:mod:`web.plain.routes` serves them, cached. Nothing here imports Streamlit.
"""

from web.plain.routes import ROUTES

__all__ = ["ROUTES"]
