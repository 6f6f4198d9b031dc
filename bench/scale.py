"""Scale figures of the worker: memory per tracked address, table recovery time, 1 vs 2 workers.

On one real broker (--bootstrap / KAFKA_BOOTSTRAP_SERVERS, else a local one on free ports):

1. memory: one worker with the RocksDB store takes --addresses deliveries, each to a distinct
   address; RSS after start and after the last commit give MB per million tracked addresses;
2. recovery: that worker is stopped, its data dir wiped, and a new one started with the same
   app id: the time until /readyz answers 200 AND a lookup of the last address fed answers
   `known: true` is the time to rebuild the tables from their changelogs;
3. scale-out: --events send results on 4 partitions, processed by 1 and then by 2 worker
   processes (same app id, fresh topics each), whole-job events/s from committed offsets.

Everything shares this machine's cores; on 2 cores a second worker competes with the first
and with the broker, so (3) shows the coordination cost more than the gain.

    .venv/bin/python bench/scale.py [--addresses 1000000] [--events 40000] [--json out.json]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import shutil
import sys
import tempfile
import time
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pipeline as pb  # the sibling benchmark's generator and worker launcher

TOKEN = "bench-token"


def distinct_deliveries(n: int) -> list[tuple[bytes, bytes]]:
    rng = random.Random(11)
    start = datetime.now(UTC) - timedelta(days=1)
    out = []
    for i in range(n):
        rcpt = f"tracked{i:07d}@{tuple(pb.RECEIVERS)[i % len(pb.RECEIVERS)]}"
        value = pb.send_result(i, rcpt, "delivered", start + timedelta(milliseconds=i), rng, tag="scale")
        out.append((pb.record_key(rcpt, "address"), value))  # keyed as README recommends
    return out


def lookup_known(worker: pb.Worker, address: str) -> bool:
    req = urllib.request.Request(
        f"http://127.0.0.1:{worker.web_port}/suppressions/bench/{address}",
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    try:
        with urllib.request.urlopen(req, timeout=5) as resp:
            return bool(json.loads(resp.read()).get("known"))
    except Exception:
        return False


def memory_and_recovery(bootstrap: str, n: int, tmp: Path, timeout: float) -> dict[str, Any]:
    records = distinct_deliveries(n)
    prefix = f"scale-{uuid.uuid4().hex[:8]}."
    asyncio.run(pb.create_topics(bootstrap, [f"{prefix}send-results"]))
    asyncio.run(pb.produce_all(bootstrap, f"{prefix}send-results", records))
    os.environ["BOUNCEGUARD_API_TOKENS"] = f"{TOKEN}:*"
    worker = pb.Worker(bootstrap, prefix, "rocksdb://", tmp / "mem")
    out: dict[str, Any] = {"addresses": n}
    try:
        worker.start()
        assert worker.proc is not None
        rss_start = pb.rss_mb(worker.proc.pid)
        progress = asyncio.run(pb.follow_worker(worker, n, None, timeout))
        out["rss_start_mb"] = rss_start
        out["rss_end_mb"] = progress["rss_mb"]
        out["mb_per_million"] = (progress["rss_mb"] - rss_start) / n * 1_000_000
        out["feed_events_per_s"] = progress["events_per_s_total"]
    finally:
        worker.stop()
    last = records[-1][0].decode().split("/", 1)[1]  # the key is tenant/address
    shutil.rmtree(worker.data_dir, ignore_errors=True)
    again = pb.Worker(bootstrap, prefix, "rocksdb://", tmp / "recovered", app_id=worker.app_id)
    try:
        t0 = time.monotonic()
        again.start(timeout=timeout)
        ready = time.monotonic() - t0
        while not lookup_known(again, last):
            if time.monotonic() - t0 > timeout:
                raise RuntimeError(f"recovered worker does not know {last}:\n{again.log_tail()}")
            time.sleep(0.2)
        out["recovery_ready_s"] = ready
        out["recovery_lookup_s"] = time.monotonic() - t0
        assert again.proc is not None
        out["rss_recovered_mb"] = pb.rss_mb(again.proc.pid)
    finally:
        again.stop()
        shutil.rmtree(again.data_dir, ignore_errors=True)
    return out


async def follow_group(bootstrap: str, group: str, prefix: str, n: int, timeout: float) -> float:
    t0 = time.monotonic()
    first: float | None = None
    async with pb.Offsets(bootstrap) as offsets:
        while time.monotonic() - t0 < timeout:
            committed = await offsets.committed(group)
            # decided: send results committed, less events still waiting in the events topic
            waiting = await offsets.end(f"{prefix}events") - committed.get(f"{prefix}events", 0)
            done = max(committed.get(f"{prefix}send-results", 0) - waiting, 0)
            if first is None and done > 0:
                first = time.monotonic()
            trend_end = await offsets.end(f"{prefix}trend-input")
            if done >= n and committed.get(f"{prefix}trend-input", 0) >= trend_end:
                return n / (time.monotonic() - t0)
            await asyncio.sleep(0.25)
    raise RuntimeError(f"{group} did not finish {n} events in {timeout:.0f}s")


def scale_out(bootstrap: str, workers: int, records: list[tuple[bytes, bytes]], tmp: Path, timeout: float) -> float:
    prefix = f"scale-{uuid.uuid4().hex[:8]}."
    asyncio.run(pb.create_topics(bootstrap, [f"{prefix}send-results"]))
    app_id = f"scale-{uuid.uuid4().hex[:8]}"
    procs = [pb.Worker(bootstrap, prefix, "rocksdb://", tmp / f"w{i}", app_id=app_id) for i in range(workers)]
    try:
        for w in procs:
            w.start(timeout=timeout)
        time.sleep(5.0)  # let the group settle on its final assignment before the input arrives
        asyncio.run(pb.produce_all(bootstrap, f"{prefix}send-results", records))
        return asyncio.run(follow_group(bootstrap, app_id, prefix, len(records), timeout))
    finally:
        for w in procs:
            w.stop()
            shutil.rmtree(w.data_dir, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--addresses", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=40_000, help="input of the 1 vs 2 worker runs")
    parser.add_argument("--bootstrap", default=os.environ.get("KAFKA_BOOTSTRAP_SERVERS"))
    parser.add_argument("--timeout", type=float, default=7200.0)
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--skip-scale-out", action="store_true")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="scale-bench-"))
    local_broker = contextlib.ExitStack()
    bootstrap = args.bootstrap
    if not bootstrap:
        from bounceguard.devkafka import broker

        bootstrap, _ = local_broker.enter_context(broker.throwaway(tmp / "kafka"))
    try:
        results: dict[str, Any] = {"broker": bootstrap}
        if not args.skip_memory:
            results["memory"] = memory_and_recovery(bootstrap, args.addresses, tmp, args.timeout)
            print(json.dumps(results["memory"], indent=2), flush=True)
        if not args.skip_scale_out:
            records = pb.rekey(pb.generate(args.events, tag="scale")[0], "address")
            results["scale_out"] = {
                f"{w}_workers_events_per_s": scale_out(bootstrap, w, records, tmp, args.timeout) for w in (1, 2)
            }
            print(json.dumps(results["scale_out"], indent=2))
        if args.json:
            args.json.write_text(json.dumps(results, indent=2))
        return 0
    finally:
        local_broker.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
