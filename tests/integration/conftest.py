"""Integration fixtures: one real worker process per test module, on its own topic prefix."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from kafka_helpers import WorkerProcess  # type: ignore[import-not-found]


@pytest.fixture(scope="module")
def worker(kafka_bootstrap: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorkerProcess]:
    prefix = f"bgtest-{uuid.uuid4().hex[:10]}."
    proc = WorkerProcess(
        bootstrap=kafka_bootstrap, topic_prefix=prefix, data_dir=Path(tmp_path_factory.mktemp("worker"))
    )
    proc.start()
    try:
        yield proc
    finally:
        proc.stop()
