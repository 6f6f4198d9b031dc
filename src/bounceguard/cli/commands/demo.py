"""`bounceguard demo` (what `make run` runs): local Kafka, a worker, the sample events, live output.

Starts a throwaway broker (fresh data each run, so the sample's suppressions appear every
time), a worker with RocksDB tables, publishes `examples/sample_events.jsonl`, and prints
suppressions, alerts and trend summaries as they arrive. Ctrl-C stops everything it started.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import orjson

from bounceguard.devkafka import broker

DEFAULT_SAMPLE = Path("examples/sample_events.jsonl")
_SLICE = 50  # send results per slice (about 25 minutes of the sample's event time)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("demo", help="local Kafka + worker + sample events, printing suppressions and trends")
    p.add_argument("--events", type=Path, default=DEFAULT_SAMPLE, help="JSON lines of SendResult")
    p.add_argument("--port", type=int, default=19192, help="port of the demo's own throwaway broker")
    p.add_argument("--web-port", type=int, default=6066)
    p.add_argument("--duration", type=float, default=0.0, help="stop after N seconds (0 = until Ctrl-C)")
    p.add_argument("--workdir", type=Path, default=Path("var/demo"))
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not args.events.exists():
        print(f"sample events not found: {args.events}", file=sys.stderr)
        return 2
    # Ctrl-C and SIGTERM both end the demo through the cleanup below, even when a parent
    # shell started us with SIGINT ignored (as non-interactive shells do for background jobs).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)
    cfg = broker.BrokerConfig(port=args.port, run_dir=args.workdir / "kafka")
    worker: subprocess.Popen[bytes] | None = None
    shutil.rmtree(args.workdir / "worker", ignore_errors=True)
    try:
        t0 = time.monotonic()
        _say(f"starting Kafka {cfg.version} on {cfg.bootstrap} (fresh data) ...")
        broker.start(cfg, fresh=True)
        _say(f"Kafka ready in {time.monotonic() - t0:.1f}s; starting the worker ...")
        worker = _start_worker(cfg.bootstrap, args)
        _wait_ready(worker, args.web_port, args.workdir / "worker.log")
        _say(f"worker ready (http://127.0.0.1:{args.web_port}/metrics); publishing {args.events} ...")
        asyncio.run(_publish_and_follow(cfg.bootstrap, args))
    except KeyboardInterrupt:
        _say("stopping ...")
    except broker.BrokerError as exc:
        print(f"bounceguard demo: {exc}", file=sys.stderr)
        return 2
    finally:
        if worker is not None and worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        broker.stop(cfg)
        _say("stopped the worker and Kafka")
    return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _say(text: str) -> None:
    print(f"\033[1m-- {text}\033[0m" if sys.stdout.isatty() else f"-- {text}", flush=True)


def _start_worker(bootstrap: str, args: argparse.Namespace) -> subprocess.Popen[bytes]:
    args.workdir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.update(
        {
            "BOUNCEGUARD_KAFKA_BOOTSTRAP_SERVERS": bootstrap,
            "BOUNCEGUARD_DATA_DIR": str((args.workdir / "worker").resolve()),
            "BOUNCEGUARD_WEB_PORT": str(args.web_port),
            "BOUNCEGUARD_APP_ID": f"bounceguard-demo-{uuid.uuid4().hex[:6]}",
            "BOUNCEGUARD_TREND_EMIT_INTERVAL": "2",
        }
    )
    log = open(args.workdir / "worker.log", "wb")  # noqa: SIM115 - handed to the child
    # Own process group: Ctrl-C reaches only us, and we stop the worker in order.
    proc = subprocess.Popen(
        [sys.executable, "-m", "bounceguard", "worker", "--loglevel", "warning"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    log.close()
    return proc


def _wait_ready(proc: subprocess.Popen[bytes], port: int, log: Path, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise broker.BrokerError(f"the worker exited ({proc.returncode}); see {log}")
        with contextlib.suppress(Exception), urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as r:
            if r.status == 200:
                return
        time.sleep(0.5)
    raise broker.BrokerError(f"the worker was not ready within {timeout:.0f}s; see {log}")


async def _publish_and_follow(bootstrap: str, args: argparse.Namespace) -> None:
    from aiokafka import AIOKafkaConsumer

    prefix = "bounceguard."
    consumer = AIOKafkaConsumer(
        f"{prefix}suppressions",
        f"{prefix}alerts",
        f"{prefix}trends",
        f"{prefix}deadletter",
        bootstrap_servers=bootstrap,
        group_id=None,
        auto_offset_reset="earliest",
    )
    await consumer.start()
    lines = [line for line in args.events.read_bytes().splitlines() if line.strip()]
    publisher = asyncio.create_task(_publish(bootstrap, f"{prefix}send-results", lines))
    counts = {"suppressions": 0, "alerts": 0, "trends": 0, "deadletter": 0}
    last_trend: dict[str, str] = {}
    deadline = time.monotonic() + args.duration if args.duration else None
    try:
        while deadline is None or time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            for tp, records in batch.items():
                kind = tp.topic[len(prefix) :]
                for rec in records:
                    counts[kind] += 1
                    line = _describe(kind, orjson.loads(rec.value), last_trend)
                    if line:
                        print(line, flush=True)
    finally:
        publisher.cancel()
        await consumer.stop()
        _say("totals: " + ", ".join(f"{k}={v}" for k, v in counts.items()))


async def _publish(bootstrap: str, topic: str, lines: list[bytes]) -> None:
    """Publish like a live sender would: in small slices of event time, not one burst.

    Trend windows follow event time with a grace period for late events; a burst of a whole
    day spread over partitions would arrive hours out of order and be counted as late.
    """
    from aiokafka import AIOKafkaProducer

    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5)
    await producer.start()
    try:
        for start in range(0, len(lines), _SLICE):
            for line in lines[start : start + _SLICE]:
                try:
                    key = orjson.loads(line).get("recipient", "").encode() or None
                except orjson.JSONDecodeError:
                    key = None
                await producer.send(topic, value=line, key=key)
            await producer.flush()
            await asyncio.sleep(0.25)
    finally:
        await producer.stop()
    _say(f"published {len(lines)} send results")


def _describe(kind: str, v: dict[str, Any], last_trend: dict[str, str]) -> str | None:
    if kind == "suppressions":
        ev = v.get("last_evidence") or {}
        return (
            f"SUPPRESSION {v['action']:<10} {v['tenant']}/{v['address']:<36} reason={v.get('reason')} "
            f"({v.get('category')}) via {ev.get('mailbox') or '-'}"
        )
    if kind == "alerts":
        c = v["counts"]
        return (
            f"ALERT       {v['severity']:<10} {v['scope']} {v['key']} {v['rate']} rate {v['value']:.1%} "
            f"(>= {v['lower_bound']:.1%} at 95%, threshold {v['threshold']:.1%}) "
            f"{c['attempts']} sends, window {v['window']}, top {v.get('top_reasons')}"
        )
    if kind == "deadletter":
        return f"DEADLETTER  {v['source_topic']} {v['error_type']}: {v['error'][:100]}"
    if kind == "trends" and v["window"] == "24h":
        c, r = v["counts"], v["rates"]
        text = (
            f"TREND       {v['scope']:<8} {v['key']:<28} 24h sends={c['attempts']:<4} hard={r.get('hard', 0):.1%} "
            f"bounce={r.get('bounce', 0):.1%} block={r.get('block', 0):.1%} complaint={r.get('complaint', 0):.2%}"
        )
        ident = f"{v['scope']}/{v['key']}"
        if last_trend.get(ident) == text:
            return None
        last_trend[ident] = text
        return text
    return None
