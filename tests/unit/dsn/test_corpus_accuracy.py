"""Accuracy floors against the labelled corpus: a regression lowers a number and fails here.

Floors sit just under what the parser reaches; raise them when it improves.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bounceguard.core.dsn.evaluation import EvalReport, corpus_items, evaluate

FLOORS = {
    "recipients_found": 0.99,
    "reason_agreement": 0.922,
    "hardsoft_agreement": 0.963,
    # counting the rows of label_disputes.json as ours (each with its written reason)
    "reason_agreement_with_disputes": 0.958,
    "hardsoft_agreement_with_disputes": 0.99,
}


@pytest.fixture(scope="module")
def report(corpus_dir: Path) -> EvalReport:
    return evaluate(corpus_items(corpus_dir))


@pytest.mark.parametrize("metric", sorted(FLOORS))
def test_floor(report: EvalReport, metric: str) -> None:
    value = report.overall.rates()[metric]
    assert value >= FLOORS[metric], f"{metric} fell to {value:.2%} (floor {FLOORS[metric]:.1%})"


def test_no_block_reason_is_marked_hard(report: EvalReport) -> None:
    # suppressing a recipient because the sender was blocked is the costliest mistake
    assert report.block_marked_hard == []


def test_every_email_is_scored(report: EvalReport) -> None:
    assert report.overall.expected == 630
