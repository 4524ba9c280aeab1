"""Size limits of an upload: the uploaded file, each data file, and what an archive unpacks to.

One number, :data:`MAX_UPLOAD_MIB`, is the limit an editor meets: the uploader's
(``server.maxUploadSize`` in ``.streamlit/config.toml``, in Streamlit's megabytes of 1024 × 1024
bytes, and the ``max_upload_size`` the update page gives its uploader), the size of the uploaded
file, and the size of any one data file in it, so a file the uploader takes is never refused
later for being larger than a smaller limit. A test checks that the three agree.
"""

from __future__ import annotations

from dataclasses import dataclass

MIB = 1024 * 1024

MAX_UPLOAD_MIB = 20
"""The upload limit in MiB: the uploaded file, and each data file in it."""


@dataclass(frozen=True)
class Limits:
    """How large an upload may be; anything larger is refused before it is parsed.

    Attributes
    ----------
    max_upload_size : int
        Bytes of the uploaded file itself (a zip, a workbook or a CSV).
    max_file_size : int
        Bytes of one data file, as CSV text (a zip member, a sheet written as CSV, a file of a
        folder); by default the same as ``max_upload_size``.
    max_total_size : int
        Bytes that all the members of an archive (a zip or a workbook) unpack to, together.
    max_members : int
        Members of an archive.
    max_ratio : float
        Largest compression ratio (unpacked size / packed size) of a member unpacking to more
        than :data:`RATIO_FLOOR` bytes: more is taken for a zip bomb.
    """

    max_upload_size: int = MAX_UPLOAD_MIB * MIB
    max_file_size: int = MAX_UPLOAD_MIB * MIB
    max_total_size: int = 60 * MIB
    max_members: int = 200
    max_ratio: float = 200.0


RATIO_FLOOR = MIB
"""Members unpacking to at most this many bytes are not checked for their compression ratio."""

DEFAULT_LIMITS = Limits()
"""The limits used when none are given (the data files hold well under 1 MiB)."""
