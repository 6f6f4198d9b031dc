"""Policy decisions per second, against the cost of storing the history they produce.

Generates --events classified events over --addresses addresses (skewed popularity, a
realistic mix: mostly deliveries, some soft, hard, block, complaints; some arrive out of
order or twice) and times three passes over the same list:

- baseline: per event, serialize the address's history to JSON and parse it back, which is
  what a Kafka-backed table does for every update anyway;
- decide: per event, ``suppression_policy.decide`` on the in-memory history;
- decide + store: both, which is the per-event cost the stream pays.

Prints events/s for each, decide/baseline, and the largest stored history. The address
normalization cache is warmed first (the stream sees each address many times).

    .venv/bin/python bench/policy_bench.py [--events 200000] [--addresses 20000] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, datetime, timedelta

from bounceguard.core.address_history import AddressHistory, history_from_json, history_to_json
from bounceguard.core.categories import REASON_CATEGORY, Reason
from bounceguard.core.models import BounceEvent, Outcome
from bounceguard.core.suppression_policy import PolicyConfig, decide

MIX: list[tuple[Reason, Outcome, float]] = [
    (Reason.DELIVERED, Outcome.DELIVERED, 0.80),
    (Reason.MAILBOXFULL, Outcome.DEFERRED, 0.05),
    (Reason.SYSTEMERROR, Outcome.DEFERRED, 0.03),
    (Reason.RATELIMITED, Outcome.DEFERRED, 0.03),
    (Reason.USERUNKNOWN, Outcome.BOUNCED, 0.03),
    (Reason.BLOCKED, Outcome.BOUNCED, 0.04),
    (Reason.HOSTUNKNOWN, Outcome.BOUNCED, 0.005),
    (Reason.FEEDBACK, Outcome.COMPLAINED, 0.005),
    (Reason.UNSUBSCRIBED, Outcome.UNSUBSCRIBED, 0.01),
]


def generate(count: int, addresses: int, seed: int) -> list[BounceEvent]:
    rng = random.Random(seed)
    names = [f"user{i}@domain{i % 997}.example" for i in range(addresses)]
    weights = [1 / (rank + 1) ** 0.8 for rank in range(addresses)]  # Zipf-like
    recipients = rng.choices(names, weights=weights, k=count)
    kinds = rng.choices(MIX, weights=[w for _, _, w in MIX], k=count)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    events = []
    for i, (recipient, (reason, outcome, _)) in enumerate(zip(recipients, kinds, strict=True)):
        jitter = rng.randint(-3600, 600) if rng.random() < 0.05 else 0  # some arrive late
        events.append(
            BounceEvent(
                event_id=f"evt-{i}",
                recipient=recipient,
                outcome=outcome,
                source="send-result",
                mailbox="news@sender.example",
                message_id=f"<{i // 3}@sender.example>",
                occurred_at=start + timedelta(seconds=30 * i + jitter),
                reason=reason,
                category=REASON_CATEGORY[reason],
            )
        )
        if rng.random() < 0.02:  # at-least-once delivery: a repeat
            events.append(events[-1])
    return events


def run_baseline(events: list[BounceEvent], histories: dict[str, AddressHistory]) -> float:
    start = time.perf_counter()
    for event in events:
        key = event.recipient
        h = histories.get(key) or AddressHistory(tenant=event.tenant, address=event.recipient)
        histories[key] = history_from_json(history_to_json(h))
    return time.perf_counter() - start


def run_decide(events: list[BounceEvent], config: PolicyConfig, store: bool) -> tuple[float, int]:
    histories: dict[str, AddressHistory] = {}
    start = time.perf_counter()
    for event in events:
        key = event.recipient
        h = decide(histories.get(key), event, config).history
        histories[key] = history_from_json(history_to_json(h)) if store else h
    elapsed = time.perf_counter() - start
    return elapsed, max(len(history_to_json(h)) for h in histories.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--addresses", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    events = generate(args.events, args.addresses, args.seed)
    config = PolicyConfig()
    run_decide(events[: min(len(events), 5000)], config, store=False)  # warm caches

    # The baseline stores histories as they are after the decide pass, so it serializes
    # realistically sized values, not empty ones.
    decide_s, largest = run_decide(events, config, store=False)
    histories: dict[str, AddressHistory] = {}
    for event in events:
        histories[event.recipient] = decide(histories.get(event.recipient), event, config).history
    baseline_s = run_baseline(events, dict(histories))
    both_s, _ = run_decide(events, config, store=True)

    n = len(events)
    print(f"events: {n} over {args.addresses} addresses")
    print(f"baseline (history JSON round trip): {n / baseline_s:10.0f} events/s")
    print(f"decide:                             {n / decide_s:10.0f} events/s")
    print(f"decide + store:                     {n / both_s:10.0f} events/s")
    print(f"decide time / baseline time: {decide_s / baseline_s:.2f}")
    print(f"largest stored history: {largest} bytes")


if __name__ == "__main__":
    main()
