"""`bounceguard eval-corpus DIR`: the parser's accuracy against a labelled bounce corpus."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bounceguard.core.dsn.evaluation import corpus_items, evaluate, format_report


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("eval-corpus", help="score the bounce parser against a labelled corpus (labels.jsonl)")
    p.add_argument("corpus", type=Path, help="corpus directory holding labels.jsonl and emails/")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--quiet", action="store_true", help="leave out the list of disagreements")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        items = corpus_items(args.corpus)
    except (OSError, ValueError) as exc:
        print(f"eval-corpus: cannot read corpus {args.corpus}: {exc}", file=sys.stderr)
        return 2
    report = evaluate(items)
    if args.json:
        print(json.dumps(report.to_dict(), indent=1, default=str))
    else:
        print(format_report(report, show_disagreements=not args.quiet))
    return 0
