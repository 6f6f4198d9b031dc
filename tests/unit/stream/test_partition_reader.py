"""`partition_reader`: one partition's table values by raw key, from either store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import rocksdict

from bounceguard.settings import Settings
from bounceguard.stream.app import create_app
from bounceguard.stream.table_writes import partition_reader, read_raw


def _address_table(tmp_path: Path, store: str) -> Any:
    pipeline = create_app(Settings(store=store, data_dir=tmp_path / "worker", topic_prefix="t."))
    return pipeline.tables["address-state"]


@pytest.mark.parametrize("store", ["rocksdb://", "memory://"])
def test_partition_reader_reads_what_the_store_holds(tmp_path: Path, store: str) -> None:
    table = _address_table(tmp_path, store)
    if store == "memory://":
        table.data.data[b"k"] = b"v"
    else:
        batch = rocksdict.WriteBatch(raw_mode=True)
        batch.put(b"k", b"v")
        table.data._db_for_partition(1).write(batch)
    read = partition_reader(table, 1)
    assert read(b"k") == b"v" == read_raw(table, b"k")
    assert read(b"missing") is None


def test_a_rocksdb_reader_reads_its_own_partition_only(tmp_path: Path) -> None:
    table = _address_table(tmp_path, "rocksdb://")
    table.data._db_for_partition(0)[b"k"] = b"zero"
    table.data._db_for_partition(2)[b"k"] = b"two"
    assert partition_reader(table, 0)(b"k") == b"zero"
    assert partition_reader(table, 2)(b"k") == b"two"
    assert partition_reader(table, 3)(b"k") is None
