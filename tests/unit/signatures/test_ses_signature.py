"""SNS signature checks with a real RSA key and a self-signed certificate made here."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

from bounceguard.core.signatures import SignatureError
from bounceguard.core.signatures.ses import (
    SIGNING_CERT_URL,
    InMemoryCertificateStore,
    string_to_sign,
    verify_sns_message,
)

NOW = datetime(2025, 3, 1, 10, 0, 6, tzinfo=UTC)
CERT_URL = "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-abc.pem"
TOPIC = "arn:aws:sns:eu-west-1:111122223333:ses-events"


def _cert(key: rsa.RSAPrivateKey) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sns.amazonaws.com")])
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - timedelta(days=1))
        .not_valid_after(NOW + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )


KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
STORE = InMemoryCertificateStore({CERT_URL: _cert(KEY)})


def _signed(message: dict[str, Any], *, version: str = "2", key: rsa.RSAPrivateKey = KEY) -> dict[str, Any]:
    message = {**message, "SignatureVersion": version, "SigningCertURL": CERT_URL}
    algorithm = hashes.SHA1() if version == "1" else hashes.SHA256()
    signature = key.sign(string_to_sign(message), padding.PKCS1v15(), algorithm)
    return {**message, "Signature": base64.b64encode(signature).decode()}


NOTIFICATION = {
    "Type": "Notification",
    "MessageId": "5b7f0c1e-1111-4a2b-9c3d-0123456789ab",
    "TopicArn": TOPIC,
    "Message": '{"eventType":"Bounce"}',
    "Timestamp": "2025-03-01T10:00:05.123Z",
}
CONFIRMATION = {
    "Type": "SubscriptionConfirmation",
    "MessageId": "165545c9-2a5c-472c-8df2-7ff2be2b3b1b",
    "Token": "2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92768dd60a747ba6f3",
    "TopicArn": TOPIC,
    "Message": "You have chosen to subscribe to the topic ...",
    "SubscribeURL": "https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=x&Token=2336",
    "Timestamp": "2025-03-01T09:00:00.000Z",
}


@pytest.mark.parametrize("version", ["1", "2"])
def test_valid_notification_passes(version: str) -> None:
    result = verify_sns_message(
        _signed(NOTIFICATION, version=version),
        store=STORE,
        allowed_topic_arns={TOPIC},
        message_type_header="Notification",
        now=NOW,
    )
    assert (result.message_type, result.message_id, result.subscribe_url) == (
        "Notification",
        NOTIFICATION["MessageId"],
        None,
    )
    assert result.message == NOTIFICATION["Message"]


def test_subject_is_signed_when_present() -> None:
    msg = _signed({**NOTIFICATION, "Subject": "Amazon SES Email Event Notification"})
    verify_sns_message(msg, store=STORE, allowed_topic_arns={TOPIC}, now=NOW)
    with pytest.raises(SignatureError) as err:
        verify_sns_message({**msg, "Subject": "changed"}, store=STORE, allowed_topic_arns={TOPIC}, now=NOW)
    assert err.value.reason == "bad-signature"


def test_subscription_confirmation_exposes_subscribe_url() -> None:
    result = verify_sns_message(_signed(CONFIRMATION), store=STORE, allowed_topic_arns={TOPIC}, now=NOW)
    assert result.message_type == "SubscriptionConfirmation"
    assert result.subscribe_url == CONFIRMATION["SubscribeURL"]


def _tampered_message(m: dict[str, Any]) -> dict[str, Any]:
    return {**m, "Message": m["Message"].replace("Bounce", "Delivery")}


REJECTIONS: list[tuple[str, Any, dict[str, Any], str]] = [
    # (case, mutate(signed message) -> message, verify kwargs, expected reason)
    ("tampered body", _tampered_message, {}, "bad-signature"),
    ("wrong key", lambda m: _signed(NOTIFICATION, key=OTHER_KEY), {}, "bad-signature"),
    (
        "v1 signature claimed as v2",
        lambda m: {**_signed(NOTIFICATION, version="1"), "SignatureVersion": "2"},
        {},
        "bad-signature",
    ),
    ("topic not allowed", lambda m: m, {"allowed_topic_arns": {"arn:aws:sns:eu-west-1:1:other"}}, "topic-not-allowed"),
    ("empty allow-list", lambda m: m, {"allowed_topic_arns": set()}, "topic-not-allowed"),
    ("header type mismatch", lambda m: m, {"message_type_header": "SubscriptionConfirmation"}, "type-mismatch"),
    ("unknown version", lambda m: {**m, "SignatureVersion": "3"}, {}, "unsupported-version"),
    ("foreign cert host", lambda m: {**m, "SigningCertURL": "https://evil.example.com/cert.pem"}, {}, "bad-cert-url"),
    (
        "lookalike cert host",
        lambda m: {**m, "SigningCertURL": "https://sns.eu-west-1.amazonaws.com.evil.example/x.pem"},
        {},
        "bad-cert-url",
    ),
    (
        "userinfo in cert url",
        lambda m: {**m, "SigningCertURL": "https://sns.eu-west-1.amazonaws.com@evil.example/x.pem"},
        {},
        "bad-cert-url",
    ),
    ("http cert url", lambda m: {**m, "SigningCertURL": CERT_URL.replace("https", "http")}, {}, "bad-cert-url"),
    (
        "cert not in store",
        lambda m: {**m, "SigningCertURL": "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-zzz.pem"},
        {},
        "unknown-certificate",
    ),
    ("expired certificate", lambda m: m, {"now": NOW + timedelta(days=60)}, "expired-certificate"),
    ("signature not base64", lambda m: {**m, "Signature": "***"}, {}, "bad-signature"),
    ("signature missing", lambda m: {k: v for k, v in m.items() if k != "Signature"}, {}, "missing-signature"),
    ("unknown type", lambda m: {**m, "Type": "Other"}, {}, "malformed"),
    ("not an object", lambda m: ["list"], {}, "malformed"),
    ("message id missing", lambda m: {k: v for k, v in m.items() if k != "MessageId"}, {}, "malformed"),
]


@pytest.mark.parametrize(("case", "mutate", "kwargs", "reason"), REJECTIONS, ids=[r[0] for r in REJECTIONS])
def test_rejections(case: str, mutate: Any, kwargs: dict[str, Any], reason: str) -> None:
    options: dict[str, Any] = {"store": STORE, "allowed_topic_arns": {TOPIC}, "now": NOW, **kwargs}
    with pytest.raises(SignatureError) as err:
        verify_sns_message(mutate(_signed(NOTIFICATION)), **options)
    assert err.value.reason == reason


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://sns.us-east-1.amazonaws.com/SimpleNotificationService-01d088a6f77103d0fe307c0069e40ed6.pem", True),
        ("https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-a.pem", True),
        ("https://sns.us-gov-west-1.amazonaws.com/SimpleNotificationService-a.pem", True),
        ("https://sns.us-east-1.amazonaws.com/a.pem?x=1", False),
        ("https://sns.us-east-1.amazonaws.com:8443/a.pem", False),
        ("https://sqs.us-east-1.amazonaws.com/a.pem", False),
        ("https://sns.us-east-1.amazonaws.com/a.crt", False),
        ("https://sns.us-east-1.amazonaws.com/a.pem#x", False),
    ],
)
def test_signing_cert_url_pattern(url: str, ok: bool) -> None:
    assert bool(SIGNING_CERT_URL.match(url)) is ok


def test_store_falls_back_to_file_name() -> None:
    store = InMemoryCertificateStore({"SimpleNotificationService-abc.pem": _cert(KEY)})
    verify_sns_message(_signed(NOTIFICATION), store=store, allowed_topic_arns={TOPIC}, now=NOW)
