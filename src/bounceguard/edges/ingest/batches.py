"""Splitting a webhook body into single events, each kept as its exact raw JSON text.

SendGrid and SparkPost POST arrays; each element becomes one WebhookEnvelope so a
consumer can process (and dead-letter) events one at a time. The slices are cut from
the received text, not re-serialized, so the published payload is byte-for-byte what
the provider sent.
"""

from __future__ import annotations

import json
from typing import Any

_DECODER = json.JSONDecoder()
_WS = " \t\r\n"


class MalformedBody(ValueError):
    """The body is not the JSON the provider sends; the message says where it broke."""


def split_events(text: str) -> list[tuple[str, Any]]:
    """[(raw text, parsed value)] for each element of a top-level array, or the one object."""
    start = _skip(text, 0)
    if start >= len(text):
        raise MalformedBody("empty body")
    if text[start] != "[":
        value, end = _decode(text, start)
        if _skip(text, end) != len(text):
            raise MalformedBody(f"extra data after the JSON value at offset {end}")
        return [(text[start:end], value)]
    items: list[tuple[str, Any]] = []
    pos = _skip(text, start + 1)
    if pos < len(text) and text[pos] == "]":
        pos += 1
    else:
        while True:
            value, end = _decode(text, pos)
            items.append((text[pos:end], value))
            pos = _skip(text, end)
            if pos < len(text) and text[pos] == ",":
                pos = _skip(text, pos + 1)
                continue
            if pos < len(text) and text[pos] == "]":
                pos += 1
                break
            raise MalformedBody(f"expected ',' or ']' at offset {pos}")
    if _skip(text, pos) != len(text):
        raise MalformedBody(f"extra data after the JSON array at offset {pos}")
    return items


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _WS:
        pos += 1
    return pos


def _decode(text: str, pos: int) -> tuple[Any, int]:
    try:
        return _DECODER.raw_decode(text, pos)
    except json.JSONDecodeError as exc:
        raise MalformedBody(f"invalid JSON: {exc.msg} at offset {exc.pos}") from None
    except RecursionError:
        raise MalformedBody("JSON nested too deeply") from None
