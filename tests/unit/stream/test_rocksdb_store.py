"""The hashed-memtable RocksDB store: point reads, ordered scans, and a data dir Faust's store still opens."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import rocksdict
from faust.stores.memory import Store as MemoryStore
from faust.stores.rocksdb import RocksDBOptions

from bounceguard.settings import Settings
from bounceguard.stream import rocksdb_store
from bounceguard.stream.app import create_app
from bounceguard.stream.table_writes import partition_reader


def _address_table(tmp_path: Path, store: str) -> Any:
    pipeline = create_app(Settings(store=store, data_dir=tmp_path / "worker", topic_prefix="t."))
    return pipeline.tables["address-state"]


def _write(db: Any, items: dict[bytes, bytes]) -> None:
    batch = rocksdict.WriteBatch(raw_mode=True)
    for key, value in items.items():
        batch.put(key, value)
    db.write(batch)


def test_rocksdb_tables_get_the_hashed_memtable_store(tmp_path: Path) -> None:
    table = _address_table(tmp_path, "rocksdb://")
    assert isinstance(table.data, rocksdb_store.Store)
    assert isinstance(table.data.rocksdb_options, rocksdb_store.HashedMemtableOptions)


def test_memory_tables_keep_fausts_store(tmp_path: Path) -> None:
    assert isinstance(_address_table(tmp_path, "memory://").data, MemoryStore)


def test_point_reads_and_ordered_scans(tmp_path: Path) -> None:
    store = _address_table(tmp_path, "rocksdb://").data
    db = store._db_for_partition(2)
    items = {f"t/user{n}@example.com".encode(): f"v{n}".encode() for n in range(500)}
    _write(db, items)
    _write(db, {b"t/user7@example.com": b"newer"})
    read = partition_reader(store.table, 2)
    assert read(b"t/user7@example.com") == b"newer"
    assert read(b"t/user3@example.com") == b"v3"
    assert read(b"t/nobody@example.com") is None
    # without total-order reads a scan of a hashed memtable sees nothing; the store's scans see all, in order
    assert list(db.keys()) == []
    assert list(store._visible_keys(db)) == sorted(items)
    assert dict(store._visible_items(db)) == items | {b"t/user7@example.com": b"newer"}


def test_a_restarted_store_reads_its_data_dir_with_the_hashed_memtable(tmp_path: Path) -> None:
    store = _address_table(tmp_path, "rocksdb://").data
    db = store._db_for_partition(0)
    _write(db, {b"t/a@example.com": b"1", b"t/b@example.com": b"2"})
    db.close()
    again = _address_table(tmp_path, "rocksdb://").data
    db = again._db_for_partition(0)
    _write(db, {b"t/c@example.com": b"3"})
    assert db[b"t/a@example.com"] == b"1"
    assert list(again._visible_keys(db)) == [b"t/a@example.com", b"t/b@example.com", b"t/c@example.com"]
    assert list(db.keys()) == [b"t/a@example.com", b"t/b@example.com"]  # on disk, in order; the memtable is hashed


def test_a_data_dir_of_fausts_own_store_still_opens(tmp_path: Path) -> None:
    store = _address_table(tmp_path, "rocksdb://").data
    plain = RocksDBOptions(use_rocksdict=True).open(store.partition_path(0))
    _write(plain, {b"t/a@example.com": b"1"})
    plain.close()
    db = store._db_for_partition(0)
    _write(db, {b"t/b@example.com": b"2"})
    assert list(store._visible_keys(db)) == [b"t/a@example.com", b"t/b@example.com"]


@pytest.mark.parametrize("store", ["rocksdb://", "memory://"])
def test_partition_reader_reads_what_the_store_holds(tmp_path: Path, store: str) -> None:
    table = _address_table(tmp_path, store)
    if store == "memory://":
        table.data.data[b"k"] = b"v"
    else:
        _write(table.data._db_for_partition(1), {b"k": b"v"})
    read = partition_reader(table, 1)
    assert read(b"k") == b"v"
    assert read(b"missing") is None
