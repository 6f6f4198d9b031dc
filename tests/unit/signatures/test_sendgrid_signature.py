"""SendGrid ECDSA P-256 checks with a key pair generated here."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from bounceguard.core.signatures import SignatureError
from bounceguard.core.signatures.sendgrid import load_public_key, verify_sendgrid

NOW = datetime(2025, 3, 1, 10, 0, 0, tzinfo=UTC)
TS = str(int(NOW.timestamp()))
BODY = b'[{"email":"gone@example.com","event":"bounce","sg_event_id":"Ym91LTE","timestamp":1740823210}]\r\n'
KEY = ec.generate_private_key(ec.SECP256R1())
OTHER = ec.generate_private_key(ec.SECP256R1())


def _sign(ts: str, body: bytes, key: ec.EllipticCurvePrivateKey = KEY) -> str:
    return base64.b64encode(key.sign(ts.encode() + body, ec.ECDSA(hashes.SHA256()))).decode()


def _b64_spki(key: ec.EllipticCurvePrivateKey) -> str:
    der = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(der).decode()


PUBLIC = load_public_key(_b64_spki(KEY))


def test_valid_signature_passes() -> None:
    verify_sendgrid(BODY, signature=_sign(TS, BODY), timestamp=TS, public_key=PUBLIC, now=NOW)


def test_pem_key_is_accepted() -> None:
    pem = KEY.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    key = load_public_key(pem.decode())
    verify_sendgrid(BODY, signature=_sign(TS, BODY), timestamp=TS, public_key=key, now=NOW)


REJECTIONS: list[tuple[str, dict[str, Any], str]] = [
    ("tampered body", {"body": BODY.replace(b"bounce", b"delivered")}, "bad-signature"),
    ("wrong key", {"signature": _sign(TS, BODY, OTHER)}, "bad-signature"),
    ("timestamp swapped", {"timestamp": str(int(TS) + 1)}, "bad-signature"),
    ("stale timestamp", {"now": NOW + timedelta(minutes=11)}, "stale-timestamp"),
    ("future timestamp", {"now": NOW - timedelta(minutes=11)}, "stale-timestamp"),
    ("missing signature", {"signature": None}, "missing-signature"),
    ("missing timestamp", {"timestamp": ""}, "missing-signature"),
    ("timestamp not numeric", {"timestamp": "yesterday"}, "bad-timestamp"),
    ("signature not base64", {"signature": "%%%"}, "bad-signature"),
    ("signature garbage DER", {"signature": base64.b64encode(b"\x30\x02\x01").decode()}, "bad-signature"),
]


@pytest.mark.parametrize(("case", "override", "reason"), REJECTIONS, ids=[r[0] for r in REJECTIONS])
def test_rejections(case: str, override: dict[str, Any], reason: str) -> None:
    args: dict[str, Any] = {"body": BODY, "signature": _sign(TS, BODY), "timestamp": TS, "now": NOW, **override}
    body = args.pop("body")
    with pytest.raises(SignatureError) as err:
        verify_sendgrid(body, public_key=PUBLIC, **args)
    assert err.value.reason == reason


@pytest.mark.parametrize(
    "text",
    [
        "not base64 !!",
        base64.b64encode(b"junk").decode(),
        _b64_spki(ec.generate_private_key(ec.SECP384R1())),
    ],
    ids=["garbage", "not a key", "P-384 key"],
)
def test_bad_public_keys_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        load_public_key(text)
