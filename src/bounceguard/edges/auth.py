"""Bearer-token authentication for the HTTP APIs (suppressions, verification).

Tokens map to one tenant or to `*` (every tenant): `BOUNCEGUARD_API_TOKENS=tok1:acme,tok2:*`.
Comparison is constant-time so response timing does not leak token prefixes.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field


@dataclass(frozen=True)
class TokenAuth:
    tokens: dict[str, str] = field(default_factory=dict)  # token -> tenant or "*"

    @classmethod
    def from_spec(cls, spec: str) -> TokenAuth:
        tokens: dict[str, str] = {}
        for item in spec.split(","):
            item = item.strip()
            if not item:
                continue
            token, sep, tenant = item.rpartition(":")
            if not sep or not token or not tenant:
                raise ValueError("API tokens are 'token:tenant' pairs separated by commas")
            tokens[token] = tenant
        return cls(tokens)

    def tenant_of(self, authorization: str | None) -> str | None:
        """The tenant a bearer token grants, or None for a missing or unknown token."""
        if not authorization or not authorization.startswith("Bearer "):
            return None
        offered = authorization[len("Bearer ") :].strip().encode()
        found = None
        for token, tenant in self.tokens.items():
            if hmac.compare_digest(token.encode(), offered):
                found = tenant
        return found

    def check(self, authorization: str | None, tenant: str) -> tuple[int, str] | None:
        """None when allowed, else (status, reason): 401 unknown token, 403 another tenant's data."""
        granted = self.tenant_of(authorization)
        if granted is None:
            return 401, "missing or invalid bearer token"
        if granted != "*" and granted != tenant:
            return 403, f"this token may not access tenant {tenant!r}"
        return None
