"""Keep CPython's garbage collections off the hot path.

A worker's heap is mostly long-lived and acyclic: imported modules, the app's object graph,
cached classifications and decoded states. CPython's oldest-generation collection walks all of
it: measured at 1,500 events/s, a full collection took 90-110 ms, about every second and a half,
and found next to nothing to free; each one stalled every stage's event loop, so it set the
p99 of hard bounce -> suppression. Freezing moves the objects alive at that moment out of the
collector's sight (refcounting still frees them).

The young generation's threshold counts tracked objects allocated and not yet freed. A batch in
flight holds some 100-170k of them (fetched records, their events, decisions and states), all
freed by refcounting once the batch is done. With a threshold below that, young collections ran
every few hundred events, walked the batch, found it alive and promoted it: about 12 % of the
worker's CPU, single collections of up to 84 ms (young) and 150 ms (middle). Above it, a steady
stream never reaches the threshold; only garbage that is really left over (cycles) builds up to
it.
"""

from __future__ import annotations

import gc
from typing import Any

# Tracked objects alive since the last young collection that start the next one (CPython's
# default is 700): above what the batches in flight hold.
GEN0_THRESHOLD = 300_000


def tune(app: Any) -> None:
    """Freeze the start-up heap now, and again once the tables are recovered (their data is long-lived)."""
    _, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(GEN0_THRESHOLD, gen1, gen2)
    gc.collect()
    gc.freeze()

    @app.task  # type: ignore[untyped-decorator]
    async def freeze_after_recovery() -> None:
        # At once, while the heap holds the tables and little else: a second later the batches
        # of a backlog are in flight (100k+ objects each) and the same collection took 110 ms
        # instead of a few, stalling every stage at the worst moment, to free a dozen objects.
        await app.tables.recovery.completed.wait()
        gc.collect()
        gc.freeze()
