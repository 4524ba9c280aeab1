"""The simulation settings every shared number uses: draws, seed and their limits.

The app, saved scenarios and the command line all simulate with :data:`DEFAULT_DRAWS` draws
and seed :data:`DEFAULT_SEED` unless told otherwise, so a saved snapshot holds exactly the
numbers a page showed. Draws beyond :data:`MAX_DRAWS` and seeds outside ``[0, MAX_SEED]`` are
refused everywhere.
"""

DEFAULT_DRAWS = 2000
"""Monte Carlo draws of a simulation unless told otherwise."""

DEFAULT_SEED = 0
"""Seed of a simulation unless told otherwise."""

MAX_DRAWS = 100_000
"""Most draws one simulation may use (about 1 s of work per outcome table)."""

MAX_SEED = 2**63 - 1
"""Largest seed (a saved seed is stored as BIGINT)."""
