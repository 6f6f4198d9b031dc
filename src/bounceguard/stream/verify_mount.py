"""Pre-send verification served by the worker, answering from what the stream knows.

`POST /verify` on the worker sees the address table (suppressed addresses, with reason) and
the domains this worker saw hard-bounce as hostunknown / notaccept. Both are this worker's
partitions: with several workers, run verification next to one that owns the key, or ask
`GET /suppressions/{tenant}/{address}`, which forwards to the owner.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime
from typing import Any

from bounceguard.core.address_step import record_from_json
from bounceguard.core.addresses import address_key
from bounceguard.core.categories import Reason
from bounceguard.core.verify.models import DomainReputation, SuppressionInfo
from bounceguard.edges.auth import TokenAuth
from bounceguard.edges.verify.settings import VerifySettings, build_context
from bounceguard.edges.verify_api import add_verify_routes
from bounceguard.stream.app import Pipeline

DOMAIN_REASONS = frozenset({Reason.HOSTUNKNOWN, Reason.NOTACCEPT})


class TableSuppressions:
    """SuppressionLookup over the worker's address table."""

    def __init__(self, table: Any) -> None:
        self._table = table

    async def get(self, tenant: str, address: str) -> SuppressionInfo | None:
        raw = self._table.get(address_key(tenant, address).encode())
        if not raw:
            return None
        history = record_from_json(raw).history
        if not history.suppressed:
            return None
        return SuppressionInfo(reason=history.reason, since=history.since)


class RecentDomainFailures:
    """DomainReputationLookup fed by the address agent; bounded, newest kept."""

    def __init__(self, capacity: int = 50_000) -> None:
        self._capacity = capacity
        self._seen: OrderedDict[str, DomainReputation] = OrderedDict()

    def record(self, domain: str, reason: Reason, at: datetime) -> None:
        previous = self._seen.pop(domain, None)
        count = previous.count + 1 if previous else 1
        self._seen[domain] = DomainReputation(reason=reason, count=count, last_seen=at)
        while len(self._seen) > self._capacity:
            self._seen.popitem(last=False)

    async def get(self, domain: str) -> DomainReputation | None:
        return self._seen.get(domain)


def install(pipeline: Pipeline, domain_failures: RecentDomainFailures) -> None:
    ctx = build_context(
        VerifySettings(),
        suppressions=TableSuppressions(pipeline.tables["address-state"]),
        reputation=domain_failures,
    )
    auth = TokenAuth.from_spec(pipeline.settings.api_tokens)
    add_verify_routes(pipeline.app.web.web_app, ctx, auth)
