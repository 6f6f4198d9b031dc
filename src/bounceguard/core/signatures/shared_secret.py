"""Authentication for providers that do not sign payloads: basic auth or a secret header.

Postmark and SparkPost send no payload signature; their docs offer HTTP basic auth
credentials (and Postmark custom headers). Comparisons are constant-time
(``hmac.compare_digest``) so response timing does not leak the secret.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from dataclasses import dataclass

from bounceguard.core.signatures.errors import SignatureError


@dataclass(frozen=True, slots=True)
class SharedSecret:
    """What a request must present; any configured method that matches is enough.

    ``header_name``/``header_value``: a custom header carrying a secret.
    ``bearer_token``: a static ``Authorization: Bearer`` token.
    """

    basic_user: str | None = None
    basic_password: str | None = None
    header_name: str | None = None
    header_value: str | None = None
    bearer_token: str | None = None

    @property
    def configured(self) -> bool:
        return bool(
            (self.basic_user and self.basic_password) or (self.header_name and self.header_value) or self.bearer_token
        )


def _equal(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def _basic_ok(secret: SharedSecret, authorization: str) -> bool:
    scheme, _, value = authorization.strip().partition(" ")
    if scheme.lower() != "basic" or not secret.basic_user or not secret.basic_password:
        return False
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return False
    user, sep, password = decoded.partition(":")
    # Evaluate both comparisons so timing does not reveal which part was wrong.
    user_ok = _equal(user, secret.basic_user)
    password_ok = _equal(password, secret.basic_password)
    return bool(sep) and user_ok and password_ok


def _bearer_ok(secret: SharedSecret, authorization: str) -> bool:
    scheme, _, value = authorization.strip().partition(" ")
    return scheme.lower() == "bearer" and bool(secret.bearer_token) and _equal(value.strip(), secret.bearer_token or "")


def verify_shared_secret(secret: SharedSecret, *, authorization: str | None, header_value: str | None) -> None:
    """Raise SignatureError unless the request presents one of the configured secrets.

    ``authorization`` is the Authorization header, ``header_value`` the value of
    ``secret.header_name`` in the request (None when absent).
    """
    if not secret.configured:
        raise SignatureError("not-configured", "no credentials are configured for this provider")
    if authorization and (_basic_ok(secret, authorization) or _bearer_ok(secret, authorization)):
        return
    if (
        secret.header_name
        and secret.header_value
        and header_value is not None
        and _equal(header_value, secret.header_value)
    ):
        return
    if not authorization and header_value is None:
        raise SignatureError("missing-credentials", "no Authorization or secret header")
    raise SignatureError("bad-credentials", "credentials do not match")
