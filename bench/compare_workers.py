"""Two or more worker variants side by side: their CPU and latency at the same fixed rates, probed in turn.

This machine's speed drifts by tens of percent over minutes: the same worker at 500 events/s
used 0.41-0.55 cores in separate `bench/pipeline.py` runs. A change to the worker's per-batch
or per-fetch costs is a few hundredths of a core, so it can only be seen when the variants
run at the same time and take turns: every variant gets its own topics, pre-filled table and
worker process, all stay up, and each rate is probed `--reps` times per variant, the order
reversed on every other repetition. The figures are the variants' medians side by side and
each one's difference from the first variant (the baseline of the comparison).

A variant is a name and environment variables for its worker process, so it can be a setting
(`BOUNCEGUARD_...`) or another checkout of the code (`PYTHONPATH=<checkout>/src`, for
example a `git worktree` of an earlier commit):

    .venv/bin/python bench/compare_workers.py --bootstrap 127.0.0.1:29092 \\
        --variant before:PYTHONPATH=/tmp/before/src --variant after: --rates 500,4000 --reps 3

Each probe phase is `pipeline.latency_probe`: background deliveries at the rate, one hard bounce
every 100 ms for a fresh address, publish -> suppression p50/p99, and the cores the worker, the
broker and the machine used while probing.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pipeline as pb  # the bench next to this file

# Set by `pipeline.Worker` for every worker (its topics, group, port, store): a variant's value
# for one of these would be overridden, so it is refused.
BENCH_SET = frozenset(
    f"BOUNCEGUARD_{name}"
    for name in (
        "KAFKA_BOOTSTRAP_SERVERS", "TOPIC_PREFIX", "APP_ID", "DATA_DIR", "WEB_PORT", "STORE", "PARTITIONS",
        "TREND_EMIT_INTERVAL",
    )
)  # fmt: skip


def parse_variant(text: str) -> tuple[str, dict[str, str]]:
    """`name:VAR=value,VAR2=value` (or `name:` for the environment as it is)."""
    name, sep, assignments = text.partition(":")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected name:VAR=value,..., got {text!r}")
    env: dict[str, str] = {}
    for item in filter(None, assignments.split(",")):
        var, eq, value = item.partition("=")
        if not eq or not var:
            raise argparse.ArgumentTypeError(f"expected VAR=value in {text!r}, got {item!r}")
        if var in BENCH_SET:
            raise argparse.ArgumentTypeError(f"{var} is set by the bench for every worker (--store for the store)")
        env[var] = value
    return name, env


def start_worker(bootstrap: str, name: str, env: dict[str, str], records: list[tuple[bytes, bytes]],
                 tmp: Path, store: str) -> tuple[pb.Worker, str]:  # fmt: skip
    prefix = f"compare-{name}-{os.urandom(3).hex()}."
    asyncio.run(pb.create_topics(bootstrap, [f"{prefix}send-results"]))
    asyncio.run(pb.produce_all(bootstrap, f"{prefix}send-results", records))
    worker = pb.Worker(bootstrap, prefix, store, tmp / name)
    saved = dict(os.environ)
    try:
        os.environ.update(env)  # Worker.start passes this process's environment on
        worker.start()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return worker, prefix


async def wait_drained(bootstrap: str, workers: dict[str, tuple[pb.Worker, str]], n: int, timeout: float) -> None:
    """Until every worker has committed its pre-filled send results (its table holds their addresses)."""
    async with pb.Offsets(bootstrap) as offsets:
        deadline = time.monotonic() + timeout
        for worker, prefix in workers.values():
            group = worker.app_id
            while (await offsets.committed(group)).get(f"{prefix}send-results", 0) < n:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{prefix} did not drain its {n} send results in {timeout}s")
                await asyncio.sleep(1.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--variant", action="append", type=parse_variant, required=True,
                        help="name:VAR=value,... (repeat; the first is the baseline of the comparison)")  # fmt: skip
    parser.add_argument("--rates", default="500,4000", help="background deliveries per second, comma-separated")
    parser.add_argument("--reps", type=int, default=3, help="probe phases per variant and rate")
    parser.add_argument("--seconds", type=float, default=8.0, help="probing time per phase")
    parser.add_argument("--events", type=int, default=60_000, help="send results each worker decides first")
    parser.add_argument("--store", default="rocksdb://")
    parser.add_argument("--bootstrap", default=os.environ.get("KAFKA_BOOTSTRAP_SERVERS"))
    parser.add_argument("--broker-pid", type=int, default=None, help="broker pid, for its cores")
    parser.add_argument("--json", type=Path, default=None, help="also write every phase here")
    args = parser.parse_args()
    variants: dict[str, dict[str, str]] = dict(args.variant)
    if len(variants) < 2:
        parser.error("give at least two --variant with different names")
    rates = [float(r) for r in args.rates.split(",") if r.strip()]

    tmp = Path(tempfile.mkdtemp(prefix="compare-workers-"))
    local_broker = contextlib.ExitStack()
    bootstrap, broker_pid = args.bootstrap, args.broker_pid
    if not bootstrap:
        from bounceguard.devkafka import broker

        bootstrap, broker_pid = local_broker.enter_context(broker.throwaway(tmp / "kafka"))
    records = pb.rekey(pb.generate(args.events)[0], "address")
    workers: dict[str, tuple[pb.Worker, str]] = {}
    phases: list[dict[str, Any]] = []
    try:
        for name, env in variants.items():
            workers[name] = start_worker(bootstrap, name, env, records, tmp, args.store)
        asyncio.run(wait_drained(bootstrap, workers, len(records), timeout=600.0))
        for rate in rates:
            for rep in range(args.reps):
                order = list(workers) if rep % 2 == 0 else list(reversed(workers))
                for name in order:
                    worker, prefix = workers[name]
                    assert worker.proc is not None
                    pids = pb.probed_pids("worker", worker.proc.pid, broker_pid)
                    lat = asyncio.run(pb.latency_probe(bootstrap, prefix, rate, args.seconds, 0.1, "address", pids))
                    phases.append({"variant": name, "rate": rate, "rep": rep, **lat})
                    if not lat.get("probes"):
                        alive = worker.proc.poll() is None
                        print(f"{name:>12} {rate:7.0f}/s rep {rep}: no suppression came back (worker "
                              f"{'running' if alive else 'exited'}):\n{worker.log_tail(10)}", flush=True)  # fmt: skip
                        continue
                    print(f"{name:>12} {rate:7.0f}/s rep {rep}: p50 {lat['p50_ms']:6.1f} p99 {lat['p99_ms']:6.1f} ms, "
                          f"cores {lat['cores']}", flush=True)  # fmt: skip
        print(summary(phases, list(workers), rates))
        if args.json:
            args.json.write_text(json.dumps({"variants": variants, "phases": phases}, indent=1, default=str))
    finally:
        for worker, _ in workers.values():
            worker.stop()
        local_broker.close()
    return 0


def summary(phases: list[dict[str, Any]], names: list[str], rates: list[float]) -> str:
    """Per rate and variant: median worker cores (and each phase's), median p50 / p99, difference to the first."""
    head = f"{'variant':>12} {'events/s':>8}  {'cores':>5} {'vs first':>8}  {'p50 ms':>6} {'p99 ms':>6}  phases' cores"
    lines = ["", head]
    for rate in rates:
        first: float | None = None
        for name in names:
            mine = [p for p in phases if p["variant"] == name and p["rate"] == rate and p.get("probes")]
            if not mine:
                lines.append(f"{name:>12} {rate:8.0f}  no suppression came back")
                continue
            cores = statistics.median(p["cores"]["worker"] for p in mine)
            first = cores if first is None else first
            p50, p99 = (statistics.median(p[q] for p in mine) for q in ("p50_ms", "p99_ms"))
            each = ", ".join(f"{p['cores']['worker']:.2f}" for p in mine)
            lines.append(f"{name:>12} {rate:8.0f}  {cores:5.2f} {cores - first:+8.2f}  {p50:6.1f} {p99:6.1f}  {each}")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
