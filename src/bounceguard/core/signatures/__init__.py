"""Webhook authenticity checks, one module per provider; pure functions, no network.

Every check raises :class:`SignatureError` (with a short machine-readable ``reason``)
and never returns a falsy "invalid" value, so a forgotten ``if`` cannot let a forged
request through.
"""

from __future__ import annotations

from bounceguard.core.signatures.errors import SignatureError

__all__ = ["SignatureError"]
