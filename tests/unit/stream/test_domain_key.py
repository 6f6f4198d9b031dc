"""The address stage's domain key taken from an address key equals the one built from the event."""

from __future__ import annotations

import pytest

from bounceguard.core.addresses import address_key, domain_of
from bounceguard.stream.address_agent import _domain_key


@pytest.mark.parametrize(
    "recipient",
    [
        "Bob@Example.COM",
        '"a@b"@example.org',
        "user@bücher.example",
        "x@[IPv6:2001:db8::1]",
        "<someone@example.net.>",
        "jörg.ü@example.de",
    ],
)
def test_domain_key_from_address_key(recipient: str) -> None:
    key = address_key("acme-1", recipient).encode()
    assert _domain_key(key) == f"acme-1/{domain_of(recipient)}".encode()
