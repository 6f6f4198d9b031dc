"""Unusable payloads raise WebhookPayloadError with a reason; they never crash."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bounceguard.core.providers import WebhookPayloadError, normalize_webhook

RECEIVED = datetime(2025, 3, 10, tzinfo=UTC)

CASES: list[tuple[str, str, str]] = [
    # (provider, payload text, words the message must contain)
    ("nosuch", "{}", "unknown provider"),
    ("sendgrid", "[{", "not JSON"),
    ("sendgrid", '"just a string"', "object or array"),
    ("sendgrid", "[1, 2]", "must be a JSON object"),
    ("sendgrid", '[{"email": "a@example.com"}]', "no 'event'"),
    ("sendgrid", '[{"event": "bounce", "email": "not an address", "sg_event_id": "x"}]', "bad recipient"),
    ("sendgrid", '[{"event": "bounce", "email": "a@example.com", "timestamp": "last tuesday"}]',
     "unreadable timestamp"),
    ("sendgrid", '[{"event": "bounce", "email": "a@example.com", "timestamp": 1e300}]', "unreadable timestamp"),
    ("ses", '{"foo": 1}', "neither an SNS message"),
    ("mailgun", '{"signature": {}}', "no 'event-data'"),
    ("postmark", '{"Email": "a@example.com"}', "no 'RecordType'"),
    ("sparkpost", '[{"other": {}}]', "no 'msys'"),
    ("postmark", '{"RecordType": "Bounce", "Type": "HardBounce", "Email": "a@example.com", "BouncedAt": []}',
     "unreadable timestamp"),
]  # fmt: skip


@pytest.mark.parametrize(("provider", "text", "words"), CASES, ids=[f"{c[0]}:{c[2]}" for c in CASES])
def test_bad_payload_is_a_typed_error(provider: str, text: str, words: str) -> None:
    with pytest.raises(WebhookPayloadError, match=words):
        normalize_webhook(provider, text, "t", RECEIVED)


def test_naive_received_at_is_refused() -> None:
    with pytest.raises(WebhookPayloadError, match="timezone"):
        normalize_webhook("sendgrid", "[]", "t", datetime(2025, 1, 1))


@pytest.mark.parametrize(
    ("provider", "text"),
    [
        ("sendgrid", '[{"event": "bounce", "email": "a@example.com", "status": 5, "reason": {"x": 1}}]'),
        ("mailgun", '{"event": "failed", "recipient": "a@example.com", "delivery-status": "oops"}'),
        ("postmark", '{"RecordType": "Bounce", "Type": "NewKindOfBounce", "Email": "a@example.com"}'),
        (
            "sparkpost",
            '[{"msys": {"message_event": {"type": "bounce", "rcpt_to": "a@example.com",'
            ' "bounce_class": "999", "error_code": "abc"}}}]',
        ),
    ],
)
def test_odd_field_types_and_unknown_enums_do_not_crash(provider: str, text: str) -> None:
    normalize_webhook(provider, text, "t", RECEIVED)
