"""`bounceguard tail TOPIC`: print a topic's records as JSON lines as they arrive."""

from __future__ import annotations

import argparse
import asyncio
import sys
import uuid

from bounceguard.settings import Settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("tail", help="follow a topic and print its records")
    p.add_argument("topic", help="full topic name, e.g. bounceguard.suppressions")
    p.add_argument("--from-beginning", action="store_true", help="start at the earliest offset")
    p.add_argument("--max", type=int, default=0, help="stop after this many records (0 = never)")
    p.add_argument("--timeout", type=float, default=0.0, help="stop after this many idle seconds (0 = never)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        return asyncio.run(_tail(args))
    except KeyboardInterrupt:
        return 0


async def _tail(args: argparse.Namespace) -> int:
    from aiokafka import AIOKafkaConsumer

    settings = Settings()
    consumer = AIOKafkaConsumer(
        args.topic,
        bootstrap_servers=settings.kafka_bootstrap_servers,
        group_id=f"bounceguard-tail-{uuid.uuid4().hex[:8]}",
        auto_offset_reset="earliest" if args.from_beginning else "latest",
        enable_auto_commit=False,
    )
    await consumer.start()
    seen = 0
    idle = 0.0
    try:
        while args.max <= 0 or seen < args.max:
            batch = await consumer.getmany(timeout_ms=500)
            if not batch:
                idle += 0.5
                if args.timeout and idle >= args.timeout:
                    break
                continue
            idle = 0.0
            for records in batch.values():
                for rec in records:
                    value = rec.value.decode("utf-8", "replace") if rec.value is not None else "null"
                    sys.stdout.write(value + "\n")
                    seen += 1
            sys.stdout.flush()
    finally:
        await consumer.stop()
    return 0
