"""Benchmarks run by ``make bench``: medians over repeated runs, printed as JSON."""
