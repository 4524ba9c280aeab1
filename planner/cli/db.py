"""Database commands: ``db upgrade``, ``db status``, and the yearly data update: ``db import``
(publish a folder, zip, workbook or CSV of new observations), ``db versions`` and ``db use``
(make a stored version current again)."""

from __future__ import annotations

import argparse
import getpass
import math
import sys
from pathlib import Path

import pandas as pd

from planner import config
from planner.cli.common import (
    CommandError,
    add_format_argument,
    add_text_argument,
    print_frame,
    store_from_args,
)
from planner.dataio.diff import DatasetDiff, diff_datasets
from planner.dataio.limits import DEFAULT_LIMITS
from planner.dataio.preview import Headline, Preview, preview
from planner.dataio.problems import describe
from planner.dataio.upload import Upload, read_folder, read_upload
from planner.dataset import DataValidationError, dataset_hash
from planner.formatting import MISSING, fmt_chance
from planner.problems import Problem
from planner.store import Store

EXIT_PROBLEMS = 1
"""Exit code of an import whose upload has problems (nothing is stored)."""


def run_db_upgrade(args: argparse.Namespace) -> int:
    """Migrate the database and load the data folder; print the dataset version.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed arguments of the command.

    Returns
    -------
    int
        The exit code (0); failures raise and :func:`main` reports them.
    """
    store = store_from_args(args)
    applied = store.migrate()
    if applied:
        print(f"schema: applied migration(s) {', '.join(map(str, applied))}")
    data = Path(args.data_dir) if args.data_dir else config.data_dir()
    report = store.load_dataset(data)
    print(report.describe())
    return 0


def run_db_status(args: argparse.Namespace) -> int:
    """Print the schema version, the current dataset and every stored version.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed arguments of the command.

    Returns
    -------
    int
        The exit code (0); failures raise and :func:`main` reports them.
    """
    store = store_from_args(args)
    store.check_integrity()
    print(f"database: {store.address}")
    print(f"schema version: {store.schema_version()}")
    versions = store.dataset_versions()
    current = next((v["version"] for v in versions if v["is_current"]), None)
    print(f"current dataset: {current or 'none (run `python -m planner db upgrade`)'}")
    data = Path(args.data_dir) if args.data_dir else config.data_dir()
    try:
        on_disk = dataset_hash(data)
    except DataValidationError:
        on_disk = None
    if on_disk is None:
        print(f"data folder: {data} (not found)")
    elif on_disk == current:
        print(f"data folder: {data} (version {on_disk}, loaded and current)")
    else:
        print(f"data folder: {data} (version {on_disk}, not current: run `python -m planner db upgrade`)")
    for v in versions:
        counts = ", ".join(f"{k}={n}" for k, n in v["row_counts"].items())
        mark = "  (current)" if v["is_current"] else ""
        print(f"  {v['version']}  loaded {v['loaded_at']:%Y-%m-%d %H:%M:%S} UTC  {counts}{mark}")
    return 0


def read_path(store: Store, path: Path, base: str | None = None) -> Upload:
    """Read and check what ``db import`` is given: a folder, a zip, a workbook or a CSV.

    Parameters
    ----------
    store : planner.store.Store
        The database.
    path : pathlib.Path
        The folder or file.
    base : str, optional
        The stored version a CSV of new observations adds to; the current one when None.

    Returns
    -------
    planner.dataio.upload.Upload

    Raises
    ------
    CommandError
        When the path does not exist.
    """
    if path.is_dir():
        return read_folder(path)
    if not path.is_file():
        raise CommandError(f"{path} is neither a folder nor a file")
    size = path.stat().st_size
    if size > DEFAULT_LIMITS.max_upload_size:  # refused unread
        detail = {"size": size, "max_size": DEFAULT_LIMITS.max_upload_size}
        return Upload("file", path.name, (Problem(path.name, "too_large", detail),))
    content = path.read_bytes()
    is_csv = path.suffix.lower() in (".csv", ".txt")
    return read_upload(path.name, content, store.dataset(base) if is_csv else None)


def _number(value: float, decimals: int) -> str:
    return "-" if value is None or (isinstance(value, float) and math.isnan(value)) else (
        f"{value:.{decimals}f}")


def _rank(rank: tuple[int, int, int] | None) -> str:
    return "-" if rank is None else f"{rank[0]}-{rank[2]} (median {rank[1]})"


