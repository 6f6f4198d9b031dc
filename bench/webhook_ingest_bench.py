"""Webhook requests/s accepted end to end (HTTP -> verify -> Kafka ack), against a baseline.

Runs `bounceguard ingest` as a separate process on 127.0.0.1 and a Kafka broker
(KAFKA_BOOTSTRAP_SERVERS if set, else the local broker from `bounceguard.devkafka` on
free ports, stopped afterwards). Pre-builds --requests signed webhook requests (a mix of
SendGrid ECDSA, Mailgun HMAC and Postmark basic auth; one event each), then measures:

- ingest: POST every request with --concurrency in flight; counts 200 answers/s;
- baseline: the same envelopes sent with raw aiokafka `send_and_wait` (acks=all,
  idempotent), --concurrency in flight, from this process;
- http floor: the same number of `GET /healthz` through the same client, i.e. what
  HTTP alone costs on this machine (no verification, no Kafka).

Prints both rates and ingest/baseline. Everything runs on this machine's cores, so the
broker, server and client compete for CPU; compare ratios, not absolute figures.

    .venv/bin/python bench/webhook_ingest_bench.py [--requests 3000] [--concurrency 32]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import hashlib
import hmac
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from bounceguard.core.models import WebhookEnvelope
from bounceguard.devkafka import broker

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "providers"
MAILGUN_KEY = "bench-mailgun-key"
Request = tuple[str, bytes, dict[str, str]]


def build_requests(n: int, key: ec.EllipticCurvePrivateKey) -> list[Request]:
    sendgrid_event = json.loads((FIXTURES / "sendgrid" / "batch_mixed.json").read_text())[3]
    mailgun = json.loads((FIXTURES / "mailgun" / "failed_permanent_userunknown.json").read_text())
    postmark = json.loads((FIXTURES / "postmark" / "bounce_hard.json").read_text())
    auth = "Basic " + base64.b64encode(b"pm:pm-secret").decode()
    out: list[Request] = []
    for i in range(n):
        ts = str(int(time.time()))
        if i % 3 == 0:
            body = json.dumps([{**sendgrid_event, "sg_event_id": f"ev-{i}", "email": f"u{i}@example.com"}]).encode()
            sig = base64.b64encode(key.sign(ts.encode() + body, ec.ECDSA(hashes.SHA256()))).decode()
            headers = {"X-Twilio-Email-Event-Webhook-Signature": sig, "X-Twilio-Email-Event-Webhook-Timestamp": ts}
            out.append(("sendgrid", body, headers))
        elif i % 3 == 1:
            token = uuid.uuid4().hex + uuid.uuid4().hex[:18]
            digest = hmac.new(MAILGUN_KEY.encode(), (ts + token).encode(), hashlib.sha256).hexdigest()
            data = {**mailgun, "signature": {"timestamp": ts, "token": token, "signature": digest}}
            data["event-data"] = {**mailgun["event-data"], "id": f"mg-{i}", "recipient": f"u{i}@example.com"}
            out.append(("mailgun", json.dumps(data).encode(), {"Content-Type": "application/json"}))
        else:
            body = json.dumps({**postmark, "ID": i, "Email": f"u{i}@example.com"}).encode()
            out.append(("postmark", body, {"Authorization": auth}))
    return out


async def create_topic(bootstrap: str, topic: str) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, num_partitions=4, replication_factor=1)])
    finally:
        await admin.close()


async def run_ingest(base_url: str, requests: list[Request], concurrency: int) -> tuple[float, int]:
    queue = list(reversed(requests))
    ok = 0

    async def worker(session: aiohttp.ClientSession) -> None:
        nonlocal ok
        while queue:
            provider, body, headers = queue.pop()
            async with session.post(f"{base_url}/webhooks/{provider}/bench", data=body, headers=headers) as r:
                await r.read()
                ok += r.status == 200

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        t0 = time.perf_counter()
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
        return time.perf_counter() - t0, ok


async def run_health(base_url: str, n: int, concurrency: int) -> float:
    remaining = n

    async def worker(session: aiohttp.ClientSession) -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            async with session.get(f"{base_url}/healthz") as r:
                await r.read()

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        t0 = time.perf_counter()
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
        return time.perf_counter() - t0


async def run_baseline(bootstrap: str, topic: str, requests: list[Request], concurrency: int) -> float:
    now = datetime.now(UTC)
    values = [
        WebhookEnvelope(provider=p, tenant="bench", received_at=now, payload=b.decode())  # type: ignore[arg-type]
        .model_dump_json()
        .encode()
        for p, b, _ in requests
    ]
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, linger_ms=5)
    await producer.start()
    try:
        await producer.send_and_wait(topic, b"warm-up")
        queue = list(reversed(values))

        async def worker() -> None:
            while queue:
                await producer.send_and_wait(topic, queue.pop())

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return time.perf_counter() - t0
    finally:
        await producer.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    if not 1 <= args.requests <= 200_000:
        parser.error("--requests must be between 1 and 200000")

    local_broker = contextlib.ExitStack()
    bootstrap = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    tmp = tempfile.TemporaryDirectory(prefix="ingest-bench-")
    if not bootstrap:
        bootstrap, _ = local_broker.enter_context(broker.throwaway(Path(tmp.name) / "kafka"))
    server: subprocess.Popen[bytes] | None = None
    try:
        run = uuid.uuid4().hex[:8]
        ingest_topic, base_topic = f"bench-{run}.webhooks", f"bench-{run}.baseline"
        asyncio.run(create_topic(bootstrap, ingest_topic))
        asyncio.run(create_topic(bootstrap, base_topic))
        key = ec.generate_private_key(ec.SECP256R1())
        spki = key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        port = broker.free_port_pair()
        env = {
            **os.environ,
            "BOUNCEGUARD_INGEST_SENDGRID_PUBLIC_KEY": base64.b64encode(spki).decode(),
            "BOUNCEGUARD_INGEST_MAILGUN_SIGNING_KEY": MAILGUN_KEY,
            "BOUNCEGUARD_INGEST_POSTMARK_BASIC_USER": "pm",
            "BOUNCEGUARD_INGEST_POSTMARK_BASIC_PASSWORD": "pm-secret",
        }
        server = subprocess.Popen(
            [sys.executable, "-m", "bounceguard", "ingest", "--host", "127.0.0.1", "--port", str(port),
             "--bootstrap-servers", bootstrap, "--topic", ingest_topic, "--log-level", "WARNING"],
            env=env,
        )  # fmt: skip
        base_url = f"http://127.0.0.1:{port}"
        asyncio.run(wait_ready(base_url))
        requests = build_requests(args.requests, key)
        warm = build_requests(min(200, args.requests), key)
        asyncio.run(run_ingest(base_url, warm, args.concurrency))
        ingest_s, ok = asyncio.run(run_ingest(base_url, requests, args.concurrency))
        if ok != len(requests):
            print(f"ingest: only {ok}/{len(requests)} requests answered 200", file=sys.stderr)
            return 1
        baseline_s = asyncio.run(run_baseline(bootstrap, base_topic, requests, args.concurrency))
        health_s = asyncio.run(run_health(base_url, len(requests), args.concurrency))
        ingest_rate, baseline_rate = len(requests) / ingest_s, len(requests) / baseline_s
        print(f"requests: {len(requests)}  concurrency: {args.concurrency}  broker: {bootstrap}")
        print(f"ingest   (HTTP -> verify -> Kafka ack): {ingest_rate:9.0f} req/s  ({ingest_s:.2f} s)")
        print(f"baseline (aiokafka send_and_wait)     : {baseline_rate:9.0f} msg/s  ({baseline_s:.2f} s)")
        print(f"http floor (GET /healthz)             : {len(requests) / health_s:9.0f} req/s  ({health_s:.2f} s)")
        print(f"ratio ingest/baseline: {ingest_rate / baseline_rate:.2f}")
        return 0
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=15)
        local_broker.close()
        tmp.cleanup()


async def wait_ready(base_url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            try:
                async with session.get(f"{base_url}/readyz") as r:
                    if r.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)
    raise RuntimeError(f"ingest server at {base_url} not ready within {timeout:.0f}s")


if __name__ == "__main__":
    sys.exit(main())
