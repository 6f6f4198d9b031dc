"""Where the labelled Sisimai corpus lives for tests: BOUNCEGUARD_CORPUS or <repo>/../shared/corpus/sisimai.

Tests that need it fail (not skip) when it is missing: CI has it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[3]


def corpus_dir() -> Path:
    root = Path(os.environ.get("BOUNCEGUARD_CORPUS", REPO_ROOT.parent / "shared" / "corpus" / "sisimai"))
    assert (root / "labels.jsonl").is_file(), f"bounce corpus missing at {root} (set BOUNCEGUARD_CORPUS)"
    return root


def email_bytes(name: str) -> bytes:
    return (corpus_dir() / "emails" / name).read_bytes()


def labels() -> list[dict[str, Any]]:
    text = (corpus_dir() / "labels.jsonl").read_text("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]
