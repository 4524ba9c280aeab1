"""What the planner's server answers besides the Streamlit pages: plain HTTP routes mounted in
``app.py``'s ``st.App``, served without a session. :mod:`web.api` is the JSON API under
``/api``; :mod:`web.plain` serves saved scenarios' briefings and charts as plain pages. Nothing
here imports Streamlit or :mod:`ui`; the domain is :mod:`planner`.
"""
