"""Batch splitting keeps each element's exact text, and says where bad JSON broke."""

from __future__ import annotations

import pytest

from bounceguard.edges.ingest.batches import MalformedBody, split_events

CASES: list[tuple[str, list[str]]] = [
    ('{"a": 1}', ['{"a": 1}']),
    ('  {"a": 1}\r\n', ['{"a": 1}']),
    ("[]", []),
    (" [ ] ", []),
    ('[{"a":1},{"b" : [1, 2]}]', ['{"a":1}', '{"b" : [1, 2]}']),
    ('[\n  {"a": "x\\u00e9"} ,\n  {"b": 2}\n]\n', ['{"a": "x\\u00e9"}', '{"b": 2}']),
]


@pytest.mark.parametrize(("text", "raw"), CASES)
def test_split_keeps_raw_text(text: str, raw: list[str]) -> None:
    assert [r for r, _ in split_events(text)] == raw


BAD = [
    ("", "empty body"),
    ("   ", "empty body"),
    ("[{", "invalid JSON"),
    ('[{"a":1} {"b":2}]', "expected ','"),
    ('[{"a":1},]', "invalid JSON"),
    ('{"a":1} trailing', "extra data"),
    ("[1] [2]", "extra data"),
    ("[" * 100_000, "nested too deeply|invalid JSON"),
]


@pytest.mark.parametrize(("text", "words"), BAD)
def test_bad_bodies(text: str, words: str) -> None:
    with pytest.raises(MalformedBody, match=words):
        split_events(text)
