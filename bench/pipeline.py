"""End-to-end events/s of the bounceguard worker, against a raw aiokafka loop doing the core work.

One run, one real broker (KAFKA_BOOTSTRAP_SERVERS / --bootstrap, else a local one from
`bounceguard.devkafka` on free ports, stopped afterwards):

1. pre-generates --events SendResult JSON lines: mostly deliveries, a few % bounces of every
   category a send result can carry (hard, soft, block, complaint, unsubscribe) with the
   wordings real receivers send, over 50 mailboxes, 200 segments and 200k addresses;
2. (a) baseline: a child process runs a raw aiokafka consume -> parse + classify
   (`event_from_send_result`) + a dict per address + produce loop over the input topic,
   committing offsets after its producer flushed (at-least-once, like the worker);
3. (b) worker: `python -m bounceguard worker` as a child process per --stores entry and per
   --keys choice (send results keyed `tenant/address`, decided in the partition they arrive
   in, or by bare recipient, crossing the events topic), on a pre-filled topic of the same
   events; progress is read from the worker's committed offsets (send results committed,
   less events still waiting in the events topic);
4. before each worker run the baseline runs again (a fresh consumer group over the same input):
   this machine's speed drifts by tens of percent over minutes, so each worker is also set
   against the baseline measured just before it ("b/a adj"), besides the first one ("b/a");
   --rounds N repeats each (baseline, worker) pair N times (the latency phase in the last
   round only) and prints every round's ratios with their median and range;
5. events/s is the whole job: from the first progress sample to the last input committed by
   every stage (for the worker: intake, address and trend agents), CPU seconds per event from
   /proc of the measured process over the same span (the broker's too, if its pid is known).
   The steady part (10 % to 90 % of one stage's commits) is kept in the JSON (`events_per_s`,
   `window_s`), but one stage of a three-stage pipeline can run in bursts, so it is not the
   headline;
6. latency: with background deliveries at 50 % of the worker's measured rate, one hard bounce
   every --probe-interval seconds for a fresh address, from 1 s after the load started; the
   time from publishing it to its suppression appearing on the suppressions topic gives p50/p99;
   the same probes against the baseline loop (left running) at the same loads give the floor.
   Each latency splits at the suppression record's timestamp (the worker's producer stamps it):
   `made` (publish -> suppression produced: broker, fetch, decision) and `read` (-> read back
   here). Beside it: the cores the measured process, the broker, this harness and the whole
   machine used while probing, and this harness's own event-loop stalls over 10 ms.

Everything shares this machine's cores (broker, worker, load generator): compare the ratio
b/a, not absolute figures.

    .venv/bin/python bench/pipeline.py [--events 200000] [--stores rocksdb://,memory://] [--json out.json]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.structs import TopicPartition

PARTITIONS = 4
MAILBOXES = tuple(
    f"{name}{i}@mail{i % 7}.example.com" for i in range(10) for name in ("news", "billing", "alerts", "offers", "team")
)
SEGMENTS = tuple(f"segment-{i:03d}" for i in range(200))
ADDRESSES = 200_000
RECEIVERS = {
    "gmail.com": "gmail-smtp-in.l.google.com",
    "outlook.com": "outlook-com.olc.protection.outlook.com",
    "yahoo.com": "mta7.am0.yahoodns.net",
    "mail.example.org": "mx1.mail.example.org",
    "contoso-corp.example": "contoso-corp-example.mail.protection.outlook.com",
}

# (outcome, reply code, enhanced status, diagnostic) per category, as the receivers word them.
Failure = tuple[str, int, str | None, str]
HARD: tuple[Failure, ...] = (
    ("bounced", 550, "5.1.1", "550-5.1.1 The email account that you tried to reach does not exist. Please try "
     "double-checking the recipient's email address for typos or unnecessary spaces. "
     "For more information, go to https://support.google.com/mail/?p=NoSuchUser"),  # Gmail
    ("bounced", 550, "5.1.10", "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP "
     "address lookup"),  # Exchange Online
    ("bounced", 554, None, "554 delivery error: dd This user doesn't have a yahoo.com account - "
     "mta7.am0.yahoodns.net"),  # Yahoo
    ("bounced", 550, "5.1.1", "550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown in virtual "
     "mailbox table"),  # Postfix
)  # fmt: skip
SOFT: tuple[Failure, ...] = (
    ("deferred", 452, "4.2.2", "452-4.2.2 The recipient's inbox is out of storage space. Please direct the "
     "recipient to https://support.google.com/mail/?p=OverQuotaTemp"),  # Gmail
    ("deferred", 452, None, "452 Mailbox full - mta7.am0.yahoodns.net"),  # Yahoo
    ("deferred", 451, "4.7.1", "451 4.7.1 <{rcpt}>: Recipient address rejected: Greylisted, please try "
     "again in 300 seconds"),  # Postgrey
    ("deferred", 421, "4.7.0", "421-4.7.0 [203.0.113.25] Our system has detected an unusual rate of "
     "unsolicited mail originating from your IP address. To protect our users from spam, mail sent "
     "from your IP address has been temporarily rate limited."),  # Gmail rate limit
)  # fmt: skip
BLOCK: tuple[Failure, ...] = (
    ("bounced", 550, "5.7.1", "550-5.7.1 [203.0.113.25] Our system has detected that this message is likely "
     "unsolicited mail. To reduce the amount of spam sent to Gmail, this message has been blocked. For more "
     "information, go to https://support.google.com/mail/?p=UnsolicitedMessageError"),  # Gmail
    ("bounced", 554, "5.7.1", "554 5.7.1 Service unavailable; Client host [203.0.113.25] blocked using "
     "zen.spamhaus.org; https://www.spamhaus.org/query/ip/203.0.113.25"),  # Postfix DNSBL
    ("bounced", 550, "5.7.26", "550-5.7.26 Unauthenticated email from promo.example.net is not accepted due "
     "to domain's DMARC policy. Please contact the administrator of promo.example.net domain."),  # Gmail DMARC
)  # fmt: skip
# Share of each kind among send results; the rest are deliveries.
MIX = (("hard", 0.02), ("soft", 0.025), ("block", 0.015), ("complaint", 0.003), ("unsubscribe", 0.004))
REFERENCE = datetime(2026, 11, 1, tzinfo=UTC)
# Sends per second of event time: a campaign blast of one tenant. 0.35 spreads 60k events over
# two days (more trend buckets and window turnover, and almost no two inputs of a key in one second).
DEFAULT_EVENT_RATE = 2000.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def address(i: int) -> str:
    domain = tuple(RECEIVERS)[i % len(RECEIVERS)]
    return f"user{i:06d}.{(i * 7919) % 1000:03d}@{domain}"


def send_result(
    i: int, rcpt: str, kind: str, at: datetime, rng: random.Random, *, tag: str, failure: Failure | None = None
) -> bytes:
    domain = rcpt.rsplit("@", 1)[1]
    mailbox = MAILBOXES[rng.randrange(len(MAILBOXES))]
    base: dict[str, Any] = {
        "event_id": f"{tag}-{i}",
        "tenant": "bench",
        "recipient": rcpt,
        "mailbox": mailbox,
        "segment": SEGMENTS[rng.randrange(len(SEGMENTS))],
        "message_id": f"<{tag}.{i}@{mailbox.split('@', 1)[1]}>",
        "remote_mta": RECEIVERS[domain],
        "timestamp": at.isoformat(),
    }
    if kind == "delivered":
        base.update(outcome="delivered", reply_code=250, enhanced_status="2.0.0", diagnostic=f"250 2.0.0 OK {i:x}")
    elif kind in ("complaint", "unsubscribe"):
        base["outcome"] = "complained" if kind == "complaint" else "unsubscribed"
    else:
        outcome, code, status, text = failure or rng.choice({"hard": HARD, "soft": SOFT, "block": BLOCK}[kind])
        base.update(outcome=outcome, reply_code=code, enhanced_status=status, diagnostic=text.replace("{rcpt}", rcpt))
    return orjson.dumps(base)


def record_key(rcpt: str, keys: str) -> bytes:
    """The Kafka key of a send result: `tenant/address` as README recommends, or the bare recipient."""
    if keys == "address":
        from bounceguard.core.addresses import address_key

        return address_key("bench", rcpt).encode()
    return rcpt.encode()


def rekey(records: list[tuple[bytes, bytes]], keys: str) -> list[tuple[bytes, bytes]]:
    return [(record_key(orjson.loads(v)["recipient"], keys), v) for _, v in records]


def generate(
    n: int, seed: int = 20261128, tag: str = "bench", *, event_rate: float = DEFAULT_EVENT_RATE
) -> tuple[list[tuple[bytes, bytes]], dict[str, int]]:
    """n (key, value) send results in event-time order, `event_rate` per second of event time,
    and the count per kind."""
    rng = random.Random(seed)
    out: list[tuple[bytes, bytes]] = []
    kinds: dict[str, int] = {}
    step = timedelta(seconds=1 / event_rate)
    for i in range(n):
        draw, kind = rng.random(), "delivered"
        for name, share in MIX:
            if draw < share:
                kind = name
                break
            draw -= share
        kinds[kind] = kinds.get(kind, 0) + 1
        rcpt = address(rng.randrange(ADDRESSES))
        out.append((rcpt.encode(), send_result(i, rcpt, kind, REFERENCE + step * i, rng, tag=tag)))
    return out, kinds


class BackgroundLoad:
    """Delivered send results for the latency phases' background load, cheap to make and send.

    Built per event in Python and sent one `send` each, the load cost this harness 0.3-0.4 cores
    at half load, on the two cores the worker and the broker also use. Here each (domain,
    mailbox, segment) draw is a JSON template made once, an event is that template with its id,
    recipient and time put in, and a tick's events go out as one record batch per partition.
    Recipients are still drawn from all `ADDRESSES` (their keys and partitions worked out once
    per process), so the worker's tables see the same spread of keys as before.
    """

    MARK = re.compile(rb"@@(ID|RCPT|TS)@@")
    TEMPLATES_PER_DOMAIN = 512
    # keys -> per address index: (key, partition, recipient's local part and "@", domain index)
    _keys: dict[str, list[tuple[bytes, int, bytes, int]]] = {}

    def __init__(self, keys: str, partitions: int, *, tag: str, seed: int) -> None:
        from bounceguard.stream.partitioning import partition_of

        self._rng = random.Random(seed)
        self._tag = tag.encode()
        self._n = 0
        domains = tuple(RECEIVERS)
        known = self._keys.get(keys)
        if known is None or len(known) != ADDRESSES:
            known = self._keys[keys] = []
            for i in range(ADDRESSES):
                rcpt = address(i)
                key = record_key(rcpt, keys)
                local, _, domain = rcpt.rpartition("@")
                known.append((key, partition_of(key, partitions), local.encode() + b"@", domains.index(domain)))
        self._addresses = known
        # per domain index: templates split at the marks (literal, mark, literal, ..., literal)
        self._templates: list[list[list[bytes]]] = []
        for domain in domains:
            made = []
            for _ in range(self.TEMPLATES_PER_DOMAIN):
                value = send_result(0, f"@@RCPT@@{domain}", "delivered", REFERENCE, self._rng, tag="@@ID@@")
                value = value.replace(b'"@@ID@@-0"', b'"@@ID@@"').replace(b"@@ID@@.0@", b"@@ID@@@")
                value = value.replace(b"OK 0", b"OK @@ID@@").replace(REFERENCE.isoformat().encode(), b"@@TS@@")
                made.append(self.MARK.split(value))
            self._templates.append(made)

    def value(self, index: int, at: bytes) -> tuple[bytes, int, bytes]:
        """(key, partition, value) of the next event, for address `index`, at time `at` (ISO bytes)."""
        self._n += 1
        key, partition, rcpt, domain = self._addresses[index]
        fill = {b"ID": b"%s-%d" % (self._tag, self._n), b"RCPT": rcpt, b"TS": at}
        parts = self._templates[domain][self._rng.randrange(self.TEMPLATES_PER_DOMAIN)]
        out = parts[:]
        out[1::2] = [fill[mark] for mark in parts[1::2]]
        return key, partition, b"".join(out)

    async def send(self, producer: AIOKafkaProducer, topic: str, count: int, at: datetime) -> None:
        """`count` events at `at`, one record batch per partition (more when one fills up)."""
        stamp = at.isoformat().encode()
        batches: dict[int, Any] = {}
        for _ in range(count):
            key, partition, value = self.value(self._rng.randrange(ADDRESSES), stamp)
            batch = batches.get(partition)
            if batch is None:
                batch = batches[partition] = producer.create_batch()
            if batch.append(key=key, value=value, timestamp=None) is None:
                await producer.send_batch(batch, topic, partition=partition)
                batch = batches[partition] = producer.create_batch()
                if batch.append(key=key, value=value, timestamp=None) is None:
                    raise ValueError(f"a background event of {len(value)} bytes does not fit a record batch")
        for partition, batch in batches.items():
            await producer.send_batch(batch, topic, partition=partition)


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process and all its threads (proc(5) fields 14 and 15)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


@dataclass
class Sample:
    t: float
    done: int
    cpu: float
    broker_cpu: float


def steady_rate(samples: list[Sample], n: int) -> dict[str, float]:
    """events/s and CPU s/event between the first samples at >= 10 % and >= 90 % of n done."""
    a = next(s for s in samples if s.done >= 0.1 * n)
    b = next(s for s in samples if s.done >= 0.9 * n)
    events = max(b.done - a.done, 1)
    seconds = max(b.t - a.t, 1e-9)
    return {
        "events_per_s": events / seconds,
        "cpu_s_per_event": (b.cpu - a.cpu) / events,
        "broker_cpu_s_per_event": (b.broker_cpu - a.broker_cpu) / events,
        "window_s": seconds,
    }


# The topics the baseline loop reads and writes, under its prefix.
BASELINE_TOPICS = ("send-results", "events", "suppressions", "deadletter")


def fixed_probe_rates(args: argparse.Namespace) -> list[float]:
    return [float(r) for r in args.probe_rates.split(",") if r.strip()]


def print_latency(label: str, rate: float, lat: dict[str, Any]) -> None:
    p50, p90, p99 = (lat.get(f"p{q}_ms", float("nan")) for q in (50, 90, 99))
    print(f"{label} at {rate:.0f} events/s: p50 {p50:.1f} / p90 {p90:.1f} / p99 {p99:.1f} ms", flush=True)
    if "slowest" in lat:
        print(f"{label}   made p50 {lat['made_p50_ms']:.1f} ms, read p50 {lat['read_p50_ms']:.1f} ms;"
              f" slowest (s, ms, made ms) {lat['slowest'][:4]}; harness stalls {lat['loop_stalls_over_10ms'][:4]};"
              f" cores {lat.get('cores')}",
              flush=True)  # fmt: skip


async def create_topics(bootstrap: str, names: list[str]) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(t, num_partitions=PARTITIONS, replication_factor=1) for t in names])
    finally:
        await admin.close()
    await asyncio.sleep(1.0)  # leaders are elected just after creation; producing sooner only retries


async def produce_all(bootstrap: str, topic: str, records: list[tuple[bytes, bytes]]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks=1, linger_ms=5, max_batch_size=256 * 1024)
    await producer.start()
    try:
        futures = [await producer.send(topic, value=v, key=k) for k, v in records]
        await asyncio.gather(*futures)
    finally:
        await producer.stop()


# ---------------------------------------------------------------- (a) the raw baseline, as a child


async def baseline_loop(bootstrap: str, topic: str, out_prefix: str, n: int) -> dict[str, Any]:
    """Consume -> classify -> dict state -> produce, committing each second after a flush."""
    from bounceguard.core.addresses import address_key
    from bounceguard.core.categories import Category
    from bounceguard.core.intake import event_from_send_result, parse_send_result

    suppressing = (Category.HARD, Category.COMPLAINT, Category.UNSUBSCRIBE, Category.TRAP)
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=f"baseline-{uuid.uuid4().hex[:8]}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=2)
    await consumer.start()
    await producer.start()
    events_topic, supp_topic, dead_topic = (f"{out_prefix}{t}" for t in ("events", "suppressions", "deadletter"))
    state: dict[bytes, dict[str, Any]] = {}
    done, samples, last_commit = 0, [], time.monotonic()
    pid = os.getpid()
    try:
        while done < n:
            batch = await consumer.getmany(timeout_ms=1000)
            for records in batch.values():
                for rec in records:
                    try:
                        event = event_from_send_result(parse_send_result(rec.value or b""))
                    except ValueError as exc:
                        await producer.send(dead_topic, key=rec.key, value=str(exc).encode())
                        done += 1
                        continue
                    key = address_key(event.tenant, event.recipient).encode()
                    entry = state.get(key)
                    if entry is None:
                        entry = state[key] = {"soft": 0, "suppressed": False, "last": None}
                    entry["last"] = event.occurred_at
                    if event.category is Category.SOFT:
                        entry["soft"] += 1
                    elif event.category is Category.NONE:
                        entry["soft"] = 0
                    elif event.category in suppressing and not entry["suppressed"]:
                        entry["suppressed"] = True
                        value = orjson.dumps({"address": event.recipient, "reason": event.reason.value})
                        await producer.send(supp_topic, key=key, value=value)
                    await producer.send(events_topic, key=key, value=event.model_dump_json().encode())
                    done += 1
            now = time.monotonic()
            if now - last_commit >= 1.0 or done >= n:
                await producer.flush()
                await consumer.commit()
                last_commit = now
            samples.append({"t": now, "done": done, "cpu": cpu_seconds(pid)})
    finally:
        await producer.stop()
        await consumer.stop()
    return {"samples": samples, "addresses": len(state)}


def run_baseline_child(args: argparse.Namespace) -> int:
    result = asyncio.run(baseline_loop(args.bootstrap, args.topic, args.out_prefix, args.events))
    sys.stdout.write(json.dumps(result))
    return 0


def measure_baseline(bootstrap: str, topic: str, out_prefix: str, n: int, broker_pid: int | None) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--baseline-child", "--bootstrap", bootstrap, "--topic", topic,
           "--out-prefix", out_prefix, "--events", str(n)]  # fmt: skip
    broker_before = cpu_seconds(broker_pid) if broker_pid else float("nan")
    t0 = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, check=False)
    wall = time.monotonic() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"baseline child failed:\n{proc.stderr.decode(errors='replace')[-3000:]}")
    data = json.loads(proc.stdout)
    broker_after = cpu_seconds(broker_pid) if broker_pid else float("nan")
    samples = [Sample(s["t"], s["done"], s["cpu"], float("nan")) for s in data["samples"]]
    out = steady_rate(samples, n)
    out["broker_cpu_s_per_event"] = (broker_after - broker_before) / n  # whole run: the child has no broker view
    out["wall_s"] = wall
    out["events_per_s_total"] = n / max(samples[-1].t - samples[0].t, 1e-9)
    out["cpu_s_per_event_total"] = (samples[-1].cpu - samples[0].cpu) / n
    return out


# ---------------------------------------------------------------- (b) the worker, as a child


@dataclass
class Worker:
    bootstrap: str
    prefix: str
    store: str
    data_dir: Path
    web_port: int = field(default_factory=free_port)
    app_id: str = field(default_factory=lambda: f"bench-{uuid.uuid4().hex[:8]}")
    trend_emit_interval: float = 5.0  # the production default; the integration tests use 1 s
    proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 120.0) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "BOUNCEGUARD_KAFKA_BOOTSTRAP_SERVERS": self.bootstrap,
            "BOUNCEGUARD_TOPIC_PREFIX": self.prefix,
            "BOUNCEGUARD_APP_ID": self.app_id,
            "BOUNCEGUARD_DATA_DIR": str(self.data_dir),
            "BOUNCEGUARD_WEB_PORT": str(self.web_port),
            "BOUNCEGUARD_STORE": self.store,
            "BOUNCEGUARD_PARTITIONS": str(PARTITIONS),
            "BOUNCEGUARD_TREND_EMIT_INTERVAL": str(self.trend_emit_interval),
        }
        log = open(self.data_dir / "worker.log", "ab")  # noqa: SIM115 - the child owns it
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bounceguard", "worker", "--loglevel", "warning"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=self.data_dir,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"worker exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.web_port}/readyz", timeout=2) as resp:
                    if resp.status == 200:
                        return
            except Exception:
                pass
            time.sleep(0.25)
        raise RuntimeError(f"worker not ready after {timeout}s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        path = self.data_dir / "worker.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


class Offsets:
    """Committed offsets of a group and end offsets of topics, summed over partitions."""

    def __init__(self, bootstrap: str) -> None:
        self.admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
        self.consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None)

    async def __aenter__(self) -> Offsets:
        await self.admin.start()
        await self.consumer.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.consumer.stop()
        await self.admin.close()

    async def committed(self, group: str) -> dict[str, int]:
        out: dict[str, int] = {}
        for tp, meta in (await self.admin.list_consumer_group_offsets(group)).items():
            if meta.offset >= 0:
                out[tp.topic] = out.get(tp.topic, 0) + meta.offset
        return out

    async def end(self, topic: str) -> int:
        tps = [TopicPartition(topic, p) for p in range(PARTITIONS)]
        return sum((await self.consumer.end_offsets(tps)).values())


async def follow_worker(worker: Worker, n: int, broker_pid: int | None, timeout: float) -> dict[str, Any]:
    """Sample progress until the address and trend agents have committed everything."""
    assert worker.proc is not None
    pid = worker.proc.pid
    inputs, events, trend_input = (f"{worker.prefix}{t}" for t in ("send-results", "events", "trend-input"))
    samples: list[Sample] = []
    t0 = time.monotonic()
    async with Offsets(worker.bootstrap) as offsets:
        while True:
            now = time.monotonic()
            committed = await offsets.committed(worker.app_id)
            # Decided: send results committed, less the events still waiting in the events topic
            # (send results keyed tenant/address are decided in place and never enter it).
            waiting = await offsets.end(events) - committed.get(events, 0)
            done = max(committed.get(inputs, 0) - waiting, 0)
            samples.append(Sample(now, done, cpu_seconds(pid), cpu_seconds(broker_pid) if broker_pid else float("nan")))
            if done >= n and committed.get(trend_input, 0) >= await offsets.end(trend_input):
                break
            if now - t0 > timeout or worker.proc.poll() is not None:
                raise RuntimeError(f"worker did {done}/{n} in {now - t0:.0f}s:\n{worker.log_tail()}")
            await asyncio.sleep(0.25)
    out = steady_rate(samples, n)
    out["wall_s"] = samples[-1].t - t0
    # Where the whole job's time goes: first committed progress, every input decided, then the
    # tail until the trend stage has committed its inputs too.
    out["first_progress_s"] = next(s.t for s in samples if s.done > 0) - t0
    out["decided_s"] = next(s.t for s in samples if s.done >= n) - t0
    # Whole job, from the first sample to the last commit: includes the agents' start and tail.
    out["events_per_s_total"] = n / max(samples[-1].t - samples[0].t, 1e-9)
    out["cpu_s_per_event_total"] = (samples[-1].cpu - samples[0].cpu) / n
    out["broker_cpu_s_per_event"] = (samples[-1].broker_cpu - samples[0].broker_cpu) / n
    out["rss_mb"] = rss_mb(pid)
    return out


# Seconds of background load before the first latency probe.
PROBE_WARMUP_S = 1.0


def machine_busy_seconds() -> float:
    """CPU seconds all cores spent busy since boot (/proc/stat), whoever ran."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def probed_pids(name: str, pid: int, broker_pid: int | None) -> dict[str, int]:
    """The processes whose cores a latency phase reports: the measured one, and the broker if known."""
    return {name: pid, **({"broker": broker_pid} if broker_pid else {})}


