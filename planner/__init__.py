"""Domain package of the Quảng Ninh digital-transformation scenario planner.

Pure Python: it never imports streamlit. See ``docs/DESIGN.md`` for the contract between
its modules.
"""
