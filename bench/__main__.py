"""``python -m bench``: run every benchmark and print one JSON document."""

from __future__ import annotations

import importlib
import json
import os
import platform
import sys

SUITES = ("bench.engine", "bench.app", "bench.browser")


def main() -> int:
    """Run the suites that exist; print JSON with their medians."""
    doc = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version()}}
    for name in SUITES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        doc[name.split(".")[-1]] = module.run()
    json.dump(doc, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
