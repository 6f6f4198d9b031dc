"""`bounceguard worker`: create the topics, then run the Faust stream worker."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from bounceguard.settings import Settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("worker", help="run the stream worker (settings from BOUNCEGUARD_* variables)")
    p.add_argument("--loglevel", default=None, help="override BOUNCEGUARD_LOG_LEVEL")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = Settings()
    level = (args.loglevel or settings.log_level).upper()
    logging.basicConfig(level=level, format="[%(asctime)s] %(levelname)s %(name)s: %(message)s")
    from bounceguard.stream.topics import create_topics

    try:
        created = asyncio.run(create_topics(settings))
    except Exception as exc:
        print(f"bounceguard worker: cannot reach Kafka at {settings.kafka_bootstrap_servers}: {exc}", file=sys.stderr)
        return 2
    if created:
        logging.getLogger("bounceguard").info("created topics: %s", ", ".join(created))
    from faust import Worker

    from bounceguard.stream.app import create_app

    pipeline = create_app(settings)
    from bounceguard.stream import gc_tuning

    gc_tuning.tune(pipeline.app)
    worker = Worker(pipeline.app, loglevel=level.lower(), quiet=True, redirect_stdouts=False)
    # Faust's start-up spinner sets the root logger to DEBUG for as long as the process runs, so
    # every debug call on the hot path (one per topic send) built a record only to drop it.
    worker.spinner = None
    worker.execute_from_commandline()  # exits the process when the worker stops
    return 0
