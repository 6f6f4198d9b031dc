"""The wire format, proven with a client nobody here wrote: Debian's kcat publishes and reads back."""

from __future__ import annotations

import shutil
import subprocess
import uuid

import orjson
import pytest
from kafka_helpers import WorkerProcess  # type: ignore[import-not-found]

pytestmark = [pytest.mark.kafka]


def test_kcat_send_result_in_suppression_out(worker: WorkerProcess) -> None:
    kcat = shutil.which("kcat") or shutil.which("kafkacat")
    assert kcat, "kcat is required (apt-get install kcat); .ci/run installs it"
    rcpt = f"kcat-{uuid.uuid4().hex[:8]}@example.net"
    line = orjson.dumps(
        {
            "recipient": rcpt,
            "outcome": "bounced",
            "timestamp": "2026-04-01T10:00:00Z",
            "reply_code": 550,
            "enhanced_status": "5.1.1",
            "diagnostic": "550 5.1.1 <" + rcpt + ">: Recipient address rejected: User unknown in virtual mailbox table",
            "mailbox": "ops@example.com",
        }
    )
    subprocess.run(
        [kcat, "-b", worker.bootstrap, "-P", "-t", f"{worker.topic_prefix}send-results", "-K", "\t"],
        input=rcpt.encode() + b"\t" + line + b"\n",
        check=True,
        timeout=30,
    )
    # Read the compacted suppression topic from the start until our key shows up (-e: exit at end).
    found: list[dict[str, object]] = []
    for _ in range(30):
        out = subprocess.run(
            [
                kcat,
                "-b",
                worker.bootstrap,
                "-C",
                "-t",
                f"{worker.topic_prefix}suppressions",
                "-o",
                "beginning",
                "-e",
                "-q",
                "-f",
                "%k\t%s\n",
            ],
            capture_output=True,
            check=True,
            timeout=30,
        ).stdout
        found = [
            orjson.loads(value)
            for key, _, value in (row.partition(b"\t") for row in out.splitlines())
            if key == f"default/{rcpt}".encode()
        ]
        if found:
            break
        import time

        time.sleep(1)
    assert len(found) == 1
    assert found[0]["action"] == "suppress"
    assert found[0]["reason"] == "userunknown"
