"""``python -m bench``: run the benchmarks and print one JSON document.

Standard output is the JSON alone and nothing else is printed, unless a suite fails: then its
error goes to standard error (and into the JSON as ``{"error": ...}``) and the exit code is 1.
``--quick`` runs each suite a few times only (a check that it runs, not a measurement);
``--only`` picks suites by name (``load`` and ``profile`` run only when named).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import os
import platform
import sys
import traceback

SUITES = ("engine", "app", "store_holds", "store_writers", "first_number", "pages", "browser",
          "exports", "api")
EXTRA = ("load", "profile")
"""Suites run only when named with ``--only`` (minutes of many browser sessions):
``make bench-load`` runs ``load``."""
MODULES = {"store_holds": "holds", "store_writers": "writers"}
"""Suites whose module is not named like the suite."""


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="a few runs per measurement: checks that the bench runs")
    parser.add_argument("--only", nargs="+", choices=SUITES + EXTRA, metavar="SUITE",
                        help=f"run only these suites ({', '.join(SUITES + EXTRA)})")
    return parser.parse_args(argv)


def _failure(result: object) -> object:
    """The error a suite reported in its result, or None."""
    return result.get("error") if isinstance(result, dict) else None


def main(argv: list[str] | None = None) -> int:
    """Run the suites; print JSON with their medians.

    Parameters
    ----------
    argv : list of str, optional
        The command-line arguments (``sys.argv[1:]`` when omitted).

    Returns
    -------
    int
        0, or 1 when a suite failed (its error is printed on standard error).
    """
    args = _parse(argv)
    doc: dict[str, object] = {"machine": {"cpus": os.cpu_count(),
                                          "python": platform.python_version()}}
    if args.quick:
        doc["quick"] = True
    failed = False
    for name in args.only or SUITES:
        try:
            module = importlib.import_module(f"bench.{MODULES.get(name, name)}")
            doc[name] = module.run(quick=args.quick)
        except Exception as exc:  # noqa: BLE001 - reported, and the exit code says so
            traceback.print_exc()
            doc[name] = {"error": f"{type(exc).__name__}: {exc}"}
            failed = True
            continue
        error = _failure(doc[name])
        if error:
            print(f"bench {name}: {error}", file=sys.stderr)
            failed = True
    json.dump(doc, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    sys.stdout.flush()
    _release()
    return 1 if failed else 0


def _release() -> None:
    """Free what the app froze, so everything is collected before the interpreter exits.

    The app moves its long-lived objects out of the garbage collector's reach
    (``gc.freeze`` in ``ui/model.py``); left frozen, DuckDB objects among them outlive the
    interpreter's last collection and DuckDB's bindings print "nanobind: leaked ..." at exit.
    """
    gc.unfreeze()
    gc.collect()


if __name__ == "__main__":
    raise SystemExit(main())
