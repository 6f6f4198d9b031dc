"""Kafka's default partition: the native murmur2 equals aiokafka's (the reference) on random keys."""

from __future__ import annotations

import random

import pytest
from aiokafka.partitioner import murmur2 as reference

from bounceguard.stream.partitioning import murmur2, partition_of


@pytest.mark.parametrize("seed", range(4))
def test_murmur2_equals_the_reference_on_random_keys(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(5_000):
        key = rng.randbytes(rng.randrange(0, 90))
        assert murmur2(key) & 0x7FFFFFFF == reference(key) & 0x7FFFFFFF


@pytest.mark.parametrize(
    ("key", "partitions", "expected"),
    [
        (b"", 4, (reference(b"") & 0x7FFFFFFF) % 4),
        (b"acme/bob@example.com", 4, (reference(b"acme/bob@example.com") & 0x7FFFFFFF) % 4),
        (b"acme/bob@example.com", 12, (reference(b"acme/bob@example.com") & 0x7FFFFFFF) % 12),
    ],
)
def test_partition_of_matches_the_default_partitioner(key: bytes, partitions: int, expected: int) -> None:
    assert partition_of(key, partitions) == expected


def test_known_values() -> None:
    # Published murmur2 values used by Kafka clients' test suites (seed 0x9747b28c).
    assert murmur2(b"21") == (-973932308) & 0xFFFFFFFF
    assert murmur2(b"foobar") == (-790332482) & 0xFFFFFFFF
    assert murmur2(b"a-little-bit-long-string") == (-985981536) & 0xFFFFFFFF
    assert murmur2(b"a-little-bit-longer-string") == (-1486304829) & 0xFFFFFFFF
    assert murmur2(b"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8") == (-58897971) & 0xFFFFFFFF
