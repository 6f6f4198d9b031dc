"""Address normalization: one spelling per mailbox, typed errors for non-addresses."""

from __future__ import annotations

import pytest

from bounceguard.core.addresses import (
    InvalidAddress,
    InvalidTenant,
    address_key,
    domain_of,
    normalize_address,
    split_key,
)

NORMALIZED = [
    # (raw, expected)
    ("bob@example.com", "bob@example.com"),
    ("  Bob@Example.COM \n", "bob@example.com"),
    ("<Bob@Example.COM>", "bob@example.com"),
    (" < bob@example.com > ", "bob@example.com"),
    ("bob+tag@example.com", "bob+tag@example.com"),
    ("o'neil@example.ie", "o'neil@example.ie"),
    ("bob@example.com.", "bob@example.com"),  # DNS root dot
    ("bob@bücher.de", "bob@xn--bcher-kva.de"),  # IDNA 2008 A-label
    ("bob@BÜCHER.DE", "bob@xn--bcher-kva.de"),  # UTS #46 mapping lower-cases first
    ("bob@bücher。de", "bob@xn--bcher-kva.de"),  # ideographic full stop is a dot
    ("bob@xn--bcher-kva.de", "bob@xn--bcher-kva.de"),  # already punycode: unchanged
    ("bob@faß.de", "bob@xn--fa-hia.de"),  # IDNA 2008 keeps ß (IDNA 2003 made it "ss")
    ("ÜNÏ@example.com", "ünï@example.com"),  # SMTPUTF8 local part, lower-cased
    ("u\u0308@example.com", "ü@example.com"),  # NFC: decomposed u + diaeresis
    ('"bob"@example.com', "bob@example.com"),  # quoting a dot-atom changes nothing
    ('"Bob.Smith"@example.com', "bob.smith@example.com"),
    ('"a b"@example.com', '"a b"@example.com'),  # quoting needed: kept
    ('"a@b"@example.com', '"a@b"@example.com'),
    ('"neko....nyaan...."@libsisimai.org', '"neko....nyaan...."@libsisimai.org'),
    ("a..b@docomo.ne.jp", "a..b@docomo.ne.jp"),  # legacy Japanese carrier addresses
    (".a.@ezweb.ne.jp", ".a.@ezweb.ne.jp"),
    ("user@[192.0.2.1]", "user@[192.0.2.1]"),
    ("user@[IPv6:2001:DB8:0:0::1]", "user@[ipv6:2001:db8::1]"),
    ("postmaster@localhost", "postmaster@localhost"),  # syntax only, not deliverability
    ("x@a.invalid", "x@a.invalid"),
]

INVALID = [
    # (raw, words in the message)
    ("", "empty"),
    ("   ", "empty"),
    ("<>", "empty"),
    ("bob", "no '@'"),
    ("bob.example.com", "no '@'"),
    ("@example.com", "empty local part"),
    ("bob@", "empty domain"),
    ("a b@example.com", "unquoted local part"),
    ("a@b@example.com", "unquoted local part"),
    ("bob(comment)@example.com", "unquoted local part"),
    ('"unterminated@example.com', "unquoted local part"),
    ('"a"b"@example.com', "quoted local part"),
    ("bob@exa_mple.com", "invalid domain"),
    ("bob@-example.com", "invalid domain"),
    ("bob@example..com", "invalid domain"),
    ("bob@xn--zz.de", "invalid domain"),  # malformed A-label
    ("bob@exa mple.com", "invalid domain"),
    ("bob@[300.1.1.1]", "address literal"),
    ("bob@[IPv6:zz::1]", "address literal"),
    ("a" * 65 + "@example.com", "longer than 64"),
    ("bob@" + ".".join(["a" * 60] * 5), "invalid domain"),  # > 253 octets
    ("a@" + "b" * 2000 + ".com", "too long"),
    ("bob\x00@example.com", "unquoted local part"),
]


@pytest.mark.parametrize(("raw", "expected"), NORMALIZED)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize_address(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), NORMALIZED)
def test_normalize_is_idempotent(raw: str, expected: str) -> None:
    assert normalize_address(normalize_address(raw)) == expected


@pytest.mark.parametrize(("raw", "words"), INVALID)
def test_invalid(raw: str, words: str) -> None:
    with pytest.raises(InvalidAddress, match=words):
        normalize_address(raw)


def test_invalid_address_is_a_value_error() -> None:
    assert issubclass(InvalidAddress, ValueError)


def test_non_string_is_rejected_with_a_typed_error() -> None:
    with pytest.raises(InvalidAddress, match="string"):
        normalize_address(None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("address", "domain"),
    [
        ("Bob@Example.COM", "example.com"),
        ("bob@bücher.de", "xn--bcher-kva.de"),
        ('"a@b"@example.org', "example.org"),
        ("x@[192.0.2.1]", "[192.0.2.1]"),
    ],
)
def test_domain_of(address: str, domain: str) -> None:
    assert domain_of(address) == domain


@pytest.mark.parametrize(
    ("tenant", "address", "key"),
    [
        ("default", "Bob@Example.com", "default/bob@example.com"),
        ("acme-eu.1", "<bob@bücher.de>", "acme-eu.1/bob@xn--bcher-kva.de"),
    ],
)
def test_address_key_round_trips(tenant: str, address: str, key: str) -> None:
    assert address_key(tenant, address) == key
    assert split_key(key) == (tenant, normalize_address(address))


@pytest.mark.parametrize("tenant", ["", "a/b", "acme eu", "x" * 129])
def test_address_key_rejects_bad_tenant(tenant: str) -> None:
    with pytest.raises(InvalidTenant):
        address_key(tenant, "bob@example.com")


@pytest.mark.parametrize(
    ("key", "error"),
    [("bob@example.com", InvalidAddress), ("a b/bob@example.com", InvalidTenant), ("t/bob", InvalidAddress)],
)
def test_split_key_rejects_malformed(key: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        split_key(key)
