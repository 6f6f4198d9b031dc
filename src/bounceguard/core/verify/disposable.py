"""Disposable (throw-away) mail domains.

The base list is the ``disposable-email-domains`` package (its blocklist minus its
allowlist); an operator's extra list comes in as any container of domains, so a file that
is re-read on change (``bounceguard.edges.verify.lists``) updates it without a release.
Sub-domains count: ``x.mailinator.com`` is as disposable as ``mailinator.com``.
"""

from __future__ import annotations

from collections.abc import Container, Iterable

import disposable_email_domains

from bounceguard.core.verify.models import Check, CheckName, CheckResult, make_check


def parse_domain_list(text: str) -> frozenset[str]:
    """One domain a line; blank lines and ``#`` comments ignored; lower-cased."""
    domains = set()
    for line in text.splitlines():
        entry = line.split("#", 1)[0].strip().lower().rstrip(".")
        if entry:
            domains.add(entry)
    return frozenset(domains)


class DisposableDomains:
    """The package's list plus optional extras, minus optional allow-listed domains."""

    def __init__(
        self,
        base: Iterable[str] | None = None,
        *,
        extra: Container[str] = frozenset(),
        allow: Iterable[str] | None = None,
    ) -> None:
        source = disposable_email_domains.blocklist if base is None else base
        allowed = disposable_email_domains.allowlist if allow is None else allow
        self._base = frozenset(d.lower() for d in source) - frozenset(d.lower() for d in allowed)
        self._allow = frozenset(d.lower() for d in allowed)
        self._extra = extra

    def match(self, domain: str) -> str | None:
        """The listed domain that `domain` is, or is under; None if not disposable."""
        labels = domain.lower().split(".")
        for i in range(len(labels) - 1):
            candidate = ".".join(labels[i:])
            if candidate in self._allow:
                return None
            if candidate in self._base or candidate in self._extra:
                return candidate
        return None

    def check(self, domain: str) -> Check:
        listed = self.match(domain)
        if listed is None:
            return make_check(name=CheckName.DISPOSABLE, result=CheckResult.PASS)
        return make_check(name=CheckName.DISPOSABLE, result=CheckResult.WARN, detail=f"disposable domain: {listed}")
