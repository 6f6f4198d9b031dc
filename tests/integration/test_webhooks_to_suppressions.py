"""Provider webhooks all the way through: signed HTTP POST -> ingest -> <prefix>webhooks ->
worker -> a suppression for a hard bounce, and none for a block bounce, for every provider."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import orjson
import pytest
from aiohttp.test_utils import TestServer
from aiokafka import AIOKafkaProducer
from kafka_helpers import WorkerProcess, consume, json_values  # type: ignore[import-not-found]
from test_ingest_http import (  # type: ignore[import-not-found]  # signed-request builders
    BEARER,
    CERT_URL,
    KEYS,
    TOPIC_ARN,
    _settings,
    basic,
    mailgun_request,
    sendgrid_request,
    sns_request,
)

from bounceguard.edges.ingest import create_app
from bounceguard.edges.ingest.certificates import FileCertificateStore

pytestmark = [pytest.mark.kafka, pytest.mark.asyncio(loop_scope="session")]

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "providers"
SPAM_BLOCK = "550 5.7.1 Service unavailable; Client host [198.51.100.9] blocked using zen.spamhaus.org"


def _fixture_text(name: str, old: str, new: str) -> str:
    return (FIXTURES / name).read_text().replace(old, new).replace(old.capitalize(), new)


def ses(rcpt: str, block: bool) -> tuple[bytes, dict[str, str]]:
    name, old = (
        ("ses/bounce_permanent_general_spam_block.json", "reader@example.org")
        if block
        else ("ses/bounce_permanent_userunknown.json", "gone@example.com")
    )
    fixture = json.loads(_fixture_text(name, old, rcpt))
    fixture |= {"TopicArn": TOPIC_ARN, "MessageId": str(uuid.uuid4())}
    return sns_request({k: fixture[k] for k in ("Type", "MessageId", "TopicArn", "Message", "Timestamp")})


def sendgrid(rcpt: str, block: bool) -> tuple[bytes, dict[str, str]]:
    event = {
        "email": rcpt,
        "timestamp": int(time.time()),
        "event": "bounce",
        "sg_event_id": uuid.uuid4().hex,
        "sg_message_id": f"{uuid.uuid4().hex}.filter0001.1.0",
        "type": "blocked" if block else "bounce",
        "status": "5.7.1" if block else "5.1.1",
        "reason": SPAM_BLOCK if block else "550 5.1.1 The email account that you tried to reach does not exist.",
        "segment": "spring",
        "mailbox": "news",
    }
    return sendgrid_request(orjson.dumps([event]))


def mailgun(rcpt: str, block: bool) -> tuple[bytes, dict[str, str]]:
    body, headers = mailgun_request()
    payload = json.loads(body.decode().replace("gone@example.com", rcpt))
    payload["event-data"]["id"] = uuid.uuid4().hex
    if block:
        payload["event-data"]["delivery-status"] |= {"code": 550, "enhanced-code": "5.7.1", "message": SPAM_BLOCK}
    return json.dumps(payload).encode(), headers


def postmark(rcpt: str, block: bool) -> tuple[bytes, dict[str, str]]:
    name, old = (
        ("postmark/bounce_hard_but_blocked.json", "someone@example.net")
        if block
        else ("postmark/bounce_hard.json", "gone@example.com")
    )
    payload = json.loads(_fixture_text(name, old, rcpt))
    payload["ID"] = uuid.uuid4().int % 10**15
    return json.dumps(payload).encode(), {"Authorization": basic("pm", "pm-secret"), "Content-Type": "application/json"}


def sparkpost(rcpt: str, block: bool) -> tuple[bytes, dict[str, str]]:
    batch = json.loads(_fixture_text("sparkpost/batch_hard.json", "gone@example.com", rcpt))
    event = batch[0]["msys"]["message_event"]
    event["event_id"] = str(uuid.uuid4().int % 10**17)
    if block:
        event |= {"bounce_class": "51", "reason": SPAM_BLOCK, "raw_reason": SPAM_BLOCK, "error_code": "550"}
    return json.dumps(batch[:1]).encode(), {"Authorization": f"Bearer {BEARER}", "Content-Type": "application/json"}


BUILDERS = {"ses": ses, "sendgrid": sendgrid, "mailgun": mailgun, "postmark": postmark, "sparkpost": sparkpost}


@pytest.fixture(scope="module")
async def ingest(worker: WorkerProcess) -> AsyncIterator[TestServer]:
    producer = AIOKafkaProducer(bootstrap_servers=worker.bootstrap, acks="all", enable_idempotence=True)
    await producer.start()
    store = FileCertificateStore()
    store.add(CERT_URL, KEYS.cert)
    app = create_app(_settings(f"{worker.topic_prefix}webhooks"), producer, cert_store=store)
    server = TestServer(app, host="127.0.0.1", port=0)
    await server.start_server()
    yield server
    await server.close()
    await producer.stop()


async def _post(server: TestServer, path: str, body: bytes, headers: dict[str, str]) -> None:
    async with aiohttp.ClientSession() as s, s.post(server.make_url(path), data=body, headers=headers) as r:
        assert r.status == 200, (path, r.status, await r.text())


async def _address_status(worker: WorkerProcess, tenant: str, address: str) -> tuple[int, dict[str, Any]]:
    headers = {"Authorization": "Bearer admin-token"}
    url = worker.url(f"/suppressions/{tenant}/{address}")
    async with aiohttp.ClientSession() as s, s.get(url, headers=headers) as r:
        return r.status, await r.json()


@pytest.mark.parametrize("provider", sorted(BUILDERS))
async def test_hard_bounce_suppresses_block_bounce_does_not(
    provider: str, worker: WorkerProcess, ingest: TestServer
) -> None:
    tag = uuid.uuid4().hex[:8]
    hard_rcpt, block_rcpt = f"hard-{tag}@example.com", f"block-{tag}@example.com"
    await _post(
        ingest,
        f"/webhooks/{provider}/acme" if provider != "sparkpost" else "/webhooks/sparkpost",
        *BUILDERS[provider](block_rcpt, True),
    )
    await _post(
        ingest,
        f"/webhooks/{provider}/acme" if provider != "sparkpost" else "/webhooks/sparkpost",
        *BUILDERS[provider](hard_rcpt, False),
    )

    def has(records: list[Any], address: str) -> list[dict[str, Any]]:
        return [v for v in json_values(records) if v.get("address", v.get("recipient")) == address]

    supp = await consume(
        worker.bootstrap, f"{worker.topic_prefix}suppressions", until=lambda r: bool(has(r, hard_rcpt)), timeout=30
    )
    hard = has(supp, hard_rcpt)
    assert len(hard) == 1 and hard[0]["category"] == "hard" and hard[0]["reason"] == "userunknown"
    # The block bounce was decided (the address is known to the worker) and, being about the
    # sender, did not suppress the recipient. (Its classification as a block is the adapters'
    # unit tests' business; the events topic is not a record of it: events of the partition
    # they arrive in are decided in place.)
    tenant = hard[0]["tenant"]  # the same provider route maps both to one tenant
    status, body = await _address_status(worker, tenant, block_rcpt)
    deadline = asyncio.get_running_loop().time() + 30
    while not (status == 200 and body.get("known")) and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.5)
        status, body = await _address_status(worker, tenant, block_rcpt)
    assert status == 200 and body["known"] and body["status"] == "active", body
    await asyncio.sleep(2)
    supp = await consume(worker.bootstrap, f"{worker.topic_prefix}suppressions", until=lambda r: False, timeout=3)
    assert has(supp, block_rcpt) == []
