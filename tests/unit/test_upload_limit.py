"""One upload limit: the uploader's setting, the page's uploader and the reader agree, and a file
the uploader takes is never refused later for its size."""

from __future__ import annotations

import tomllib
from pathlib import Path

from planner.dataio.limits import DEFAULT_LIMITS, MAX_UPLOAD_MIB, MIB
from planner.dataio.problems import describe
from planner.dataio.upload import read_upload
from planner.dataset import parse_files

ROOT = Path(__file__).resolve().parents[2]
HEADER = "indicator,geography,year,period,value,unit,kind,source,source_date,quote,note,conflict"


def test_the_uploader_and_the_reader_have_one_limit() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == MAX_UPLOAD_MIB
    # Streamlit's server takes maxUploadSize in megabytes of 1024 * 1024 bytes
    assert DEFAULT_LIMITS.max_upload_size == MAX_UPLOAD_MIB * 1024 * 1024 == MAX_UPLOAD_MIB * MIB
    assert DEFAULT_LIMITS.max_file_size == DEFAULT_LIMITS.max_upload_size


def test_the_update_page_gives_its_uploader_the_same_limit() -> None:
    from ui import update_view

    assert update_view.MAX_UPLOAD_MIB == MAX_UPLOAD_MIB


def big_csv(size: int) -> bytes:
    """A CSV of new rows of about ``size`` bytes, with a column the observations do not have
    (so the check stops at the header, after the size and text checks)."""
    line = b"dti_overall,Qu\xe1\xba\xa3ng Ninh,2023,year,0.5,index_0_1,observed,x,,q,,,extra\n"
    head = (HEADER + ",extra\n").encode()
    return head + line * ((size - len(head)) // len(line) + 1)


def test_a_15_mib_csv_is_not_refused_for_its_size(small_files) -> None:
    current = parse_files({n: t.encode() for n, t in small_files.items()})
    content = big_csv(15 * MIB)
    assert 15 * MIB <= len(content) < DEFAULT_LIMITS.max_upload_size
    upload = read_upload("new.csv", content, current=current)
    assert [p.code for p in upload.problems] == ["unexpected_column"]


def test_a_larger_file_is_refused_with_the_one_limit_in_its_message(small_files) -> None:
    current = parse_files({n: t.encode() for n, t in small_files.items()})
    upload = read_upload("new.csv", big_csv(DEFAULT_LIMITS.max_upload_size + 1), current=current)
    [problem] = upload.problems
    assert problem.code == "too_large"
    assert problem.detail["max_size"] == MAX_UPLOAD_MIB * MIB
    assert f"at most {MAX_UPLOAD_MIB}.0 MiB" in describe(problem, "en")
    assert f"tối đa {MAX_UPLOAD_MIB},0 MiB" in describe(problem, "vi")
