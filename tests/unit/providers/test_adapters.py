"""Every fixture -> the events it must yield: one row per fixture, one tuple per event.

Each tuple is (recipient, outcome, reason, category, event_id, mailbox, segment).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from bounceguard.core.categories import Category, Reason
from bounceguard.core.classify import classify_reply
from bounceguard.core.models import Outcome
from bounceguard.core.providers import ADAPTERS, AdapterConfig, normalize_webhook

from .conftest import fixture_text

RECEIVED = datetime(2025, 3, 10, tzinfo=UTC)
O, R, C = Outcome, Reason, Category  # noqa: E741 - short names keep the table readable


@dataclass(frozen=True)
class Classified:
    """Expect whatever the shared classifier says about this SMTP reply: the adapter must
    hand the provider's SMTP detail to it rather than trust the provider's category."""

    reply: str


Row = tuple[str, Outcome, Reason | Classified, Category | None, str, str | None, str | None]


def _resolve(row: Row, actual: tuple[object, ...]) -> tuple[object, ...]:
    """The expected tuple: classifier verdicts filled in; "...:sha256:*" ids matched by prefix
    (their stability is tested in test_same_payload_gives_same_ids)."""
    recipient, outcome, reason, category, event_id, mailbox, segment = row
    if isinstance(reason, Classified):
        verdict = classify_reply(reason.reply)
        reason, category = verdict.reason, verdict.category
    if event_id.endswith(":*") and str(actual[4]).startswith(event_id[:-1]):
        event_id = str(actual[4])
    return (recipient, outcome, reason, category, event_id, mailbox, segment)


CASES: list[tuple[str, str, list[Row]]] = [
    # --- SES (via SNS, and bare) ---
    ("ses", "bounce_permanent_userunknown.json", [
        ("gone@example.com", O.BOUNCED, R.USERUNKNOWN, C.HARD,
         "ses:5b7f0c1e-1111-4a2b-9c3d-0123456789ab:gone@example.com", "news@mail.example.com", "vip")]),
    # Permanent/General is only a hint: 550 5.7.1 "rejected as spam" is the sender being blocked.
    ("ses", "bounce_permanent_general_spam_block.json", [
        ("reader@example.org", O.BOUNCED, R.SPAMDETECTED, C.BLOCK,
         "ses:6c7f0c1e-2222-4a2b-9c3d-0123456789ab:reader@example.org", "news-eu", "trial")]),
    ("ses", "bounce_suppressed.json", [
        ("gone@example.com", O.SUPPRESSED, R.SUPPRESSED, C.NONE,
         "ses:7d7f0c1e-3333-4a2b-9c3d-0123456789ab:gone@example.com", "news@mail.example.com", None)]),
    # No SMTP detail at all: the bounceSubType fallback decides (NoEmail -> userunknown).
    ("ses", "bare_bounce_no_detail.json", [
        ("nobody@example.com", O.BOUNCED, R.USERUNKNOWN, C.HARD, "ses:0100-fb-0008:nobody@example.com",
         "news@mail.example.com", None)]),
    ("ses", "complaint.json", [
        ("annoyed@example.com", O.COMPLAINED, R.FEEDBACK, C.COMPLAINT,
         "ses:8e7f0c1e-4444-4a2b-9c3d-0123456789ab:annoyed@example.com", "news@mail.example.com", None)]),
    ("ses", "complaint_on_suppression_list.json", [
        ("annoyed@example.com", O.SUPPRESSED, R.SUPPRESSED, C.NONE,
         "ses:9f7f0c1e-5555-4a2b-9c3d-0123456789ab:annoyed@example.com", None, None)]),
    ("ses", "delivery.json", [
        ("ok@example.com", O.DELIVERED, R.DELIVERED, C.NONE,
         "ses:0a7f0c1e-6666-4a2b-9c3d-0123456789ab:ok@example.com", "news@mail.example.com", None)]),
    ("ses", "send.json", [
        ("a@example.com", O.SENT, R.DELIVERED, C.NONE, "ses:1b7f0c1e-7777-4a2b-9c3d-0123456789ab:a@example.com",
         "news@mail.example.com", "vip"),
        ("b@example.com", O.SENT, R.DELIVERED, C.NONE, "ses:1b7f0c1e-7777-4a2b-9c3d-0123456789ab:b@example.com",
         "news@mail.example.com", "vip")]),
    ("ses", "delivery_delay.json", [
        ("full@example.com", O.DEFERRED, R.MAILBOXFULL, C.SOFT,
         "ses:2c7f0c1e-8888-4a2b-9c3d-0123456789ab:full@example.com", None, None)]),
    ("ses", "open.json", []),
    ("ses", "topic_validation_text.json", []),
    ("ses", "subscription_confirmation.json", []),
    # SES refused the message itself (a virus): sender side, never the recipient's fault.
    ("ses", "reject.json", [
        ("x@example.com", O.BOUNCED, R.VIRUSDETECTED, C.BLOCK, "ses:sha256:*", "news@mail.example.com", "vip")]),
    ("ses", "subscription_unsubscribe_all.json", [
        ("x@example.com", O.UNSUBSCRIBED, R.UNSUBSCRIBED, C.UNSUBSCRIBE, "ses:sha256:*",
         "news@mail.example.com", "vip")]),
    ("ses", "rendering_failure.json", []),
    ("ses", "click.json", []),
    # --- SendGrid ---
    ("sendgrid", "batch_mixed.json", [
        ("ok@example.com", O.SENT, R.DELIVERED, C.NONE, "sendgrid:cHJvYy0x", "news", "vip"),
        ("slow@example.com", O.DEFERRED, Classified("451 4.7.1 try again later"), None, "sendgrid:ZGVmLTE", None, None),
        ("ok@example.com", O.DELIVERED, R.DELIVERED, C.NONE, "sendgrid:ZGVsLTE", None, None),
        ("gone@example.com", O.BOUNCED, R.USERUNKNOWN, C.HARD, "sendgrid:Ym91LTE", None, None),
        ("blocked@example.com", O.BOUNCED, R.BLOCKED, C.BLOCK, "sendgrid:YmxrLTE", None, None),
        ("gone@example.com", O.SUPPRESSED, R.SUPPRESSED, C.NONE, "sendgrid:ZHJvLTE", None, None),
        ("annoyed@example.com", O.COMPLAINED, R.FEEDBACK, C.COMPLAINT, "sendgrid:c3BhLTE", None, None)]),
    ("sendgrid", "batch_engagement.json", [
        ("leaver@example.com", O.UNSUBSCRIBED, R.UNSUBSCRIBED, C.UNSUBSCRIBE, "sendgrid:dW5zLTE", None, "weekly"),
        ("leaver2@example.com", O.UNSUBSCRIBED, R.UNSUBSCRIBED, C.UNSUBSCRIBE, "sendgrid:Z3Vucy0x", None, None)]),
    ("sendgrid", "batch_edge_bounces.json", [
        ("late@example.net", O.BOUNCED, R.EXPIRED, C.SOFT, "sendgrid:ZXhwLTE", None, None),
        ("quiet@example.net", O.BOUNCED, R.USERUNKNOWN, C.HARD, "sendgrid:cXVpLTE", None, None),
        ("big@example.net", O.BOUNCED, R.SPAMDETECTED, C.BLOCK, "sendgrid:YmlnLTE", None, None)]),
    # --- Mailgun ---
    ("mailgun", "failed_permanent_userunknown.json", [
        ("gone@example.com", O.BOUNCED, R.USERUNKNOWN, C.HARD, "mailgun:G9Bn5sl1TC6nu79C8C0bwg:1740823210.52",
         "news", "vip")]),
    # "permanent" is only a hint: 552 5.2.2 is a full mailbox (soft), and From supplies the mailbox.
    ("mailgun", "failed_permanent_mailboxfull.json", [
        ("full@example.org", O.BOUNCED, R.MAILBOXFULL, C.SOFT, "mailgun:Pm5Xf0ullMbx0000000aaa:1740823400.0",
         "news@mg.example.com", None)]),
    ("mailgun", "failed_temporary_greylisted.json", [
        ("slow@example.com", O.DEFERRED, Classified("451 4.7.1 Greylisted, try again later"), None,
         "mailgun:q2w3e4r5t6y7u8i9o0p1aa:1740823300.1",
         None, None)]),
    ("mailgun", "failed_suppress_bounce.json", [
        ("gone@example.com", O.SUPPRESSED, R.SUPPRESSED, C.NONE, "mailgun:s1u2p3p4r5e6s7s8b9o0uu:1740910000.0",
         None, "vip")]),
    ("mailgun", "delivered.json", [
        ("ok@example.com", O.DELIVERED, R.DELIVERED, C.NONE, "mailgun:z1x2c3v4b5n6m7a8s9d0ff:1740823205.0",
         None, "vip")]),
    ("mailgun", "complained.json", [
        ("annoyed@example.com", O.COMPLAINED, R.FEEDBACK, C.COMPLAINT,
         "mailgun:k1l2m3n4o5p6q7r8s9t0uu:1740830000.0", None, "vip")]),
    ("mailgun", "opened.json", []),
    ("mailgun", "clicked.json", []),
    ("mailgun", "unsubscribed.json", [
        ("leaver@example.com", O.UNSUBSCRIBED, R.UNSUBSCRIBED, C.UNSUBSCRIBE,
         "mailgun:u1n2s3u4b5s6c7r8i9b0ee:1740831000.0", "news@mg.example.com", "weekly")]),
    # --- Postmark ---
    ("postmark", "bounce_hard.json", [
        ("gone@example.com", O.BOUNCED, R.USERUNKNOWN, C.HARD, "postmark:Bounce:4323372036854775807", "news", "vip")]),
    # Postmark says HardBounce, the SMTP text says the sender's IP is listed: block, not hard.
    ("postmark", "bounce_hard_but_blocked.json", [
        ("someone@example.net", O.BOUNCED, R.BLOCKED, C.BLOCK, "postmark:Bounce:4323372036854775809",
         "billing@mail.example.com", None)]),
    ("postmark", "bounce_blocked_no_details.json", [
        ("blocked@example.net", O.BOUNCED, R.BLOCKED, C.BLOCK, "postmark:Bounce:4323372036854775810",
         "billing@mail.example.com", None)]),
    ("postmark", "delivery.json", [
        ("ok@example.com", O.DELIVERED, R.DELIVERED, C.NONE,
         "postmark:Delivery:a1b2c3d4-0000-4000-8000-000000000001:ok@example.com", None, "vip")]),
    ("postmark", "spam_complaint.json", [
        ("annoyed@example.com", O.COMPLAINED, R.FEEDBACK, C.COMPLAINT, "postmark:SpamComplaint:4323372036854775808",
         "news@mail.example.com", "vip")]),
    ("postmark", "subscription_change_manual.json", [
        ("leaver@example.com", O.UNSUBSCRIBED, R.UNSUBSCRIBED, C.UNSUBSCRIBE,
         "postmark:SubscriptionChange:a1b2c3d4-0000-4000-8000-000000000003:leaver@example.com", None, "vip")]),
    ("postmark", "open.json", []),
    ("postmark", "click.json", []),
    ("postmark", "bounce_transient.json", [
        ("slow@example.net", O.DEFERRED, R.EXPIRED, C.SOFT, "postmark:Bounce:4323372036854775811",
         "billing@mail.example.com", None)]),
    # --- SparkPost ---
    ("sparkpost", "batch_hard.json", [
        ("gone@example.com", O.BOUNCED, R.USERUNKNOWN, C.HARD, "sparkpost:92356927693813856", "news", "vip")]),
    ("sparkpost", "batch_other.json", [
        ("someone@example.net", O.BOUNCED, R.BLOCKED, C.BLOCK, "sparkpost:1000", None, None),
        ("full@example.com", O.DEFERRED, R.MAILBOXFULL, C.SOFT, "sparkpost:1001", None, None),
        ("ok@example.com", O.DELIVERED, R.DELIVERED, C.NONE, "sparkpost:1002", None, None),
        ("annoyed@example.com", O.COMPLAINED, R.FEEDBACK, C.COMPLAINT, "sparkpost:1003", None, None),
        ("late@example.com", O.BOUNCED, R.USERUNKNOWN, C.HARD, "sparkpost:1004", None, None)]),
    ("sparkpost", "batch_lists_and_tracking.json", [
        ("leaver@example.com", O.UNSUBSCRIBED, R.UNSUBSCRIBED, C.UNSUBSCRIBE, "sparkpost:2000", None, "weekly"),
        ("gone@example.com", O.SUPPRESSED, R.SUPPRESSED, C.NONE, "sparkpost:2002", None, None),
        ("new@example.com", O.SENT, R.DELIVERED, C.NONE, "sparkpost:2003", "news@mail.example.com", "trial")]),
    # Generation failures and auto-replies say nothing about the address.
    ("sparkpost", "batch_generation_and_link_unsub.json", [
        ("leaver@example.com", O.UNSUBSCRIBED, R.UNSUBSCRIBED, C.UNSUBSCRIBE, "sparkpost:3001", "news", "weekly")]),
]  # fmt: skip


@pytest.mark.parametrize(("provider", "name", "expected"), CASES, ids=[f"{c[0]}/{c[1]}" for c in CASES])
def test_fixture_yields_expected_events(provider: str, name: str, expected: list[Row]) -> None:
    events = normalize_webhook(provider, fixture_text(provider, name), "acme", RECEIVED)
    got = [(e.recipient, e.outcome, e.reason, e.category, e.event_id, e.mailbox, e.segment) for e in events]
    assert got == [_resolve(row, actual) for row, actual in zip(expected, got, strict=False)] + expected[len(got) :]
    for event in events:
        assert event.tenant == "acme"
        assert event.source == f"webhook:{provider}"
        assert event.occurred_at.tzinfo is not None


def test_smtp_detail_and_ids_are_carried() -> None:
    (event,) = normalize_webhook("ses", fixture_text("ses", "bounce_permanent_userunknown.json"), "t", RECEIVED)
    assert (event.reply_code, event.enhanced_status, event.message_id) == (550, "5.1.1", "0100018e-aaaa-0001")
    assert event.diagnostic == "550 5.1.1 <gone@example.com>: user unknown"  # "smtp; " type prefix dropped
    assert event.provider_category == "Permanent/NoEmail"
    assert event.occurred_at == datetime(2025, 3, 1, 10, 0, 4, tzinfo=UTC)
    assert event.first_attempt_at == datetime(2025, 3, 1, 10, 0, 1, tzinfo=UTC)
    assert event.remote_mta == "192.0.2.10"


def test_metadata_keys_are_configurable() -> None:
    swapped = AdapterConfig(mailbox_key="segment", segment_key="mailbox")
    (event,) = normalize_webhook("postmark", fixture_text("postmark", "bounce_hard.json"), "t", RECEIVED, swapped)
    assert (event.mailbox, event.segment) == ("vip", "news")
    no_fallback = AdapterConfig(mailbox_key="sender", mailbox_from_sender=False)
    (spam,) = normalize_webhook("postmark", fixture_text("postmark", "spam_complaint.json"), "t", RECEIVED, no_fallback)
    assert (spam.mailbox, spam.segment) == (None, "vip")  # no From fallback when disabled


def test_same_payload_gives_same_ids() -> None:
    text = fixture_text("ses", "bare_bounce_no_detail.json").replace('"feedbackId": "0100-fb-0008"', '"x": 1')
    first = normalize_webhook("ses", text, "t", RECEIVED)
    again = normalize_webhook("ses", text, "t", datetime(2030, 1, 1, tzinfo=UTC))
    assert first[0].event_id.startswith("ses:sha256:")
    assert first[0].event_id == again[0].event_id


@pytest.mark.parametrize(
    ("provider", "key"),
    [
        ("ses", "0100018e-aaaa-0001"),
        ("sendgrid", "Qm9vLm1zZzE"),
        ("mailgun", "20250301100001.1.ABC@mg.example.com"),
        ("postmark", "883953f4-6105-42a2-a16a-77a8eac79483"),
        ("sparkpost", "65832150921904138"),
    ],
)
def test_partition_key_is_the_provider_message_id(provider: str, key: str) -> None:
    import orjson

    name = {
        "ses": "bounce_permanent_userunknown.json",
        "sendgrid": "batch_mixed.json",
        "mailgun": "failed_permanent_userunknown.json",
        "postmark": "bounce_hard.json",
        "sparkpost": "batch_hard.json",
    }[provider]
    payload = orjson.loads(fixture_text(provider, name))
    first = payload[0] if isinstance(payload, list) else payload
    assert ADAPTERS[provider].partition_key(first) == key
