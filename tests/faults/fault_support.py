"""Shared pieces of the fault tests: a seeded event stream, the offline oracle, topic readers and counts.

The oracle is the pure core run over the same input (`suppression_policy.replay`): whatever a
fault does to the worker, every suppression the oracle emits must reach the suppressions topic.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import time
import urllib.request
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer
from aiokafka.structs import ConsumerRecord

from bounceguard.core.categories import Reason
from bounceguard.core.intake import event_from_send_result, parse_send_result
from bounceguard.core.models import BounceEvent
from bounceguard.core.suppression_policy import PolicyConfig, replay

REPO_ROOT = Path(__file__).resolve().parents[2]
RESULTS_DIR = REPO_ROOT / "var" / "fault-results"
T0 = datetime(2026, 2, 2, 8, 0, tzinfo=UTC)
TOKEN = "admin-token"  # WorkerProcess grants it every tenant

# (weight, outcome, extra SendResult fields). Hostunknown (5.1.2 / 5.1.10) is left out on purpose:
# its grace rule reads the per-partition domain table, which the global oracle cannot mirror exactly.
_KINDS: list[tuple[int, str, dict[str, Any]]] = [
    (40, "delivered", {"reply_code": 250}),
    (6, "sent", {}),
    (
        24,
        "deferred",
        {"reply_code": 452, "enhanced_status": "4.2.2", "diagnostic": "452 4.2.2 Mailbox full, try again later"},
    ),
    (
        9,
        "bounced",
        {
            "reply_code": 550,
            "enhanced_status": "5.1.1",
            "diagnostic": "550 5.1.1 User unknown in local recipient table",
        },
    ),
    (
        11,
        "bounced",
        {
            "reply_code": 554,
            "enhanced_status": "5.7.1",
            "diagnostic": "554 5.7.1 Service unavailable; Client host [192.0.2.7] blocked using zen.spamhaus.org",
        },
    ),
    (3, "complained", {}),
    (3, "unsubscribed", {}),
    (
        4,
        "deferred",
        {"reply_code": 421, "enhanced_status": "4.7.0", "diagnostic": "421 4.7.0 Try again later, closing connection"},
    ),
]


@dataclass(frozen=True)
class Stream:
    """Input records for `<prefix>send-results` plus the events the core derives from them."""

    records: list[tuple[bytes, bytes]]
    events: list[BounceEvent]

    def oracle(self, config: PolicyConfig | None = None) -> dict[tuple[str, str], dict[str, Any]]:
        """(key, transition_id) -> the suppression record the pure core emits, as JSON data."""
        result = replay(self.events, config or PolicyConfig())
        return {
            (f"{s.tenant}/{s.address}", s.transition_id): orjson.loads(s.model_dump_json()) for s in result.suppressions
        }


def send_result_stream(n_events: int, n_addresses: int, *, seed: int, tag: str, extra_fields: bool = False) -> Stream:
    """A seeded mix of deliveries, soft, hard, block, complaint and unsubscribe outcomes.

    Event time advances about two minutes per event, so soft bounces of one address fall on
    several days and escalate; the key is the tenant/address, so each address keeps its order.
    """
    rng = random.Random(seed)
    weights = [k[0] for k in _KINDS]
    addresses = [
        (("acme", "globex")[i % 2], f"{tag}-u{i}@d{i % 37}.example.net", f"mbx{i % 5}@sender.example")
        for i in range(n_addresses)
    ]
    records: list[tuple[bytes, bytes]] = []
    events: list[BounceEvent] = []
    for i in range(n_events):
        tenant, recipient, mailbox = rng.choice(addresses)
        _, outcome, fields = rng.choices(_KINDS, weights)[0]
        body: dict[str, Any] = {
            "event_id": f"{tag}-e{i}",
            "tenant": tenant,
            "recipient": recipient,
            "outcome": outcome,
            "mailbox": mailbox,
            "segment": f"seg{i % 7}",
            "message_id": f"<{tag}-m{i // 2}@sender.example>",
            "timestamp": (T0 + timedelta(seconds=120 * i)).isoformat(),
            **fields,
        }
        if extra_fields and i % 3 == 0:
            body["x_unknown_field"] = {"nested": [1, 2, 3]}  # forward-compatible: ignored, not an error
        raw = orjson.dumps(body)
        event = event_from_send_result(parse_send_result(raw))
        assert event.reason is not Reason.HOSTUNKNOWN, body
        records.append((f"{tenant}/{recipient}".encode(), raw))
        events.append(event)
    return Stream(records, events)


class TopicReader:
    """Reads one topic from the beginning, keeping every record; read_committed by default."""

    def __init__(self, bootstrap: str, topic: str, *, isolation_level: str = "read_committed") -> None:
        self.bootstrap = bootstrap
        self.topic = topic
        self.isolation_level = isolation_level
        self.records: list[ConsumerRecord] = []
        self._consumer: AIOKafkaConsumer | None = None

    async def __aenter__(self) -> TopicReader:
        # Subscribed without a group: the consumer takes every partition and starts at the earliest offset.
        self._consumer = AIOKafkaConsumer(
            self.topic,
            bootstrap_servers=self.bootstrap,
            group_id=None,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            isolation_level=self.isolation_level,
            max_partition_fetch_bytes=4 * 1024 * 1024,
        )
        await self._consumer.start()
        for _ in range(100):
            if self._consumer.assignment():
                return self
            await asyncio.sleep(0.1)
        await self._consumer.stop()
        raise AssertionError(f"topic {self.topic} has no partitions")

    async def __aexit__(self, *exc: object) -> None:
        if self._consumer is not None:
            await self._consumer.stop()

    async def poll(self, timeout_ms: int = 300) -> int:
        assert self._consumer is not None
        batch = await self._consumer.getmany(timeout_ms=timeout_ms, max_records=5000)
        n = 0
        for recs in batch.values():
            self.records.extend(recs)
            n += len(recs)
        return n

    async def read_until(self, done: Callable[[], bool], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if done():
                return True
            await self.poll()
        return done()

    async def drain(self, timeout: float = 30.0) -> None:
        """Read up to the end offsets as they are now (the last stable offset under read_committed)."""
        assert self._consumer is not None
        tps = list(self._consumer.assignment())
        ends = await self._consumer.end_offsets(tps)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            positions = {tp: await self._consumer.position(tp) for tp in tps}
            if all(positions[tp] >= ends[tp] for tp in tps):
                return
            await self.poll()


class SuppressionTally:
    """Suppression records seen on the topic, grouped by (key, transition_id)."""

    def __init__(self, oracle: dict[tuple[str, str], dict[str, Any]]) -> None:
        self.oracle = oracle
        self.copies: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        self._consumed = 0

    def update(self, records: Sequence[ConsumerRecord]) -> None:
        for rec in records[self._consumed :]:
            if rec.value is None:
                continue
            value = orjson.loads(rec.value)
            key = rec.key.decode() if rec.key is not None else ""
            self.copies[(key, value["transition_id"])].append(value)
        self._consumed = len(records)

    def complete(self, records: Sequence[ConsumerRecord]) -> bool:
        self.update(records)
        return all(k in self.copies for k in self.oracle)

    def counts(self) -> dict[str, int]:
        lost = [k for k in self.oracle if k not in self.copies]
        unexpected = [k for k in self.copies if k not in self.oracle]
        duplicated = sum(len(v) - 1 for v in self.copies.values())
        differing = sum(1 for k, v in self.copies.items() if any(c != v[0] for c in v[1:]))
        wrong = sum(1 for k in self.oracle if k in self.copies and self.copies[k][0] != self.oracle[k])
        return {
            "expected": len(self.oracle),
            "seen_distinct": len(self.copies),
            "records": sum(len(v) for v in self.copies.values()),
            "lost": len(lost),
            "duplicated": duplicated,
            "duplicates_differing": differing,
            "content_differs_from_oracle": wrong,
            "unexpected": len(unexpected),
        }

    def lost_keys(self, limit: int = 10) -> list[tuple[str, str]]:
        return [k for k in self.oracle if k not in self.copies][:limit]


async def collect_suppressions(
    bootstrap: str, topic: str, oracle: dict[tuple[str, str], dict[str, Any]], *, timeout: float
) -> SuppressionTally:
    """Read until every oracle suppression is on the topic (or timeout), then to the end."""
    tally = SuppressionTally(oracle)
    async with TopicReader(bootstrap, topic) as reader:
        await reader.read_until(lambda: tally.complete(reader.records), timeout)
        await reader.drain()
        tally.update(reader.records)
    return tally


async def dead_letter_count(bootstrap: str, topic: str) -> int:
    async with TopicReader(bootstrap, topic) as reader:
        await reader.drain()
        return len(reader.records)


def start_paced(
    bootstrap: str, topic: str, records: Sequence[tuple[bytes | None, bytes]], rate: float
) -> asyncio.Task[int]:
    """Publish `records` at `rate` per second in the background, so a fault lands mid-stream.

    A pre-filled topic let a fast worker finish before the fault; a paced stream keeps it busy
    for len(records)/rate seconds. Await the task before collecting results.
    """

    async def run() -> int:
        from aiokafka import AIOKafkaProducer

        producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5)
        await producer.start()
        try:
            futures = []
            start = time.monotonic()
            for i, (key, value) in enumerate(records):
                due = start + i / rate
                if due > time.monotonic():
                    await asyncio.sleep(due - time.monotonic())
                futures.append(await producer.send(topic, value=value, key=key))
            await asyncio.gather(*futures)
            return len(futures)
        finally:
            await producer.stop()

    return asyncio.create_task(run())


async def progress(bootstrap: str, topic: str, at_least: int, timeout: float) -> int:
    """Wait until `topic` holds at least `at_least` records (read_uncommitted: in-flight counts)."""
    async with TopicReader(bootstrap, topic, isolation_level="read_uncommitted") as reader:
        await reader.read_until(lambda: len(reader.records) >= at_least, timeout)
        return len(reader.records)


def rss_kib(pid: int) -> int:
    """Resident set size of a process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for pid {pid}")


