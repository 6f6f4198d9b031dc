"""Domain checks against a real DNS server (dnsmasq / a slow dnspython server) on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from dns_server import Dnsmasq, SlowDnsServer, Zone, running_dnsmasq

from bounceguard.core.categories import Reason
from bounceguard.core.verify import (
    CheckName,
    CheckResult,
    DomainStatus,
    InMemoryDomainReputation,
    InMemorySuppressions,
    SuppressionInfo,
    Verdict,
    VerifyContext,
    verify_address,
    verify_many,
)
from bounceguard.core.verify.models import DomainReputation
from bounceguard.core.verify.typos import TypoSuggester
from bounceguard.edges.verify.resolver import DnsDomainResolver

ZONE = Zone(
    local=("example",),
    mx=(
        ("mx.example", "mail.mx.example", 10),
        ("mx.example", "backup.mx.example", 20),
        ("nullmx.example", ".", 0),
        ("gmial.example", "mail.mx.example", 10),
    ),
    hosts=(("mail.mx.example", "192.0.2.10"), ("aonly.example", "192.0.2.20"), ("v6only.example", "2001:db8::1")),
    nxdomain=("nx.example",),
    txt_only=("txtonly.example",),
    ttl=300,
)


@pytest.fixture(scope="module")
def dnsmasq() -> Iterator[Dnsmasq]:
    with running_dnsmasq(ZONE) as server:
        yield server


def context(resolver: DnsDomainResolver, **kwargs: object) -> VerifyContext:
    return VerifyContext(resolver=resolver, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("domain", "status", "hosts"),
    [
        ("mx.example", DomainStatus.MX, ("mail.mx.example", "backup.mx.example")),
        ("aonly.example", DomainStatus.IMPLICIT_MX, ("aonly.example",)),
        ("v6only.example", DomainStatus.IMPLICIT_MX, ("v6only.example",)),
        ("nullmx.example", DomainStatus.NULL_MX, ()),
        ("nx.example", DomainStatus.NXDOMAIN, ()),
        ("sub.nx.example", DomainStatus.NXDOMAIN, ()),
        ("unlisted.example", DomainStatus.NXDOMAIN, ()),
        ("txtonly.example", DomainStatus.NO_RECORDS, ()),
        ("outside-the-zone.org", DomainStatus.UNKNOWN, ()),  # dnsmasq answers REFUSED
    ],
)
async def test_domain_status(dnsmasq: Dnsmasq, domain: str, status: DomainStatus, hosts: tuple[str, ...]) -> None:
    resolver = DnsDomainResolver([dnsmasq.nameserver])
    answer = await resolver.lookup(domain)
    assert answer.status is status, answer
    assert answer.hosts == hosts


@pytest.mark.parametrize(
    ("address", "verdict", "domain_result"),
    [
        ("Alice@MX.example", Verdict.DELIVERABLE, CheckResult.PASS),
        ("alice@aonly.example", Verdict.DELIVERABLE, CheckResult.PASS),
        ("alice@nullmx.example", Verdict.UNDELIVERABLE, CheckResult.FAIL),
        ("alice@nx.example", Verdict.UNDELIVERABLE, CheckResult.FAIL),
        ("alice@txtonly.example", Verdict.UNDELIVERABLE, CheckResult.FAIL),
        ("alice@outside-the-zone.org", Verdict.UNKNOWN, CheckResult.UNKNOWN),
        ("postmaster@mx.example", Verdict.RISKY, CheckResult.PASS),
        ("not an address", Verdict.UNDELIVERABLE, CheckResult.SKIPPED),
    ],
)
async def test_verdict_over_real_dns(
    dnsmasq: Dnsmasq, address: str, verdict: Verdict, domain_result: CheckResult
) -> None:
    result = await verify_address(address, ctx=context(DnsDomainResolver([dnsmasq.nameserver])))
    assert result.verdict is verdict, result
    domain_check = result.check(CheckName.DOMAIN)
    assert domain_check is not None and domain_check.result is domain_result


async def test_slow_server_gives_unknown_not_invalid() -> None:
    with SlowDnsServer(delay=2.0) as slow:
        resolver = DnsDomainResolver([slow.nameserver], timeout=0.2, lifetime=0.3)
        result = await verify_address("bob@slow.example", ctx=context(resolver))
        assert slow.queries >= 1
    assert result.verdict is Verdict.UNKNOWN
    check = result.check(CheckName.DOMAIN)
    assert check is not None and check.result is CheckResult.UNKNOWN
    assert "timeout" in check.detail.lower()


async def test_slow_server_answer_within_lifetime_is_used() -> None:
    with SlowDnsServer(delay=0.1) as slow:
        resolver = DnsDomainResolver([slow.nameserver], timeout=2.0, lifetime=3.0)
        answer = await resolver.lookup("patient.example")
    assert answer.status is DomainStatus.MX
    assert answer.hosts == ("mx.patient.example",)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_cache_respects_ttl(dnsmasq: Dnsmasq) -> None:
    clock = FakeClock()
    resolver = DnsDomainResolver([dnsmasq.nameserver], clock=clock)
    await resolver.lookup("mx.example")
    assert resolver.stats.queries == 1
    clock.now += 299  # zone TTL is 300 s
    await resolver.lookup("mx.example")
    assert resolver.stats.queries == 1 and resolver.stats.cache_hits == 1
    clock.now += 2
    await resolver.lookup("mx.example")
    assert resolver.stats.queries == 2


async def test_max_ttl_caps_the_cache(dnsmasq: Dnsmasq) -> None:
    clock = FakeClock()
    resolver = DnsDomainResolver([dnsmasq.nameserver], clock=clock, max_ttl=10)
    await resolver.lookup("aonly.example")
    queries = resolver.stats.queries  # MX (no data) + A
    clock.now += 11
    await resolver.lookup("aonly.example")
    assert resolver.stats.queries == 2 * queries


async def test_concurrent_lookups_of_one_domain_share_one_query(dnsmasq: Dnsmasq) -> None:
    resolver = DnsDomainResolver([dnsmasq.nameserver])
    results = await verify_many([f"user{i}@mx.example" for i in range(50)], ctx=context(resolver))
    assert {r.verdict for r in results} == {Verdict.DELIVERABLE}
    assert resolver.stats.queries == 1
    assert [r.normalized for r in results] == [f"user{i}@mx.example" for i in range(50)]


async def test_suppression_and_domain_history(dnsmasq: Dnsmasq) -> None:
    ctx = context(
        DnsDomainResolver([dnsmasq.nameserver]),
        suppressions=InMemorySuppressions({("acme", "gone@mx.example"): SuppressionInfo(reason=Reason.USERUNKNOWN)}),
        reputation=InMemoryDomainReputation({"aonly.example": DomainReputation(reason=Reason.HOSTUNKNOWN, count=3)}),
    )
    gone = await verify_address("gone@mx.example", tenant="acme", ctx=ctx)
    other_tenant = await verify_address("gone@mx.example", tenant="other", ctx=ctx)
    flaky = await verify_address("bob@aonly.example", tenant="acme", ctx=ctx)
    assert gone.verdict is Verdict.UNDELIVERABLE
    assert "userunknown" in (gone.check(CheckName.SUPPRESSION) or pytest.fail()).detail
    assert other_tenant.verdict is Verdict.DELIVERABLE
    assert flaky.verdict is Verdict.RISKY
    assert (flaky.check(CheckName.DOMAIN_REPUTATION) or pytest.fail()).result is CheckResult.WARN


async def test_typo_domain_with_mail_is_risky_with_suggestion(dnsmasq: Dnsmasq) -> None:
    ctx = context(
        DnsDomainResolver([dnsmasq.nameserver]), typos=TypoSuggester(popular=["gmail.example"], known_good=[])
    )
    result = await verify_address("Bob@gmial.example", ctx=ctx)
    assert result.verdict is Verdict.RISKY
    assert result.suggestion == "bob@gmail.example"
