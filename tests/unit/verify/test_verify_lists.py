"""Role accounts, disposable domains and typo suggestions: one row per case."""

from __future__ import annotations

import pytest

from bounceguard.core.verify.disposable import DisposableDomains, parse_domain_list
from bounceguard.core.verify.models import CheckResult
from bounceguard.core.verify.roles import RoleAccounts
from bounceguard.core.verify.typos import TypoSuggester, typo_distance


@pytest.mark.parametrize(
    ("local", "is_role"),
    [
        ("postmaster", True),
        ("abuse", True),
        ("info", True),
        ("sales", True),
        ("noreply", True),
        ("no-reply", True),
        ("info+2024", True),  # RFC 5233 sub-address: judged by the base
        ("INFO", True),
        ("bob", False),
        ("information", False),
        ("bob+info", False),
        ("", False),
    ],
)
def test_default_roles(local: str, is_role: bool) -> None:
    roles = RoleAccounts()
    assert (local in roles) is is_role
    assert roles.check(local).result is (CheckResult.WARN if is_role else CheckResult.PASS)


def test_roles_are_configurable() -> None:
    roles = RoleAccounts(["Team-Lead", " ops "])
    assert "team-lead" in roles and "ops" in roles
    assert "info" not in roles


@pytest.mark.parametrize(
    ("domain", "listed"),
    [
        ("mailinator.com", "mailinator.com"),
        ("MAILINATOR.COM", "mailinator.com"),
        ("inbox.mailinator.com", "mailinator.com"),  # sub-domains of a listed domain
        ("10minutemail.com", "10minutemail.com"),
        ("gmail.com", None),
        ("example.com", None),
        ("throwaway.example", "throwaway.example"),  # from the extra list
        ("a.throwaway.example", "throwaway.example"),
    ],
)
def test_disposable(domain: str, listed: str | None) -> None:
    lists = DisposableDomains(extra=frozenset({"throwaway.example"}))
    assert lists.match(domain) == listed
    assert lists.check(domain).result is (CheckResult.PASS if listed is None else CheckResult.WARN)


def test_disposable_allow_list_wins() -> None:
    lists = DisposableDomains(["temp.example"], allow=["keep.temp.example"])
    assert lists.match("x.temp.example") == "temp.example"
    assert lists.match("keep.temp.example") is None


@pytest.mark.parametrize(
    ("text", "domains"),
    [
        ("a.example\nB.Example.\n", {"a.example", "b.example"}),
        ("# comment\n\n  c.example  # trailing\n", {"c.example"}),
        ("", set()),
    ],
)
def test_parse_domain_list(text: str, domains: set[str]) -> None:
    assert parse_domain_list(text) == domains


@pytest.mark.parametrize(
    ("domain", "suggestion"),
    [
        ("gmial.com", "gmail.com"),  # transposition
        ("gmai.com", "gmail.com"),  # deletion
        ("gmaill.com", "gmail.com"),  # insertion
        ("gnail.com", "gmail.com"),  # QWERTY neighbour
        ("gmail.co", "gmail.com"),
        ("gmail.con", "gmail.com"),
        ("hotmial.com", "hotmail.com"),
        ("hotmal.com", "hotmail.com"),
        ("yaho.com", "yahoo.com"),
        ("yahooo.com", "yahoo.com"),
        ("outlok.com", "outlook.com"),
        ("outlook.co", "outlook.com"),
        ("iclod.com", "icloud.com"),
        ("hotmial.co.uk", "hotmail.co.uk"),
        ("hotmaill.co.uk", "hotmail.co.uk"),
        # no suggestion: the popular domains themselves, real look-alikes, unrelated names
        ("gmail.com", None),
        ("yahoo.co.jp", None),
        ("mail.com", None),
        ("ymail.com", None),
        ("email.com", None),
        ("example.com", None),
        ("corp.example", None),
        ("qq.co", None),  # short names need a neighbour slip, not any edit
        ("gmail.org", None),
    ],
)
def test_typo_suggestion(domain: str, suggestion: str | None) -> None:
    typos = TypoSuggester()
    assert typos.suggest(domain) == suggestion
    check, suggested = typos.check(domain)
    assert suggested == suggestion
    assert check.result is (CheckResult.PASS if suggestion is None else CheckResult.WARN)


@pytest.mark.parametrize(
    ("typed", "intended", "distance"),
    [
        ("gmail", "gmail", 0.0),
        ("gmial", "gmail", 1.0),
        ("gnail", "gmail", 0.5),  # n is next to m
        ("gxail", "gmail", 1.0),  # x is not
        ("gmai", "gmail", 1.0),
        ("", "abc", 3.0),
    ],
)
def test_typo_distance(typed: str, intended: str, distance: float) -> None:
    assert typo_distance(typed, intended) == distance


def test_ambiguous_typo_gives_no_suggestion() -> None:
    typos = TypoSuggester(popular=["abcd.example", "abce.example"], known_good=[])
    assert typos.suggest("abcq.example") is None  # q touches neither d nor e