def cpu_snapshot(pids: dict[str, int]) -> dict[str, float]:
    snap = {name: cpu_seconds(pid) for name, pid in pids.items()}
    snap["bench"] = time.process_time()
    snap["machine"] = machine_busy_seconds()
    return snap


async def latency_probe(
    bootstrap: str,
    prefix: str,
    rate: float,
    seconds: float,
    interval: float,
    keys: str = "address",
    pids: dict[str, int] | None = None,
) -> dict[str, Any]:
    """Hard bounces for fresh addresses under background deliveries at `rate`/s: publish -> suppression.

    Against whatever reads `<prefix>send-results` and writes `<prefix>suppressions`: a worker,
    or the baseline loop (`measure_baseline_latency`). `pids` (name -> pid) are the processes
    whose CPU use while probing is reported, in cores, beside this process's own and the machine's.
    """
    run_tag = uuid.uuid4().hex[:6]
    # first, before any client runs: its key table takes a second or two, once per process
    background_load = BackgroundLoad(keys, PARTITIONS, tag=f"bg{run_tag}", seed=7)
    # A short fetch wait: with aiokafka's default (500 ms) the reader itself added up to half a
    # second whenever a suppression landed on a partition it had just drained.
    supp = AIOKafkaConsumer(f"{prefix}suppressions", bootstrap_servers=bootstrap, group_id=None,
                            auto_offset_reset="latest", fetch_max_wait_ms=5)  # fmt: skip
    await supp.start()
    await supp.getmany(timeout_ms=500)  # join at the end before probing
    load = AIOKafkaProducer(bootstrap_servers=bootstrap, acks=1, linger_ms=5)
    probe = AIOKafkaProducer(bootstrap_servers=bootstrap, acks=1, linger_ms=0)
    await load.start()
    await probe.start()
    topic = f"{prefix}send-results"
    rng = random.Random(7)
    sent: dict[str, tuple[float, float]] = {}  # address -> (perf_counter, wall clock) at send
    latencies: list[float] = []
    # (seconds into probing when sent, latency, ms until the suppression's record was created,
    # ms from then until it was read here)
    timeline: list[tuple[float, float, float, float]] = []
    lags: list[tuple[float, float]] = []  # this process's own event-loop stalls: (when, ms late)
    watched = pids or {}
    cpu_from: list[Any] = []
    cpu_to: list[Any] = []
    stop = asyncio.Event()
    t_start = time.perf_counter() + PROBE_WARMUP_S

    async def background() -> None:
        i, start = 0, time.monotonic()
        while not stop.is_set():
            due = int((time.monotonic() - start) * rate)
            if due > i:
                await background_load.send(load, topic, due - i, datetime.now(UTC))
                i = due
            await asyncio.sleep(0.01)

    async def probes() -> None:
        # Probing starts once the background load runs (a load just started from idle is a
        # ramp, not "half load") and the probe producer knows the topic's partitions (its
        # first send would otherwise wait for that metadata inside the measured time).
        await probe.partitions_for(topic)
        await asyncio.sleep(PROBE_WARMUP_S)
        cpu_from[:] = [time.perf_counter(), cpu_snapshot(watched)]
        j, end = 0, time.monotonic() + seconds
        while time.monotonic() < end:
            rcpt = f"probe{run_tag}.{j}@gmail.com"
            value = send_result(j, rcpt, "hard", datetime.now(UTC), rng, tag=f"probe{run_tag}", failure=HARD[0])
            sent[rcpt] = (time.perf_counter(), time.time())
            await probe.send(topic, key=record_key(rcpt, keys), value=value)
            j += 1
            await asyncio.sleep(interval)
        cpu_to[:] = [time.perf_counter(), cpu_snapshot(watched)]
        await asyncio.sleep(3.0)  # let the last probes land
        stop.set()

    async def collect() -> None:
        while not stop.is_set():
            batch = await supp.getmany(timeout_ms=100)
            now = time.perf_counter()
            for records in batch.values():
                for rec in records:
                    address_ = orjson.loads(rec.value or b"{}").get("address", "")
                    if address_ in sent:
                        at, wall = sent.pop(address_)
                        latencies.append(now - at)
                        made_ms = rec.timestamp - wall * 1000  # the worker's producer stamps it
                        timeline.append((at - t_start, now - at, made_ms, (now - at) * 1000 - made_ms))

    async def loop_lag() -> None:
        # A stall of this loop delays both the probes it sends and the suppressions it reads:
        # shown apart, so a slow probe can be told from a slow harness.
        while not stop.is_set():
            before = time.perf_counter()
            await asyncio.sleep(0.005)
            late = (time.perf_counter() - before - 0.005) * 1000
            if late > 10:
                lags.append((round(before - t_start, 2), round(late, 1)))

    pauses: list[float] = []  # this process's own garbage collections while probing (ms)
    gc_started = [0.0]

    def gc_timer(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            gc_started[0] = time.perf_counter()
        else:
            pauses.append((time.perf_counter() - gc_started[0]) * 1000)

    gc.callbacks.append(gc_timer)
    try:
        await asyncio.gather(background(), probes(), collect(), loop_lag())
    finally:
        gc.callbacks.remove(gc_timer)
        await load.stop()
        await probe.stop()
        await supp.stop()
    latencies.sort()
    if not latencies:
        return {"probes": 0, "missing": len(sent)}

    def pct(q: float) -> float:
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000

    span = cpu_to[0] - cpu_from[0]
    cores = {name: round((cpu_to[1][name] - before) / span, 2) for name, before in cpu_from[1].items()}

    return {"probes": len(latencies), "missing": len(sent), "p50_ms": pct(0.5), "p90_ms": pct(0.9), "p99_ms": pct(0.99),
            "max_ms": latencies[-1] * 1000, "load_per_s": rate,
            "probing_from": datetime.fromtimestamp(time.time() - (time.perf_counter() - t_start), UTC).isoformat(),
            # the slowest probes and when they were sent: a tail that recurs at a timer's period
            # (trend snapshots, commits) shows here
            # (when sent, ms, of which until the worker's producer created the suppression)
            "slowest": [(round(t, 2), round(lat * 1000, 1), round(made, 1))
                        for t, lat, made, _ in sorted(timeline, key=lambda x: -x[1])[:6]],
            "made_p50_ms": statistics.median(x[2] for x in timeline),
            "read_p50_ms": statistics.median(x[3] for x in timeline),
            "loop_stalls_over_10ms": sorted(lags, key=lambda x: -x[1])[:6],
            # cores used while probing: the worker/baseline, broker, this harness, the whole machine
            "cores": cores,
            "probe_process_gc": {"collections": len(pauses), "max_ms": round(max(pauses, default=0.0), 1)},
            }  # fmt: skip


def measure_worker(bootstrap: str, store: str, records: list[tuple[bytes, bytes]], broker_pid: int | None,
                   tmp: Path, args: argparse.Namespace, keys: str) -> dict[str, Any]:  # fmt: skip
    prefix = f"bench-{uuid.uuid4().hex[:8]}."
    asyncio.run(create_topics(bootstrap, [f"{prefix}send-results"]))
    asyncio.run(produce_all(bootstrap, f"{prefix}send-results", records))
    worker = Worker(bootstrap, prefix, store, tmp / prefix.rstrip("."), trend_emit_interval=args.trend_emit_interval)
    try:
        worker.start()
        out = asyncio.run(follow_worker(worker, len(records), broker_pid, timeout=args.timeout))
        assert worker.proc is not None
        pids = probed_pids("worker", worker.proc.pid, broker_pid)
        if args.probe_seconds > 0:
            load = max(out["events_per_s_total"] * 0.5, 1.0)
            out["latency"] = asyncio.run(
                latency_probe(bootstrap, prefix, load, args.probe_seconds, args.probe_interval, keys, pids)
            )
        for rate in fixed_probe_rates(args):
            lat = asyncio.run(
                latency_probe(bootstrap, prefix, rate, args.probe_seconds, args.probe_interval, keys, pids)
            )
            out.setdefault("latency_at", {})[str(rate)] = lat
            print_latency("    latency", rate, lat)
        return out
    finally:
        worker.stop()
        shutil.rmtree(worker.data_dir, ignore_errors=True)


async def wait_echo(bootstrap: str, prefix: str, timeout: float = 60.0) -> None:
    """Until a hard bounce sent to `<prefix>send-results` comes back as a suppression."""
    supp = AIOKafkaConsumer(f"{prefix}suppressions", bootstrap_servers=bootstrap, group_id=None,
                            auto_offset_reset="earliest", fetch_max_wait_ms=50)  # fmt: skip
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await supp.start()
    await producer.start()
    rng = random.Random(3)
    try:
        deadline = time.monotonic() + timeout
        j = 0
        while time.monotonic() < deadline:
            rcpt = f"ready{j}@gmail.com"
            value = send_result(j, rcpt, "hard", datetime.now(UTC), rng, tag="ready", failure=HARD[0])
            await producer.send_and_wait(f"{prefix}send-results", key=record_key(rcpt, "address"), value=value)
            j += 1
            batch = await supp.getmany(timeout_ms=2000)
            if any(rec for records in batch.values() for rec in records):
                return
        raise RuntimeError(f"no suppression from the baseline loop within {timeout:.0f}s")
    finally:
        await producer.stop()
        await supp.stop()


def measure_baseline_latency(
    bootstrap: str, rates: list[float], args: argparse.Namespace, broker_pid: int | None
) -> dict[str, Any]:
    """The same latency probes against the baseline loop, left running: the floor of this broker,
    this machine and this harness at each load (a pass-through with no table, trends or changelog)."""
    prefix = f"bench-{uuid.uuid4().hex[:8]}."
    asyncio.run(create_topics(bootstrap, [f"{prefix}{t}" for t in BASELINE_TOPICS]))
    cmd = [sys.executable, __file__, "--baseline-child", "--bootstrap", bootstrap, "--topic", f"{prefix}send-results",
           "--out-prefix", prefix, "--events", str(10**12)]  # fmt: skip
    # stderr to a file, not a pipe nobody reads: aiokafka's retry warnings would fill a pipe and
    # stall the very loop being measured
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed below, after the child
    child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=log)
    out: dict[str, Any] = {}
    pids = probed_pids("baseline", child.pid, broker_pid)
    try:
        try:
            asyncio.run(wait_echo(bootstrap, prefix))
        except RuntimeError as exc:
            log.seek(0)
            raise RuntimeError(f"{exc}:\n{log.read()[-3000:].decode(errors='replace')}") from exc
        for rate in rates:
            out[str(rate)] = asyncio.run(
                latency_probe(bootstrap, prefix, rate, args.probe_seconds, args.probe_interval, "address", pids)
            )
    finally:
        child.terminate()
        child.wait(timeout=30)
        log.close()
    return out


