"""Pre-send address verification: syntax, DNS, disposable, role, typo and bounce history."""

from bounceguard.core.verify.domain import DomainAnswer, DomainResolver, DomainStatus
from bounceguard.core.verify.lookups import (
    DomainReputationLookup,
    InMemoryDomainReputation,
    InMemorySuppressions,
    SuppressionLookup,
)
from bounceguard.core.verify.models import (
    Check,
    CheckName,
    CheckResult,
    DomainReputation,
    SuppressionInfo,
    Verdict,
    VerificationResult,
)
from bounceguard.core.verify.verifier import VerifyContext, verify_address, verify_iter, verify_many

__all__ = [
    "Check",
    "CheckName",
    "CheckResult",
    "DomainAnswer",
    "DomainReputation",
    "DomainReputationLookup",
    "DomainResolver",
    "DomainStatus",
    "InMemoryDomainReputation",
    "InMemorySuppressions",
    "SuppressionInfo",
    "SuppressionLookup",
    "Verdict",
    "VerificationResult",
    "VerifyContext",
    "verify_address",
    "verify_iter",
    "verify_many",
]
