"""What DNS says about a mail domain, and what that means for deliverability.

The resolver that asks DNS lives in ``bounceguard.edges.verify.resolver``; this module
only names the answers and judges them, so the judgement is testable without a network.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Protocol

from bounceguard.core.verify.models import Check, CheckName, CheckResult, make_check


class DomainStatus(StrEnum):
    MX = "mx"  # MX records with at least one real exchange
    IMPLICIT_MX = "implicit_mx"  # no MX, but A/AAAA: RFC 5321 §5.1 delivers to the host itself
    NULL_MX = "null_mx"  # RFC 7505: a single "MX 0 ." says the domain accepts no mail
    NXDOMAIN = "nxdomain"  # the name does not exist
    NO_RECORDS = "no_records"  # the name exists but has neither MX nor A/AAAA
    UNKNOWN = "unknown"  # timeout, SERVFAIL, REFUSED: DNS did not answer, which proves nothing


@dataclass(frozen=True, slots=True)
class DomainAnswer:
    """One domain's mail routing as DNS describes it."""

    status: DomainStatus
    hosts: tuple[str, ...] = ()  # MX exchanges by preference, or the domain itself for implicit MX
    ttl: float = 0.0  # seconds this answer may be cached (RFC 2308 for negative answers)
    detail: str = ""


class DomainResolver(Protocol):
    """Anything that can describe a domain's mail routing (DNS, a fixture, a cache)."""

    async def lookup(self, domain: str) -> DomainAnswer: ...


_RESULT: dict[DomainStatus, tuple[CheckResult, str]] = {
    DomainStatus.MX: (CheckResult.PASS, "MX: {hosts}"),
    DomainStatus.IMPLICIT_MX: (CheckResult.PASS, "no MX; A/AAAA fallback (RFC 5321 implicit MX)"),
    DomainStatus.NULL_MX: (CheckResult.FAIL, "null MX: the domain accepts no mail (RFC 7505)"),
    DomainStatus.NXDOMAIN: (CheckResult.FAIL, "domain does not exist (NXDOMAIN)"),
    DomainStatus.NO_RECORDS: (CheckResult.FAIL, "domain has no MX, A or AAAA records"),
    DomainStatus.UNKNOWN: (CheckResult.UNKNOWN, "DNS did not answer"),
}


@lru_cache(maxsize=65536)
def judge_domain(answer: DomainAnswer) -> Check:
    """The ``domain`` check for a DNS answer."""
    result, template = _RESULT[answer.status]
    detail = template.format(hosts=", ".join(answer.hosts[:5]))
    if answer.detail:
        detail = f"{detail}: {answer.detail}"
    return make_check(name=CheckName.DOMAIN, result=result, detail=detail[:512])
