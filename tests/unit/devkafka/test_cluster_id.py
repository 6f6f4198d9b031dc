"""Cluster ids for the local broker's storage format: Kafka's form, and never option-like."""

from __future__ import annotations

import base64
import uuid

import pytest

from bounceguard.devkafka import broker


def test_cluster_id_is_16_bytes_of_url_safe_base64() -> None:
    text = broker._kafka_uuid()
    assert len(text) == 22
    assert len(base64.urlsafe_b64decode(text + "==")) == 16


def test_an_id_starting_with_a_dash_is_drawn_again(monkeypatch: pytest.MonkeyPatch) -> None:
    # 0xf8... encodes to '-' first in URL-safe base64; the storage tool took it for an option
    dash = uuid.UUID(bytes=bytes([0xF8]) + bytes(15))
    plain = uuid.UUID(bytes=bytes(16))
    draws = iter([dash, dash, plain])
    monkeypatch.setattr(broker.uuid, "uuid4", lambda: next(draws))
    assert base64.urlsafe_b64encode(dash.bytes).decode().startswith("-")
    assert broker._kafka_uuid() == base64.urlsafe_b64encode(plain.bytes).rstrip(b"=").decode()
