"""Malformed inputs for the storm test: one generator per kind, each checked against the core.

Every generated message must make the same core function the worker runs raise; a "bad" input
the core accepts would make the storm test meaningless, so `bad_messages` refuses to build one.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

import orjson

from bounceguard.stream import converters

HUGE = 512 * 1024  # bytes of one huge string: retained by mistake, a few hundred of them dwarf allocator noise


@dataclass(frozen=True)
class BadMessage:
    topic: str  # short name: send-results, webhooks or dsn
    kind: str
    key: bytes
    value: bytes | None


def _send_result(rng: random.Random) -> dict[str, object]:
    return {
        "event_id": f"bad-{rng.getrandbits(48):x}",
        "tenant": "acme",
        "recipient": f"someone{rng.randrange(1000)}@d{rng.randrange(9)}.example.net",
        "outcome": "bounced",
        "reply_code": 550,
        "enhanced_status": "5.1.1",
        "timestamp": "2026-02-02T08:00:00+00:00",
    }


def _truncated_json(rng: random.Random) -> bytes:
    raw = orjson.dumps(_send_result(rng))
    return raw[: rng.randrange(1, len(raw) - 1)]


def _wrong_types(rng: random.Random) -> bytes:
    body = _send_result(rng)
    field, value = rng.choice(
        [
            ("recipient", 12345),
            ("outcome", ["bounced"]),
            ("timestamp", "yesterday"),
            ("reply_code", "five-fifty"),
            ("reply_code", 999),
            ("tenant", {"name": "acme"}),
            ("timestamp", "2026-02-02T08:00:00"),  # no zone: event time must be unambiguous
        ]
    )
    body[field] = value
    return orjson.dumps(body)


def _not_an_object(rng: random.Random) -> bytes:
    return rng.choice([b"[]", b"null", b"42", b'"a string"', b"", b"   ", b"{}"])


def _huge_string(rng: random.Random) -> bytes:
    body = _send_result(rng)
    field = rng.choice(["diagnostic", "recipient", "mailbox"])
    body[field] = "x" * HUGE
    return orjson.dumps(body)


def _invalid_utf8(rng: random.Random) -> bytes:
    raw = orjson.dumps({**_send_result(rng), "diagnostic": "550 user unknown MARK"})
    return raw.replace(b"MARK", bytes([0xFF, 0xFE, 0xC3, 0x28]))


def _unknown_fields_only(rng: random.Random) -> bytes:
    return orjson.dumps({"email": "a@b.example", "status": "bounce", "when": rng.randrange(10**9)})


def _bad_address(rng: random.Random) -> bytes:
    body = _send_result(rng)
    body["recipient"] = rng.choice(["no-at-sign", "two@@signs.example", "a@", "@b.example", "a@-bad-.example"])
    return orjson.dumps(body)


def _envelope(provider: str, payload: str, tenant: str = "acme") -> bytes:
    return orjson.dumps(
        {"provider": provider, "tenant": tenant, "received_at": "2026-02-02T08:00:00+00:00", "payload": payload}
    )


def _webhook_unknown_provider(rng: random.Random) -> bytes:
    return _envelope(rng.choice(["acmemail", "SES", "", "mandrill"]), '{"event": "bounce"}')


def _webhook_bad_payload(rng: random.Random) -> bytes:
    provider, payload = rng.choice(
        [
            ("ses", "not json"),
            ("ses", "{}"),
            ("sendgrid", "[1, 2, 3]"),
            ("mailgun", '{"event-data": 5}'),
            ("postmark", '{"MessageID": "x"}'),
            ("sparkpost", '{"msys": "x"}'),
        ]
    )
    return _envelope(provider, payload)


def _webhook_truncated(rng: random.Random) -> bytes:
    raw = _envelope("ses", '{"eventType": "Bounce"}')
    return raw[: rng.randrange(1, len(raw) - 1)]


def _webhook_huge(rng: random.Random) -> bytes:
    return _envelope("ses", '{"eventType": "Bounce"}', tenant="t" * HUGE)


def _dsn_broken_mime(rng: random.Random) -> bytes:
    return rng.choice(
        [
            b"garbage without any header block",
            b'From: mailer-daemon@mx.example\r\nContent-Type: multipart/report; boundary="b1"\r\n\r\n'
            b"--b1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example\r\n",
            b"From: mailer-daemon@mx.example\r\nContent-Type: multipart/mixed\r\n\r\nno boundary parameter at all",
            b'Subject: Undelivered Mail\r\nContent-Type: multipart/report; boundary="b"\r\n\r\n--b\r\n--b--\r\n',
            b"Content-Type: text/plain; charset=\xff\xfe\r\nSubject: \xc3\x28\r\n\r\n\xff\xfe\xfd",
            bytes(rng.getrandbits(8) for _ in range(200)),
        ]
    )


_Maker = Callable[[random.Random], bytes]

# (topic, kind, weight, maker)
KINDS: list[tuple[str, str, int, _Maker]] = [
    ("send-results", "truncated-json", 16, _truncated_json),
    ("send-results", "wrong-types", 16, _wrong_types),
    ("send-results", "not-an-object", 6, _not_an_object),
    ("send-results", "huge-string", 2, _huge_string),
    ("send-results", "invalid-utf8", 10, _invalid_utf8),
    ("send-results", "unknown-fields-only", 8, _unknown_fields_only),
    ("send-results", "bad-address", 8, _bad_address),
    ("webhooks", "unknown-provider", 8, _webhook_unknown_provider),
    ("webhooks", "bad-payload", 8, _webhook_bad_payload),
    ("webhooks", "truncated-json", 4, _webhook_truncated),
    ("webhooks", "huge-string", 1, _webhook_huge),
    ("dsn", "broken-mime", 13, _dsn_broken_mime),
]

_CONVERT = {
    "send-results": converters.from_send_result,
    "webhooks": converters.from_webhook,
    "dsn": converters.from_dsn("default"),
}


def bad_messages(n: int, *, seed: int, tag: str) -> list[BadMessage]:
    """`n` malformed messages, keyed `<tag>-bad-<i>` so each dead letter can be matched to its input."""
    rng = random.Random(seed)
    weights = [k[2] for k in KINDS]
    out = []
    for i in range(n):
        topic, kind, _, maker = rng.choices(KINDS, weights)[0]
        value = maker(rng)
        try:
            produced = list(_CONVERT[topic](value))
        except Exception:
            produced = None
        if produced is not None:
            raise AssertionError(f"{topic}/{kind} is accepted by the core, so it is not bad input: {value[:200]!r}")
        out.append(BadMessage(topic, kind, f"{tag}-bad-{i}".encode(), value))
    return out
