"""Verify one address or a list: run every check, combine them into a verdict.

Pure apart from awaiting the resolver and lookups it is given in a ``VerifyContext``;
the DNS resolver and list files are built in ``bounceguard.edges.verify``.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from bounceguard.core.addresses import InvalidTenant
from bounceguard.core.verify.disposable import DisposableDomains
from bounceguard.core.verify.domain import DomainAnswer, DomainResolver, DomainStatus, judge_domain
from bounceguard.core.verify.lookups import DomainReputationLookup, SuppressionLookup
from bounceguard.core.verify.models import (
    Check,
    CheckName,
    CheckResult,
    DomainReputation,
    SuppressionInfo,
    Verdict,
    VerificationResult,
    make_check,
)
from bounceguard.core.verify.roles import RoleAccounts
from bounceguard.core.verify.syntax import parse_address
from bounceguard.core.verify.typos import TypoSuggester
from bounceguard.core.verify.verdict import combine

__all__ = ["VerifyContext", "verify_address", "verify_iter", "verify_many"]

_T = TypeVar("_T")
# Equal to core.models.DEFAULT_TENANT (a unit test holds them together); not imported
# because core.models imports this package to list VerificationResult among its schemas.
DEFAULT_TENANT = "default"
_TENANT_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")


@dataclass
class VerifyContext:
    """Everything a verification consults; build one per process and share it."""

    resolver: DomainResolver
    disposable: DisposableDomains = field(default_factory=DisposableDomains)
    roles: RoleAccounts = field(default_factory=RoleAccounts)
    typos: TypoSuggester = field(default_factory=TypoSuggester)
    suppressions: SuppressionLookup | None = None
    reputation: DomainReputationLookup | None = None
    allow_special_use: bool = False  # accept .test etc. (private DNS, tests)
    concurrency: int = 256  # verify_many: addresses in flight at once


def _validate_tenant(tenant: str) -> None:
    if not isinstance(tenant, str) or not 1 <= len(tenant) <= 128 or not set(tenant) <= _TENANT_CHARS:
        raise InvalidTenant(f"invalid tenant {tenant!r}: expected 1-128 of A-Z a-z 0-9 _ . -")


async def verify_address(address: str, *, tenant: str = DEFAULT_TENANT, ctx: VerifyContext) -> VerificationResult:
    """Verify one address. Never raises for a bad address; raises InvalidTenant for a bad tenant."""
    _validate_tenant(tenant)
    raw = address if isinstance(address, str) else repr(address)
    parsed = parse_address(raw, allow_special_use=ctx.allow_special_use)
    if parsed.normalized is None:
        skipped = [make_check(name=n, result=CheckResult.SKIPPED) for n in CheckName if n != CheckName.SYNTAX]
        return VerificationResult(address=raw[:1024], verdict=Verdict.UNDELIVERABLE, checks=[parsed.check, *skipped])
    domain, local = parsed.domain, parsed.local
    suppression = _suppression_check(ctx.suppressions, tenant, parsed.normalized)
    suggestion: str | None = None
    if parsed.is_literal:
        # RFC 5321 §4.1.3 address literal: no DNS, no provider lists apply.
        domain_check = make_check(name=CheckName.DOMAIN, result=CheckResult.WARN, detail="address literal: no DNS")
        disposable_check = make_check(name=CheckName.DISPOSABLE, result=CheckResult.SKIPPED)
        typo_check = make_check(name=CheckName.TYPO, result=CheckResult.SKIPPED)
        reputation_check = make_check(name=CheckName.DOMAIN_REPUTATION, result=CheckResult.SKIPPED)
        suppression_check = await suppression
    else:
        if ctx.suppressions is None and ctx.reputation is None:
            # nothing else to wait for: skip gather's three tasks per address
            domain_check = await _domain_check(ctx.resolver, domain)
            suppression_check, reputation_check = await suppression, await _reputation_check(None, domain)
        else:
            domain_check, suppression_check, reputation_check = await asyncio.gather(
                _domain_check(ctx.resolver, domain), suppression, _reputation_check(ctx.reputation, domain)
            )
        disposable_check = ctx.disposable.check(domain)
        typo_check, typo_domain = ctx.typos.check(domain)
        if typo_domain is not None:
            suggestion = f"{local}@{typo_domain}"
    checks = [
        parsed.check,
        domain_check,
        disposable_check,
        ctx.roles.check(local),
        typo_check,
        suppression_check,
        reputation_check,
    ]
    return VerificationResult(
        address=raw[:1024],
        normalized=parsed.normalized,
        verdict=combine(checks),
        checks=checks,
        suggestion=suggestion,
    )


async def verify_iter(
    addresses: Iterable[str], *, tenant: str = DEFAULT_TENANT, ctx: VerifyContext
) -> AsyncIterator[VerificationResult]:
    """Results in input order, with at most ``ctx.concurrency`` verifications in flight.

    A slow address (a DNS timeout) does not stall the others: finished results wait in a
    reorder buffer of up to ``8 * concurrency`` entries, so memory stays bounded too.
    """
    _validate_tenant(tenant)
    limit = max(1, ctx.concurrency)
    max_pending = 8 * limit
    slots = asyncio.Semaphore(limit)
    window: deque[asyncio.Future[VerificationResult]] = deque()

    async def one(address: str) -> VerificationResult:
        try:
            return await verify_address(address, tenant=tenant, ctx=ctx)
        finally:
            slots.release()

    try:
        for address in addresses:
            while window and (window[0].done() or len(window) >= max_pending):
                yield await window.popleft()
            await slots.acquire()
            window.append(asyncio.ensure_future(one(address)))
        while window:
            yield await window.popleft()
    finally:
        for task in window:
            task.cancel()


async def verify_many(
    addresses: Iterable[str], *, tenant: str = DEFAULT_TENANT, ctx: VerifyContext
) -> list[VerificationResult]:
    """Verify a list with bounded concurrency; results in input order."""
    return [result async for result in verify_iter(addresses, tenant=tenant, ctx=ctx)]


async def _guarded(call: Awaitable[_T]) -> tuple[_T | None, str | None]:
    # A lookup backend failing (table not ready, DNS library error) must not fail the
    # whole verification: that check becomes "unknown" and says why.
    try:
        return await call, None
    except Exception as exc:
        return None, f"{type(exc).__name__}: {exc}"[:200]


async def _domain_check(resolver: DomainResolver, domain: str) -> Check:
    answer, error = await _guarded(resolver.lookup(domain))
    if answer is None:
        answer = DomainAnswer(DomainStatus.UNKNOWN, detail=error or "no answer")
    return judge_domain(answer)


async def _suppression_check(lookup: SuppressionLookup | None, tenant: str, address: str) -> Check:
    if lookup is None:
        return make_check(name=CheckName.SUPPRESSION, result=CheckResult.SKIPPED, detail="no suppression source")
    info: SuppressionInfo | None
    info, error = await _guarded(lookup.get(tenant, address))
    if error is not None:
        return make_check(name=CheckName.SUPPRESSION, result=CheckResult.UNKNOWN, detail=error)
    if info is None:
        return make_check(name=CheckName.SUPPRESSION, result=CheckResult.PASS)
    why = f"suppressed for tenant {tenant}" + (f": {info.reason.value}" if info.reason else "")
    if info.since is not None:
        why += f" since {info.since.isoformat()}"
    return make_check(name=CheckName.SUPPRESSION, result=CheckResult.FAIL, detail=why)


async def _reputation_check(lookup: DomainReputationLookup | None, domain: str) -> Check:
    if lookup is None:
        return make_check(name=CheckName.DOMAIN_REPUTATION, result=CheckResult.SKIPPED, detail="no history source")
    rep: DomainReputation | None
    rep, error = await _guarded(lookup.get(domain))
    if error is not None:
        return make_check(name=CheckName.DOMAIN_REPUTATION, result=CheckResult.UNKNOWN, detail=error)
    if rep is None:
        return make_check(name=CheckName.DOMAIN_REPUTATION, result=CheckResult.PASS)
    detail = f"domain hard-bounced {rep.count}x recently as {rep.reason.value}"
    return make_check(name=CheckName.DOMAIN_REPUTATION, result=CheckResult.WARN, detail=detail)
