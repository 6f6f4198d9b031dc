"""Worker settings that are refused, with a reason the operator can act on."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bounceguard.settings import Settings


def test_exactly_once_is_refused_with_the_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOUNCEGUARD_PROCESSING_GUARANTEE", "exactly_once")
    with pytest.raises(ValidationError) as info:
        Settings()
    text = str(info.value)
    assert "exactly_once is not offered" in text
    assert "at_least_once" in text


@pytest.mark.parametrize("value", ["at-least-once", "maybe", ""])
def test_unknown_guarantees_are_refused(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("BOUNCEGUARD_PROCESSING_GUARANTEE", value)
    with pytest.raises(ValidationError):
        Settings()


def test_at_least_once_is_the_default() -> None:
    assert Settings().processing_guarantee == "at_least_once"
