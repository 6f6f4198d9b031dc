"""One spelling per mailbox: the normalized address every topic, table and API keys on.

Decision on case: the WHOLE address is lower-cased, local part included. RFC 5321 §2.4
allows a receiver to treat local parts case-sensitively, but practically every receiver
(Gmail, Outlook, Yahoo, Postfix and Exim defaults) folds case, and senders expect
``Bob@x`` and ``bob@x`` to share one suppression. A suppression list that splits them
is the worse failure: mail keeps flowing to a dead address under another spelling.

Other choices, each so that one mailbox has one key:

- surrounding whitespace and ``<...>`` are stripped (SMTP paths and header forms);
- the local part is Unicode NFC-normalized before lower-casing (RFC 6532 §3.1);
- a quoted local part whose content is a plain dot-atom is unquoted, since
  ``"bob"@x`` and ``bob@x`` are the same mailbox (RFC 5321 §4.1.2);
- the domain becomes lower-case ASCII: IDNA 2008 with the UTS #46 mapping through the
  ``idna`` package (a dependency of ``email-validator``, so always installed), which also
  maps full-width dots and rejects malformed labels and A-labels;
- one trailing root dot of the domain (``example.com.``) is dropped;
- domain literals (``[192.0.2.1]``, ``[IPv6:2001:db8::1]``) are kept, canonicalized
  through :mod:`ipaddress`.

Deliberately lenient: unquoted local parts may contain leading, trailing or repeated dots.
RFC 5322 forbids them, yet Japanese mobile carriers (docomo.ne.jp, ezweb.ne.jp) issued such
addresses for years and they still receive mail, so bounces for them must key correctly.
Syntax only: whether the domain can receive mail is a question for pre-send verification.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from functools import lru_cache

import idna

__all__ = [
    "InvalidAddress",
    "InvalidTenant",
    "address_key",
    "domain_of",
    "normalize_address",
    "split_key",
]

# RFC 5321 §4.5.3.1: 64 octets of local part, 255 of domain (the model's 320 = 64 + 1 + 255).
MAX_LOCAL_OCTETS = 64
MAX_DOMAIN_OCTETS = 255
# A raw value longer than this cannot become a valid address even after stripping.
_MAX_RAW_CHARS = 1024

# RFC 5322 §3.2.3 atext plus '.', and any non-ASCII character that is not a control or
# whitespace character (RFC 6531 SMTPUTF8 local parts).
_ATEXT = r"A-Za-z0-9!#$%&'*+\-/=?^_`{|}~"
_UNQUOTED_LOCAL = re.compile(rf"^[{_ATEXT}.\u0080-\U0010ffff]+$")
_DOT_ATOM = re.compile(rf"^[{_ATEXT}\u0080-\U0010ffff]+(?:\.[{_ATEXT}\u0080-\U0010ffff]+)*$")
# RFC 5322 §3.2.4 quoted-string content: qtext (printable except '"' and '\') or quoted-pair.
_QUOTED_CONTENT = re.compile(r'^(?:[^"\\\x00-\x1f\x7f]|\\[\x20-\x7e])*$')
# Same pattern as models.Tenant: no '/', so a key splits unambiguously.
_TENANT = re.compile(r"^[A-Za-z0-9_.\-]{1,128}$")


class InvalidAddress(ValueError):
    """The value is not an e-mail address; the message says which rule it broke."""


class InvalidTenant(ValueError):
    """The tenant name does not match the pattern of ``models.Tenant``."""


def normalize_address(raw: str) -> str:
    """The canonical spelling of an address, or :class:`InvalidAddress`. Idempotent."""
    if not isinstance(raw, str):
        raise InvalidAddress(f"address must be a string, not {type(raw).__name__}")
    return _normalize_cached(raw)


def domain_of(address: str) -> str:
    """The normalized (lower-case, punycode) domain of an address."""
    return normalize_address(address).rpartition("@")[2]


def address_key(tenant: str, address: str) -> str:
    """The key of an address in every topic and table: ``tenant/normalized-address``."""
    if not isinstance(tenant, str) or not _TENANT.match(tenant):
        raise InvalidTenant(f"invalid tenant {tenant!r}: expected 1-128 of A-Z a-z 0-9 _ . -")
    return f"{tenant}/{normalize_address(address)}"


def split_key(key: str) -> tuple[str, str]:
    """Inverse of :func:`address_key`: ``(tenant, address)``; raises on a malformed key."""
    tenant, sep, address = key.partition("/")
    if not sep:
        raise InvalidAddress(f"key {key!r} has no tenant part")
    if not _TENANT.match(tenant):
        raise InvalidTenant(f"invalid tenant {tenant!r} in key {key!r}")
    return tenant, normalize_address(address)


@lru_cache(maxsize=65536)
def _normalize_cached(raw: str) -> str:
    if len(raw) > _MAX_RAW_CHARS:
        raise InvalidAddress(f"address is too long ({len(raw)} characters)")
    value = raw.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1].strip()
    if not value:
        raise InvalidAddress("address is empty")
    local, at, domain = value.rpartition("@")
    if not at:
        raise InvalidAddress(f"{raw!r} has no '@'")
    if not local:
        raise InvalidAddress(f"{raw!r} has an empty local part")
    if not domain:
        raise InvalidAddress(f"{raw!r} has an empty domain")
    result = f"{_normalize_local(local, raw)}@{_normalize_domain(domain, raw)}"
    if len(result.encode("utf-8")) > MAX_LOCAL_OCTETS + 1 + MAX_DOMAIN_OCTETS:
        raise InvalidAddress(f"{raw!r} is too long")
    return result


def _normalize_local(local: str, raw: str) -> str:
    local = unicodedata.normalize("NFC", local).lower()
    if len(local) >= 2 and local.startswith('"') and local.endswith('"'):
        content = local[1:-1]
        if not _QUOTED_CONTENT.match(content):
            raise InvalidAddress(f"{raw!r} has an invalid quoted local part")
        unescaped = re.sub(r"\\(.)", r"\1", content)
        if _DOT_ATOM.match(unescaped):
            local = unescaped  # "bob"@x is bob@x (RFC 5321 §4.1.2)
    elif not _UNQUOTED_LOCAL.match(local):
        raise InvalidAddress(f"{raw!r} has characters not allowed in an unquoted local part")
    if len(local.encode("utf-8")) > MAX_LOCAL_OCTETS:
        raise InvalidAddress(f"{raw!r} has a local part longer than {MAX_LOCAL_OCTETS} octets")
    return local


def _normalize_domain(domain: str, raw: str) -> str:
    if domain.startswith("[") and domain.endswith("]"):
        return _normalize_literal(domain[1:-1], raw)
    if domain.endswith(".") and not domain.endswith(".."):
        domain = domain[:-1]  # the DNS root dot: example.com. is example.com
    try:
        ascii_domain = _domain_to_ascii(domain)
    except (idna.IDNAError, UnicodeError) as exc:
        raise InvalidAddress(f"{raw!r} has an invalid domain: {exc}") from None
    if len(ascii_domain) > MAX_DOMAIN_OCTETS:
        raise InvalidAddress(f"{raw!r} has a domain longer than {MAX_DOMAIN_OCTETS} octets")
    return ascii_domain.lower()


@lru_cache(maxsize=16384)
def _domain_to_ascii(domain: str) -> str:
    """IDNA 2008 + UTS #46, cached per domain: addresses rarely repeat, their domains do."""
    return idna.encode(domain, uts46=True).decode("ascii")


def _normalize_literal(literal: str, raw: str) -> str:
    # RFC 5321 §4.1.3: IPv4 as is, IPv6 tagged "IPv6:"; the tag is lower-cased with the rest.
    try:
        if literal.lower().startswith("ipv6:"):
            return f"[ipv6:{ipaddress.IPv6Address(literal[5:]).compressed}]"
        return f"[{ipaddress.IPv4Address(literal)}]"
    except ValueError:
        raise InvalidAddress(f"{raw!r} has an invalid address literal") from None
