"""Trends and alerts through the real broker: one bad segment alerts once and recovers once,
while its mailbox, diluted by healthy segments, stays quiet."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
from kafka_helpers import WorkerProcess, consume, json_values, produce  # type: ignore[import-not-found]

pytestmark = [pytest.mark.kafka]

T0 = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
MAILBOX = "news@shop.example"


@pytest.fixture(scope="module")
def trend_worker(kafka_bootstrap: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorkerProcess]:
    proc = WorkerProcess(
        bootstrap=kafka_bootstrap,
        topic_prefix=f"bgtest-{uuid.uuid4().hex[:10]}.",
        data_dir=Path(tmp_path_factory.mktemp("trend-worker")),
        # One alert window and a volume floor of 200 sends keep the expected alert count exact.
        extra_env={"BOUNCEGUARD_TRENDS__ALERT_WINDOWS": '["1h"]', "BOUNCEGUARD_TRENDS__MIN_VOLUME": "200"},
    )
    proc.start()
    try:
        yield proc
    finally:
        proc.stop()


def _send(segment: str, n: int, at: datetime, *, hard: bool) -> bytes:
    body: dict[str, Any] = {
        "recipient": f"{segment}-{n}@example.org",
        "tenant": "shop",
        "mailbox": MAILBOX,
        "segment": segment,
        "message_id": f"<{uuid.uuid4().hex}@shop.example>",
        "timestamp": at.isoformat(),
        "event_id": uuid.uuid4().hex,
    }
    if hard:
        body |= {
            "outcome": "bounced",
            "reply_code": 550,
            "enhanced_status": "5.1.1",
            "diagnostic": "550 5.1.1 <x>: Recipient address rejected: User unknown",
        }
    else:
        body |= {"outcome": "delivered", "reply_code": 250}
    return orjson.dumps(body)


def _alerts(records: list[Any], scope: str, key: str) -> list[dict[str, Any]]:
    return [a for a in json_values(records) if a["scope"] == scope and a["key"] == key]


async def test_bad_segment_alerts_once_and_recovers_once(trend_worker: WorkerProcess) -> None:
    prefix = trend_worker.topic_prefix
    # Phase 1, 50 minutes: the bad segment has every 20th send hard-bounce (5%); four healthy
    # segments only deliver, so the mailbox as a whole sees 1%.
    phase1 = []
    for i in range(400):
        at = T0 + timedelta(seconds=i * 7)
        phase1.append(_send("bad", i, at, hard=i % 20 == 19))
        for healthy in ("h1", "h2", "h3", "h4"):
            phase1.append(_send(healthy, i, at, hard=False))
    await produce(trend_worker.bootstrap, f"{prefix}send-results", [(None, v) for v in phase1])

    records = await consume(
        trend_worker.bootstrap, f"{prefix}alerts", until=lambda r: len(_alerts(r, "segment", "bad")) >= 1, timeout=90
    )
    first = _alerts(records, "segment", "bad")
    assert [(a["rate"], a["severity"], a["window"]) for a in first] == [("hard", "warn", "1h")]
    assert first[0]["counts"]["attempts"] >= 200
    assert first[0]["top_reasons"] == {"userunknown": first[0]["counts"]["hard"]}

    # The trend stream carried the segment's full phase-1 counts for the 1h window. Waiting for it
    # before phase 2 also keeps phase 2 behind every phase-1 send: across partitions the upstream
    # agents may otherwise let a phase-2 send overtake the last phase-1 ones, which then arrive
    # late to the trend state and are not counted.
    def phase1_trend(r: list[Any]) -> list[dict[str, Any]]:
        return [
            t
            for t in json_values(r)
            if t["scope"] == "segment" and t["key"] == "bad" and t["window"] == "1h" and t["counts"]["attempts"] == 400
        ]

    trends = await consume(trend_worker.bootstrap, f"{prefix}trends", until=lambda r: bool(phase1_trend(r)), timeout=30)
    found = phase1_trend(trends)
    assert found, "no 1h trend with the bad segment's 400 sends"
    assert found[-1]["counts"]["hard"] == 20
    assert found[-1]["rates"]["hard"] == pytest.approx(0.05)

    # Phase 2, two hours later: clean traffic only; the bad sends leave the 1h window.
    later = T0 + timedelta(hours=2)
    await produce(
        trend_worker.bootstrap,
        f"{prefix}send-results",
        [(None, _send("bad", 1000 + i, later + timedelta(seconds=i), hard=False)) for i in range(50)],
    )
    records = await consume(
        trend_worker.bootstrap, f"{prefix}alerts", until=lambda r: len(_alerts(r, "segment", "bad")) >= 2, timeout=60
    )
    seg = _alerts(records, "segment", "bad")
    assert [(a["rate"], a["severity"]) for a in seg] == [("hard", "warn"), ("hard", "recovered")]
    assert seg[1]["previous_severity"] == "warn"
    assert _alerts(records, "mailbox", MAILBOX) == [], "the diluted mailbox must not alert"
