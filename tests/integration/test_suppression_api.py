"""The suppression API over real HTTP on a running worker: auth, reads from the table, manual changes."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import aiohttp
import orjson
import pytest
from kafka_helpers import WorkerProcess, consume, json_values, produce  # type: ignore[import-not-found]

pytestmark = [pytest.mark.kafka]

ACME = {"Authorization": "Bearer test-token"}


async def _get(worker: WorkerProcess, path: str, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    async with aiohttp.ClientSession() as s, s.get(worker.url(path), headers=headers or {}) as r:
        return r.status, await r.json(content_type=None)


async def _hard_bounce(worker: WorkerProcess, rcpt: str) -> None:
    body = {
        "recipient": rcpt,
        "outcome": "bounced",
        "timestamp": "2026-05-01T08:00:00Z",
        "tenant": "acme",
        "reply_code": 550,
        "enhanced_status": "5.1.1",
        "diagnostic": "550 5.1.1 No such user",
        "event_id": uuid.uuid4().hex,
    }
    await produce(worker.bootstrap, f"{worker.topic_prefix}send-results", [(None, orjson.dumps(body))])


async def test_requests_without_valid_token_are_rejected(worker: WorkerProcess) -> None:
    assert (await _get(worker, "/suppressions/acme/a@example.org"))[0] == 401
    assert (await _get(worker, "/suppressions/acme/a@example.org", {"Authorization": "Bearer nope"}))[0] == 401
    assert (await _get(worker, "/suppressions/acme/a@example.org", {"Authorization": "test-token"}))[0] == 401


async def test_token_cannot_read_another_tenant(worker: WorkerProcess) -> None:
    status, body = await _get(worker, "/suppressions/globex/a@example.org", ACME)
    assert status == 403
    assert "globex" in body["error"]


async def test_lookup_reflects_the_stream_and_manual_unsuppress_is_an_event(worker: WorkerProcess) -> None:
    rcpt = f"api-{uuid.uuid4().hex[:8]}@Example.ORG"
    normalized = rcpt.lower()
    status, body = await _get(worker, f"/suppressions/acme/{rcpt}", ACME)
    assert status == 200 and body["known"] is False and body["status"] == "active"

    await _hard_bounce(worker, rcpt)
    for _ in range(60):
        status, body = await _get(worker, f"/suppressions/acme/{rcpt}", ACME)
        if body.get("status") == "suppressed":
            break
        await asyncio.sleep(0.5)
    assert body["status"] == "suppressed", body
    assert body["reason"] == "userunknown"
    assert body["address"] == normalized

    listing = (await _get(worker, "/suppressions/acme?limit=500", ACME))[1]
    assert normalized in [item["address"] for item in listing["items"]]

    change = {"action": "unsuppress", "actor": "support@acme.example", "note": "customer confirmed the address"}
    async with (
        aiohttp.ClientSession() as s,
        s.post(worker.url(f"/suppressions/acme/{rcpt}"), data=orjson.dumps(change), headers=ACME) as r,
    ):
        assert r.status == 202, await r.text()

    def mine(records: list[Any]) -> list[dict[str, Any]]:
        return [v for v in json_values(records) if v["address"] == normalized]

    records = await consume(worker.bootstrap, f"{worker.topic_prefix}suppressions", until=lambda r: len(mine(r)) >= 2)
    actions = [(v["action"], v.get("actor")) for v in mine(records)]
    assert actions == [("suppress", None), ("unsuppress", "support@acme.example")]
    status, body = await _get(worker, f"/suppressions/acme/{rcpt}", ACME)
    assert body["status"] == "active"


async def test_manual_change_rejects_bad_bodies(worker: WorkerProcess) -> None:
    async with aiohttp.ClientSession() as s:
        for data in (b"{", orjson.dumps({"action": "explode", "actor": "x"}), orjson.dumps({"action": "suppress"})):
            async with s.post(worker.url("/suppressions/acme/x@example.org"), data=data, headers=ACME) as r:
                assert r.status == 400, data


async def test_verification_on_the_worker_reflects_stream_suppressions(worker: WorkerProcess) -> None:
    rcpt = f"verify-{uuid.uuid4().hex[:8]}@example.org"

    async def verify() -> dict[str, Any]:
        async with (
            aiohttp.ClientSession() as s,
            s.post(worker.url("/verify"), data=orjson.dumps({"address": rcpt}), headers=ACME) as r,
        ):
            assert r.status == 200, await r.text()
            body: dict[str, Any] = await r.json()
            return body

    def suppression_check(result: dict[str, Any]) -> dict[str, Any]:
        return next(c for c in result["checks"] if c["name"] == "suppression")

    before = await verify()
    assert suppression_check(before)["result"] == "pass"
    await _hard_bounce(worker, rcpt)
    for _ in range(60):
        after = await verify()
        if suppression_check(after)["result"] == "fail":
            break
        await asyncio.sleep(0.5)
    assert suppression_check(after)["result"] == "fail", after
    assert after["verdict"] == "undeliverable"
    assert "userunknown" in (suppression_check(after).get("detail") or "")
