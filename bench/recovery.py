"""Table recovery from the changelog for N tracked addresses, and the worker's RSS afterwards.

Writes N address records (the same JSON the address agent stores, built with the pure policy
from a delivery and a soft bounce) straight into the address-state changelog, partitioned as the
worker partitions its events topic, then starts a worker with an empty data dir and times how
long until /readyz answers 200 and the API knows the last address. A baseline in the same run:
reading the same changelog end to end with a bare aiokafka consumer (the floor for any recovery).

    .venv/bin/bounceguard kafka start --port 29192 --data-dir /tmp/rec-kafka --fresh
    .venv/bin/python bench/recovery.py --bootstrap 127.0.0.1:29192 --addresses 1000000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from bounceguard.core.address_step import record_to_json, step
from bounceguard.core.categories import Category, Reason
from bounceguard.core.models import BounceEvent, Outcome
from bounceguard.core.suppression_policy import PolicyConfig
from bounceguard.settings import Settings
from bounceguard.stream.topics import create_topics

T0 = datetime(2026, 5, 1, 8, tzinfo=UTC)
TEMPLATE_ADDRESS = "template-address@example.org"


def template_record() -> str:
    """A realistic stored value: one delivery, then one soft bounce (mailbox full)."""
    record = None
    for i, (outcome, reason, category) in enumerate(
        [(Outcome.DELIVERED, Reason.DELIVERED, Category.NONE), (Outcome.DEFERRED, Reason.MAILBOXFULL, Category.SOFT)]
    ):
        event = BounceEvent(
            event_id=f"tmpl-{i}",
            tenant="bench",
            recipient=TEMPLATE_ADDRESS,
            outcome=outcome,
            source="send-result",
            mailbox="news@shop.example",
            segment="spring",
            message_id=f"<m{i}@shop.example>",
            occurred_at=T0 + timedelta(hours=i),
            reason=reason,
            category=category,
        )
        record = step(record, event, PolicyConfig()).record
    assert record is not None
    return record_to_json(record).decode()


async def fill(bootstrap: str, topic: str, n: int) -> float:
    template = template_record()
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, linger_ms=20, max_batch_size=512 * 1024, compression_type=None, acks=1
    )
    await producer.start()
    started = time.perf_counter()
    try:
        pending = []
        for i in range(n):
            address = f"user{i}@d{i % 5000}.example"
            value = template.replace(TEMPLATE_ADDRESS, address).encode()
            pending.append(await producer.send(topic, value=value, key=f"bench/{address}".encode()))
            if len(pending) >= 20_000:
                await asyncio.gather(*pending)
                pending.clear()
        await asyncio.gather(*pending)
    finally:
        await producer.stop()
    return time.perf_counter() - started


async def read_all(bootstrap: str, topic: str, n: int) -> float:
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=None,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        max_partition_fetch_bytes=4 * 1024 * 1024,
    )
    await consumer.start()
    started, seen = time.perf_counter(), 0
    try:
        while seen < n:
            for records in (await consumer.getmany(timeout_ms=1000, max_records=10_000)).values():
                seen += len(records)
    finally:
        await consumer.stop()
    return time.perf_counter() - started


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def recover(settings: Settings, store: str, last_address: str, port: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as data:
        env = dict(os.environ) | {
            "BOUNCEGUARD_KAFKA_BOOTSTRAP_SERVERS": settings.kafka_bootstrap_servers,
            "BOUNCEGUARD_TOPIC_PREFIX": settings.topic_prefix,
            "BOUNCEGUARD_APP_ID": settings.app_id,
            "BOUNCEGUARD_DATA_DIR": data,
            "BOUNCEGUARD_STORE": store,
            "BOUNCEGUARD_WEB_PORT": str(port),
            "BOUNCEGUARD_API_TOKENS": "bench:*",
            "BOUNCEGUARD_PARTITIONS": str(settings.partitions),
        }
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "bounceguard", "worker", "--loglevel", "warning"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        ready = known = float("nan")
        try:
            while time.perf_counter() - started < 900 and proc.poll() is None:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as r:
                        if r.status == 200 and ready != ready:
                            ready = time.perf_counter() - started
                    req = urllib.request.Request(
                        f"http://127.0.0.1:{port}/suppressions/bench/{last_address}",
                        headers={"Authorization": "Bearer bench"},
                    )
                    with urllib.request.urlopen(req, timeout=5) as r:
                        if json.loads(r.read()).get("known"):
                            known = time.perf_counter() - started
                            break
                except Exception:
                    pass
                time.sleep(0.25)
            rss = rss_mb(proc.pid) if proc.poll() is None else float("nan")
        finally:
            proc.terminate()
            proc.wait(timeout=60)
        return {"ready_s": ready, "lookup_s": known, "rss_mb": rss}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--addresses", type=int, default=1_000_000)
    parser.add_argument("--stores", default="rocksdb://,memory://")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    run = uuid.uuid4().hex[:6]
    settings = Settings(kafka_bootstrap_servers=args.bootstrap, topic_prefix=f"rec-{run}.", app_id=f"rec-{run}")
    asyncio.run(create_topics(settings))
    changelog = f"{settings.app_id}-address-state-changelog"
    fill_s = asyncio.run(fill(args.bootstrap, changelog, args.addresses))
    read_s = asyncio.run(read_all(args.bootstrap, changelog, args.addresses))
    last = f"user{args.addresses - 1}@d{(args.addresses - 1) % 5000}.example"
    results: dict[str, object] = {"addresses": args.addresses, "fill_s": fill_s, "baseline_read_s": read_s}
    print(f"{args.addresses:,} records written in {fill_s:.1f}s; bare consumer read them in {read_s:.1f}s")
    print(f"{'store':<12} {'ready s':>8} {'lookup s':>9} {'x baseline':>11} {'RSS MB':>8}")
    for store in args.stores.split(","):
        r = recover(settings, store, last, 18000 + len(results))
        results[store] = r
        ratio = r["lookup_s"] / read_s
        print(f"{store:<12} {r['ready_s']:>8.1f} {r['lookup_s']:>9.1f} {ratio:>11.1f} {r['rss_mb']:>8.0f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
