"""The classifier against the labelled Sisimai corpus (fails when the corpus is missing).

Fields are taken straight from the RFC 3464 parts (Status, Diagnostic-Code) of emails with
one recipient, so this measures the classifier alone, not the bounce parser. Labels come
from one Sisimai version and carry its quirks (e.g. a "user unknown" answered at DATA is
"filtered" there, which needs the SMTP stage), so the floors sit just under what the
classifier reaches today: a drop means a wording change broke real receivers' replies.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bounceguard.core.categories import Category
from bounceguard.core.classify import classify

_DIAG = re.compile(r"^Diagnostic-Code:[ \t]*[^;\n]*;[ \t]*(.*(?:\n[ \t]+.*)*)", re.MULTILINE | re.IGNORECASE)
_STATUS = re.compile(r"^Status:[ \t]*([245]\.\d{1,3}\.\d{1,3})", re.MULTILINE | re.IGNORECASE)
_NOT_BOUNCES = {"feedback", "vacation", "delivered"}

REASON_FLOOR = 0.76
HARD_FLOOR = 0.84


def _rows(corpus: Path) -> list[tuple[str, str, bool, str | None, str]]:
    rows = []
    for line in (corpus / "labels.jsonl").read_text().splitlines():
        label = json.loads(line)
        if len(label["expected"]) != 1 or label["expected"][0]["reason"] in _NOT_BOUNCES:
            continue
        text = (corpus / label["file"]).read_bytes().decode("utf-8", "replace")
        diags, statuses = _DIAG.findall(text), _STATUS.findall(text)
        if len(diags) != 1 or len(statuses) > 1:
            continue
        expected = label["expected"][0]
        rows.append(
            (
                label["file"],
                expected["reason"],
                expected["hardbounce"],
                statuses[0] if statuses else None,
                " ".join(diags[0].split()),
            )
        )
    return rows


@pytest.fixture(scope="module")
def rows(corpus_dir: Path) -> list[tuple[str, str, bool, str | None, str]]:
    found = _rows(corpus_dir)
    assert len(found) > 250, f"expected the single-recipient RFC 3464 bounces of {corpus_dir}"
    return found


def test_reason_agreement(rows: list[tuple[str, str, bool, str | None, str]]) -> None:
    agree = [classify(status=st, diagnostic=d).reason.value == reason for _, reason, _, st, d in rows]
    assert sum(agree) / len(agree) >= REASON_FLOOR


def test_hard_soft_agreement(rows: list[tuple[str, str, bool, str | None, str]]) -> None:
    agree = [classify(status=st, diagnostic=d).hardbounce == hard for _, _, hard, st, d in rows]
    assert sum(agree) / len(agree) >= HARD_FLOOR


def test_every_corpus_diagnostic_line_classifies(corpus_dir: Path) -> None:
    seen = 0
    for path in sorted((corpus_dir / "emails").glob("*.eml")):
        for diag in _DIAG.findall(path.read_bytes().decode("utf-8", "replace")):
            verdict = classify(diagnostic=diag)
            assert verdict.hardbounce == (verdict.category is Category.HARD)
            seen += 1
    assert seen > 300
