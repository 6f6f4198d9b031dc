"""The one error every signature check raises."""

from __future__ import annotations


class SignatureError(Exception):
    """The request is not provably from the provider.

    ``reason`` is a short stable token for logs and metrics (``bad-signature``,
    ``stale-timestamp``, ``replayed-token``, ...); ``detail`` is for humans and never
    contains secret material.
    """

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}" if detail else reason)
