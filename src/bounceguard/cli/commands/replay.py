"""`bounceguard replay`: run the suppression policy offline over BounceEvent JSON lines.

The same pure policy the stream runs, over a file (or stdin), in file order: prints every
suppression record ({"suppression": ...}), then every retry advice ({"retry": ...}), each
group in emission order, then, with --histories, the final history per address. A line that is
not a valid event is reported on stderr with its line number and skipped, so one bad
record never loses a batch; the exit code is then 1.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import orjson
from pydantic import ValidationError

from bounceguard.core.address_history import history_to_json
from bounceguard.core.addresses import InvalidAddress, normalize_address
from bounceguard.core.models import BounceEvent
from bounceguard.core.suppression_policy import PolicyConfig, replay


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "replay",
        help="run the suppression policy over BounceEvent JSON lines",
        description="Print the suppressions and retry advice the policy emits for a file of events.",
    )
    p.add_argument("events", nargs="?", default="-", help="JSON lines of BounceEvent ('-' = stdin)")
    p.add_argument("--config", type=Path, default=None, help="PolicyConfig as a JSON object (default: defaults)")
    p.add_argument("--histories", action="store_true", help="also print the final history of every address")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        config = PolicyConfig() if args.config is None else PolicyConfig.model_validate_json(args.config.read_bytes())
    except (OSError, ValidationError) as exc:
        print(f"replay: cannot use config {args.config}: {exc}", file=sys.stderr)
        return 2
    if args.events == "-":
        return replay_lines(sys.stdin, sys.stdout, sys.stderr, config, histories=args.histories)
    try:
        with open(args.events, encoding="utf-8", errors="replace") as source:
            return replay_lines(source, sys.stdout, sys.stderr, config, histories=args.histories)
    except OSError as exc:
        print(f"replay: cannot read {args.events}: {exc}", file=sys.stderr)
        return 2


def replay_lines(source: TextIO, out: TextIO, err: TextIO, config: PolicyConfig, *, histories: bool) -> int:
    """Replay the events in ``source``; returns 0, or 1 when some lines were skipped."""
    bad = 0

    def valid_events() -> Iterator[BounceEvent]:
        nonlocal bad
        for number, line in enumerate(source, start=1):
            if not line.strip():
                continue
            try:
                event = BounceEvent.model_validate_json(line)
                normalize_address(event.recipient)
            except (ValidationError, InvalidAddress) as exc:
                bad += 1
                first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                print(f"line {number}: skipped: {first}", file=err)
                continue
            yield event

    result = replay(valid_events(), config)
    for record in result.suppressions:
        out.write(orjson.dumps({"suppression": record.model_dump(mode="json")}).decode() + "\n")
    for advice in result.retries:
        out.write(orjson.dumps({"retry": advice.model_dump(mode="json")}).decode() + "\n")
    if histories:
        for history in result.histories.values():
            out.write('{"history":' + history_to_json(history).decode() + "}\n")
    print(
        f"{len(result.effects)} events, {len(result.suppressions)} suppressions, "
        f"{len(result.retries)} retry advices, {len(result.histories)} addresses, {bad} skipped",
        file=err,
    )
    return 1 if bad else 0