def table(results: dict[str, Any]) -> str:
    base = results["baseline"]
    head = f"{'run':<32}{'events/s':>10}{'b/a':>7}{'adj a':>8}{'b/a adj':>9}{'CPU ms/ev':>11}{'broker ms/ev':>14}"
    rows = [head + f"{'p50 ms':>9}{'p99 ms':>9}{'RSS MB':>8}"]

    def row(name: str, r: dict[str, Any]) -> str:
        lat = r.get("latency", {})
        ratio = r["events_per_s_total"] / base["events_per_s_total"]
        adjacent = r.get("adjacent_baseline", {}).get("events_per_s_total", float("nan"))
        return (f"{name:<32}{r['events_per_s_total']:>10.0f}{ratio:>7.2f}{adjacent:>8.0f}"
                f"{r['events_per_s_total'] / adjacent:>9.2f}{r['cpu_s_per_event_total'] * 1000:>11.3f}"
                f"{r['broker_cpu_s_per_event'] * 1000:>14.3f}{lat.get('p50_ms', float('nan')):>9.1f}"
                f"{lat.get('p99_ms', float('nan')):>9.1f}{r.get('rss_mb', float('nan')):>8.0f}")  # fmt: skip

    rows.append(row("(a) raw aiokafka", base))
    for store, r in results["worker"].items():
        rows.append(row(f"(b) worker {store}", r))
    return "\n".join(rows)


