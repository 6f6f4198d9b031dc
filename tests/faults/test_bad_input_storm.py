"""10,000 malformed messages interleaved with 10,000 valid ones on the three input topics.

Every valid one must be processed exactly as the offline oracle says (the worker counts it as
decided, once, on /metrics, and every suppression the core decides is emitted; events keyed to
their own partition never cross the events topic, so that topic is not the record); every bad one must land on
`<prefix>deadletter` with its error and original bytes; the worker must stay alive and its
resident memory must not grow with the bad input it has seen.
"""

from __future__ import annotations

import asyncio
import base64
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import orjson
import pytest
from aiokafka import AIOKafkaProducer
from bad_input import HUGE, bad_messages
from fault_support import FaultResult, TopicReader, collect_suppressions, phase, rss_kib, send_result_stream
from kafka_helpers import WorkerProcess  # type: ignore[import-not-found]

pytestmark = [pytest.mark.faults, pytest.mark.kafka, pytest.mark.timeout(900)]

N_VALID = 10_000
N_BAD = 10_000
WARMUP = 1_000  # valid + bad messages before the first RSS reading: imports, caches and pools settle
# RSS is read after the warm-up, after the first half of the storm and after the second. The
# first half settles the allocator (glibc raises its mmap threshold once a huge string is freed,
# so later ones come from the heap) and grows the tables. The second half carries ~80 MB of bad
# input, so a worker that kept it would grow by about that much; one that keeps nothing still
# moves by allocator noise (8-23 MB measured with 256 KiB strings). Flat: under half the input.
RETAINED_SHARE_LIMIT = 0.5


def _metric_sum(worker: WorkerProcess, name: str) -> float:
    """Sum of a counter over all its label sets, scraped from the worker's /metrics."""
    with urllib.request.urlopen(worker.url("/metrics"), timeout=10) as resp:
        text = resp.read().decode()
    lines = [line for line in text.splitlines() if line.startswith((name + "{", name + " "))]
    if not lines:
        raise AssertionError(f"{name} is not on /metrics")
    return sum(float(line.rsplit(" ", 1)[1]) for line in lines)


async def _decided(worker: WorkerProcess, want: int, timeout: float) -> int:
    """Wait until the worker has decided `want` events (its events counter); return the count."""
    deadline = time.monotonic() + timeout
    while True:
        n = int(await asyncio.to_thread(_metric_sum, worker, "bounceguard_events_total"))
        if n >= want or time.monotonic() > deadline:
            return n
        await asyncio.sleep(0.5)


async def _read_all(bootstrap: str, topic: str, want: int, timeout: float) -> list[Any]:
    async with TopicReader(bootstrap, topic) as reader:
        await reader.read_until(lambda: len(reader.records) >= want, timeout)
        await reader.drain()
        return reader.records


