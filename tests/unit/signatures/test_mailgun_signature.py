"""Mailgun HMAC checks: valid, tampered, wrong key, stale and replayed."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bounceguard.core.signatures import SignatureError
from bounceguard.core.signatures.mailgun import MailgunVerifier

KEY = b"key-3ax6xnjp29jd6fds4gc373sgvjxteol0"
PARENT = b"key-parent-0000000000000000000000"
NOW = datetime(2025, 3, 1, 10, 0, 10, tzinfo=UTC)
TS = str(int(NOW.timestamp()))
TOKEN = "a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5"


def _hex(key: bytes, ts: str = TS, token: str = TOKEN) -> str:
    return hmac.new(key, (ts + token).encode(), hashlib.sha256).hexdigest()


def _sig(**override: Any) -> dict[str, Any]:
    return {"timestamp": TS, "token": TOKEN, "signature": _hex(KEY), **override}


def test_valid_signature_passes_once_then_replay_is_refused() -> None:
    verifier = MailgunVerifier([KEY])
    verifier.verify(_sig(), now=NOW)
    with pytest.raises(SignatureError) as err:
        verifier.verify(_sig(), now=NOW + timedelta(seconds=1))
    assert err.value.reason == "replayed-token"


def test_rotated_keys_and_parent_signature() -> None:
    MailgunVerifier([b"old-key", KEY]).verify(_sig(), now=NOW)
    parent_only = _sig(signature="00" * 32, **{"parent-signature": _hex(PARENT)})
    MailgunVerifier([KEY], parent_signing_keys=[PARENT]).verify(parent_only, now=NOW)


def test_forged_request_does_not_burn_the_token() -> None:
    verifier = MailgunVerifier([KEY])
    with pytest.raises(SignatureError):
        verifier.verify(_sig(signature=_hex(b"wrong")), now=NOW)
    verifier.verify(_sig(), now=NOW)


REJECTIONS: list[tuple[str, Any, timedelta, str]] = [
    ("wrong key", _sig(signature=_hex(b"another-key")), timedelta(0), "bad-signature"),
    ("tampered token", _sig(token=TOKEN[:-1] + "f"), timedelta(0), "bad-signature"),
    ("tampered timestamp", _sig(timestamp=str(int(TS) - 1)), timedelta(0), "bad-signature"),
    (
        "parent signature without parent key",
        _sig(signature="0", **{"parent-signature": _hex(PARENT)}),
        timedelta(0),
        "bad-signature",
    ),
    ("stale timestamp", _sig(), timedelta(minutes=6), "stale-timestamp"),
    ("future timestamp", _sig(), -timedelta(minutes=6), "stale-timestamp"),
    ("no signature object", None, timedelta(0), "missing-signature"),
    ("no token", _sig(token=""), timedelta(0), "missing-signature"),
    ("timestamp not numeric", _sig(timestamp="soon"), timedelta(0), "bad-timestamp"),
]


@pytest.mark.parametrize(("case", "signature", "shift", "reason"), REJECTIONS, ids=[r[0] for r in REJECTIONS])
def test_rejections(case: str, signature: Any, shift: timedelta, reason: str) -> None:
    with pytest.raises(SignatureError) as err:
        MailgunVerifier([KEY]).verify(signature, now=NOW + shift)
    assert err.value.reason == reason


def test_tolerance_is_configurable() -> None:
    MailgunVerifier([KEY], tolerance=timedelta(hours=1)).verify(_sig(), now=NOW + timedelta(minutes=30))


def test_a_verifier_needs_a_key() -> None:
    with pytest.raises(ValueError):
        MailgunVerifier([])