def round_ratios(baseline: dict[str, Any], worker: dict[str, Any]) -> dict[str, float]:
    """One (baseline, worker) pair: events/s of each, b/a, and the CPU-per-event ratio a/b."""
    return {
        "baseline_events_per_s": baseline["events_per_s_total"],
        "worker_events_per_s": worker["events_per_s_total"],
        "ratio": worker["events_per_s_total"] / baseline["events_per_s_total"],
        "cpu_ratio": baseline["cpu_s_per_event_total"] / worker["cpu_s_per_event_total"],
    }


def rounds_table(results: dict[str, Any]) -> str:
    """Every round's b/a (against the baseline run just before it), then median and range."""
    rows = ["b/a per round (baseline just before each), median [min-max]; CPU per event a/b likewise"]
    for name, r in results["worker"].items():
        ratios = [x["ratio"] for x in r["rounds"]]
        cpu = [x["cpu_ratio"] for x in r["rounds"]]
        rows.append(
            f"(b) worker {name:<24} b/a {' '.join(f'{x:.2f}' for x in ratios)}  median {statistics.median(ratios):.2f}"
            f" [{min(ratios):.2f}-{max(ratios):.2f}]   CPU a/b median {statistics.median(cpu):.2f}"
            f" [{min(cpu):.2f}-{max(cpu):.2f}]"
        )
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--stores", default="rocksdb://,memory://", help="comma-separated worker table stores")
    parser.add_argument("--bootstrap", default=os.environ.get("KAFKA_BOOTSTRAP_SERVERS"))
    parser.add_argument("--broker-pid", type=int, default=None, help="broker pid, for its CPU per event")
    parser.add_argument("--probe-seconds", type=float, default=20.0, help="0 skips the latency phase")
    parser.add_argument("--probe-interval", type=float, default=0.1)
    parser.add_argument(
        "--probe-rates",
        default="",
        help="also probe latency at these fixed background rates (events/s, comma-separated)",
    )
    parser.add_argument(
        "--event-rate",
        type=float,
        default=DEFAULT_EVENT_RATE,
        help="send results per second of event time (their timestamps; 0.35 spreads 60k over two days)",
    )
    parser.add_argument("--trend-emit-interval", type=float, default=5.0, help="worker's trend snapshot period")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds one worker run may take")
    parser.add_argument(
        "--keys",
        default="address,recipient",
        help="send-result keys, comma-separated: address (tenant/address, decided in place) or recipient (events hop)",
    )
    parser.add_argument(
        "--rounds", type=int, default=1, help="(baseline, worker) pairs per worker; latency in the last one"
    )
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    parser.add_argument("--baseline-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--topic", help=argparse.SUPPRESS)
    parser.add_argument("--out-prefix", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline_child:
        return run_baseline_child(args)
    if not 1000 <= args.events <= 5_000_000:
        parser.error("--events must be between 1000 and 5000000")
    if not 1 <= args.rounds <= 20:
        parser.error("--rounds must be between 1 and 20")

    tmp = Path(tempfile.mkdtemp(prefix="pipeline-bench-"))
    local_broker = contextlib.ExitStack()
    bootstrap, broker_pid = args.bootstrap, args.broker_pid
    if not bootstrap:
        from bounceguard.devkafka import broker

        bootstrap, broker_pid = local_broker.enter_context(broker.throwaway(tmp / "kafka"))
    try:
        t0 = time.monotonic()
        records, kinds = generate(args.events, event_rate=args.event_rate)
        print(f"generated {len(records)} send results in {time.monotonic() - t0:.1f}s: {kinds}", flush=True)
        prefix = f"bench-{uuid.uuid4().hex[:8]}."
        asyncio.run(create_topics(bootstrap, [f"{prefix}{t}" for t in BASELINE_TOPICS]))
        asyncio.run(produce_all(bootstrap, f"{prefix}send-results", records))
        results: dict[str, Any] = {
            "events": len(records),
            "event_rate": args.event_rate,
            "kinds": kinds,
            "broker": bootstrap,
            "worker": {},
        }
        results["baseline"] = measure_baseline(bootstrap, f"{prefix}send-results", prefix, len(records), broker_pid)
        print(f"(a) baseline: {results['baseline']['events_per_s_total']:.0f} events/s", flush=True)
        for keys in [k.strip() for k in args.keys.split(",") if k.strip()]:
            keyed = rekey(records, keys)
            for store in [s.strip() for s in args.stores.split(",") if s.strip()]:
                name = f"{store} {keys}"
                rounds = []
                for n in range(1, args.rounds + 1):
                    last = n == args.rounds
                    adjacent = measure_baseline(bootstrap, f"{prefix}send-results", prefix, len(records), broker_pid)
                    run_args = (
                        args if last else argparse.Namespace(**{**vars(args), "probe_seconds": 0.0, "probe_rates": ""})
                    )
                    r = measure_worker(bootstrap, store, keyed, broker_pid, tmp, run_args, keys)
                    r["adjacent_baseline"] = adjacent
                    rounds.append(round_ratios(adjacent, r))
                    print(
                        f"(b) worker {name}, round {n}: {r['events_per_s_total']:.0f} events/s "
                        f"(baseline just before: {adjacent['events_per_s_total']:.0f})"
                        + (f", latency {r.get('latency')}" if last else ""),
                        flush=True,
                    )
                r["rounds"] = rounds
                results["worker"][name] = r
        if args.probe_seconds > 0 and results["worker"]:
            # the same loads as the workers' probes: the fixed rates and each worker's half load
            rates = fixed_probe_rates(args)
            rates += [round(r["latency"]["load_per_s"]) for r in results["worker"].values() if "latency" in r]
            rates = sorted(set(rates))
            results["baseline"]["latency_at"] = measure_baseline_latency(bootstrap, rates, args, broker_pid)
            for rate_name, lat in results["baseline"]["latency_at"].items():
                print_latency("(a) baseline latency", float(rate_name), lat)
        print()
        print(table(results))
        if args.rounds > 1:
            print()
            print(rounds_table(results))
        if args.json:
            args.json.write_text(json.dumps(results, indent=2))
        return 0
    finally:
        local_broker.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
