"""Mailgun webhooks: HMAC-SHA256 of timestamp + token, plus freshness and replay checks.

Mailgun docs, "Securing webhooks": ``signature.signature`` is the hex HMAC-SHA256 of
``signature.timestamp`` concatenated with ``signature.token``, keyed with the
webhook signing key. Mailgun recommends refusing old timestamps and reused tokens.
Subaccount domains also carry ``parent-signature``; Mailgun does not document its
formula, so it is checked with the same formula and the primary account's key.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from bounceguard.core.signatures.errors import SignatureError
from bounceguard.core.signatures.replay import ReplayCache

DEFAULT_TOLERANCE = timedelta(minutes=5)


def expected_signature(key: bytes, timestamp: str, token: str) -> str:
    return hmac.new(key, (timestamp + token).encode("utf-8"), hashlib.sha256).hexdigest()


class MailgunVerifier:
    """Checks the ``signature`` object of a Mailgun webhook body.

    ``signing_keys`` are tried in turn (key rotation); ``parent_signing_keys`` verify
    ``parent-signature`` for subaccount domains. The replay cache remembers tokens for
    twice the tolerance, so a token cannot come back while its timestamp is acceptable.
    """

    def __init__(
        self,
        signing_keys: Sequence[bytes],
        *,
        parent_signing_keys: Sequence[bytes] = (),
        tolerance: timedelta = DEFAULT_TOLERANCE,
        replay_cache_size: int = 100_000,
    ) -> None:
        if not signing_keys and not parent_signing_keys:
            raise ValueError("at least one Mailgun signing key is required")
        self._keys = tuple(signing_keys)
        self._parent_keys = tuple(parent_signing_keys)
        self._tolerance = tolerance
        self._replays = ReplayCache(ttl_seconds=2 * tolerance.total_seconds(), max_entries=replay_cache_size)

    def verify(self, signature: Mapping[str, Any] | Any, *, now: datetime) -> None:
        """Raise SignatureError unless the signature object is valid, fresh and not replayed."""
        if not isinstance(signature, Mapping):
            raise SignatureError("missing-signature", "body has no 'signature' object")
        timestamp = signature.get("timestamp")
        token = signature.get("token")
        if not isinstance(timestamp, str | int) or not isinstance(token, str) or not token:
            raise SignatureError("missing-signature", "signature.timestamp and signature.token are required")
        timestamp = str(timestamp)
        try:
            sent_at = float(timestamp)
        except ValueError as exc:
            raise SignatureError("bad-timestamp", "signature.timestamp is not unix seconds") from exc
        if abs(now.timestamp() - sent_at) > self._tolerance.total_seconds():
            raise SignatureError("stale-timestamp", f"timestamp is more than {self._tolerance} away from now")
        if not self._matches(signature, timestamp, token):
            raise SignatureError("bad-signature", "HMAC does not match")
        # Only a valid signature may take a token slot: forged requests cannot evict real tokens.
        if not self._replays.check_and_add(token, now.timestamp()):
            raise SignatureError("replayed-token", "this token was already used")

    def _matches(self, signature: Mapping[str, Any], timestamp: str, token: str) -> bool:
        for field, keys in (("signature", self._keys), ("parent-signature", self._parent_keys)):
            given = signature.get(field)
            if not isinstance(given, str) or not keys:
                continue
            given_bytes = given.strip().lower().encode("ascii", "replace")
            for key in keys:
                if hmac.compare_digest(expected_signature(key, timestamp, token).encode("ascii"), given_bytes):
                    return True
        return False
