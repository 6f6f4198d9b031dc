"""The benchmarks' inputs: the latency phases' background deliveries and the worker variants compared."""

from __future__ import annotations

import argparse
import importlib.util
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import orjson
import pytest

from bounceguard.core.addresses import address_key
from bounceguard.core.categories import Category
from bounceguard.core.intake import event_from_send_result, parse_send_result
from bounceguard.core.models import Outcome
from bounceguard.stream.partitioning import partition_of

BENCH = Path(__file__).resolve().parents[3] / "bench"


def _load(name: str) -> ModuleType:
    sys.path.insert(0, str(BENCH))  # compare_workers imports pipeline as its neighbour
    try:
        spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCH))


@pytest.fixture(scope="module")
def pipeline() -> ModuleType:
    return _load("pipeline")


def test_background_deliveries_are_valid_distinct_send_results_keyed_as_producers_key_them(
    pipeline: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "ADDRESSES", 2_000)  # the key table is built per address
    load = pipeline.BackgroundLoad("address", 4, tag="bgtest", seed=3)
    at = datetime(2026, 11, 29, 3, 4, 5, 678901, tzinfo=UTC)
    seen_ids, mailboxes, segments = set(), set(), set()
    for index in (0, 1, 7, 1_999, 1_234, 0):
        key, partition, value = load.value(index, at.isoformat().encode())
        result = parse_send_result(value)
        event = event_from_send_result(result)
        recipient = pipeline.address(index)
        assert result.recipient == recipient
        assert key == address_key("bench", recipient).encode()
        assert partition == partition_of(key, 4)
        assert result.timestamp == at
        assert (event.outcome, event.category) == (Outcome.DELIVERED, Category.NONE)
        assert result.remote_mta == pipeline.RECEIVERS[recipient.rsplit("@", 1)[1]]
        seen_ids.add(event.event_id)
        mailboxes.add(result.mailbox)
        segments.add(result.segment)
        assert orjson.loads(value)["message_id"].startswith(f"<{event.event_id}@")
    assert len(seen_ids) == 6  # the same address twice is still two sends
    assert len(mailboxes) > 1 and len(segments) > 1


def test_a_worker_variant_is_a_name_and_environment(pipeline: ModuleType) -> None:
    compare = _load("compare_workers")
    assert compare.parse_variant("before:PYTHONPATH=/tmp/b/src,BOUNCEGUARD_X=1") == (
        "before",
        {"PYTHONPATH": "/tmp/b/src", "BOUNCEGUARD_X": "1"},
    )
    assert compare.parse_variant("after:") == ("after", {})
    for bad in ("after", ":X=1", "a:X", "b:BOUNCEGUARD_STORE=memory://"):
        with pytest.raises(argparse.ArgumentTypeError):
            compare.parse_variant(bad)
