"""`bounceguard topics create|list`: the topics of the topic contract, created explicitly."""

from __future__ import annotations

import argparse
import asyncio

from bounceguard.settings import Settings
from bounceguard.stream.topics import create_topics, topic_specs


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("topics", help="create or list bounceguard's topics")
    p.add_argument("action", choices=["create", "list"])
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = Settings()
    if args.action == "list":
        for spec in topic_specs(settings):
            extra = ",".join(f"{k}={v}" for k, v in spec.config.items())
            print(f"{spec.name}\tpartitions={spec.partitions}\t{extra}")
        return 0
    created = asyncio.run(create_topics(settings))
    print("created: " + (", ".join(created) if created else "(all existed)"))
    return 0
