"""`bounceguard kafka start|stop|status`: the local development broker."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from bounceguard.devkafka import broker


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("kafka", help="run a local single-node Kafka broker (jars from Maven Central)")
    p.add_argument("action", choices=["start", "stop", "status"])
    p.add_argument("--port", type=int, default=broker.DEFAULT_PORT, help="client port (controller: port+1)")
    p.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="run directory: config, data, logs, pid (default ~/.cache/bounceguard/run/kafka-PORT)",
    )
    p.add_argument("--version", default=broker.KAFKA_VERSION, help="Apache Kafka version from Maven Central")
    p.add_argument("--fresh", action="store_true", help="wipe the data directory before starting")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    cfg = broker.BrokerConfig(port=args.port, version=args.version, run_dir=args.data_dir)
    try:
        if args.action == "start":
            t0 = time.monotonic()
            pid = broker.start(cfg, fresh=args.fresh)
            print(
                f"kafka {cfg.version} ready on {cfg.bootstrap} (pid {pid}, {time.monotonic() - t0:.1f}s)",
                file=sys.stderr,
            )
            print(cfg.bootstrap)
            return 0
        if args.action == "stop":
            stopped = broker.stop(cfg)
            print("stopped" if stopped else "not running", file=sys.stderr)
            return 0
        live_pid, alive = broker.status(cfg)
        if live_pid is None:
            print(f"not running ({cfg.home})")
            return 1
        print(f"{'live' if alive else 'not answering'}: pid {live_pid}, bootstrap {cfg.bootstrap}, dir {cfg.home}")
        return 0 if alive else 1
    except broker.BrokerError as exc:
        print(f"bounceguard kafka {args.action}: {exc}", file=sys.stderr)
        return 2
