"""The editor's credential: a SHA-256 hash compared in constant time."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from planner.dataio.credential import (
    ENV_VAR,
    SECRETS_KEY,
    check_editor,
    configured_hash,
    hash_secret,
)

SECRET = "correct horse battery staple"
HASH = hashlib.sha256(SECRET.encode()).hexdigest()


def test_the_right_secret_passes_and_others_do_not():
    assert hash_secret(SECRET) == HASH
    assert check_editor(SECRET, HASH)
    assert check_editor(SECRET, HASH.upper())
    assert not check_editor(SECRET + " ", HASH)
    assert not check_editor("", HASH)
    assert not check_editor(None, HASH)


def test_nothing_configured_lets_nobody_publish():
    assert not check_editor(SECRET, None)
    assert not check_editor(SECRET, "")
    assert not check_editor(SECRET, "not hex at all")


@given(st.text(max_size=40))
def test_only_the_secret_itself_matches(text):
    assert check_editor(text, HASH) == (text == SECRET)


def test_where_the_operator_sets_it():
    assert configured_hash({ENV_VAR: HASH}, {}) == HASH
    assert configured_hash({}, {SECRETS_KEY: HASH.upper()}) == HASH
    other = hash_secret("other")
    assert configured_hash({ENV_VAR: HASH}, {SECRETS_KEY: other}) == HASH  # environment wins
    assert configured_hash({}, {}) is None
    assert configured_hash({ENV_VAR: "short"}, {}) is None  # a secret itself is not a hash