def diff_lines(diff: DatasetDiff) -> list[str]:
    """The rows added, changed and removed, by file and by indicator, as lines of text.

    Parameters
    ----------
    diff : planner.dataio.diff.DatasetDiff

    Returns
    -------
    list of str
    """
    if diff.empty:
        return [f"no rows differ from dataset {diff.old_version}"]
    lines = [f"changes against dataset {diff.old_version} (added, changed, removed rows):"]
    for name, counts in diff.by_file.items():
        if counts.total:
            lines.append(f"  {name}.csv: +{counts.added} ~{counts.changed} -{counts.removed}")
    for indicator, counts in diff.by_indicator.items():
        lines.append(f"    {indicator}: +{counts.added} ~{counts.changed} -{counts.removed}")
    return lines


def preview_lines(result: Preview) -> list[str]:
    """The headline numbers and every target's status before and after, as lines of text.

    Parameters
    ----------
    result : planner.dataio.preview.Preview

    Returns
    -------
    list of str
    """
    before, after = result.before, result.after
    if after is None:
        return [f"the model cannot be fitted on the new data: {describe(p, 'en')}"
                for p in result.problems]

    def pair(get, fmt) -> str:  # type: ignore[no-untyped-def]
        return f"{fmt(get(before))} -> {fmt(get(after))}"

    def status(side: Headline | None, tid: str) -> str:
        found = side.targets.get(tid) if side is not None else None
        if found is None:
            return "-"
        chance = fmt_chance(found.probability, "en")
        return found.status if chance == MISSING else f"{found.status} ({chance})"

    lines = [
        "baseline in 2030, current -> new:",
        f"  overall DTI: {pair(lambda h: h.dti, lambda v: _number(v, 4))}",
        f"  digital economy, % of GRDP: {pair(lambda h: h.de_share, lambda v: _number(v, 1))}",
        f"  overall rank, 10-90%: {pair(lambda h: h.rank, _rank)}",
        "targets, current -> new:",
    ]
    for change in result.targets:
        mark = " *" if change.changed else ""
        lines.append(
            f"  {change.indicator} {change.year} target {change.target:g}"
            f": {status(before, change.target_id)} -> {status(after, change.target_id)}{mark}")
    return lines


def run_db_import(args: argparse.Namespace) -> int:
    """Check a folder, zip, workbook or CSV of new observations; publish it unless a dry run.

    The import is built on the version current when it starts (or ``--base``): a CSV's rows
    are added to it, the changes and preview are against it, and the publish is refused when
    another version became current meanwhile (:meth:`planner.store.Store.publish`).

    Parameters
    ----------
    args : argparse.Namespace
        ``path``, ``author``, ``note``, ``dry_run``, ``base``.

    Returns
    -------
    int
        0 when published (or, with ``--dry-run``, publishable); :data:`EXIT_PROBLEMS` when
        the upload has problems, listed on stderr with file, row and column; nothing is
        stored then. A model that cannot be fitted, or another editor's publish since the
        base version, raises (exit 1, one line).
    """
    store = store_from_args(args)
    path = Path(args.path)
    base = args.base or store.current_version()
    upload = read_path(store, path, base)
    if not upload.ok:
        for problem in upload.problems:
            print(f"  {describe(problem, 'en')}", file=sys.stderr)
        print(f"error: {len(upload.problems)} problem(s) in {path}; nothing was stored",
              file=sys.stderr)
        return EXIT_PROBLEMS
    assert upload.dataset is not None
    if args.dry_run:
        current = store.dataset(base)
        print(f"{path}: a valid dataset, version {upload.version}")
        print("\n".join(diff_lines(diff_datasets(current, upload.dataset))))
        result = preview(current, upload.dataset)
        print("\n".join(preview_lines(result)))
        if result.problems:
            return EXIT_PROBLEMS
        print("dry run: nothing was stored")
        return 0
    author = args.author if args.author is not None else _login()
    report = store.publish(upload.dataset, author, args.note or "", base=base)
    if report.status == "unchanged":
        print(f"dataset {report.version}: the same content is already current; nothing changed")
    else:
        print(f"dataset {report.version}: published by {author or '-'}, now current "
              f"(was {report.previous_version or 'none'})")
    return 0


def _login() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return ""


