"""SparkPost webhooks carry no payload signature (SparkPost docs, "Webhooks:
authentication"): basic auth, or an OAuth 2.0 bearer token. A static bearer token or
(deprecated upstream) secret header are accepted as configured shared secrets."""

from __future__ import annotations

from bounceguard.core.signatures.shared_secret import SharedSecret, verify_shared_secret

__all__ = ["SharedSecret", "verify_sparkpost"]


def verify_sparkpost(secret: SharedSecret, *, authorization: str | None, header_value: str | None) -> None:
    """Raise SignatureError unless the request carries SparkPost's configured credentials."""
    verify_shared_secret(secret, authorization=authorization, header_value=header_value)
