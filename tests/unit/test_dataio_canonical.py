"""Canonical content: the same content saved again by a spreadsheet keeps its version."""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.dataio.archive import write_zip
from planner.dataio.canonical import (
    canonical_files,
    content_version,
    dataset_files,
    hash_files,
    number_text,
)
from planner.dataio.upload import read_upload
from planner.dataio.workbook import write_workbook
from planner.dataset import parse_files, read_data_dir, read_files


def encoded(files):
    return {name: text.encode("utf-8") for name, text in files.items()}


def resaved(
    text: str, order: list[int], bom: bool, crlf: bool, quote_all: bool, final_newline: bool
) -> bytes:
    """A file as a spreadsheet might save it again: rows reordered, other quoting and line ends."""
    rows = list(csv.reader(io.StringIO(text)))
    body = [rows[1:][i] for i in order]
    out = io.StringIO()
    writer = csv.writer(
        out,
        lineterminator="\r\n" if crlf else "\n",
        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
    )
    writer.writerows([rows[0], *body])
    data = out.getvalue()
    if not final_newline:
        data = data.rstrip("\r\n")
    return (b"\xef\xbb\xbf" if bom else b"") + data.encode("utf-8")


def test_spreadsheet_resave_keeps_the_version(small_files):
    before = content_version(encoded(small_files))
    obs = small_files["observations.csv"]
    n = len(obs.splitlines()) - 1
    files = encoded(small_files)
    files["observations.csv"] = resaved(obs, list(reversed(range(n))), True, True, True, False)
    files["units.csv"] = resaved(
        small_files["units.csv"], [1, 0, 2, 3, 4, 5], True, True, False, True
    )
    assert hash_files(files) != hash_files(encoded(small_files))  # the bytes differ
    assert content_version(files) == before


def test_number_and_boolean_spellings_are_one_content(small_files):
    files = dict(small_files)
    files["observations.csv"] = files["observations.csv"].replace(",60,", ",60.0,")
    files["indicators.csv"] = files["indicators.csv"].replace(",true,", ",TRUE,")
    assert content_version(encoded(files)) == content_version(encoded(small_files))


def test_a_changed_value_or_order_of_an_ordered_file_is_a_new_version(small_files):
    base = content_version(encoded(small_files))
    files = dict(small_files)
    files["observations.csv"] = files["observations.csv"].replace(",0.7024,", ",0.7025,")
    assert content_version(encoded(files)) != base
    models = small_files["models.csv"].splitlines()
    files = dict(small_files)
    files["models.csv"] = "\n".join([models[0], models[2], models[1]]) + "\n"
    assert content_version(encoded(files)) != base  # the simulation draws in models' order


@settings(max_examples=30, deadline=None)
@given(
    data=st.data(),
    bom=st.booleans(),
    crlf=st.booleans(),
    quote_all=st.booleans(),
    final_newline=st.booleans(),
)
def test_any_resave_of_observations_keeps_the_version(data, bom, crlf, quote_all, final_newline):
    from tests.conftest import SMALL_DATASET

    obs = SMALL_DATASET["observations.csv"]
    n = len(obs.splitlines()) - 1
    order = data.draw(st.permutations(list(range(n))))
    files = encoded(SMALL_DATASET)
    files["observations.csv"] = resaved(obs, order, bom, crlf, quote_all, final_newline)
    assert content_version(files) == content_version(encoded(SMALL_DATASET))
    assert canonical_files(files) == canonical_files(encoded(SMALL_DATASET))


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_number_text_reads_back_to_the_same_number(x):
    assert float(number_text(x)) == x


def test_canonical_files_are_a_fixed_point(data_dir):
    files = read_files(data_dir)
    once = canonical_files(files)
    assert canonical_files(once) == once


def test_dataset_files_match_the_files_read(data_dir):
    dataset = read_data_dir(data_dir)
    files = read_files(data_dir)
    assert dataset_files(dataset) == canonical_files(files)


def test_canonical_rows_fit_the_same_model(data_dir):
    """Sorting the rows of units, sources and observations changes no simulated number."""
    from planner.engine import fit_dataset

    raw = read_data_dir(data_dir)
    canonical = parse_files(canonical_files(read_files(data_dir)))
    a = fit_dataset(raw).simulate(draws=200, seed=3).frame()
    b = fit_dataset(canonical).simulate(draws=200, seed=3).frame()
    numbers = ["value", "p10", "p50", "p90", "mean"]
    assert (a[numbers].to_numpy() == b[numbers].to_numpy()).all()


def test_round_trip_through_the_workbook_and_the_zip(data_dir):
    dataset = read_data_dir(data_dir)
    version = content_version(read_files(data_dir))
    for lang in ("vi", "en"):
        book = read_upload("export.xlsx", write_workbook(dataset, lang))
        assert book.ok, book.problems[:3]
        assert book.version == version
    archive = read_upload("export.zip", write_zip(dataset_files(dataset)))
    assert archive.ok and archive.version == version
    assert write_zip(dataset_files(dataset)) == write_zip(dataset_files(dataset))
