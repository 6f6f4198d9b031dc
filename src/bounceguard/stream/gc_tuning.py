"""Keep CPython's full garbage collections off the hard-bounce path.

A worker's heap is mostly long-lived and acyclic: imported modules, the app's object graph,
cached classifications and decoded states. CPython's oldest-generation collection walks all of
it: measured at 1,500 events/s, a full collection took 90-110 ms, about every second and a half,
and found next to nothing to free; each one stalled every stage's event loop, so it set the
p99 of hard bounce -> suppression. Freezing moves the objects alive at that moment out of the
collector's sight (refcounting still frees them); a larger first threshold makes young
collections, and the promotions that lead to full ones, rarer.
"""

from __future__ import annotations

import asyncio
import gc
from typing import Any

# Allocations between young collections (CPython's default is 700).
GEN0_THRESHOLD = 20_000


def tune(app: Any) -> None:
    """Freeze the start-up heap now, and again once the tables are recovered (their data is long-lived)."""
    _, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(GEN0_THRESHOLD, gen1, gen2)
    gc.collect()
    gc.freeze()

    @app.task  # type: ignore[untyped-decorator]
    async def freeze_after_recovery() -> None:
        recovery = app.tables.recovery
        await recovery.completed.wait()
        await asyncio.sleep(1.0)  # let the first batches settle
        gc.collect()
        gc.freeze()
