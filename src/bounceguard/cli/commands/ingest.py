"""`bounceguard ingest`: the provider webhook HTTP server (verify, then publish to Kafka).

    bounceguard ingest --port 8081 --bootstrap-servers 127.0.0.1:9092

Every option defaults from BOUNCEGUARD_INGEST_* (see edges/ingest/__init__.py and
docs/ingest.md); provider secrets come only from the environment or *_FILE files, never
from the command line (it shows in process lists). Exit status: 0 after a clean stop
(SIGINT/SIGTERM), 2 bad configuration, 1 Kafka unreachable at start.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from typing import Any

from pydantic import ValidationError


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "ingest",
        help="serve provider webhooks (SES/SNS, SendGrid, Mailgun, Postmark, SparkPost) into Kafka",
        description="POST /webhooks/{provider}[/{tenant}] -> verify -> topic bounceguard.webhooks.",
    )
    p.add_argument("--host", help="bind address (BOUNCEGUARD_INGEST_HOST)")
    p.add_argument("--port", type=int, help="HTTP port (BOUNCEGUARD_INGEST_PORT)")
    p.add_argument("--bootstrap-servers", help="Kafka host:port list (BOUNCEGUARD_INGEST_BOOTSTRAP_SERVERS)")
    p.add_argument("--topic", help="output topic (BOUNCEGUARD_INGEST_TOPIC)")
    p.add_argument("--log-level", default="INFO", choices=("DEBUG", "INFO", "WARNING", "ERROR"))
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from bounceguard.edges.ingest.certificates import CertificateConfigError
    from bounceguard.edges.ingest.settings import IngestSettings

    logging.basicConfig(level=args.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    overrides = {
        key: value
        for key, value in (
            ("host", args.host),
            ("port", args.port),
            ("bootstrap_servers", args.bootstrap_servers),
            ("topic", args.topic),
        )
        if value is not None
    }
    try:
        settings = IngestSettings(**overrides)
        return asyncio.run(_serve(settings))
    except ValidationError as exc:
        print(f"bounceguard ingest: bad settings:\n{exc}", file=sys.stderr)
        return 2
    except (CertificateConfigError, ValueError) as exc:
        print(f"bounceguard ingest: {exc}", file=sys.stderr)
        return 2


async def _serve(settings: Any) -> int:
    from aiohttp import web
    from aiokafka import AIOKafkaProducer
    from aiokafka.errors import KafkaError

    from bounceguard.edges.ingest.app import create_app

    producer = AIOKafkaProducer(
        bootstrap_servers=settings.bootstrap_servers, acks="all", enable_idempotence=True, linger_ms=5
    )
    try:
        await producer.start()
    except KafkaError as exc:
        print(f"bounceguard ingest: Kafka at {settings.bootstrap_servers} unreachable: {exc}", file=sys.stderr)
        await producer.stop()
        return 1
    runner: web.AppRunner | None = None
    try:
        app = create_app(settings, producer)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, settings.host, settings.port).start()
        logging.getLogger(__name__).info(
            "ingest listening on http://%s:%s, publishing to %s", settings.host, settings.port, settings.topic
        )
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)
        await stop.wait()
        return 0
    finally:
        if runner is not None:
            await runner.cleanup()
        await producer.stop()
