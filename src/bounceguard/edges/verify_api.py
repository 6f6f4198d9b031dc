"""HTTP API for pre-send verification (aiohttp).

    POST /verify        {"address": "bob@example.com", "tenant": "acme"}  -> VerificationResult
    POST /verify/batch  {"addresses": ["...", ...], "tenant": "acme"}     -> {"results": [...]}

Bearer-token auth (``BOUNCEGUARD_API_TOKENS``, see ``bounceguard.edges.auth``): 401 without
a valid token, 403 when the token belongs to another tenant. ``tenant`` defaults to the
token's own tenant. A batch above the configured size is 413; malformed bodies are 400.
``add_verify_routes`` mounts the routes on any application, e.g. the worker's web server.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from aiohttp import web

from bounceguard.core.addresses import InvalidTenant
from bounceguard.core.verify.verifier import DEFAULT_TENANT, VerifyContext, verify_address, verify_many
from bounceguard.edges.auth import TokenAuth

__all__ = ["add_verify_routes", "make_verify_app", "serve_verify_api"]

MAX_ADDRESS_CHARS = 1024


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


class _VerifyHandlers:
    def __init__(self, ctx: VerifyContext, auth: TokenAuth, batch_max: int) -> None:
        self.ctx = ctx
        self.auth = auth
        self.batch_max = batch_max

    async def _body(self, request: web.Request) -> dict[str, Any] | web.Response:
        granted = self.auth.tenant_of(request.headers.get("Authorization"))
        if granted is None:
            return _error(401, "missing or invalid bearer token")
        try:
            body = json.loads(await request.read())
        except (ValueError, UnicodeDecodeError):
            return _error(400, "body must be a JSON object")
        if not isinstance(body, dict):
            return _error(400, "body must be a JSON object")
        tenant = body.get("tenant", DEFAULT_TENANT if granted == "*" else granted)
        if not isinstance(tenant, str):
            return _error(400, "tenant must be a string")
        denied = self.auth.check(request.headers.get("Authorization"), tenant)
        if denied is not None:
            return _error(*denied)
        body["tenant"] = tenant
        return body

    async def verify_one(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        if isinstance(body, web.Response):
            return body
        address = body.get("address")
        if not isinstance(address, str) or len(address) > MAX_ADDRESS_CHARS:
            return _error(400, f"'address' must be a string of at most {MAX_ADDRESS_CHARS} characters")
        try:
            result = await verify_address(address, tenant=body["tenant"], ctx=self.ctx)
        except InvalidTenant as exc:
            return _error(400, str(exc))
        return web.Response(text=result.model_dump_json(), content_type="application/json")

    async def verify_batch(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        if isinstance(body, web.Response):
            return body
        addresses = body.get("addresses")
        if not isinstance(addresses, list):
            return _error(400, "'addresses' must be a list of strings")
        if len(addresses) > self.batch_max:
            return _error(413, f"at most {self.batch_max} addresses per batch, got {len(addresses)}")
        if not all(isinstance(a, str) and len(a) <= MAX_ADDRESS_CHARS for a in addresses):
            return _error(400, f"'addresses' must be strings of at most {MAX_ADDRESS_CHARS} characters")
        try:
            results = await verify_many(addresses, tenant=body["tenant"], ctx=self.ctx)
        except InvalidTenant as exc:
            return _error(400, str(exc))
        text = '{"results":[' + ",".join(r.model_dump_json() for r in results) + "]}"
        return web.Response(text=text, content_type="application/json")


def add_verify_routes(app: web.Application, ctx: VerifyContext, auth: TokenAuth, *, batch_max: int = 1000) -> None:
    """Mount ``POST /verify`` and ``POST /verify/batch`` on `app`."""
    handlers = _VerifyHandlers(ctx, auth, batch_max)
    app.router.add_post("/verify", handlers.verify_one)
    app.router.add_post("/verify/batch", handlers.verify_batch)


def make_verify_app(ctx: VerifyContext, auth: TokenAuth, *, batch_max: int = 1000) -> web.Application:
    """A standalone application with only the verification routes."""
    # room for batch_max addresses of the longest allowed size, JSON-quoted
    app = web.Application(client_max_size=max(1024**2, batch_max * (MAX_ADDRESS_CHARS * 2 + 8)))
    add_verify_routes(app, ctx, auth, batch_max=batch_max)
    return app


async def serve_verify_api(ctx: VerifyContext, auth: TokenAuth, *, host: str, port: int, batch_max: int = 1000) -> None:
    """Serve until cancelled."""
    runner = web.AppRunner(make_verify_app(ctx, auth, batch_max=batch_max))
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
