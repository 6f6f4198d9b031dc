"""Faust's RocksDB store with a hashed memtable: the address table is read and written by key.

Every event reads its address record and every batch writes the new records, always by whole
key. RocksDB's default memtable is one sorted skip list per partition database; with a few
hundred thousand records in it, a point read walks ~20 levels of cache-cold nodes (in the
worker, a read took ~6 us, 8 % of its samples). A hash skip list memtable (with the whole key
as the "prefix") puts each key in its own small bucket: in-process, reads and writes of a
50k-key memtable take about half as long.

What the hash memtable costs: it keeps no total order, so an iterator needs
`total_order_seek` (the store's own key and item iterators set it; a plain `db.keys()` would
see nothing), and such a scan sorts the memtable first (~3 us per key, only the views that list
a tenant's suppressions and Faust's table size scan). Its bucket array takes
`_BUCKETS * 8` bytes per memtable.

Nothing on disk changes (SST files, changelog, persisted offsets), but rocksdict reopens a
database with the column-family options it was created with: a data dir created by Faust's own
store keeps its skip list memtable, and one created here is refused by Faust's own options
(they allow concurrent memtable writes). Either way the data dir is a cache of the changelog:
delete it and the worker recovers its tables.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import faust
import rocksdict
from faust.stores import rocksdb as faust_rocksdb
from yarl import URL

# Buckets per memtable: ~2 records per bucket at a full 64 MB memtable of ~300-byte records.
_BUCKETS = 100_000
_HEIGHT = 4
_BRANCHING = 4


class HashedMemtableOptions(faust_rocksdb.RocksDBOptions):  # type: ignore[misc]  # untyped library
    """Faust's RocksDB options, with a hash skip list memtable keyed by the whole key."""

    def as_options(self) -> Any:
        options = super().as_options()
        options.set_prefix_extractor(rocksdict.SliceTransform.create_noop())
        options.set_allow_concurrent_memtable_write(False)  # the hash memtable takes one writer
        # rocksdict's type stub leaves out the three parameters the function takes
        factory = rocksdict.MemtableFactory.hash_skip_list(_BUCKETS, _HEIGHT, _BRANCHING)  # type: ignore[call-arg]
        options.set_memtable_factory(factory)
        return options

    def open(self, path: Path, *, read_only: bool = False) -> Any:
        db = super().open(path, read_only=read_only)
        db.set_read_options(total_order_reads())
        return db


def total_order_reads() -> Any:
    """Read options under which an iterator sees every key, not only those of one prefix."""
    options = rocksdict.ReadOptions()
    options.set_total_order_seek(True)
    return options


class Store(faust_rocksdb.Store):  # type: ignore[misc]  # untyped library
    """Faust's RocksDB store (rocksdict driver) opening its partitions with a hashed memtable."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.use_rocksdict:
            tuned = HashedMemtableOptions(use_rocksdict=True)
            tuned.__dict__.update(self.rocksdb_options.__dict__)  # what Faust took from the table's options
            self.rocksdb_options = tuned

    def _visible_keys(self, db: Any) -> Iterator[bytes]:
        if not self.use_rocksdict:
            yield from super()._visible_keys(db)
            return
        for key in db.keys(read_opt=total_order_reads()):
            if key != self.offset_key:
                yield key

    def _visible_items(self, db: Any) -> Iterator[tuple[bytes, bytes]]:
        if not self.use_rocksdict:
            yield from super()._visible_items(db)
            return
        for key, value in db.items(read_opt=total_order_reads()):
            if key != self.offset_key:
                yield key, value


class Table(faust.Table):  # type: ignore[misc,type-arg]  # untyped library
    """A Faust table whose `rocksdb://` store is the hashed-memtable `Store` (other stores as Faust's)."""

    def _new_store_by_url(self, url: str | URL) -> Any:
        if URL(str(url)).scheme != "rocksdb":
            return super()._new_store_by_url(url)
        return Store(
            url,
            self.app,
            self,
            table_name=self.name,
            key_type=self.key_type,
            key_serializer=self.key_serializer,
            value_serializer=self.value_serializer,
            value_type=self.value_type,
            loop=self.loop,
            options=self.options,
        )
