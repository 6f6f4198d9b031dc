"""Syntax check: RFC 5321/5322 + RFC 6531 via email-validator, on the normalized address."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bounceguard.core.verify.models import CheckResult
from bounceguard.core.verify.syntax import _full_validator_error, _validator_error, parse_address

CASES = [
    # address, expected result, normalized, domain
    ("bob@example.com", CheckResult.PASS, "bob@example.com", "example.com"),
    ("  <Bob.Smith@Example.COM>  ", CheckResult.PASS, "bob.smith@example.com", "example.com"),
    ("bob+news@example.com", CheckResult.PASS, "bob+news@example.com", "example.com"),
    ("Pelé@exämple.com", CheckResult.PASS, "pelé@xn--exmple-cua.com", "xn--exmple-cua.com"),
    ("用户@例子.广告", CheckResult.PASS, "用户@xn--fsqu00a.xn--4rr70v", "xn--fsqu00a.xn--4rr70v"),
    ('"john doe"@example.com', CheckResult.PASS, '"john doe"@example.com', "example.com"),
    ('"bob"@example.com', CheckResult.PASS, "bob@example.com", "example.com"),
    ("bob@[192.0.2.1]", CheckResult.PASS, "bob@[192.0.2.1]", "[192.0.2.1]"),
    ("bob@example.com.", CheckResult.PASS, "bob@example.com", "example.com"),
    # legacy Japanese carrier spellings: still get mail, so a warning, not a failure
    ("taro..yamada@docomo.ne.jp", CheckResult.WARN, "taro..yamada@docomo.ne.jp", "docomo.ne.jp"),
    ("taro.@ezweb.ne.jp", CheckResult.WARN, "taro.@ezweb.ne.jp", "ezweb.ne.jp"),
    ("", CheckResult.FAIL, None, ""),
    ("bob", CheckResult.FAIL, None, ""),
    ("bob@", CheckResult.FAIL, None, ""),
    ("@example.com", CheckResult.FAIL, None, ""),
    ("bob@example", CheckResult.FAIL, None, ""),
    ("bob@localhost", CheckResult.FAIL, None, ""),
    ("bob@x.test", CheckResult.FAIL, None, ""),
    ("bob@-bad-.com", CheckResult.FAIL, None, ""),
    ("bob smith@example.com", CheckResult.FAIL, None, ""),
    ("bob@exa mple.com", CheckResult.FAIL, None, ""),
    ("a" * 65 + "@example.com", CheckResult.FAIL, None, ""),
    ("bob@" + "a" * 64 + ".com", CheckResult.FAIL, None, ""),
    ("x" * 5000, CheckResult.FAIL, None, ""),
    ("bob@example.com\x00", CheckResult.FAIL, None, ""),
]


@pytest.mark.parametrize(("address", "result", "normalized", "domain"), CASES)
def test_parse_address(address: str, result: CheckResult, normalized: str | None, domain: str) -> None:
    parsed = parse_address(address)
    assert parsed.check.result is result, parsed.check.detail
    assert parsed.normalized == normalized
    assert parsed.domain == domain
    if result is not CheckResult.PASS:
        assert parsed.check.detail


def test_special_use_names_only_when_allowed() -> None:
    assert parse_address("bob@mx.test").check.result is CheckResult.FAIL
    assert parse_address("bob@mx.test", allow_special_use=True).check.result is CheckResult.PASS


def test_literal_flag() -> None:
    assert parse_address("bob@[IPv6:2001:db8::1]").is_literal
    assert not parse_address("bob@example.com").is_literal


ATEXT = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~."
LABEL = "abcdefghijklmnopqrstuvwxyz0123456789-"


@settings(max_examples=400, deadline=None)
@given(
    local=st.text(alphabet=ATEXT + '"\\ (),:;<>@[]é', min_size=1, max_size=70),
    labels=st.lists(st.text(alphabet=LABEL, min_size=1, max_size=70), min_size=1, max_size=5),
    tld=st.sampled_from(["com", "example", "test", "c0m", "x"]),
    special=st.booleans(),
)
def test_fast_path_agrees_with_email_validator(local: str, labels: list[str], tld: str, special: bool) -> None:
    address = f"{local}@{'.'.join([*labels, tld])}"
    fast = _validator_error(address, special)
    full = _full_validator_error(address, special)
    assert (fast is None) == (full is None), (address, fast, full)
