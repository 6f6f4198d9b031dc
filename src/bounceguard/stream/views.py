"""The worker's HTTP surface: health, Prometheus metrics and the suppression API.

The suppression API is served from the address table; a request for a key whose partition
another worker owns is forwarded to that worker (Faust's router), so any worker answers.
Manual suppress/unsuppress is published as an event on the events topic, so it takes the
same path (and the same audit trail) as every bounce.
"""

from __future__ import annotations

import base64
from typing import Any

import aiohttp
import orjson
from faust.exceptions import SameNode  # raised by the router when the key lives on this worker
from faust.web import View
from prometheus_client import CONTENT_TYPE_LATEST

from bounceguard.core.address_history import AddressHistory, history_to_builtins
from bounceguard.core.address_step import record_from_json
from bounceguard.core.addresses import InvalidAddress, address_key, normalize_address
from bounceguard.core.manual import ManualChangeRequest, manual_event
from bounceguard.edges import metrics
from bounceguard.edges.auth import TokenAuth
from bounceguard.stream.app import Pipeline

_PAGE_MAX = 500


def install(pipeline: Pipeline) -> None:
    app = pipeline.app
    auth = TokenAuth.from_spec(pipeline.settings.api_tokens)
    state: dict[str, bool] = {"ready": False}

    @app.on_partitions_assigned.connect  # type: ignore[untyped-decorator]
    async def _assigned(sender: Any, assigned: Any, **kwargs: Any) -> None:
        state["ready"] = True

    @app.page("/healthz")  # type: ignore[untyped-decorator]
    async def healthz(web: Any, request: Any) -> Any:
        return web.json({"status": "ok"})

    @app.page("/readyz")  # type: ignore[untyped-decorator]
    async def readyz(web: Any, request: Any) -> Any:
        recovered = bool(app.tables.recovery.completed.is_set()) if app.tables else True
        connected = (app.consumer is not None and bool(app.consumer.assignment())) or state["ready"]
        ok = recovered and connected
        body = {"status": "ready" if ok else "starting", "recovered": recovered, "assigned": connected}
        return web.json(body, status=200 if ok else 503)

    @app.page("/metrics")  # type: ignore[untyped-decorator]
    async def prometheus_metrics(web: Any, request: Any) -> Any:
        metrics.refresh_consumer_lag(app)
        return web.bytes(metrics.exposition(), content_type=CONTENT_TYPE_LATEST.split(";")[0])

    addresses = pipeline.tables["address-state"]

    @app.page("/suppressions/{tenant}/{address}")
    class SuppressionView(View):  # type: ignore[misc]
        async def get(self, request: Any, tenant: str, address: str) -> Any:
            denied = auth.check(request.headers.get("Authorization"), tenant)
            if denied:
                return self.json({"error": denied[1]}, status=denied[0])
            try:
                key = address_key(tenant, normalize_address(address))
            except (InvalidAddress, ValueError) as exc:
                return self.json({"error": str(exc)}, status=400)
            try:
                return await app.router.route_req(addresses.name, key.encode(), self.web, request)
            except SameNode:
                pass
            except (aiohttp.ClientError, OSError) as exc:
                # The owner this worker knows of is gone: during a rebalance the assignment is
                # stale for a few seconds. Ask the client to retry instead of failing with a 500.
                body = {"error": f"the worker holding this address is unreachable ({type(exc).__name__}); "
                        "the group is probably rebalancing, retry shortly"}  # fmt: skip
                return self.json(body, status=503, headers={"Retry-After": "2"})
            raw = addresses.get(key.encode())
            if not raw:
                return self.json(
                    {"tenant": tenant, "address": key.split("/", 1)[1], "status": "active", "known": False}
                )
            history = record_from_json(raw).history
            return self.json(history_view(tenant, key, history))

        async def post(self, request: Any, tenant: str, address: str) -> Any:
            denied = auth.check(request.headers.get("Authorization"), tenant)
            if denied:
                return self.json({"error": denied[1]}, status=denied[0])
            try:
                body = ManualChangeRequest.model_validate(orjson.loads(await request.read()))
                event = manual_event(tenant=tenant, address=address, request=body)
            except ValueError as exc:
                return self.json({"error": str(exc)}, status=400)
            key = address_key(event.tenant, event.recipient).encode()
            await pipeline.topic("events").send(key=key, value=event.model_dump_json().encode())
            return self.json({"accepted": True, "event_id": event.event_id}, status=202)

    @app.page("/suppressions/{tenant}")
    class SuppressionList(View):  # type: ignore[misc]
        async def get(self, request: Any, tenant: str) -> Any:
            """Suppressed addresses of a tenant held by THIS worker's partitions, paged by cursor."""
            denied = auth.check(request.headers.get("Authorization"), tenant)
            if denied:
                return self.json({"error": denied[1]}, status=denied[0])
            try:
                limit = max(1, min(_PAGE_MAX, int(request.query.get("limit", "100"))))
            except ValueError:
                return self.json({"error": "limit must be an integer"}, status=400)
            cursor = request.query.get("cursor")
            after = base64.urlsafe_b64decode(cursor.encode()) if cursor else b""
            prefix = f"{tenant}/".encode()
            keys = sorted(k for k in addresses if k.startswith(prefix) and k > after)
            items: list[dict[str, Any]] = []
            next_cursor = None
            for k in keys:
                history = record_from_json(addresses[k]).history
                if not history.suppressed:
                    continue
                items.append(history_view(tenant, k.decode(), history))
                if len(items) >= limit:
                    next_cursor = base64.urlsafe_b64encode(k).decode()
                    break
            return self.json({"items": items, "next_cursor": next_cursor, "scope": "this-worker"})


def history_view(tenant: str, key: str, history: AddressHistory) -> dict[str, Any]:
    data = history_to_builtins(history)
    return {"tenant": tenant, "address": key.split("/", 1)[1], "known": True, **data}