def api_get(port: int, path: str, *, settle: float = 60.0) -> tuple[int, dict[str, Any]]:
    """GET from the worker's API; a 503 (owner unreachable while the group rebalances) is retried
    for up to `settle` seconds, as its Retry-After asks."""
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Authorization": f"Bearer {TOKEN}"})
    deadline = time.monotonic() + settle
    while True:
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return resp.status, json.loads(resp.read())
        except urllib.error.HTTPError as exc:
            status, body = exc.code, json.loads(exc.read() or b"{}")
        if status != 503 or time.monotonic() > deadline:
            return status, body
        time.sleep(1.0)


@dataclass
class FaultResult:
    """What one fault test measured; printed and written to var/fault-results/<name>.json."""

    name: str
    counts: dict[str, int] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)

    def report(self) -> None:
        data = asdict(self)
        data["recorded_at"] = datetime.now(UTC).isoformat()
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        (RESULTS_DIR / f"{self.name}.json").write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
        print(
            f"\nFAULT {self.name}: {json.dumps(self.counts, sort_keys=True)} {json.dumps(self.facts, sort_keys=True)}"
        )


_STARTED = time.monotonic()


def phase(text: str) -> None:
    """A progress line (visible with pytest -s): fault tests run for minutes."""
    print(f"[{time.monotonic() - _STARTED:7.1f}s] {text}", flush=True)


def env_flag(name: str) -> bool:
    return os.environ.get(name, "") not in ("", "0", "false")


def kinds_of(values: Iterable[dict[str, Any]], field_name: str) -> dict[str, int]:
    return dict(Counter(str(v.get(field_name)) for v in values))
