"""Kafka's default partition of a keyed record: murmur2 of the key, as every Kafka client computes it.

The intake stage hashes every event key (to decide it in place or send it to its partition),
so the hash is on the hot path. aiokafka's `murmur2` walks the key a byte at a time; this one
reads it as little-endian 32-bit words in one `struct` call, about 30 % faster, and gives the
same value (tests/unit/stream compare the two on random keys). No maintained package ships
Kafka's murmur2 as a C extension (the `mmh3` family is MurmurHash3).
"""

from __future__ import annotations

import struct

_SEED = 0x9747B28C
_M = 0x5BD1E995
_MASK = 0xFFFFFFFF
_WORDS: dict[int, struct.Struct] = {}


def murmur2(data: bytes) -> int:
    """Kafka's 32-bit murmur2 of `data` (unsigned)."""
    length = len(data)
    h = _SEED ^ length
    count = length >> 2
    words = _WORDS.get(count)
    if words is None:
        words = _WORDS[count] = struct.Struct(f"<{count}I")
    for k in words.unpack_from(data):
        k = (k * _M) & _MASK
        k ^= k >> 24
        h = ((h * _M) & _MASK) ^ ((k * _M) & _MASK)
    rest = length & 3
    if rest:
        tail = count << 2
        if rest == 3:
            h ^= data[tail + 2] << 16
        if rest >= 2:
            h ^= data[tail + 1] << 8
        h ^= data[tail]
        h = (h * _M) & _MASK
    h ^= h >> 13
    h = (h * _M) & _MASK
    return h ^ (h >> 15)


def partition_of(key: bytes, partitions: int) -> int:
    """The partition Kafka's default partitioner gives `key` among `partitions` partitions."""
    return (murmur2(key) & 0x7FFFFFFF) % partitions
