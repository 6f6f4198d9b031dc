"""The worker end to end on a real broker: send results in, suppressions / retries / dead letters out."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import pytest
from kafka_helpers import WorkerProcess, consume, json_values, produce  # type: ignore[import-not-found]

pytestmark = [pytest.mark.kafka]

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _addr(tag: str) -> str:
    return f"{tag}-{uuid.uuid4().hex[:8]}@example.org"


def _result(recipient: str, outcome: str, at: datetime, **kw: Any) -> bytes:
    body = {
        "recipient": recipient,
        "outcome": outcome,
        "timestamp": at.isoformat(),
        "tenant": "acme",
        "mailbox": "news@acme.example",
        "segment": "spring",
        "event_id": uuid.uuid4().hex,
        **kw,
    }
    return orjson.dumps(body)


async def _send(worker: WorkerProcess, *values: bytes) -> None:
    # Keyed by recipient, as the topic contract asks: one address's results stay in order.
    records = [(orjson.loads(v)["recipient"].encode(), v) for v in values]
    await produce(worker.bootstrap, f"{worker.topic_prefix}send-results", records)


async def _suppressions_for(
    worker: WorkerProcess, address: str, expect: int, timeout: float = 30.0
) -> list[dict[str, Any]]:
    def mine(records: list[Any]) -> list[dict[str, Any]]:
        return [v for v in json_values(records) if v["address"] == address]

    records = await consume(
        worker.bootstrap, f"{worker.topic_prefix}suppressions", until=lambda r: len(mine(r)) >= expect, timeout=timeout
    )
    return mine(records)


async def test_hard_bounce_is_suppressed(worker: WorkerProcess) -> None:
    rcpt = _addr("hard")
    await _send(
        worker,
        _result(
            rcpt,
            "bounced",
            T0,
            reply_code=550,
            enhanced_status="5.1.1",
            diagnostic="550 5.1.1 The email account that you tried to reach does not exist.",
        ),
    )
    found = await _suppressions_for(worker, rcpt, 1)
    assert len(found) == 1
    assert found[0]["action"] == "suppress"
    assert found[0]["reason"] == "userunknown"
    assert found[0]["category"] == "hard"
    assert found[0]["tenant"] == "acme"


async def test_block_bounce_never_suppresses_but_hard_after_it_does(worker: WorkerProcess) -> None:
    rcpt = _addr("block")
    block = _result(
        rcpt,
        "bounced",
        T0,
        reply_code=550,
        enhanced_status="5.7.1",
        diagnostic="550 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using Spamhaus",
    )
    hard = _result(
        rcpt,
        "bounced",
        T0 + timedelta(minutes=5),
        reply_code=550,
        enhanced_status="5.1.1",
        diagnostic="550 5.1.1 user unknown",
    )
    await _send(worker, block, block, block)
    await _send(worker, hard)  # the marker: once it is suppressed, the blocks were processed before it
    found = await _suppressions_for(worker, rcpt, 1)
    assert [s["reason"] for s in found] == ["userunknown"]


async def test_soft_bounces_escalate_on_two_days_and_delivery_resets(worker: WorkerProcess) -> None:
    full = {"reply_code": 452, "enhanced_status": "4.2.2", "diagnostic": "452 4.2.2 Mailbox full"}
    escalates = _addr("soft")
    await _send(
        worker,
        *(
            _result(escalates, "deferred", T0 + d, **full)
            for d in (timedelta(0), timedelta(hours=5), timedelta(days=1, hours=2))
        ),
    )
    reset = _addr("reset")
    await _send(
        worker,
        _result(reset, "deferred", T0, **full),
        _result(reset, "deferred", T0 + timedelta(hours=5), **full),
        _result(reset, "delivered", T0 + timedelta(hours=20), reply_code=250),
        _result(reset, "deferred", T0 + timedelta(days=1, hours=2), **full),
    )
    found = await _suppressions_for(worker, escalates, 1)
    assert len(found) == 1 and found[0]["reason"] == "mailboxfull" and found[0]["category"] == "soft"
    # The reset address's events went in together with the escalating ones; give it the same time.
    later = _addr("marker")
    await _send(worker, _result(later, "bounced", T0, reply_code=550, enhanced_status="5.1.1"))
    await _suppressions_for(worker, later, 1)
    assert await _suppressions_for(worker, reset, 1, timeout=3) == []


async def test_duplicate_event_ids_change_nothing(worker: WorkerProcess) -> None:
    rcpt = _addr("dup")
    value = _result(rcpt, "bounced", T0, reply_code=550, enhanced_status="5.1.1", event_id="same-id-" + rcpt)
    await _send(worker, value, value, value)
    marker = _addr("marker")
    await _send(worker, _result(marker, "bounced", T0, reply_code=550, enhanced_status="5.1.1"))
    await _suppressions_for(worker, marker, 1)
    assert len(await _suppressions_for(worker, rcpt, 1)) == 1


async def test_soft_bounce_gets_retry_advice(worker: WorkerProcess) -> None:
    rcpt = _addr("retry")
    msg = f"<{uuid.uuid4().hex}@acme.example>"
    await _send(
        worker,
        _result(
            rcpt,
            "deferred",
            T0,
            reply_code=452,
            enhanced_status="4.2.2",
            diagnostic="452 4.2.2 mailbox full",
            message_id=msg,
        ),
    )
    records = await consume(
        worker.bootstrap,
        f"{worker.topic_prefix}retries",
        until=lambda r: any(v.get("recipient") == rcpt for v in json_values(r)),
        timeout=30,
    )
    mine = [r for r in records if orjson.loads(r.value).get("recipient") == rcpt]
    assert mine, "no retry advice"
    advice = orjson.loads(mine[0].value)
    assert advice["action"] == "retry" and advice["reason"] == "mailboxfull"
    assert datetime.fromisoformat(advice["retry_at"]) > T0
    assert mine[0].key == msg.encode()


@pytest.mark.parametrize(
    ("value", "error_type"),
    [
        (b"{this is not json", "JSONDecodeError"),
        (b'{"recipient": 42, "outcome": "bounced", "timestamp": "2026-01-01T00:00:00Z"}', "ValidationError"),
        (
            b'{"recipient": "a@b.example", "outcome": "exploded", "timestamp": "2026-01-01T00:00:00Z"}',
            "ValidationError",
        ),
        (b"\xff\xfe\x00garbage", "JSONDecodeError"),
        (
            b'{"recipient": "not an address", "outcome": "bounced", "timestamp": "2026-01-01T00:00:00Z"}',
            "InvalidAddress",
        ),
    ],
)
async def test_bad_input_is_dead_lettered_and_worker_survives(
    worker: WorkerProcess, value: bytes, error_type: str
) -> None:
    key = uuid.uuid4().hex.encode()
    await produce(worker.bootstrap, f"{worker.topic_prefix}send-results", [(key, value)])
    records = await consume(
        worker.bootstrap, f"{worker.topic_prefix}deadletter", until=lambda r: any(x.key == key for x in r), timeout=30
    )
    mine = [orjson.loads(r.value) for r in records if r.key == key]
    assert len(mine) == 1
    import base64

    assert base64.b64decode(mine[0]["original_b64"]) == value
    assert mine[0]["error_type"] == error_type
    assert mine[0]["error"]
    assert mine[0]["source_topic"] == f"{worker.topic_prefix}send-results"
    assert worker.alive()
    # and it still processes good input afterwards
    rcpt = _addr("after-bad")
    await _send(worker, _result(rcpt, "bounced", T0, reply_code=550, enhanced_status="5.1.1"))
    assert len(await _suppressions_for(worker, rcpt, 1)) == 1


def _corpus_mail(corpus_dir: Any, reason: str, hard: bool) -> tuple[bytes, str]:
    for line in (corpus_dir / "labels.jsonl").read_text().splitlines():
        label = orjson.loads(line)
        exp = label["expected"]
        single = len(exp) == 1 and exp[0]["reason"] == reason and exp[0]["hardbounce"] is hard
        if single and exp[0].get("recipient") and label["kind"] in ("lhost", "rfc3464"):
            return (corpus_dir / label["file"]).read_bytes(), exp[0]["recipient"]
    raise AssertionError(f"no corpus mail for {reason}")


async def test_bounce_emails_on_the_dsn_topic(worker: WorkerProcess, corpus_dir: Any) -> None:
    hard_mail, hard_rcpt = _corpus_mail(corpus_dir, "userunknown", True)
    block_mail, block_rcpt = _corpus_mail(corpus_dir, "blocked", False)
    await produce(
        worker.bootstrap,
        f"{worker.topic_prefix}dsn",
        [(None, block_mail), (None, hard_mail), (b"broken", b"this is not an e-mail at all")],
    )
    found = await consume(
        worker.bootstrap,
        f"{worker.topic_prefix}suppressions",
        until=lambda r: any(v["address"] == hard_rcpt.lower() for v in json_values(r)),
    )
    mine = [v for v in json_values(found) if v["address"] == hard_rcpt.lower()]
    assert mine and mine[0]["reason"] == "userunknown" and mine[0]["tenant"] == "default"
    assert not [v for v in json_values(found) if v["address"] == block_rcpt.lower()]
    dead = await consume(
        worker.bootstrap, f"{worker.topic_prefix}deadletter", until=lambda r: any(x.key == b"broken" for x in r)
    )
    assert [orjson.loads(x.value)["error_type"] for x in dead if x.key == b"broken"] == ["DsnParseError"]
