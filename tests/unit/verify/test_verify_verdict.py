"""Verdict combination and verify_address over an in-memory resolver (pure code)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import UTC, datetime

import pytest

from bounceguard.core import models
from bounceguard.core.addresses import InvalidTenant
from bounceguard.core.categories import Reason
from bounceguard.core.verify import (
    Check,
    CheckName,
    CheckResult,
    DomainAnswer,
    DomainReputation,
    DomainStatus,
    InMemoryDomainReputation,
    InMemorySuppressions,
    SuppressionInfo,
    Verdict,
    VerifyContext,
    verify_address,
    verify_many,
)
from bounceguard.core.verify.domain import judge_domain
from bounceguard.core.verify.verdict import combine
from bounceguard.core.verify.verifier import DEFAULT_TENANT

P, W, F, U, S = CheckResult.PASS, CheckResult.WARN, CheckResult.FAIL, CheckResult.UNKNOWN, CheckResult.SKIPPED


@pytest.mark.parametrize(
    ("results", "verdict"),
    [
        ([P, P, P], Verdict.DELIVERABLE),
        ([P, S, S], Verdict.DELIVERABLE),
        ([P, W, P], Verdict.RISKY),
        ([P, U, P], Verdict.UNKNOWN),
        ([P, U, W], Verdict.UNKNOWN),  # do not act on half the facts
        ([F, U, W], Verdict.UNDELIVERABLE),  # a failure decides
        ([W, F], Verdict.UNDELIVERABLE),
        ([], Verdict.DELIVERABLE),
    ],
)
def test_combine(results: list[CheckResult], verdict: Verdict) -> None:
    checks = [Check(name=CheckName.SYNTAX, result=r) for r in results]
    assert combine(checks) is verdict


@pytest.mark.parametrize(
    ("status", "result"),
    [
        (DomainStatus.MX, P),
        (DomainStatus.IMPLICIT_MX, P),
        (DomainStatus.NULL_MX, F),
        (DomainStatus.NXDOMAIN, F),
        (DomainStatus.NO_RECORDS, F),
        (DomainStatus.UNKNOWN, U),
    ],
)
def test_judge_domain(status: DomainStatus, result: CheckResult) -> None:
    check = judge_domain(DomainAnswer(status, hosts=("mx.example.com",)))
    assert check.name is CheckName.DOMAIN and check.result is result and check.detail


class TableResolver:
    """Answers from a dict; unknown domains are NXDOMAIN; 'boom.example' raises."""

    def __init__(self, table: Mapping[str, DomainStatus]) -> None:
        self.table = table
        self.asked: list[str] = []

    async def lookup(self, domain: str) -> DomainAnswer:
        self.asked.append(domain)
        if domain == "boom.example":
            raise RuntimeError("resolver broke")
        return DomainAnswer(self.table.get(domain, DomainStatus.NXDOMAIN), hosts=(f"mx.{domain}",))


class BrokenSuppressions:
    async def get(self, tenant: str, address: str) -> SuppressionInfo | None:
        raise ConnectionError("table not ready")


RESOLVER = TableResolver(
    {
        "example.com": DomainStatus.MX,
        "gmial.com": DomainStatus.MX,
        "mailinator.com": DomainStatus.MX,
        "nullmx.example": DomainStatus.NULL_MX,
        "slow.example": DomainStatus.UNKNOWN,
        "bounced.example": DomainStatus.MX,
    }
)
SINCE = datetime(2026, 1, 1, tzinfo=UTC)
CTX = VerifyContext(
    resolver=RESOLVER,
    suppressions=InMemorySuppressions(
        {("acme", "gone@example.com"): SuppressionInfo(reason=Reason.USERUNKNOWN, since=SINCE)}
    ),
    reputation=InMemoryDomainReputation({"bounced.example": DomainReputation(reason=Reason.HOSTUNKNOWN, count=4)}),
)


@pytest.mark.parametrize(
    ("address", "tenant", "verdict", "decisive", "suggestion"),
    [
        ("bob@example.com", "acme", Verdict.DELIVERABLE, None, None),
        ("gone@example.com", "acme", Verdict.UNDELIVERABLE, CheckName.SUPPRESSION, None),
        ("gone@example.com", "other", Verdict.DELIVERABLE, None, None),  # suppressions are per tenant
        ("bob@gmial.com", "acme", Verdict.RISKY, CheckName.TYPO, "bob@gmail.com"),
        ("bob@mailinator.com", "acme", Verdict.RISKY, CheckName.DISPOSABLE, None),
        ("postmaster@example.com", "acme", Verdict.RISKY, CheckName.ROLE, None),
        ("bob@bounced.example", "acme", Verdict.RISKY, CheckName.DOMAIN_REPUTATION, None),
        ("bob@nullmx.example", "acme", Verdict.UNDELIVERABLE, CheckName.DOMAIN, None),
        ("bob@nowhere.example", "acme", Verdict.UNDELIVERABLE, CheckName.DOMAIN, None),
        ("bob@slow.example", "acme", Verdict.UNKNOWN, CheckName.DOMAIN, None),
        ("bob@boom.example", "acme", Verdict.UNKNOWN, CheckName.DOMAIN, None),  # resolver error: unknown
        ("bob@[192.0.2.1]", "acme", Verdict.RISKY, CheckName.DOMAIN, None),  # literal: no DNS
        ("not-an-address", "acme", Verdict.UNDELIVERABLE, CheckName.SYNTAX, None),
    ],
)
async def test_verify_address(
    address: str, tenant: str, verdict: Verdict, decisive: CheckName | None, suggestion: str | None
) -> None:
    result = await verify_address(address, tenant=tenant, ctx=CTX)
    assert result.verdict is verdict, result
    assert result.suggestion == suggestion
    assert [c.name for c in result.checks] == list(CheckName)  # every check reported, in one order
    not_passed = {c.name for c in result.checks if c.result not in (P, S)}
    if decisive is None:
        assert not_passed == set()
    else:
        assert decisive in not_passed


async def test_syntax_failure_skips_every_other_check_and_asks_no_dns() -> None:
    resolver = TableResolver({})
    result = await verify_address("bad", ctx=VerifyContext(resolver=resolver))
    assert {c.result for c in result.checks[1:]} == {S}
    assert resolver.asked == []


async def test_broken_lookup_is_unknown_not_a_crash() -> None:
    ctx = VerifyContext(resolver=RESOLVER, suppressions=BrokenSuppressions())
    result = await verify_address("bob@example.com", ctx=ctx)
    check = result.check(CheckName.SUPPRESSION)
    assert check is not None and check.result is U and "table not ready" in check.detail
    assert result.verdict is Verdict.UNKNOWN


@pytest.mark.parametrize("tenant", ["", "a/b", "x" * 129, "späce"])
async def test_invalid_tenant_raises(tenant: str) -> None:
    with pytest.raises(InvalidTenant):
        await verify_address("bob@example.com", tenant=tenant, ctx=CTX)


@pytest.mark.parametrize("concurrency", [1, 3, 1000])
async def test_verify_many_keeps_order(concurrency: int) -> None:
    ctx = VerifyContext(resolver=RESOLVER, concurrency=concurrency)
    addresses = ["a@example.com", "bad", "b@nullmx.example", "c@slow.example", "d@example.com"]
    results = await verify_many(addresses, ctx=ctx)
    assert [r.address for r in results] == addresses
    assert [r.verdict for r in results] == [
        Verdict.DELIVERABLE,
        Verdict.UNDELIVERABLE,
        Verdict.UNDELIVERABLE,
        Verdict.UNKNOWN,
        Verdict.DELIVERABLE,
    ]


def test_default_tenant_matches_models() -> None:
    assert DEFAULT_TENANT == models.DEFAULT_TENANT


def test_result_is_in_schema_list() -> None:
    schema = models.TOPIC_MODELS["verification-result"].model_json_schema()
    assert set(schema["required"]) >= {"address", "verdict", "checks"}


class GatedResolver:
    """'slow.example' answers only after every other domain has been looked up."""

    def __init__(self, others: int) -> None:
        self.others = others
        self.seen = 0
        self.gate = asyncio.Event()

    async def lookup(self, domain: str) -> DomainAnswer:
        if domain == "slow.example":
            await self.gate.wait()
        else:
            self.seen += 1
            if self.seen == self.others:
                self.gate.set()
        return DomainAnswer(DomainStatus.MX, hosts=(f"mx.{domain}",))


async def test_slow_head_does_not_stall_the_rest() -> None:
    # With only the head-of-line window this would wait forever: the slow address needs
    # the ten after it to be looked up while holding one of the two slots.
    resolver = GatedResolver(others=10)
    ctx = VerifyContext(resolver=resolver, concurrency=2)
    addresses = ["a@slow.example", *(f"b@d{i}.example" for i in range(10))]
    results = await asyncio.wait_for(verify_many(addresses, ctx=ctx), timeout=10)
    assert [r.address for r in results] == addresses
