"""Syntax per RFC 5321/5322 and RFC 6531 (internationalized addresses), via email-validator.

email-validator's own DNS check is always OFF: the domain check does DNS itself, through
the configured resolver, with its cache and concurrency limit. The address is first put
into bounceguard's canonical spelling (``normalize_address``) so every check and every
lookup agree on one key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from email_validator import EmailNotValidError, validate_email

from bounceguard.core.addresses import InvalidAddress, normalize_address
from bounceguard.core.verify.models import Check, CheckName, CheckResult, make_check


@dataclass(frozen=True, slots=True)
class ParsedAddress:
    """The syntax check plus the parts later checks need (empty when the syntax failed)."""

    check: Check
    normalized: str | None = None
    local: str = ""
    domain: str = ""  # lower-case ASCII (punycode); "[...]" for an address literal

    @property
    def is_literal(self) -> bool:
        return self.domain.startswith("[")


_DOT_RUNS = re.compile(r"\.{2,}")


def parse_address(address: str, *, allow_special_use: bool = False) -> ParsedAddress:
    """Check the syntax of `address`; never raises on bad input.

    `allow_special_use` accepts RFC 6761 names such as ``.test`` that no public mail system
    serves (useful against a private DNS).
    """
    try:
        normalized = normalize_address(address)
    except InvalidAddress as exc:
        return ParsedAddress(_check(CheckResult.FAIL, str(exc)))
    local, _, domain = normalized.rpartition("@")
    problem = _validator_error(normalized, allow_special_use)
    if problem is None:
        return ParsedAddress(_check(CheckResult.PASS, "RFC 5321/5322 valid"), normalized, local, domain)
    # Leading, trailing or doubled dots break RFC 5322's dot-atom, yet Japanese mobile
    # carriers (docomo.ne.jp, ezweb.ne.jp) issued such addresses and they still get mail.
    tidy_local = _DOT_RUNS.sub(".", local).strip(".")
    if tidy_local and tidy_local != local and _validator_error(f"{tidy_local}@{domain}", allow_special_use) is None:
        detail = "dots in the local part break RFC 5322 dot-atom; some legacy carriers accept them"
        return ParsedAddress(_check(CheckResult.WARN, detail), normalized, local, domain)
    return ParsedAddress(_check(CheckResult.FAIL, problem))


# RFC 5322 §3.2.3 dot-atom of ASCII atext. email-validator accepts every such local part
# (64 octets at most, which normalize_address already enforces), so for these only its
# domain verdict matters, and that is cached per domain: most of a list's cost otherwise.
_ASCII_DOT_ATOM = re.compile(r"^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+(?:\.[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+)*$")
# RFC 3696 errata 1690 / email-validator: a whole address is at most 254 octets.
_MAX_ADDRESS_OCTETS = 254


def _validator_error(address: str, allow_special_use: bool) -> str | None:
    local, _, domain = address.rpartition("@")
    if len(address) <= _MAX_ADDRESS_OCTETS and _ASCII_DOT_ATOM.match(local) and domain.isascii():
        return _domain_error(domain, allow_special_use)
    return _full_validator_error(address, allow_special_use)


@lru_cache(maxsize=65536)
def _domain_error(domain: str, allow_special_use: bool) -> str | None:
    return _full_validator_error(f"a@{domain}", allow_special_use)


def _full_validator_error(address: str, allow_special_use: bool) -> str | None:
    try:
        validate_email(
            address,
            check_deliverability=False,
            allow_smtputf8=True,
            allow_quoted_local=True,
            allow_domain_literal=True,
            globally_deliverable=not allow_special_use,
            test_environment=allow_special_use,
        )
    except EmailNotValidError as exc:
        return str(exc)
    return None


def _check(result: CheckResult, detail: str) -> Check:
    return make_check(name=CheckName.SYNTAX, result=result, detail=detail[:512])