async def test_bad_input_storm_dead_letters_every_bad_message_and_processes_every_valid_one(
    kafka_bootstrap: str, topic_prefix: str, tmp_path: Path
) -> None:
    tag = uuid.uuid4().hex[:8]
    valid = send_result_stream(N_VALID, 1_000, seed=7, tag=tag, extra_fields=True)
    oracle = valid.oracle()
    bad = bad_messages(N_BAD, seed=11, tag=tag)
    bad_by_key = {m.key: m for m in bad}
    worker = WorkerProcess(kafka_bootstrap, topic_prefix, tmp_path / "worker")
    worker.start()
    try:
        assert worker.proc is not None
        pid = worker.proc.pid
        # Interleaved: valid, bad, valid, bad ... across send-results, webhooks and dsn.
        batches: list[tuple[str, bytes | None, bytes | None]] = []
        for (key, value), b in zip(valid.records, bad, strict=True):
            batches.append(("send-results", key, value))
            batches.append((b.topic, b.key, b.value))
        half = WARMUP + (N_VALID - WARMUP) // 2
        rss: list[int] = []
        for start, stop in ((0, WARMUP), (WARMUP, half), (half, N_VALID)):
            await _produce_interleaved(kafka_bootstrap, topic_prefix, batches[2 * start : 2 * stop])
            await _read_all(kafka_bootstrap, f"{topic_prefix}deadletter", stop, timeout=300)
            await _decided(worker, stop, timeout=300)
            rss.append(rss_kib(pid))
            phase(f"{stop} valid and {stop} bad processed, worker RSS {rss[-1]} KiB")
        tally = await collect_suppressions(kafka_bootstrap, f"{topic_prefix}suppressions", oracle, timeout=300)
        phase("suppressions read")
        dead = await _read_all(kafka_bootstrap, f"{topic_prefix}deadletter", N_BAD, timeout=300)
        decided = await _decided(worker, N_VALID, timeout=120)
        duplicates = int(await asyncio.to_thread(_metric_sum, worker, "bounceguard_duplicate_events_total"))
        phase("dead letters read, decided events counted")
        alive = worker.alive()
    finally:
        worker.stop()

    dead_keys: dict[bytes, int] = {}
    wrong_record = 0
    kinds_seen: dict[str, int] = {}
    for rec in dead:
        letter = orjson.loads(rec.value)
        original = bad_by_key.get(rec.key)
        dead_keys[rec.key] = dead_keys.get(rec.key, 0) + 1
        if original is None:
            wrong_record += 1
            continue
        kinds_seen[f"{original.topic}/{original.kind}"] = kinds_seen.get(f"{original.topic}/{original.kind}", 0) + 1
        ok = (
            letter["source_topic"] == f"{topic_prefix}{original.topic}"
            and base64.b64decode(letter["original_b64"]) == (original.value or b"")
            and base64.b64decode(letter["original_key_b64"]) == original.key
            and letter["error"]
            and letter["error_type"]
        )
        wrong_record += 0 if ok else 1
    counts = {
        **tally.counts(),
        "bad_sent": N_BAD,
        "dead_lettered": len(dead),
        "bad_missing_from_deadletter": sum(1 for k in bad_by_key if k not in dead_keys),
        "dead_letters_duplicated": sum(n - 1 for n in dead_keys.values()),
        "dead_letters_wrong": wrong_record,
        "valid_sent": N_VALID,
        "valid_decided": decided,
        "duplicate_events": duplicates,
    }
    FaultResult(
        "bad-input-storm",
        counts,
        {
            "rss_kib_after_warmup_half_full": rss,
            "rss_growth_first_half_kib": rss[1] - rss[0],
            "rss_growth_second_half_kib": rss[2] - rss[1],
            "bad_bytes_second_half": sum(len(m.value or b"") for m in bad[half:]),
            "bad_bytes": sum(len(m.value or b"") for m in bad),
            "huge_string_bytes": HUGE,
            "dead_letter_kinds": kinds_seen,
            "worker_alive": alive,
        },
    ).report()
    assert alive, worker.log_tail()
    assert counts["bad_missing_from_deadletter"] == 0
    assert counts["dead_letters_wrong"] == 0
    assert counts["dead_letters_duplicated"] == 0
    assert counts["valid_decided"] == N_VALID and counts["duplicate_events"] == 0
    assert counts["lost"] == 0 and counts["unexpected"] == 0 and counts["duplicated"] == 0
    assert counts["content_differs_from_oracle"] == 0
    second_half_kib = sum(len(m.value or b"") for m in bad[half:]) // 1024
    assert rss[2] - rss[1] < RETAINED_SHARE_LIMIT * second_half_kib, f"RSS kept growing: {rss} KiB"


async def _produce_interleaved(
    bootstrap: str, prefix: str, batches: list[tuple[str, bytes | None, bytes | None]]
) -> None:
    """One producer, records sent in list order whatever their topic, so the topics fill side by side."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5, max_request_size=2 * 1024 * 1024)
    await producer.start()
    try:
        futures = [await producer.send(f"{prefix}{topic}", key=key, value=value) for topic, key, value in batches]
        for fut in futures:
            await fut
    finally:
        await producer.stop()
