"""Webhook ingest end to end: a real aiohttp server on 127.0.0.1 and a real Kafka broker.

Signed POST per provider -> WebhookEnvelope on the topic; bad credentials -> 401 and
nothing published; oversized -> 413; malformed -> 400; unknown provider -> 404;
Kafka gone -> 503. Keys, certificates and signatures are made here with real crypto.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import orjson
import pytest
from aiohttp.test_utils import TestServer
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID
from kafka_helpers import create_topic  # type: ignore[import-not-found]

from bounceguard.core.models import WebhookEnvelope
from bounceguard.core.providers import normalize_webhook
from bounceguard.core.signatures.ses import string_to_sign
from bounceguard.edges.ingest import IngestSettings, create_app
from bounceguard.edges.ingest.certificates import FileCertificateStore

pytestmark = [pytest.mark.kafka, pytest.mark.asyncio(loop_scope="session")]

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "providers"
TOPIC_ARN = "arn:aws:sns:eu-west-1:111122223333:ses-events"
CERT_URL = "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-test.pem"
MAILGUN_KEY = "key-integration-0123456789"
BEARER = "sparkpost-token-" + uuid.uuid4().hex


@dataclass
class Keys:
    rsa: rsa.RSAPrivateKey
    cert: x509.Certificate
    ec: ec.EllipticCurvePrivateKey


def _make_keys() -> Keys:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sns.amazonaws.com")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    return Keys(rsa=key, cert=cert, ec=ec.generate_private_key(ec.SECP256R1()))


KEYS = _make_keys()


def _settings(topic: str, **extra: Any) -> IngestSettings:
    spki = KEYS.ec.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    values: dict[str, Any] = {
        "topic": topic,
        "max_body_bytes": 64 * 1024,
        "publish_timeout_seconds": 5.0,
        "ses_topic_arns": TOPIC_ARN,
        "sendgrid_public_key": base64.b64encode(spki).decode(),
        "mailgun_signing_key": MAILGUN_KEY,
        "postmark_basic_user": "pm",
        "postmark_basic_password": "pm-secret",
        "sparkpost_bearer_token": BEARER,
        **extra,
    }
    return IngestSettings(**values)


# ---- signed requests, one builder per provider: (body bytes, headers) ----


def sns_request(message: dict[str, Any]) -> tuple[bytes, dict[str, str]]:
    message = {**message, "SignatureVersion": "2", "SigningCertURL": CERT_URL}
    signature = KEYS.rsa.sign(string_to_sign(message), padding.PKCS1v15(), hashes.SHA256())
    message["Signature"] = base64.b64encode(signature).decode()
    return json.dumps(message).encode(), {"x-amz-sns-message-type": message["Type"], "Content-Type": "text/plain"}


def ses_notification() -> tuple[bytes, dict[str, str]]:
    fixture = json.loads((FIXTURES / "ses" / "bounce_permanent_userunknown.json").read_text())
    fixture["TopicArn"] = TOPIC_ARN
    fixture["MessageId"] = str(uuid.uuid4())
    return sns_request({k: fixture[k] for k in ("Type", "MessageId", "TopicArn", "Message", "Timestamp")})


def sendgrid_request(body: bytes, *, key: ec.EllipticCurvePrivateKey | None = None) -> tuple[bytes, dict[str, str]]:
    ts = str(int(time.time()))
    sig = (key or KEYS.ec).sign(ts.encode() + body, ec.ECDSA(hashes.SHA256()))
    return body, {
        "X-Twilio-Email-Event-Webhook-Signature": base64.b64encode(sig).decode(),
        "X-Twilio-Email-Event-Webhook-Timestamp": ts,
        "Content-Type": "application/json",
    }


def mailgun_request(*, key: str = MAILGUN_KEY, token: str | None = None) -> tuple[bytes, dict[str, str]]:
    payload = json.loads((FIXTURES / "mailgun" / "failed_permanent_userunknown.json").read_text())
    ts, token = str(int(time.time())), token or uuid.uuid4().hex + uuid.uuid4().hex[:18]
    digest = hmac.new(key.encode(), (ts + token).encode(), hashlib.sha256).hexdigest()
    payload["signature"] = {"timestamp": ts, "token": token, "signature": digest}
    return json.dumps(payload).encode(), {"Content-Type": "application/json"}


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


# ---- fixtures ----


@pytest.fixture(scope="module")
async def producer(kafka_bootstrap: str) -> AsyncIterator[AIOKafkaProducer]:
    p = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all", enable_idempotence=True)
    await p.start()
    yield p
    await p.stop()


@pytest.fixture
async def topic(kafka_bootstrap: str, topic_prefix: str) -> str:
    name = f"{topic_prefix}webhooks"
    await create_topic(kafka_bootstrap, name, 2)
    return name


@pytest.fixture
async def server(producer: AIOKafkaProducer, topic: str) -> AsyncIterator[TestServer]:
    store = FileCertificateStore()
    store.add(CERT_URL, KEYS.cert)
    app = create_app(_settings(topic), producer, cert_store=store)
    srv = TestServer(app, host="127.0.0.1", port=0)
    await srv.start_server()
    yield srv
    await srv.close()


async def post(srv: TestServer, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
    async with aiohttp.ClientSession() as session, session.post(srv.make_url(path), data=body, headers=headers) as r:
        text = await r.text()
        return r.status, (json.loads(text) if text.startswith("{") else {"text": text})


async def drain(bootstrap: str, topic: str, producer: AIOKafkaProducer) -> list[WebhookEnvelope]:
    """Everything on the topic up to a sentinel written now: exactly what the server published."""
    sentinel = uuid.uuid4().hex.encode()
    for partition in (0, 1):
        await producer.send_and_wait(topic, sentinel, partition=partition)
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", enable_auto_commit=False, group_id=None
    )
    await consumer.start()
    seen, found = [], 0
    try:
        deadline = time.monotonic() + 30
        while found < 2 and time.monotonic() < deadline:
            batches = await consumer.getmany(timeout_ms=500)
            for records in batches.values():
                for record in records:
                    if record.value == sentinel:
                        found += 1
                    else:
                        seen.append(WebhookEnvelope.model_validate_json(record.value))
    finally:
        await consumer.stop()
    assert found == 2, "sentinels not seen: broker too slow or topic missing"
    return seen


# ---- tests ----


async def test_signed_post_per_provider_reaches_kafka(
    server: TestServer, producer: AIOKafkaProducer, topic: str, kafka_bootstrap: str
) -> None:
    sendgrid_body = (FIXTURES / "sendgrid" / "batch_mixed.json").read_bytes()
    sparkpost_body = (FIXTURES / "sparkpost" / "batch_other.json").read_bytes()
    postmark_body = (FIXTURES / "postmark" / "bounce_hard.json").read_bytes()
    requests = [
        ("/webhooks/ses/acme", *ses_notification(), 1),
        ("/webhooks/sendgrid/acme", *sendgrid_request(sendgrid_body), 7),
        ("/webhooks/mailgun/acme", *mailgun_request(), 1),
        ("/webhooks/postmark/acme", postmark_body, {"Authorization": basic("pm", "pm-secret")}, 1),
        ("/webhooks/sparkpost", sparkpost_body, {"Authorization": f"Bearer {BEARER}"}, 5),
    ]
    for path, body, headers, count in requests:
        status, answer = await post(server, path, body, headers)
        assert (path, status, answer.get("published")) == (path, 200, count)

    envelopes = await drain(kafka_bootstrap, topic, producer)
    by_provider: dict[str, list[WebhookEnvelope]] = {}
    for envelope in envelopes:
        by_provider.setdefault(envelope.provider, []).append(envelope)
    assert {p: len(v) for p, v in by_provider.items()} == {
        "ses": 1,
        "sendgrid": 7,
        "mailgun": 1,
        "postmark": 1,
        "sparkpost": 5,
    }
    assert {e.tenant for e in envelopes if e.provider != "sparkpost"} == {"acme"}
    assert {e.tenant for e in by_provider["sparkpost"]} == {"default"}
    # Each element is published as its exact text, and normalizes downstream.
    raw_sendgrid = {json.dumps(e, separators=(",", ":")) for e in orjson.loads(sendgrid_body)}
    assert {json.dumps(json.loads(e.payload), separators=(",", ":")) for e in by_provider["sendgrid"]} == raw_sendgrid
    assert by_provider["postmark"][0].payload == postmark_body.decode().strip()
    reasons = sorted(
        ev.reason.value
        for e in envelopes
        for ev in normalize_webhook(e.provider, e.payload, e.tenant, e.received_at)
        if ev.outcome.value == "bounced"
    )
    assert reasons == ["blocked", "blocked", "userunknown", "userunknown", "userunknown", "userunknown", "userunknown"]


async def test_bad_credentials_are_401_and_publish_nothing(
    server: TestServer, producer: AIOKafkaProducer, topic: str, kafka_bootstrap: str
) -> None:
    sendgrid_body = (FIXTURES / "sendgrid" / "batch_mixed.json").read_bytes()
    body, headers = sendgrid_request(sendgrid_body)
    tampered = body.replace(b"gone@example.com", b"good@example.com")
    ses_body, ses_headers = ses_notification()
    forged_ses = ses_body.replace(b"ses-events", b"ses-evil")
    replay_body, replay_headers = mailgun_request()
    cases = [
        ("sendgrid tampered", "/webhooks/sendgrid", tampered, headers, "bad-signature"),
        (
            "sendgrid wrong key",
            "/webhooks/sendgrid",
            *sendgrid_request(sendgrid_body, key=ec.generate_private_key(ec.SECP256R1())),
            "bad-signature",
        ),
        ("sendgrid unsigned", "/webhooks/sendgrid", sendgrid_body, {}, "missing-signature"),
        ("ses other topic", "/webhooks/ses", forged_ses, ses_headers, "topic-not-allowed"),
        ("mailgun wrong key", "/webhooks/mailgun", *mailgun_request(key="not-the-key"), "bad-signature"),
        (
            "postmark wrong password",
            "/webhooks/postmark",
            b"{}",
            {"Authorization": basic("pm", "nope")},
            "bad-credentials",
        ),
        ("sparkpost no auth", "/webhooks/sparkpost", b"[]", {}, "missing-credentials"),
    ]
    for case, path, data, hdrs, reason in cases:
        status, answer = await post(server, path, data, hdrs)
        assert (case, status, answer.get("error")) == (case, 401, reason)
    # A valid Mailgun request is accepted once; the same token again is a replay.
    assert (await post(server, "/webhooks/mailgun", replay_body, replay_headers))[0] == 200
    status, answer = await post(server, "/webhooks/mailgun", replay_body, replay_headers)
    assert (status, answer.get("error")) == (401, "replayed-token")

    envelopes = await drain(kafka_bootstrap, topic, producer)
    assert [e.provider for e in envelopes] == ["mailgun"]


async def test_limits_and_errors(
    server: TestServer, producer: AIOKafkaProducer, topic: str, kafka_bootstrap: str
) -> None:
    big = b"[" + b",".join(b'{"event":"open","email":"a@example.com"}' for _ in range(3000)) + b"]"
    status, answer = await post(server, "/webhooks/sendgrid", *sendgrid_request(big))
    assert (status, answer.get("error")) == (413, "body-too-large")

    status, answer = await post(server, "/webhooks/sendgrid", *sendgrid_request(b'[{"event": "bounce",]'))
    assert (status, answer.get("error")) == (400, "malformed")
    assert "offset" in answer["detail"]

    status, answer = await post(server, "/webhooks/mailgun", b"{not json", {"Content-Type": "application/json"})
    assert (status, answer.get("error")) == (400, "malformed")

    status, answer = await post(
        server, "/webhooks/mailgun", b"token=x&timestamp=1", {"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert status == 415

    status, answer = await post(server, "/webhooks/acmemail", b"{}", {})
    assert (status, answer.get("error")) == (404, "unknown-provider")

    status, answer = await post(server, "/webhooks/postmark/bad~tenant", b"{}", {})
    assert (status, answer.get("error")) == (400, "bad-tenant")

    status, answer = await post(
        server, "/webhooks/postmark", b'{"RecordType": ', {"Authorization": basic("pm", "pm-secret")}
    )
    assert (status, answer.get("error")) == (400, "malformed")

    assert await drain(kafka_bootstrap, topic, producer) == []


async def test_sns_subscription_confirmation_is_returned_not_published(
    server: TestServer, producer: AIOKafkaProducer, topic: str, kafka_bootstrap: str
) -> None:
    subscribe_url = f"https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn={TOPIC_ARN}&Token=t"
    body, headers = sns_request(
        {
            "Type": "SubscriptionConfirmation",
            "MessageId": str(uuid.uuid4()),
            "Token": "t" * 64,
            "TopicArn": TOPIC_ARN,
            "Message": "You have chosen to subscribe.",
            "SubscribeURL": subscribe_url,
            "Timestamp": "2025-03-01T09:00:00.000Z",
        }
    )
    status, answer = await post(server, "/webhooks/ses", body, headers)
    assert (status, answer["published"], answer["subscribe_url"]) == (200, 0, subscribe_url)
    assert await drain(kafka_bootstrap, topic, producer) == []


async def test_health_and_readiness(server: TestServer) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.get(server.make_url("/healthz")) as r:
            assert r.status == 200
        async with session.get(server.make_url("/readyz")) as r:
            assert r.status == 200
            assert (await r.json())["providers"] == ["mailgun", "postmark", "sendgrid", "ses", "sparkpost"]


async def test_kafka_unavailable_is_503(kafka_bootstrap: str, topic: str) -> None:
    gone = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all", enable_idempotence=True)
    await gone.start()
    await gone.stop()  # a producer whose connection is gone
    app = create_app(_settings(topic, publish_timeout_seconds=2.0), gone)
    srv = TestServer(app, host="127.0.0.1", port=0)
    await srv.start_server()
    try:
        body = (FIXTURES / "postmark" / "bounce_hard.json").read_bytes()
        status, answer = await post(srv, "/webhooks/postmark", body, {"Authorization": basic("pm", "pm-secret")})
        assert (status, answer.get("error")) == (503, "kafka-unavailable")
        async with aiohttp.ClientSession() as session, session.get(srv.make_url("/readyz")) as r:
            assert r.status == 503
    finally:
        await srv.close()


async def test_missing_topic_is_503(producer: AIOKafkaProducer, topic_prefix: str) -> None:
    app = create_app(_settings(f"{topic_prefix}never-created", publish_timeout_seconds=2.0), producer)
    srv = TestServer(app, host="127.0.0.1", port=0)
    await srv.start_server()
    try:
        body = (FIXTURES / "postmark" / "bounce_hard.json").read_bytes()
        status, _ = await post(srv, "/webhooks/postmark", body, {"Authorization": basic("pm", "pm-secret")})
        assert status == 503
    finally:
        await srv.close()
