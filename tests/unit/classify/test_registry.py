"""The reason modules: each registers one well-formed rule; the wording is plain lower-case data."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

from bounceguard.core.categories import Reason
from bounceguard.core.classify import reasons
from bounceguard.core.classify.reasons import load_rules
from bounceguard.core.classify.rule import ReasonRule

MODULES = sorted(m.name for m in pkgutil.iter_modules(reasons.__path__))


@pytest.mark.parametrize("name", MODULES)
def test_module_registers_a_rule(name: str) -> None:
    rule = importlib.import_module(f"{reasons.__name__}.{name}").RULE
    assert isinstance(rule, ReasonRule)
    assert rule.phrases or rule.pairs
    words = [*rule.phrases, *(w for pair in rule.pairs for w in pair), *rule.excludes]
    for word in words:
        assert word == " ".join(word.lower().split()), f"{name}: {word!r} must be lower-case, single-spaced"
    assert len(set(rule.phrases)) == len(rule.phrases), f"{name}: duplicate phrase"


@pytest.mark.parametrize("name", [m for m in MODULES if not m.endswith("_generic") and m != "greylisting"])
def test_module_is_named_after_its_reason(name: str) -> None:
    rule = importlib.import_module(f"{reasons.__name__}.{name}").RULE
    assert rule.reason is Reason(name)


def test_rules_are_ordered_by_priority() -> None:
    priorities = [r.priority for r in load_rules()]
    assert priorities == sorted(priorities, reverse=True)
    assert len(priorities) == len(MODULES)


def test_specific_recipient_wording_outranks_generic_refusals() -> None:
    by_module = {m: importlib.import_module(f"{reasons.__name__}.{m}").RULE.priority for m in MODULES}
    assert by_module["userunknown"] > by_module["rejected_generic"]
    assert by_module["userunknown"] > by_module["blocked"]
    assert by_module["rejected_generic"] < 30 and by_module["blocked_generic"] < 30
