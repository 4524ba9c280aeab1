"""What the planner's server answers besides the Streamlit pages: plain HTTP routes mounted in
``app.py``'s ``st.App``. :mod:`web.api` is the JSON API under ``/api``. Nothing here imports
Streamlit or :mod:`ui`; the domain is :mod:`planner`.
"""
