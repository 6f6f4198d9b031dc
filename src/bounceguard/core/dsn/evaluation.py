"""Accuracy of the parser against a labelled corpus (the Sisimai set-of-emails labels).

Pure: the caller reads the files and passes bytes and label rows in, so the same code
serves the CLI, the accuracy-floor test and ad-hoc runs. Labels are one Sisimai version's
output, not truth: rows listed in label_disputes.json are reported apart and counted both ways.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from bounceguard.core.categories import Category
from bounceguard.core.dsn import BouncedRecipient, DsnParseError, parse_bounce


@dataclass(frozen=True)
class Dispute:
    file: str
    recipient: str
    label: str
    ours: str
    why: str


@dataclass
class Tally:
    expected: int = 0
    found: int = 0
    reason_ok: int = 0
    reason_ok_disputed: int = 0  # agreement when disputed labels are replaced by our reading
    hard_ok: int = 0
    hard_ok_disputed: int = 0
    extra: int = 0
    parse_errors: int = 0

    def add(self, other: Tally) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def rates(self) -> dict[str, float]:
        found = self.found or 1
        return {
            "recipients_found": self.found / (self.expected or 1),
            "reason_agreement": self.reason_ok / found,
            "reason_agreement_with_disputes": self.reason_ok_disputed / found,
            "hardsoft_agreement": self.hard_ok / found,
            "hardsoft_agreement_with_disputes": self.hard_ok_disputed / found,
        }


@dataclass(frozen=True)
class Disagreement:
    file: str
    recipient: str
    field: str  # "missing", "reason", "hardbounce", "extra", "error"
    label: str
    ours: str
    diagnostic: str = ""
    disputed: bool = False


@dataclass
class EvalReport:
    overall: Tally = field(default_factory=Tally)
    by_module: dict[str, Tally] = field(default_factory=dict)
    disagreements: list[Disagreement] = field(default_factory=list)
    disputes: list[Dispute] = field(default_factory=list)
    block_marked_hard: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "overall": {**self.overall.__dict__, **self.overall.rates()},
            "by_module": {k: {**v.__dict__, **v.rates()} for k, v in sorted(self.by_module.items())},
            "block_reasons_marked_hard": self.block_marked_hard,
            "disagreements": [d.__dict__ for d in self.disagreements],
            "disputes": [d.__dict__ for d in self.disputes],
        }


def load_disputes() -> list[Dispute]:
    text = resources.files("bounceguard.core.dsn").joinpath("label_disputes.json").read_text("utf-8")
    return [Dispute(**row) for row in json.loads(text)]


def evaluate(items: Iterable[tuple[Mapping[str, Any], bytes]], disputes: list[Dispute] | None = None) -> EvalReport:
    """Score `(label row, email bytes)` pairs; a row follows the corpus labels.jsonl shape."""
    disputes = load_disputes() if disputes is None else disputes
    disputed = {(d.file, d.recipient.lower()): d for d in disputes}
    report = EvalReport(disputes=disputes)
    for label, raw in items:
        key = f"{label['kind']}/{label['module']}"
        tally = report.by_module.setdefault(key, Tally())
        one = _score(label, raw, disputed, report)
        tally.add(one)
        report.overall.add(one)
    return report


def _score(
    label: Mapping[str, Any], raw: bytes, disputed: Mapping[tuple[str, str], Dispute], report: EvalReport
) -> Tally:
    name = str(label["file"]).rsplit("/", 1)[-1]
    expected: list[Mapping[str, Any]] = list(label["expected"])
    tally = Tally(expected=len(expected))
    try:
        got = list(parse_bounce(raw).recipients)
    except DsnParseError as exc:
        tally.parse_errors = 1
        report.disagreements.append(Disagreement(name, "", "error", "", str(exc)))
        return tally
    for each in got:
        if each.category is Category.BLOCK and each.hardbounce:
            report.block_marked_hard.append(f"{name} {each.recipient} {each.reason}")
    remaining = list(got)
    for row in expected:
        rec = _take(remaining, str(row.get("recipient", "")))
        if rec is None:
            report.disagreements.append(
                Disagreement(name, str(row.get("recipient", "")), "missing", str(row["reason"]), "")
            )
            continue
        tally.found += 1
        want = str(row["reason"])
        dispute = disputed.get((name, rec.recipient.lower()))
        if rec.reason.value == want:
            tally.reason_ok += 1
            tally.reason_ok_disputed += 1
        else:
            if dispute is not None and dispute.ours == rec.reason.value:
                tally.reason_ok_disputed += 1
            report.disagreements.append(
                Disagreement(
                    name, rec.recipient, "reason", want, rec.reason.value, rec.diagnostic[:300], dispute is not None
                )
            )
        if rec.hardbounce == bool(row["hardbounce"]):
            tally.hard_ok += 1
            tally.hard_ok_disputed += 1
        else:
            if dispute is not None and dispute.ours == rec.reason.value:
                tally.hard_ok_disputed += 1
            report.disagreements.append(
                Disagreement(
                    name, rec.recipient, "hardbounce", str(row["hardbounce"]), str(rec.hardbounce), rec.diagnostic[:300]
                )
            )
    tally.extra = len(remaining)
    for left in remaining:
        report.disagreements.append(Disagreement(name, left.recipient, "extra", "", left.reason.value))
    return tally


def _take(remaining: list[BouncedRecipient], address: str) -> BouncedRecipient | None:
    for i, rec in enumerate(remaining):
        if rec.recipient.lower() == address.lower():
            return remaining.pop(i)
    return None


def format_report(report: EvalReport, show_disagreements: bool = True) -> str:
    lines = [f"{'kind/module':<28} {'found':>9} {'reason':>8} {'hard':>8}"]
    for key, tally in sorted(report.by_module.items()):
        r = tally.rates()
        found = f"{tally.found:>4}/{tally.expected:<4}"
        lines.append(f"{key:<28} {found} {r['reason_agreement']:>8.1%} {r['hardsoft_agreement']:>8.1%}")
    o = report.overall
    r = o.rates()
    lines += [
        "",
        f"recipients found      {o.found}/{o.expected} = {r['recipients_found']:.2%} (extra {o.extra}, "
        f"parse errors {o.parse_errors})",
        f"reason agreement      {o.reason_ok}/{o.found} = {r['reason_agreement']:.2%}"
        f" (with {len(report.disputes)} disputed labels: {r['reason_agreement_with_disputes']:.2%})",
        f"hard/soft agreement   {o.hard_ok}/{o.found} = {r['hardsoft_agreement']:.2%}"
        f" (with disputed labels: {r['hardsoft_agreement_with_disputes']:.2%})",
        f"block reasons marked hard: {len(report.block_marked_hard)}",
    ]
    lines += [f"  {item}" for item in report.block_marked_hard]
    if report.disputes:
        lines += ["", "disputed labels (file, recipient: label -> ours, why):"]
        lines += [f"  {d.file} {d.recipient}: {d.label} -> {d.ours}: {d.why}" for d in report.disputes]
    if show_disagreements:
        lines += ["", "disagreements (file, recipient, field: label -> ours):"]
        for d in report.disagreements:
            mark = " [disputed]" if d.disputed else ""
            lines.append(f"  {d.file} {d.recipient} {d.field}: {d.label} -> {d.ours}{mark}  | {d.diagnostic[:160]}")
    return "\n".join(lines)


def corpus_items(root: Path) -> list[tuple[dict[str, Any], bytes]]:
    """Read `labels.jsonl` and the e-mails it names from a corpus directory."""
    rows = [json.loads(line) for line in (root / "labels.jsonl").read_text("utf-8").splitlines() if line.strip()]
    return [(row, (root / row["file"]).read_bytes()) for row in rows]
