"""Basic auth / secret header / bearer checks for Postmark and SparkPost."""

from __future__ import annotations

import base64
from collections.abc import Callable

import pytest

from bounceguard.core.signatures import SignatureError
from bounceguard.core.signatures.postmark import verify_postmark
from bounceguard.core.signatures.shared_secret import SharedSecret
from bounceguard.core.signatures.sparkpost import verify_sparkpost

SECRET = SharedSecret(
    basic_user="hook",
    basic_password="s3cr3t:pw",
    header_name="X-Hook-Secret",
    header_value="abc123",
    bearer_token="tok-1",
)


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


CASES: list[tuple[str, str | None, str | None, str | None]] = [
    # (case, Authorization, secret header value, expected error reason or None when accepted)
    ("basic ok", basic("hook", "s3cr3t:pw"), None, None),
    ("basic lower-case scheme", basic("hook", "s3cr3t:pw").replace("Basic", "basic"), None, None),
    ("header ok", None, "abc123", None),
    ("bearer ok", "Bearer tok-1", None, None),
    ("wrong password", basic("hook", "nope"), None, "bad-credentials"),
    ("wrong user", basic("other", "s3cr3t:pw"), None, "bad-credentials"),
    ("wrong header", None, "abc124", "bad-credentials"),
    ("wrong bearer", "Bearer tok-2", None, "bad-credentials"),
    ("garbage basic", "Basic %%%", None, "bad-credentials"),
    ("nothing", None, None, "missing-credentials"),
]


Verify = Callable[..., None]


@pytest.mark.parametrize("verify", [verify_postmark, verify_sparkpost], ids=["postmark", "sparkpost"])
@pytest.mark.parametrize(("case", "authorization", "header", "reason"), CASES, ids=[c[0] for c in CASES])
def test_shared_secret(
    verify: Verify, case: str, authorization: str | None, header: str | None, reason: str | None
) -> None:
    if reason is None:
        verify(SECRET, authorization=authorization, header_value=header)
        return
    with pytest.raises(SignatureError) as err:
        verify(SECRET, authorization=authorization, header_value=header)
    assert err.value.reason == reason


def test_unconfigured_provider_refuses_everything() -> None:
    with pytest.raises(SignatureError) as err:
        verify_postmark(SharedSecret(), authorization=basic("", ""), header_value="")
    assert err.value.reason == "not-configured"
