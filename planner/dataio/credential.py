"""The editor's credential: who may publish a new dataset version.

The operator chooses a secret (a long random text, for example ``python -c "import secrets;
print(secrets.token_urlsafe(24))"``), gives it to the editors, and configures only its SHA-256
hex digest (:func:`hash_secret`), either in the environment variable
``PLANNER_EDITOR_TOKEN_SHA256`` or as ``editor_token_sha256`` in Streamlit's secrets
(``.streamlit/secrets.toml``); the environment wins. With neither, nobody may publish and the
editors' page is read-only. :func:`check_editor` compares the hash of the secret an editor gives
with the configured one in constant time. The secret itself is never stored or logged.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from collections.abc import Mapping

ENV_VAR = "PLANNER_EDITOR_TOKEN_SHA256"
"""The environment variable holding the hash."""

SECRETS_KEY = "editor_token_sha256"
"""The key of the hash in Streamlit's secrets."""

_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def hash_secret(secret: str) -> str:
    """The SHA-256 hex digest of a secret, as the operator configures it.

    Parameters
    ----------
    secret : str
        The editor's secret.

    Returns
    -------
    str
        64 lowercase hex digits.
    """
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def configured_hash(
    environ: Mapping[str, str] | None = None, secrets: Mapping[str, object] | None = None
) -> str | None:
    """The configured hash: the environment variable, else Streamlit's secrets.

    Parameters
    ----------
    environ : mapping, optional
        The environment (``os.environ`` by default).
    secrets : mapping, optional
        Streamlit's secrets (``st.secrets``), passed in by the page.

    Returns
    -------
    str or None
        The hash in lowercase, or None when none is configured or it is not 64 hex digits.
    """
    environ = os.environ if environ is None else environ
    for value in (environ.get(ENV_VAR), (secrets or {}).get(SECRETS_KEY)):
        if isinstance(value, str) and value.strip():
            text = value.strip().lower()
            return text if _HEX64.match(text) else None
    return None


def check_editor(secret_given: str | None, configured: str | None) -> bool:
    """Whether the secret an editor gives matches the configured hash.

    Parameters
    ----------
    secret_given : str or None
        What the editor typed.
    configured : str or None
        The configured SHA-256 hex digest (:func:`configured_hash`).

    Returns
    -------
    bool
        False when nothing is configured or given; otherwise whether the SHA-256 of the secret
        equals the configured hash, compared in constant time (:func:`hmac.compare_digest`).
    """
    if not configured or not secret_given:
        return False
    given = hash_secret(secret_given).encode("ascii")
    return hmac.compare_digest(given, configured.strip().lower().encode("ascii", "replace"))