def run_db_versions(args: argparse.Namespace) -> int:
    """Print the stored dataset versions (or, with ``--log``, every publish), as CSV or JSON.

    Parameters
    ----------
    args : argparse.Namespace
        ``log``, ``format``.

    Returns
    -------
    int
        0.
    """
    return print_frame(args, lambda store: _versions_frame(store, log=args.log))


def _versions_frame(store: Store, log: bool = False) -> pd.DataFrame:
    """The stored dataset versions, or with ``log`` every publish, times as text.

    Parameters
    ----------
    store : planner.store.Store
    log : bool, optional
        Every publish (who, when, note, previous version) instead of the versions.

    Returns
    -------
    pandas.DataFrame
    """
    if log:
        frame = pd.DataFrame(store.publish_log(), columns=[
            "seq", "version", "previous_version", "action", "author", "note", "published_at"])
    else:
        rows = [{"version": v["version"], "loaded_at": v["loaded_at"], "author": v["author"],
                 "note": v["note"], "current": v["is_current"],
                 "observations": v["row_counts"].get("observations", 0)}
                for v in store.dataset_versions()]
        frame = pd.DataFrame(rows, columns=[
            "version", "loaded_at", "author", "note", "current", "observations"])
    for column in ("loaded_at", "published_at"):
        if column in frame:
            frame[column] = [f"{t:%Y-%m-%d %H:%M:%S}" for t in frame[column]]
    return frame


def run_db_use(args: argparse.Namespace) -> int:
    """Make a stored version current again (a rollback, recorded as a publish).

    Refused when another version became current after the one given by ``--base`` (by
    default, the one current when the command starts).

    Parameters
    ----------
    args : argparse.Namespace
        ``version``, ``author``, ``note``, ``base``.

    Returns
    -------
    int
        0; an unknown version, a model that cannot be fitted or a base no longer current
        raises (exit 1, one line).
    """
    store = store_from_args(args)
    author = args.author if args.author is not None else _login()
    base = args.base or store.current_version()
    report = store.make_current(args.version, author, args.note or "", base=base)
    if report.status == "unchanged":
        print(f"dataset {report.version}: already current; nothing changed")
    else:
        print(f"dataset {report.version}: current again (was {report.previous_version})")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``db upgrade``, ``db status``, ``db import``, ``db versions`` and ``db use``.

    Parameters
    ----------
    subparsers : argparse._SubParsersAction
        From ``parser.add_subparsers()``.
    """
    db = subparsers.add_parser("db", help="create, upgrade and inspect the database")
    db_commands = db.add_subparsers(
        dest="db_command", metavar="{upgrade,status,import,versions,use}", required=True)
    upgrade = db_commands.add_parser(
        "upgrade", help="apply schema migrations and load the data folder as the current dataset"
    )
    status = db_commands.add_parser("status", help="show the schema and dataset versions")
    for parser, func in ((upgrade, run_db_upgrade), (status, run_db_status)):
        add_text_argument(
            parser, "--data-dir",
            help="the data folder (default: PLANNER_DATA_DIR or the repository's data/)")
        parser.set_defaults(func=func)
    imports = db_commands.add_parser(
        "import", help="check a folder, zip, .xlsx workbook or CSV of new observations and "
        "publish it as the current dataset")
    imports.add_argument("path", help="the folder, .zip, .xlsx or .csv (new observation rows)")
    imports.add_argument("--dry-run", action="store_true",
                         help="only print the problems, the changes and the preview")
    versions = db_commands.add_parser("versions", help="list the stored dataset versions")
    versions.add_argument("--log", action="store_true",
                          help="list every publish instead (who, when, note, previous version)")
    add_format_argument(versions)
    versions.set_defaults(func=run_db_versions)
    use = db_commands.add_parser(
        "use", help="make a stored dataset version current again (recorded as a publish)")
    use.add_argument("version", help="a version from `db versions`")
    for parser, func in ((imports, run_db_import), (use, run_db_use)):
        add_text_argument(parser, "--author", help="who does it (default: the login name)")
        add_text_argument(parser, "--note", default="", help="why, in a sentence")
        parser.add_argument(
            "--base", metavar="VERSION",
            help="the version you worked from; refused if another version is current by then "
            "(default: the version current when the command starts)")
        parser.set_defaults(func=func)
