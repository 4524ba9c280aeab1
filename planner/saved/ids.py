"""Saved-scenario ids and owner tokens: drawing, checking and hashing them.

Ids are ``secrets.token_urlsafe(12)``: 16 URL-safe characters, 96 random bits. Built-in
scenarios (``scenarios.csv``) keep their own ids (:data:`BUILTIN_ID_PATTERN`), which no saved id
ever matches. Owner tokens are ``secrets.token_urlsafe(24)``; only their SHA-256 is stored, and
it is compared with :func:`hmac.compare_digest`. Neither an id nor a token begins with ``-``, so
a command line never reads one as an option.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

SAVED_ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{16}")
"""A saved scenario's id: ``secrets.token_urlsafe(12)``."""

BUILTIN_ID_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,39}")
"""A built-in scenario's id (``scenarios.csv``), such as ``plan_targets``."""

ID_PATTERN = re.compile(rf"(?:{SAVED_ID_PATTERN.pattern})|(?:{BUILTIN_ID_PATTERN.pattern})")
"""Any scenario id a link may carry; match with ``fullmatch`` (see :func:`is_valid_id`)."""


def new_id() -> str:
    """Return a new saved-scenario id: 16 URL-safe characters, 96 random bits.

    An id that would look like a built-in id (:data:`BUILTIN_ID_PATTERN`) is drawn again, so the
    two kinds never collide; so is one starting with ``-``, which a command line would read as
    an option (``scenario show -abc…``). Both rules drop a small fraction of the draws, leaving
    well over 90 bits of randomness.

    Returns
    -------
    str
    """
    while True:
        candidate = secrets.token_urlsafe(12)
        if not (BUILTIN_ID_PATTERN.fullmatch(candidate) or candidate.startswith("-")):
            return candidate


def new_token() -> str:
    """Return a new owner token: 32 URL-safe characters, 192 random bits.

    A token starting with ``-`` is drawn again, as for :func:`new_id`: a command line would read
    ``--token -abc…`` as an option. That drops 1 draw in 64, leaving over 191 bits.

    Returns
    -------
    str
    """
    while True:
        candidate = secrets.token_urlsafe(24)
        if not candidate.startswith("-"):
            return candidate


def hash_token(token: str) -> str:
    """Return the SHA-256 (hex) of an owner token, the only form stored.

    Parameters
    ----------
    token : str

    Returns
    -------
    str
    """
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_matches(token: str, token_hash: str) -> bool:
    """Whether ``token`` hashes to ``token_hash`` (compared in constant time).

    Parameters
    ----------
    token : str
    token_hash : str

    Returns
    -------
    bool
    """
    if not isinstance(token, str) or not isinstance(token_hash, str):
        return False
    return hmac.compare_digest(hash_token(token), token_hash)


def is_valid_id(value: object) -> bool:
    """Whether a value is a well-formed scenario id (saved or built-in).

    Parameters
    ----------
    value : object

    Returns
    -------
    bool
    """
    return isinstance(value, str) and ID_PATTERN.fullmatch(value) is not None
