"""Plotly figures, shared by the pages and the exports; nothing here imports Streamlit.

- :mod:`~planner.figures.style`: the palette (Okabe-Ito) and the layout every chart starts from.
- :mod:`~planner.figures.outcomes`: an outcome's fan chart, the contributions waterfall, the
  note a printed chart carries.
- :mod:`~planner.figures.compare`: one outcome for every compared scenario.

The pages show them with the options of :mod:`ui.chart_options`; the exports write them as images
(:mod:`planner.export.images`).
"""
