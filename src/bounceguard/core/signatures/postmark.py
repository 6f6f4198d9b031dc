"""Postmark webhooks carry no signature (Postmark docs, "Webhooks overview"): basic
auth in the webhook URL or a custom secret header configured with ``HttpHeaders``."""

from __future__ import annotations

from bounceguard.core.signatures.shared_secret import SharedSecret, verify_shared_secret

__all__ = ["SharedSecret", "verify_postmark"]


def verify_postmark(secret: SharedSecret, *, authorization: str | None, header_value: str | None) -> None:
    """Raise SignatureError unless the request carries Postmark's configured credentials."""
    verify_shared_secret(secret, authorization=authorization, header_value=header_value)
