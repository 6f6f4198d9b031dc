"""The verification HTTP API on a real aiohttp server on 127.0.0.1, over real DNS (dnsmasq)."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Iterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from dns_server import Dnsmasq, Zone, running_dnsmasq

from bounceguard.core.verify import VerifyContext
from bounceguard.edges.auth import TokenAuth
from bounceguard.edges.verify.resolver import DnsDomainResolver
from bounceguard.edges.verify_api import make_verify_app

ZONE = Zone(local=("example",), mx=(("mx.example", "mail.mx.example", 10),), nxdomain=("nx.example",))
AUTH = TokenAuth.from_spec("acme-token:acme,other-token:other,admin-token:*")
BATCH_MAX = 5


@pytest.fixture(scope="module")
def dnsmasq() -> Iterator[Dnsmasq]:
    with running_dnsmasq(ZONE) as server:
        yield server


@pytest.fixture
async def base_url(dnsmasq: Dnsmasq) -> AsyncIterator[str]:
    ctx = VerifyContext(resolver=DnsDomainResolver([dnsmasq.nameserver]))
    runner = web.AppRunner(make_verify_app(ctx, AUTH, batch_max=BATCH_MAX))
    await runner.setup()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


async def post(url: str, body: Any, token: str | None = None, raw: bytes | None = None) -> tuple[int, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with aiohttp.ClientSession() as session:
        kwargs: dict[str, Any] = {"data": raw} if raw is not None else {"json": body}
        async with session.post(url, headers=headers, **kwargs) as response:
            return response.status, await response.json()


@pytest.mark.parametrize(
    ("path", "body", "token", "status"),
    [
        ("/verify", {"address": "bob@mx.example"}, None, 401),
        ("/verify", {"address": "bob@mx.example"}, "wrong-token", 401),
        ("/verify/batch", {"addresses": ["bob@mx.example"]}, None, 401),
        ("/verify", {"address": "bob@mx.example", "tenant": "other"}, "acme-token", 403),
        ("/verify/batch", {"addresses": ["bob@mx.example"], "tenant": "other"}, "acme-token", 403),
        ("/verify", {"address": "bob@mx.example", "tenant": "acme"}, "acme-token", 200),
        ("/verify", {"address": "bob@mx.example"}, "acme-token", 200),
        ("/verify", {"address": "bob@mx.example", "tenant": "other"}, "admin-token", 200),
        ("/verify", {"address": "bob@mx.example", "tenant": "bad/tenant"}, "admin-token", 400),
        ("/verify", {"address": 42}, "acme-token", 400),
        ("/verify", ["bob@mx.example"], "acme-token", 400),
        ("/verify/batch", {"addresses": "bob@mx.example"}, "acme-token", 400),
        ("/verify/batch", {"addresses": ["a@mx.example", None]}, "acme-token", 400),
        ("/verify/batch", {"addresses": [f"u{i}@mx.example" for i in range(BATCH_MAX)]}, "acme-token", 200),
        ("/verify/batch", {"addresses": [f"u{i}@mx.example" for i in range(BATCH_MAX + 1)]}, "acme-token", 413),
    ],
)
async def test_status(base_url: str, path: str, body: Any, token: str | None, status: int) -> None:
    got, payload = await post(base_url + path, body, token)
    assert got == status, payload
    if status != 200:
        assert isinstance(payload["error"], str) and payload["error"]


async def test_invalid_json_is_400(base_url: str) -> None:
    status, payload = await post(base_url + "/verify", None, "acme-token", raw=b"{not json")
    assert status == 400 and "JSON" in payload["error"]


async def test_single_result_body(base_url: str) -> None:
    status, payload = await post(base_url + "/verify", {"address": " Bob@MX.example "}, "acme-token")
    assert status == 200
    assert payload["verdict"] == "deliverable"
    assert payload["normalized"] == "bob@mx.example"
    assert {c["name"] for c in payload["checks"]} >= {"syntax", "domain", "disposable", "role", "typo"}


async def test_batch_results_keep_order(base_url: str) -> None:
    addresses = ["bob@mx.example", "bob@nx.example", "nonsense", "abuse@mx.example"]
    status, payload = await post(base_url + "/verify/batch", {"addresses": addresses}, "acme-token")
    assert status == 200
    assert [r["address"] for r in payload["results"]] == addresses
    assert [r["verdict"] for r in payload["results"]] == ["deliverable", "undeliverable", "undeliverable", "risky"]
