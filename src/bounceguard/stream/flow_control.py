"""Flow control whose resume drops queued records only when it ends a suspension.

Faust clears its stream and changelog queues when a rebalance starts (after suspending the
flow), and mode's `FlowControlEvent.resume()` clears them again on every call. faust-streaming
calls `resume()` several times per rebalance: when active recovery starts (after seeking the
changelog partitions: the queues may still hold records of the old assignment), when standby
partitions start, and when the streams resume. The last two find the flow already running. By
then the consumer is fetching standby changelog records past the offsets it was sought to;
the records waiting in the queue are dropped, and nothing fetches them again. The standby
skips them for good, its persisted offset moves past them with the records after them, and
when the partition later becomes active (the owner leaves), recovery starts after the hole:
the new owner decides on the state an address had before those records. Seen in the
rebalance fault test with RocksDB: the states the first worker wrote in the ~1 s before the
standby started were missing on the second worker, 20 keys regressed, one decided wrongly.

Here `resume()` while the flow is running does nothing. A resume that ends a suspension
still clears, as before.
"""

from __future__ import annotations

from typing import Any

from mode.utils.queues import FlowControlEvent


class ResumeAfterSuspendClears(FlowControlEvent):  # type: ignore[misc]  # mode's class is untyped
    def resume(self) -> None:
        if self.is_active():
            return  # already flowing: the queued records were fetched after the last seek
        super().resume()


def install(app: Any) -> None:
    """Give `app` this flow control (call before anything uses `app.flow_control`)."""
    if "flow_control" in vars(app):
        raise RuntimeError("flow_control.install must run before the app's flow control is created")
    app.__dict__["flow_control"] = ResumeAfterSuspendClears(loop=app.loop)
