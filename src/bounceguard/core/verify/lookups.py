"""bounceguard's own knowledge, behind small protocols so verification stays pure.

The worker answers these from its tables; tests and the CLI use the in-memory versions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from bounceguard.core.verify.models import DomainReputation, SuppressionInfo


class SuppressionLookup(Protocol):
    """Is this (already normalized) address suppressed for this tenant?"""

    async def get(self, tenant: str, address: str) -> SuppressionInfo | None: ...


class DomainReputationLookup(Protocol):
    """Did this (punycode, lower-case) domain hard-bounce recently as hostunknown / notaccept?"""

    async def get(self, domain: str) -> DomainReputation | None: ...


class InMemorySuppressions:
    """A fixed map of ``(tenant, address) -> SuppressionInfo``."""

    def __init__(self, entries: Mapping[tuple[str, str], SuppressionInfo] | None = None) -> None:
        self._entries = dict(entries or {})

    async def get(self, tenant: str, address: str) -> SuppressionInfo | None:
        return self._entries.get((tenant, address))


class InMemoryDomainReputation:
    """A fixed map of ``domain -> DomainReputation``."""

    def __init__(self, entries: Mapping[str, DomainReputation] | None = None) -> None:
        self._entries = dict(entries or {})

    async def get(self, domain: str) -> DomainReputation | None:
        return self._entries.get(domain)
