"""Build a local suppression set from the compacted bounceguard.suppressions topic.

The topic holds the latest decision per tenant/address (key). Reading it from the
beginning and keeping the last record per key gives the current set: `suppress` adds,
`unsuppress` or a tombstone (null value, written when an address is erased) removes.
Compaction only drops superseded records, so this works however old the topic is.

    python examples/follow_suppressions.py                  # read to the end, print a summary
    python examples/follow_suppressions.py --out set.txt    # one tenant/address per line
    python examples/follow_suppressions.py --follow         # keep applying new decisions

No consumer group is used: every run starts from the beginning and commits nothing, so
any number of senders can each keep their own copy.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from aiokafka import AIOKafkaConsumer, TopicPartition
from pydantic import ValidationError

from bounceguard.core.models import Suppression, SuppressionAction

DEFAULT_TOPIC = "bounceguard.suppressions"


@dataclass
class SuppressionSet:
    """Latest decision per key wins; unsuppress and tombstones remove the key."""

    entries: dict[str, Suppression] = field(default_factory=dict)
    invalid: int = 0

    def apply(self, key: bytes | None, value: bytes | None) -> None:
        if key is None:
            self.invalid += 1  # a compacted topic needs keys; bounceguard always sets one
            return
        name = key.decode("utf-8", errors="replace")
        if value is None:
            self.entries.pop(name, None)
            return
        try:
            decision = Suppression.model_validate_json(value)
        except ValidationError:
            self.invalid += 1
            return
        if decision.action is SuppressionAction.SUPPRESS:
            self.entries[name] = decision
        else:
            self.entries.pop(name, None)

    def apply_all(self, records: Iterable[tuple[bytes | None, bytes | None]]) -> SuppressionSet:
        for key, value in records:
            self.apply(key, value)
        return self

    def __contains__(self, key: object) -> bool:
        return key in self.entries

    def __len__(self) -> int:
        return len(self.entries)

    def by_reason(self) -> Counter[str]:
        return Counter(str(s.reason) if s.reason else "manual" for s in self.entries.values())


async def follow(bootstrap: str, topic: str, state: SuppressionSet, *, forever: bool) -> SuppressionSet:
    """Read every partition from the beginning up to its end offset (or forever) into `state`."""
    # Subscribing without a group assigns every partition of the topic to this consumer.
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        isolation_level="read_committed",
    )
    try:
        await consumer.start()  # inside try: a failed start still needs stop()
        assigned = sorted(consumer.assignment())
        if not assigned:
            raise LookupError(f"topic {topic} does not exist or has no partitions")
        await consumer.seek_to_beginning(*assigned)
        ends: dict[TopicPartition, int] = await consumer.end_offsets(assigned)
        while True:
            batch = await consumer.getmany(timeout_ms=500)
            for records in batch.values():
                state.apply_all((r.key, r.value) for r in records)
            if not forever and await _caught_up(consumer, ends):
                return state
    finally:
        await consumer.stop()


async def _caught_up(consumer: AIOKafkaConsumer, ends: dict[TopicPartition, int]) -> bool:
    """True when every partition's position reached the end offset seen at start."""
    for tp, end in ends.items():
        if await consumer.position(tp) < end:
            return False
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="build a local suppression set from Kafka")
    parser.add_argument(
        "--bootstrap",
        default=os.environ.get("BOUNCEGUARD_KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
        help="Kafka bootstrap servers (default $BOUNCEGUARD_KAFKA_BOOTSTRAP_SERVERS or localhost:9092)",
    )
    parser.add_argument("--topic", default=DEFAULT_TOPIC)
    parser.add_argument("--out", type=Path, help="write the suppressed keys (tenant/address), one per line")
    parser.add_argument("--follow", action="store_true", help="keep running and apply new decisions")
    args = parser.parse_args(argv)

    state = SuppressionSet()
    try:
        asyncio.run(follow(args.bootstrap, args.topic, state, forever=args.follow))
    except KeyboardInterrupt:
        pass
    except LookupError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except Exception as exc:  # aiokafka raises several unrelated types for an unreachable broker
        print(f"reading {args.topic} from {args.bootstrap} failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 3
    if args.out:
        args.out.write_text("".join(f"{key}\n" for key in sorted(state.entries)), encoding="utf-8")
    reasons = ", ".join(f"{reason}={n}" for reason, n in state.by_reason().most_common())
    print(f"{len(state)} suppressed ({reasons or 'none'}); {state.invalid} unreadable record(s) skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
