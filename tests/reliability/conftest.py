"""Reliability tests: several processes on one database file, and a writer killed mid-save.

They are part of the default ``pytest`` run (and so of CI), marked ``reliability`` by the root
``conftest.py``; ``-m "not reliability"`` leaves them out for a quick run.
"""
