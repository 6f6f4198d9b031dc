"""Amazon SES notifications delivered by SNS: the SNS message signature.

AWS SNS "Verifying the signatures of Amazon SNS messages": the signature covers
``Key\\nValue\\n`` pairs of fixed fields in a fixed order, signed with RSA PKCS#1 v1.5,
SHA-1 for ``SignatureVersion`` "1" and SHA-256 for "2", by the certificate at
``SigningCertURL``. Any AWS account can sign a valid message for its own topic, so the
TopicArn allow-list is what makes a valid signature mean "ours".

Certificates come from a :class:`CertificateStore`; this module never fetches anything.
Only URLs matching :data:`SIGNING_CERT_URL` are ever looked up.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from bounceguard.core.signatures.errors import SignatureError

# sns.<region>.amazonaws.com (or .com.cn in the China regions), a plain path ending in
# .pem; no userinfo, port, query or fragment can sneak another host in.
SIGNING_CERT_URL = re.compile(r"^https://sns\.[a-z]{2}(?:-[a-z]+)+-\d\.amazonaws\.com(?:\.cn)?/[A-Za-z0-9_\-./]+\.pem$")

MESSAGE_TYPES = ("Notification", "SubscriptionConfirmation", "UnsubscribeConfirmation")

# Field order of the string to sign, per message type (SNS docs). Subject only when present.
_NOTIFICATION_FIELDS = ("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type")
_CONFIRMATION_FIELDS = ("Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type")

_HASHES: dict[str, type[hashes.HashAlgorithm]] = {"1": hashes.SHA1, "2": hashes.SHA256}


class CertificateStore(Protocol):
    """Where signing certificates come from: configured PEM files, a cache directory, ..."""

    def certificate_for(self, url: str) -> x509.Certificate | None:
        """The certificate published at ``url``, or None if this store does not hold it."""
        ...


class InMemoryCertificateStore:
    """Certificates keyed by their SigningCertURL, or by the URL's file name as a fallback."""

    def __init__(self, certificates: Mapping[str, x509.Certificate | bytes] | None = None) -> None:
        self._by_key: dict[str, x509.Certificate] = {}
        for key, cert in (certificates or {}).items():
            self.add(key, cert)

    def add(self, url_or_name: str, cert: x509.Certificate | bytes) -> None:
        if isinstance(cert, bytes):
            cert = x509.load_pem_x509_certificate(cert)
        self._by_key[url_or_name] = cert

    def certificate_for(self, url: str) -> x509.Certificate | None:
        return self._by_key.get(url) or self._by_key.get(url.rsplit("/", 1)[-1])


@dataclass(frozen=True, slots=True)
class SnsMessage:
    """A verified SNS message: what the caller needs to route it."""

    message_type: str
    message_id: str
    topic_arn: str
    message: str
    subscribe_url: str | None = None  # (Un)SubscriptionConfirmation only: never fetched here


def string_to_sign(message: Mapping[str, Any]) -> bytes:
    """The canonical ``Key\\nValue\\n`` string SNS signs for this message type."""
    message_type = message.get("Type")
    fields = _NOTIFICATION_FIELDS if message_type == "Notification" else _CONFIRMATION_FIELDS
    parts: list[str] = []
    for key in fields:
        value = message.get(key)
        if value is None:
            if key == "Subject":
                continue
            raise SignatureError("malformed", f"SNS field {key} is missing")
        if not isinstance(value, str):
            raise SignatureError("malformed", f"SNS field {key} must be a string")
        parts.append(f"{key}\n{value}\n")
    return "".join(parts).encode("utf-8")


def verify_sns_message(
    message: Mapping[str, Any],
    *,
    store: CertificateStore,
    allowed_topic_arns: Collection[str],
    message_type_header: str | None = None,
    now: datetime | None = None,
) -> SnsMessage:
    """Check one parsed SNS message; return it as :class:`SnsMessage` or raise SignatureError.

    ``message_type_header`` is the ``x-amz-sns-message-type`` header; when given it must
    match ``Type``. ``now`` (aware) enables a certificate validity-period check.
    """
    if not isinstance(message, Mapping):
        raise SignatureError("malformed", "SNS message must be a JSON object")
    message_type = message.get("Type")
    if message_type not in MESSAGE_TYPES:
        raise SignatureError("malformed", f"unknown SNS message Type {message_type!r}")
    if message_type_header is not None and message_type_header != message_type:
        raise SignatureError("type-mismatch", "x-amz-sns-message-type header differs from Type")
    topic_arn = message.get("TopicArn")
    if not isinstance(topic_arn, str) or topic_arn not in allowed_topic_arns:
        raise SignatureError("topic-not-allowed", f"TopicArn {topic_arn!r} is not in the allow-list")
    version = message.get("SignatureVersion")
    hash_type = _HASHES.get(version) if isinstance(version, str) else None
    if hash_type is None:
        raise SignatureError("unsupported-version", f"SignatureVersion {version!r} is not 1 or 2")
    url = message.get("SigningCertURL")
    if not isinstance(url, str) or not SIGNING_CERT_URL.match(url):
        raise SignatureError("bad-cert-url", "SigningCertURL is not an https://sns.<region>.amazonaws.com/ PEM")
    cert = store.certificate_for(url)
    if cert is None:
        raise SignatureError("unknown-certificate", f"no certificate configured for {url}")
    if now is not None and not (cert.not_valid_before_utc <= now <= cert.not_valid_after_utc):
        raise SignatureError("expired-certificate", "signing certificate is outside its validity period")
    public_key = cert.public_key()
    if not isinstance(public_key, rsa.RSAPublicKey):
        raise SignatureError("unknown-certificate", "signing certificate does not hold an RSA key")
    raw_signature = message.get("Signature")
    if not isinstance(raw_signature, str):
        raise SignatureError("missing-signature", "Signature is missing")
    try:
        signature = base64.b64decode(raw_signature, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SignatureError("bad-signature", "Signature is not base64") from exc
    try:
        public_key.verify(signature, string_to_sign(message), padding.PKCS1v15(), hash_type())
    except InvalidSignature as exc:
        raise SignatureError("bad-signature", "SNS signature does not match") from exc
    subscribe_url = message.get("SubscribeURL") if message_type != "Notification" else None
    return SnsMessage(
        message_type=message_type,
        message_id=str(message.get("MessageId")),
        topic_arn=topic_arn,
        message=str(message.get("Message")),
        subscribe_url=subscribe_url if isinstance(subscribe_url, str) else None,
    )
