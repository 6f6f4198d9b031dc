"""Flow control whose resume drops queued records only when it ends a suspension.

Faust clears its stream and changelog queues when a rebalance starts (after suspending the
flow), and mode's `FlowControlEvent.resume()` clears them again on every call. faust-streaming
calls `resume()` several times per rebalance: when active recovery starts (after seeking the
changelog partitions: the queues may still hold records of the old assignment), when standby
partitions start, and when the streams resume. The last two find the flow already running,
and the consumer already fetching standby changelog records past the offsets it was sought
to: a record waiting in the queue then would be dropped, and nothing would fetch it again
(the standby would skip it for good, as in `fast_consumer.inactive_records`). In fourteen
rebalance fault runs the queues were empty at those calls, so this has not been seen to
lose a record; it closes the window rather than fixing an observed loss.

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
