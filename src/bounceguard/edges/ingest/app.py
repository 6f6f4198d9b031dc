"""The webhook ingest HTTP app: verify, then publish each event to Kafka, then answer.

Routes: ``POST /webhooks/{provider}`` and ``/webhooks/{provider}/{tenant}``,
``GET /healthz`` (process up) and ``GET /readyz`` (Kafka reachable).

Answers: 200 only after Kafka acknowledged every event of the request; 400 malformed
body (with the reason), 401 bad or missing credentials (nothing published), 404
unknown or unconfigured provider, 413 body over the size cap, 415 unsupported format,
503 Kafka unavailable or slow.

Batches are all-or-nothing *from the provider's point of view*: every element is
sent, all acks are awaited, and any failure answers 503 so the provider retries the
whole batch. Elements that did reach Kafka before the failure are published again on
retry; consumers de-duplicate on the event id, so this costs a duplicate message and
never a double count. A Kafka transaction would hide those partial writes from
read_committed consumers, but it serialises requests per producer (one open
transaction at a time) and needs a transactional id per instance; the idempotent
producer plus event-id de-duplication gives the same end result at full concurrency.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from aiohttp import web

from bounceguard.core.models import WebhookEnvelope, utcnow
from bounceguard.core.providers import ADAPTERS
from bounceguard.core.signatures import SignatureError
from bounceguard.edges.ingest.authenticators import Accepted, Authenticators, MalformedBody, UnsupportedFormat
from bounceguard.edges.ingest.certificates import FileCertificateStore
from bounceguard.edges.ingest.settings import IngestSettings

log = logging.getLogger(__name__)

_TENANT = re.compile(r"^[A-Za-z0-9_.\-]{1,128}$")
READY_TIMEOUT_SECONDS = 2.0

SETTINGS_KEY = web.AppKey("settings", IngestSettings)
PRODUCER_KEY = web.AppKey("producer", object)


def _error(status: int, error: str, detail: str = "") -> web.Response:
    body: dict[str, Any] = {"error": error}
    if detail:
        body["detail"] = detail
    headers = {"Retry-After": "30"} if status == 503 else None
    return web.json_response(body, status=status, headers=headers)


def create_app(
    settings: IngestSettings,
    producer: Any,
    *,
    clock: Callable[[], datetime] = utcnow,
    cert_store: FileCertificateStore | None = None,
) -> web.Application:
    """The aiohttp app. ``producer`` is a started ``AIOKafkaProducer`` (acks="all",
    enable_idempotence=True) owned by the caller; ``clock`` and ``cert_store`` are for tests."""
    auth = Authenticators(settings, cert_store=cert_store)
    app = web.Application(client_max_size=settings.max_body_bytes)
    app[SETTINGS_KEY] = settings
    app[PRODUCER_KEY] = producer

    async def webhook(request: web.Request) -> web.Response:
        provider = request.match_info["provider"]
        if provider not in ADAPTERS:
            return _error(404, "unknown-provider", f"known: {', '.join(sorted(ADAPTERS))}")
        check = auth.checks.get(provider)
        if check is None:
            return _error(404, "provider-not-enabled", f"no credentials configured for {provider}")
        tenant = request.match_info.get("tenant", settings.default_tenant)
        if not _TENANT.match(tenant):
            return _error(400, "bad-tenant", "tenant must match [A-Za-z0-9_.-]{1,128}")
        if request.content_length is not None and request.content_length > settings.max_body_bytes:
            return _error(413, "body-too-large", f"limit is {settings.max_body_bytes} bytes")
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return _error(413, "body-too-large", f"limit is {settings.max_body_bytes} bytes")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return _error(400, "malformed", "body is not UTF-8")
        received_at = clock()
        try:
            accepted = await check(request.headers, text, body, received_at)
        except SignatureError as exc:
            log.info("rejected %s webhook: %s", provider, exc.reason)
            return _error(401, exc.reason)
        except MalformedBody as exc:
            return _error(400, "malformed", str(exc))
        except UnsupportedFormat as exc:
            return _error(415, "unsupported-format", str(exc))
        try:
            await _publish(settings, producer, provider, tenant, received_at, accepted)
        except Exception as exc:  # any Kafka/client failure: the provider must retry
            log.warning("publishing %s webhook failed: %s: %s", provider, type(exc).__name__, exc)
            return _error(503, "kafka-unavailable", "events not stored; retry later")
        return web.json_response({"published": len(accepted.events), **accepted.info})

    async def healthz(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def readyz(request: web.Request) -> web.Response:
        try:
            client = producer.client
            ok = await asyncio.wait_for(client.force_metadata_update(), READY_TIMEOUT_SECONDS)
        except Exception:
            ok = False
        if not ok:
            return web.json_response({"status": "kafka-unavailable"}, status=503)
        return web.json_response({"status": "ready", "providers": sorted(auth.checks)})

    app.router.add_post("/webhooks/{provider}", webhook)
    app.router.add_post("/webhooks/{provider}/{tenant}", webhook)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    return app


async def _publish(
    settings: IngestSettings,
    producer: Any,
    provider: str,
    tenant: str,
    received_at: datetime,
    accepted: Accepted,
) -> None:
    """Send every event, then wait for every ack (or raise)."""
    if not accepted.events:
        return
    adapter = ADAPTERS[provider]

    async def send_all() -> None:
        futures = []
        for raw, value in accepted.events:
            envelope = WebhookEnvelope(
                provider=provider,  # type: ignore[arg-type]  # checked against ADAPTERS above
                tenant=tenant,
                received_at=received_at,
                payload=raw,
            )
            key = adapter.partition_key(value)
            futures.append(
                await producer.send(
                    settings.topic,
                    value=envelope.model_dump_json().encode("utf-8"),
                    key=key.encode("utf-8") if key else None,
                )
            )
        await asyncio.gather(*futures)

    await asyncio.wait_for(send_all(), settings.publish_timeout_seconds)
