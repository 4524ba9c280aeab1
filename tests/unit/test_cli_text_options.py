"""Free text on the command line may begin with ``-``: the word after a text option is its value."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from planner.cli import main
from planner.cli.common import TEXT_OPTIONS, add_text_argument, join_text_values
from planner.cli.main import build_parser
from tests.saved_support import copy_db
from tests.update_support import observations_csv

DASHED = ("-2", "-x", "-- why", "--why", "-2+3+cmd|' /C calc'!A0", "-")
"""Values argparse alone would take for options (or refuse), all of them text here."""

ID_OPTIONS = frozenset({"--indicator", "--dataset-version", "--parent", "--scenario", "--set",
                        "--target", "--lever", "--base"})
"""Options taking an id, a lever setting or JSON, which never begins with ``-``."""

COMMANDS: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("scenario", "save", "--name", "n"), "--note", "note"),
    (("scenario", "save", "--note", "n"), "--name", "name"),
    (("scenario", "save", "--name", "n"), "--author", "author"),
    (("scenario", "list"), "--search", "search"),
    (("scenario", "delete", "abc"), "--token", "token"),
    (("db", "import", "f.csv"), "--note", "note"),
    (("db", "import", "f.csv"), "--author", "author"),
    (("db", "use", "v1"), "--note", "note"),
    (("db", "use", "v1"), "--author", "author"),
    (("db", "upgrade"), "--data-dir", "data_dir"),
    (("export", "--format", "csv"), "--out", "out"),
)


def parse(argv: list[str]) -> argparse.Namespace:
    return build_parser().parse_args(join_text_values(argv))


@pytest.mark.parametrize("value", DASHED)
@pytest.mark.parametrize(("command", "option", "dest"), COMMANDS)
def test_a_text_option_takes_a_value_beginning_with_a_dash(command, option, dest, value) -> None:
    args = parse([*command, option, value])
    assert getattr(args, dest) == value


@pytest.mark.parametrize("value", DASHED)
def test_the_global_db_option_takes_such_a_value_too(value) -> None:
    assert parse(["--db", value, "sources"]).db == value


def test_joined_values_and_words_after_the_end_of_options_stay_as_they_are() -> None:
    assert join_text_values(["--note=-x", "--author", "-a"]) == ["--note=-x", "--author=-a"]
    assert join_text_values(["--note", "--", "--author", "-a"]) == [
        "--note", "--", "--author", "-a"]
    assert join_text_values(["--note"]) == ["--note"]


def test_a_bare_end_of_options_is_never_a_value(capsys) -> None:
    assert main(["scenario", "save", "--name", "n", "--note", "--"]) == 2
    assert "--note: expected one argument" in capsys.readouterr().err


def _options(parser: argparse.ArgumentParser):
    for action in parser._actions:  # argparse keeps no public list of a parser's options
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _options(sub)
        elif action.option_strings:
            yield action


def test_every_option_taking_free_text_is_a_text_option() -> None:
    free = set()
    for action in _options(build_parser()):
        takes_text = (action.nargs is None and action.type is None and action.choices is None
                      and action.const is None and not isinstance(action, argparse._HelpAction))
        if takes_text:
            free.update(o for o in action.option_strings if o.startswith("--"))
    assert free - ID_OPTIONS == set(TEXT_OPTIONS)


def test_only_a_listed_option_is_added_as_text() -> None:
    with pytest.raises(ValueError, match="--title"):
        add_text_argument(argparse.ArgumentParser(), "--title")


# ------------------------------------------------------------------------------ end to end
@pytest.fixture
def db(loaded_db: Path, tmp_path: Path) -> Path:
    return copy_db(loaded_db, tmp_path / "dash.duckdb").path


def test_a_scenario_saves_a_dashed_name_note_and_author(capsys, db: Path) -> None:
    code = main(["--db", str(db), "scenario", "save", "--name", "-x", "--note", "-2",
                 "--author", "-- me", "--draws", "10"])
    out = capsys.readouterr()
    assert code == 0, out.err
    saved = json.loads(out.out)
    assert main(["--db", str(db), "scenario", "show", saved["id"], "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["name"], shown["note"], shown["author"]) == ("-x", "-2", "-- me")
    assert main(["--db", str(db), "scenario", "list", "--search", "-x", "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)["scenarios"]
    assert [r["id"] for r in found] == [saved["id"]]


def test_an_import_records_a_dashed_note_and_author(capsys, db: Path, tmp_path: Path) -> None:
    path = tmp_path / "new.csv"
    path.write_bytes(observations_csv())
    code = main(["--db", str(db), "db", "import", str(path), "--note", "-- why", "--author", "-x"])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert main(["--db", str(db), "db", "versions", "--log", "--format", "json"]) == 0
    log = json.loads(capsys.readouterr().out)
    assert (log[0]["author"], log[0]["note"]) == ("-x", "-- why")
