"""Role accounts: addresses that reach a function or a team, not a person who opted in.

Mail to them is deliverable but risky: nobody subscribed, several people read it, and
complaint rates are high. RFC 2142 defines the mailbox names (postmaster, abuse, ...);
the rest are the functional names list-hygiene services commonly flag.
"""

from __future__ import annotations

from collections.abc import Iterable

from bounceguard.core.verify.models import Check, CheckName, CheckResult, make_check

DEFAULT_ROLE_ACCOUNTS: frozenset[str] = frozenset(
    {
        # RFC 2142 §3-5: business, network and service mailboxes
        "info", "marketing", "sales", "support", "abuse", "noc", "security", "postmaster",
        "hostmaster", "usenet", "news", "webmaster", "www", "uucp", "ftp",
        # RFC 5321 §4.5.1 requires postmaster; these are common functional names
        "admin", "administrator", "billing", "contact", "help", "helpdesk", "hello", "hr",
        "jobs", "careers", "legal", "mail", "mailer-daemon", "media", "office", "press",
        "privacy", "root", "service", "team", "enquiries", "inquiries", "feedback",
        "accounts", "accounting", "compliance", "customerservice", "list", "list-request",
        "majordomo", "sysadmin", "it", "orders", "newsletter", "subscribe", "unsubscribe",
        "noreply", "no-reply", "no_reply", "donotreply", "do-not-reply", "do_not_reply",
    }
)  # fmt: skip


class RoleAccounts:
    """A configurable set of role local parts; ``bob+news`` is judged by ``bob`` (RFC 5233)."""

    def __init__(self, names: Iterable[str] = DEFAULT_ROLE_ACCOUNTS) -> None:
        self._names = frozenset(n.strip().lower() for n in names if n.strip())

    def __contains__(self, local: object) -> bool:
        if not isinstance(local, str):
            return False
        return local.lower().split("+", 1)[0] in self._names

    def check(self, local: str) -> Check:
        if local in self:
            base = local.split("+", 1)[0]
            return make_check(name=CheckName.ROLE, result=CheckResult.WARN, detail=f"role account: {base}@")
        return make_check(name=CheckName.ROLE, result=CheckResult.PASS)
