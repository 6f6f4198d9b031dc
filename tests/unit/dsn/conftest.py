"""The labelled Sisimai corpus for the parser tests: BOUNCEGUARD_CORPUS or <repo>/../shared/corpus/sisimai.

Tests that need it fail (not skip) when it is missing: CI has it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CORPUS = Path(
    os.environ.get("BOUNCEGUARD_CORPUS", Path(__file__).resolve().parents[3].parent / "shared" / "corpus" / "sisimai")
)


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    assert (CORPUS / "labels.jsonl").is_file(), f"bounce corpus missing at {CORPUS} (set BOUNCEGUARD_CORPUS)"
    return CORPUS
