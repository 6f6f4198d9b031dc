"""Publish SendResult JSON lines to bounceguard.send-results with aiokafka.

This is what a send pipeline adds after each SMTP transaction: one JSON object per
recipient outcome (model `SendResult`). Lines are validated before sending, so a typo is
reported with its line number instead of ending up in the dead-letter topic.

    python examples/publish_send_results.py                          # the bundled sample
    python examples/publish_send_results.py results.jsonl --bootstrap kafka:9092
    your-exporter | python examples/publish_send_results.py -        # from stdin
    python examples/publish_send_results.py --shift-to-now           # sample times end now

Records are keyed tenant/address, the key bounceguard itself uses, so every outcome for one
address lands on one partition in the order it was published.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from aiokafka import AIOKafkaProducer
from pydantic import ValidationError

from bounceguard.core.addresses import InvalidAddress, address_key
from bounceguard.core.models import SendResult

DEFAULT_FILE = Path(__file__).with_name("sample_events.jsonl")
DEFAULT_TOPIC = "bounceguard.send-results"


class BadLine(ValueError):
    """A line that is not a valid SendResult; carries its 1-based line number."""

    def __init__(self, lineno: int, detail: str) -> None:
        super().__init__(f"line {lineno}: {detail}")
        self.lineno = lineno


def read_results(lines: Iterable[str]) -> Iterator[SendResult | BadLine]:
    """Each non-blank line parsed as a SendResult, or the BadLine saying why not."""
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield SendResult.model_validate_json(line)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first.get("loc", ())) or "<line>"
            yield BadLine(lineno, f"{where}: {first.get('msg')}")


def shift_to(results: list[SendResult], end: datetime) -> list[SendResult]:
    """Move every timestamp by one offset so the latest equals `end`; spacing is kept."""
    if not results:
        return results
    offset = end - max(r.timestamp for r in results)
    return [r.model_copy(update={"timestamp": r.timestamp + offset}) for r in results]


def record_key(result: SendResult) -> bytes:
    try:
        return address_key(result.tenant, result.recipient).encode()
    except (InvalidAddress, ValueError):
        # bounceguard will dead-letter it with the reason; keep the raw address as key.
        return f"{result.tenant}/{result.recipient}".encode()


def encode(result: SendResult) -> bytes:
    return result.model_dump_json(exclude_none=True).encode()


async def publish(bootstrap: str, topic: str, results: list[SendResult]) -> int:
    """Send all results with acks=all and idempotence; returns how many the broker acknowledged."""
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        acks="all",
        enable_idempotence=True,
        linger_ms=10,
        compression_type="gzip",
    )
    try:
        await producer.start()  # inside try: a failed start still needs stop()
        pending = [await producer.send(topic, key=record_key(r), value=encode(r)) for r in results]
        await asyncio.gather(*pending)
    finally:
        await producer.stop()
    return len(pending)


def _open(path: str) -> TextIO:
    return sys.stdin if path == "-" else open(path, encoding="utf-8")  # closed by the caller's with


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="publish SendResult JSON lines to Kafka")
    parser.add_argument("file", nargs="?", default=str(DEFAULT_FILE), help="JSON lines file, or - for stdin")
    parser.add_argument(
        "--bootstrap",
        default=os.environ.get("BOUNCEGUARD_KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
        help="Kafka bootstrap servers (default $BOUNCEGUARD_KAFKA_BOOTSTRAP_SERVERS or localhost:9092)",
    )
    parser.add_argument("--topic", default=DEFAULT_TOPIC)
    parser.add_argument("--shift-to-now", action="store_true", help="move timestamps so the latest is now")
    parser.add_argument("--skip-invalid", action="store_true", help="publish the valid lines even if some are bad")
    args = parser.parse_args(argv)

    try:
        with _open(args.file) as handle:
            parsed = list(read_results(handle))
    except OSError as exc:
        print(f"cannot read {args.file}: {exc}", file=sys.stderr)
        return 2
    bad = [p for p in parsed if isinstance(p, BadLine)]
    good = [p for p in parsed if isinstance(p, SendResult)]
    for problem in bad:
        print(problem, file=sys.stderr)
    if bad and not args.skip_invalid:
        print(f"{len(bad)} invalid line(s); nothing published (use --skip-invalid)", file=sys.stderr)
        return 1
    if args.shift_to_now:
        good = shift_to(good, datetime.now(UTC).replace(microsecond=0))
    try:
        sent = asyncio.run(publish(args.bootstrap, args.topic, good))
    except Exception as exc:  # aiokafka raises several unrelated types for an unreachable broker
        print(f"publishing to {args.bootstrap} failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 3
    print(f"published {sent} send results to {args.topic} ({len(bad)} invalid skipped)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
