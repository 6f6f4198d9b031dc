"""What a pre-send verification returns: one result per check and an overall verdict.

The verdict is for a sender deciding whether to mail an address *before* the first
message: each check stays visible so a caller can apply its own, stricter policy.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from functools import lru_cache
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from bounceguard.core.categories import Reason


class Verdict(StrEnum):
    DELIVERABLE = "deliverable"  # every check passed
    RISKY = "risky"  # mail may arrive but hurts: disposable, role, likely typo, bad domain history
    UNDELIVERABLE = "undeliverable"  # bad syntax, domain cannot receive mail, or suppressed
    UNKNOWN = "unknown"  # a check could not be answered (DNS timeout / SERVFAIL): try again later


class CheckName(StrEnum):
    SYNTAX = "syntax"
    DOMAIN = "domain"
    DISPOSABLE = "disposable"
    ROLE = "role"
    TYPO = "typo"
    SUPPRESSION = "suppression"
    DOMAIN_REPUTATION = "domain_reputation"


class CheckResult(StrEnum):
    PASS = "pass"  # nothing wrong found
    WARN = "warn"  # a risk, not a certainty
    FAIL = "fail"  # the address cannot (or must not) be mailed
    UNKNOWN = "unknown"  # the check could not be answered now
    SKIPPED = "skipped"  # not run, e.g. domain checks after a syntax failure


class Check(BaseModel):
    """The outcome of one check, with a human-readable reason."""

    model_config = ConfigDict(frozen=True)

    name: CheckName
    result: CheckResult
    detail: Annotated[str, Field(max_length=512)] = ""


@lru_cache(maxsize=65536)
def make_check(name: CheckName, result: CheckResult, detail: str = "") -> Check:
    """A shared, immutable Check: the same few outcomes repeat across a list, and building
    a validated model per check per address was most of the time spent on a warm cache."""
    return Check(name=name, result=result, detail=detail[:512])


class VerificationResult(BaseModel):
    """The answer for one address (the `verification-result` JSON Schema)."""

    model_config = ConfigDict(frozen=True, title="VerificationResult")

    address: Annotated[str, Field(max_length=1024, description="The address as given.")]
    normalized: str | None = Field(
        default=None, description="bounceguard's canonical spelling; null when the syntax is invalid."
    )
    verdict: Verdict
    checks: list[Check]
    suggestion: str | None = Field(
        default=None, description="A likely intended address when the domain looks like a typo."
    )

    def check(self, name: CheckName) -> Check | None:
        """The check called `name`, if it ran."""
        return next((c for c in self.checks if c.name == name), None)


class SuppressionInfo(BaseModel):
    """Why bounceguard suppressed an address for a tenant (from the suppressions topic)."""

    model_config = ConfigDict(frozen=True)

    reason: Reason | None = None
    since: AwareDatetime | None = None


class DomainReputation(BaseModel):
    """Recent hard bounces that speak about a whole domain, not one mailbox."""

    model_config = ConfigDict(frozen=True)

    reason: Reason = Field(description="hostunknown or notaccept: the domain itself refused mail.")
    count: int = Field(ge=1)
    last_seen: datetime | None = None
