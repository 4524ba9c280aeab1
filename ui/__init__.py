"""Small Streamlit helpers shared by the pages: language, cached loaders, charts, sources.

Unlike :mod:`planner`, these modules import streamlit. Pages stay thin: they read widgets,
call :mod:`planner` and render through these helpers.
"""
