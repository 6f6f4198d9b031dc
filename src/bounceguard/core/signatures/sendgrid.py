"""SendGrid Signed Event Webhook: ECDSA (P-256, SHA-256) over timestamp + raw body.

SendGrid docs, "Getting Started with the Event Webhook Security Features": the
``X-Twilio-Email-Event-Webhook-Signature`` header is a base64 DER ECDSA signature of
``X-Twilio-Email-Event-Webhook-Timestamp`` concatenated with the raw request body.
SendGrid names no replay window; we refuse timestamps outside a tolerance (default
10 minutes) and rely on ``sg_event_id`` de-duplication downstream for the rest.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime, timedelta

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from bounceguard.core.signatures.errors import SignatureError

SIGNATURE_HEADER = "X-Twilio-Email-Event-Webhook-Signature"
TIMESTAMP_HEADER = "X-Twilio-Email-Event-Webhook-Timestamp"
DEFAULT_TOLERANCE = timedelta(minutes=10)


def load_public_key(text: str | bytes) -> ec.EllipticCurvePublicKey:
    """Accept the key as SendGrid shows it (base64 SubjectPublicKeyInfo) or as PEM.

    Raises ValueError for anything that is not a P-256 public key.
    """
    raw = text.encode("ascii", "replace") if isinstance(text, str) else text
    raw = raw.strip()
    try:
        if raw.startswith(b"-----BEGIN"):
            key = serialization.load_pem_public_key(raw)
        else:
            key = serialization.load_der_public_key(base64.b64decode(b"".join(raw.split()), validate=True))
    except (ValueError, binascii.Error, TypeError) as exc:
        raise ValueError("SendGrid public key is neither PEM nor base64 DER SubjectPublicKeyInfo") from exc
    if not isinstance(key, ec.EllipticCurvePublicKey) or not isinstance(key.curve, ec.SECP256R1):
        raise ValueError("SendGrid public key must be an ECDSA P-256 key")
    return key


def verify_sendgrid(
    body: bytes,
    *,
    signature: str | None,
    timestamp: str | None,
    public_key: ec.EllipticCurvePublicKey,
    now: datetime,
    tolerance: timedelta = DEFAULT_TOLERANCE,
) -> None:
    """Raise SignatureError unless ``signature`` signs ``timestamp + body`` and is fresh."""
    if not signature or not timestamp:
        raise SignatureError("missing-signature", f"{SIGNATURE_HEADER} and {TIMESTAMP_HEADER} are required")
    try:
        sent_at = int(timestamp.strip())
    except ValueError as exc:
        raise SignatureError("bad-timestamp", "timestamp header is not unix seconds") from exc
    if abs(now.timestamp() - sent_at) > tolerance.total_seconds():
        raise SignatureError("stale-timestamp", f"timestamp is more than {tolerance} away from now")
    try:
        der = base64.b64decode(signature.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SignatureError("bad-signature", "signature header is not base64") from exc
    try:
        public_key.verify(der, timestamp.encode("ascii") + body, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature as exc:
        raise SignatureError("bad-signature", "ECDSA signature does not match") from exc
