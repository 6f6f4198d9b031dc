"""Flow control: a resume clears the queues only when it ends a suspension."""

from __future__ import annotations

import faust
import pytest

from bounceguard.stream import fast_recovery, flow_control
from bounceguard.stream.fast_recovery import ChangelogQueue
from bounceguard.stream.flow_control import ResumeAfterSuspendClears


def _queue(flow: ResumeAfterSuspendClears) -> ChangelogQueue:
    return ChangelogQueue(maxsize=100, flow_control=flow, clear_on_resume=True)


def test_resume_ending_a_suspension_clears_the_queues() -> None:
    flow = ResumeAfterSuspendClears(initially_suspended=False)
    queue = _queue(flow)
    queue.put_nowait("old assignment")
    flow.suspend()
    flow.resume()
    assert queue.empty()
    assert flow.is_active()


def test_resume_of_a_running_flow_keeps_what_was_fetched() -> None:
    flow = ResumeAfterSuspendClears(initially_suspended=True)
    queue = _queue(flow)
    flow.resume()  # recovery starts: ends the initial suspension
    for offset in range(5):
        queue.put_nowait(offset)  # standby changelog records fetched after the seek
    flow.resume()  # standby partitions start
    flow.resume()  # streams resume
    assert [queue.get_nowait() for _ in range(5)] == [0, 1, 2, 3, 4]


def test_the_upstream_event_drops_them() -> None:
    # The behaviour this class exists to avoid, so the test notices if upstream changes it.
    from mode.utils.queues import FlowControlEvent

    flow = FlowControlEvent(initially_suspended=False)
    queue = ChangelogQueue(maxsize=100, flow_control=flow, clear_on_resume=True)
    queue.put_nowait(1)
    flow.resume()
    assert queue.empty()


def test_an_explicit_clear_still_clears() -> None:
    flow = ResumeAfterSuspendClears(initially_suspended=False)
    queue = _queue(flow)
    queue.put_nowait(1)
    flow.clear()  # what Faust does when a rebalance revokes partitions
    assert queue.empty()


def test_install_gives_the_app_and_its_changelog_queue_this_flow_control() -> None:
    app = faust.App("flow-control-unit", broker="kafka://127.0.0.1:1")
    flow_control.install(app)
    fast_recovery.install(app)
    assert isinstance(app.flow_control, ResumeAfterSuspendClears)
    assert app.tables.changelog_queue._flow_control is app.flow_control


def test_install_after_the_flow_control_exists_is_refused() -> None:
    app = faust.App("flow-control-late", broker="kafka://127.0.0.1:1")
    assert app.flow_control is not None
    with pytest.raises(RuntimeError, match="before the app's flow control"):
        flow_control.install(app)
