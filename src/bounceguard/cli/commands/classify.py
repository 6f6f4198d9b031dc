"""`bounceguard classify`: classify one SMTP reply, or JSON lines from stdin.

One argument: the reply text. No argument or "-": read JSON lines
({"reply_code", "status", "diagnostic", "remote_host"} or {"reply": "550 ..."}) and
answer one JSON line each; a line that cannot be read answers {"error": ...} so a
long batch is never lost to one bad record.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from bounceguard.core.classify import ClassifyInputError, classify, parse_reply
from bounceguard.core.models import Classification


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "classify",
        help="classify an SMTP reply (argument) or JSON lines (stdin)",
        description="Print reason, category and action for an SMTP reply as JSON.",
    )
    p.add_argument("reply", nargs="?", default="-", help='e.g. "550 5.1.1 <a@example.com>: user unknown"')
    p.add_argument("--remote-host", default=None, help="receiving host, when known")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.reply != "-":
        print(json.dumps(answer_reply(args.reply, args.remote_host)))
        return 0
    return run_lines(sys.stdin, sys.stdout)


def answer_reply(text: str, remote_host: str | None = None) -> dict[str, Any]:
    parsed = parse_reply(text)
    verdict = classify(
        reply_code=parsed.reply_code, status=parsed.status, diagnostic=parsed.text, remote_host=remote_host
    )
    return _as_json(verdict, parsed.reply_code, parsed.status)


def answer_record(record: object) -> dict[str, Any]:
    """The answer for one decoded JSON line; raises ClassifyInputError when it has the wrong shape."""
    if not isinstance(record, dict):
        raise ClassifyInputError(f"expected a JSON object, got {type(record).__name__}")
    remote_host = record.get("remote_host")
    if "reply" in record:
        reply = record["reply"]
        if not isinstance(reply, str):
            raise ClassifyInputError("'reply' must be a string")
        if remote_host is not None and not isinstance(remote_host, str):
            raise ClassifyInputError("'remote_host' must be a string")
        return answer_reply(reply, remote_host)
    code = record.get("reply_code")
    if isinstance(code, str) and code.strip().isdigit():
        code = int(code)
    status = record.get("status")
    verdict = classify(reply_code=code, status=status, diagnostic=record.get("diagnostic"), remote_host=remote_host)
    return _as_json(verdict, code, status)


def run_lines(stdin: TextIO, stdout: TextIO) -> int:
    """Answer every line of `stdin`; exit status 1 only when stdin itself cannot be read."""
    try:
        for line in stdin:
            if not line.strip():
                continue
            try:
                out = answer_record(json.loads(line))
            except (ValueError, ClassifyInputError) as exc:  # json.JSONDecodeError is a ValueError
                out = {"error": f"{type(exc).__name__}: {exc}"}
            stdout.write(json.dumps(out) + "\n")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"bounceguard classify: cannot read stdin: {exc}", file=sys.stderr)
        return 1
    return 0


def _as_json(verdict: Classification, reply_code: int | None, status: str | None) -> dict[str, Any]:
    return {
        "reason": verdict.reason.value,
        "category": verdict.category.value,
        "suppress": verdict.suppress,
        "retry": verdict.retry,
        "hardbounce": verdict.hardbounce,
        "why": verdict.why,
        "reply_code": reply_code,
        "status": status,
    }
