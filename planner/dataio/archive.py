"""Reading the data files from an uploaded zip without trusting it, and writing a zip of them.

:func:`check_container` refuses an archive before anything is unpacked: too many members,
encrypted members, more than ``max_total_size`` bytes unpacked in all, or a member that unpacks
to far more than it is packed (a zip bomb). It also guards the zip inside an Excel workbook.
:func:`read_zip` then refuses paths outside the archive's folder (``../``, absolute paths, drive
letters), symbolic links, archives inside the archive and CSV files in more than one folder, and
reads every CSV member with a bound on its size, whatever its header declares. Other members
(a README, ``datapackage.json``, ``__MACOSX/``, hidden files) are ignored.

:func:`download_zip` is the zip of the data files editors download: each file written by the one
CSV writer (:func:`planner.csvsafe.safe_csv`), so a text a spreadsheet would run as a formula
opens as text; :mod:`planner.dataio.upload` takes the quote off again on upload.
"""

from __future__ import annotations

import io
import re
import stat
import zipfile
import zlib
from collections.abc import Mapping
from pathlib import PurePosixPath

from planner.csvsafe import safe_csv
from planner.dataio.limits import DEFAULT_LIMITS, RATIO_FLOOR, Limits
from planner.problems import Problem

ARCHIVE_SUFFIXES = (
    ".zip",
    ".xlsx",
    ".xlsm",
    ".xls",
    ".ods",
    ".gz",
    ".tgz",
    ".tar",
    ".7z",
    ".rar",
    ".bz2",
    ".xz",
)
"""Names taken for an archive inside the archive."""

ARCHIVE_MAGIC = (b"PK\x03\x04", b"\x1f\x8b", b"7z\xbc\xaf\x27\x1c", b"Rar!", b"BZh", b"\xfd7zXZ")
"""Leading bytes of an archive inside the archive, whatever its name."""

FIXED_TIME = (2020, 1, 1, 0, 0, 0)
"""The time written on every member by :func:`write_zip`, so the same files give the same zip."""

_DRIVE = re.compile(r"^[A-Za-z]:")


def check_container(
    archive: zipfile.ZipFile, field: str, limits: Limits = DEFAULT_LIMITS
) -> list[Problem]:
    """Check an archive's directory before anything is unpacked.

    Parameters
    ----------
    archive : zipfile.ZipFile
        The open archive.
    field : str
        The uploaded file's name, the ``field`` of every problem.
    limits : Limits, optional
        ``max_members``, ``max_total_size`` and ``max_ratio`` apply.

    Returns
    -------
    list of Problem
        ``too_many_members``, ``encrypted``, ``zip_bomb`` (total) and ``zip_ratio`` problems.
    """
    infos = archive.infolist()
    if len(infos) > limits.max_members:
        detail = {"count": len(infos), "max_count": limits.max_members}
        return [Problem(field, "too_many_members", detail)]
    problems = []
    total = sum(info.file_size for info in infos)
    if total > limits.max_total_size:
        problems.append(
            Problem(field, "zip_bomb", {"size": total, "max_size": limits.max_total_size})
        )
    for info in infos:
        if info.flag_bits & 0x1:
            problems.append(Problem(field, "encrypted", {"member": info.filename}))
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > limits.max_ratio:
            detail = {"member": info.filename, "ratio": round(ratio), "max_ratio": limits.max_ratio}
            problems.append(Problem(field, "zip_ratio", detail))
    return problems


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, most: int) -> bytes | None:
    """Read a member, stopping after ``most`` bytes; None when it holds more.

    Parameters
    ----------
    archive : zipfile.ZipFile
        The open archive.
    info : zipfile.ZipInfo
        The member.
    most : int
        The largest size accepted, in bytes.

    Returns
    -------
    bytes or None
    """
    with archive.open(info) as handle:
        data = handle.read(most + 1)
    return None if len(data) > most else data


def _unsafe(name: str) -> bool:
    path = name.replace("\\", "/")
    return path.startswith("/") or bool(_DRIVE.match(path)) or ".." in path.split("/")


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def _ignored(path: PurePosixPath) -> bool:
    return path.parts[0] == "__MACOSX" or any(part.startswith(".") for part in path.parts)


def read_zip(
    content: bytes, field: str, limits: Limits = DEFAULT_LIMITS
) -> tuple[dict[str, bytes], list[Problem]]:
    """Read the CSV files of an uploaded zip.

    Parameters
    ----------
    content : bytes
        The zip's bytes.
    field : str
        The uploaded file's name, the ``field`` of the archive's problems.
    limits : Limits, optional
        The size limits.

    Returns
    -------
    files : dict of str to bytes
        CSV file name (without its folder) to content; empty when the archive is refused.
    problems : list of Problem
        Every problem found; when there is one, ``files`` holds only what could be read safely.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, zlib.error, ValueError, EOFError) as exc:
        return {}, [Problem(field, "bad_zip", {"reason": str(exc)})]
    with archive:
        problems = check_container(archive, field, limits)
        if problems:
            return {}, problems
        files: dict[str, bytes] = {}
        folders: set[str] = set()
        total = 0
        for info in archive.infolist():
            name = info.filename
            if _unsafe(name):
                problems.append(Problem(field, "unsafe_path", {"member": name}))
                continue
            if _is_symlink(info):
                problems.append(Problem(field, "symlink", {"member": name}))
                continue
            if info.is_dir():
                continue
            path = PurePosixPath(name.replace("\\", "/"))
            if _ignored(path):
                continue
            try:
                data = read_member(archive, info, limits.max_file_size)
            except (
                zipfile.BadZipFile,
                zlib.error,
                NotImplementedError,
                RuntimeError,
                EOFError,
                ValueError,
            ) as exc:
                problems.append(Problem(field, "bad_zip", {"reason": f"{name}: {exc}"}))
                continue
            if path.suffix.lower() in ARCHIVE_SUFFIXES or (data or b"").startswith(ARCHIVE_MAGIC):
                problems.append(Problem(field, "nested_archive", {"member": name}))
                continue
            if path.suffix.lower() != ".csv":
                continue
            if data is None:
                detail = {"size": info.file_size, "max_size": limits.max_file_size}
                problems.append(Problem(path.name, "too_large", detail))
                continue
            total += len(data)
            if total > limits.max_total_size:
                detail = {"size": total, "max_size": limits.max_total_size}
                return {}, [Problem(field, "zip_bomb", detail)]
            if path.name in files:
                problems.append(Problem(field, "duplicate_member", {"member": name}))
                continue
            folders.add(str(path.parent))
            files[path.name] = data
        if len(folders) > 1:
            shown = ", ".join(sorted("/" if f == "." else f"{f}/" for f in folders))
            problems.append(Problem(field, "several_folders", {"folders": shown}))
    return files, problems


def write_zip(files: Mapping[str, bytes]) -> bytes:
    """A zip of files, in name order, with fixed times: the same files give the same bytes.

    Parameters
    ----------
    files : mapping of str to bytes
        File name to content.

    Returns
    -------
    bytes
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return buffer.getvalue()


def download_zip(files: Mapping[str, bytes]) -> bytes:
    """The zip of data files to download: :func:`write_zip` of each file made safe to open.

    Parameters
    ----------
    files : mapping of str to bytes
        Data file name to canonical content
        (:func:`planner.dataio.canonical.dataset_files`).

    Returns
    -------
    bytes
        Every text cell that a spreadsheet would run as a formula has a leading ``'``
        (:func:`planner.csvsafe.safe_csv`); uploading the zip unchanged gives the same dataset
        version.
    """
    return write_zip({name: safe_csv(data) for name, data in files.items()})
