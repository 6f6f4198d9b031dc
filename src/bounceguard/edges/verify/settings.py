"""Verification settings from the environment (``BOUNCEGUARD_VERIFY_*``) and the builder
that turns them into a ``VerifyContext`` with a DNS resolver and the list files."""

from __future__ import annotations

from pathlib import Path

import disposable_email_domains
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from bounceguard.core.verify.disposable import DisposableDomains
from bounceguard.core.verify.lookups import DomainReputationLookup, SuppressionLookup
from bounceguard.core.verify.roles import DEFAULT_ROLE_ACCOUNTS, RoleAccounts
from bounceguard.core.verify.verifier import VerifyContext
from bounceguard.edges.verify.lists import DomainListFile
from bounceguard.edges.verify.resolver import DnsDomainResolver


def _split(value: str) -> list[str]:
    return [item.strip() for item in value.replace("\n", ",").split(",") if item.strip()]


class VerifySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BOUNCEGUARD_VERIFY_", extra="ignore")

    nameservers: str = Field(
        default="", description="Comma-separated IP[:PORT] list; empty uses the system resolv.conf."
    )
    dns_timeout: float = Field(default=2.0, gt=0, description="Seconds per DNS server try.")
    dns_lifetime: float = Field(default=5.0, gt=0, description="Seconds for a whole lookup before 'unknown'.")
    dns_concurrency: int = Field(default=64, ge=1, description="DNS lookups in flight at once.")
    dns_cache_size: int = Field(default=100_000, ge=1, description="Domains kept in the TTL cache.")
    dns_max_ttl: float = Field(default=3600.0, ge=0, description="Upper bound on cached TTLs.")
    disposable_extra_file: Path | None = Field(
        default=None, description="Extra disposable domains, one a line; re-read when it changes."
    )
    disposable_allow: str = Field(default="", description="Comma-separated domains never treated as disposable.")
    role_accounts_add: str = Field(default="", description="Comma-separated extra role local parts.")
    role_accounts_remove: str = Field(default="", description="Comma-separated role local parts to accept.")
    allow_special_use: bool = Field(default=False, description="Accept RFC 6761 names such as .test.")
    concurrency: int = Field(default=256, ge=1, description="Addresses verified at once by a batch.")
    batch_max: int = Field(default=1000, ge=1, description="Most addresses in one POST /verify/batch.")


def build_context(
    settings: VerifySettings,
    *,
    suppressions: SuppressionLookup | None = None,
    reputation: DomainReputationLookup | None = None,
) -> VerifyContext:
    """A context for these settings; raises ListFileError / InvalidNameserver on bad config."""
    resolver = DnsDomainResolver(
        _split(settings.nameservers) or None,
        timeout=settings.dns_timeout,
        lifetime=settings.dns_lifetime,
        concurrency=settings.dns_concurrency,
        cache_size=settings.dns_cache_size,
        max_ttl=settings.dns_max_ttl,
    )
    extra = DomainListFile(settings.disposable_extra_file) if settings.disposable_extra_file else frozenset[str]()
    allow = set(disposable_email_domains.allowlist) | {d.lower() for d in _split(settings.disposable_allow)}
    disposable = DisposableDomains(extra=extra, allow=allow)
    roles = (DEFAULT_ROLE_ACCOUNTS | set(map(str.lower, _split(settings.role_accounts_add)))) - set(
        map(str.lower, _split(settings.role_accounts_remove))
    )
    return VerifyContext(
        resolver=resolver,
        disposable=disposable,
        roles=RoleAccounts(roles),
        suppressions=suppressions,
        reputation=reputation,
        allow_special_use=settings.allow_special_use,
        concurrency=settings.concurrency,
    )
