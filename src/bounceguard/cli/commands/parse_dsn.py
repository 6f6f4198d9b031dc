"""`bounceguard parse-dsn FILE...`: read bounce e-mails and print one line per recipient."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from bounceguard.core.dsn import DEFAULT_MAX_BYTES, BouncedRecipient, DsnParseError, parse_bounce


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("parse-dsn", help="parse bounce e-mails (DSN/NDR, ARF, auto-replies)")
    p.add_argument("files", nargs="*", default=["-"], help="e-mail files; '-' or none reads stdin")
    p.add_argument("--json", action="store_true", help="one JSON object per recipient")
    p.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, help="refuse larger messages")
    p.set_defaults(func=run)


def recipient_json(name: str, rec: BouncedRecipient) -> dict[str, Any]:
    return {
        "file": name,
        "recipient": rec.recipient,
        "reason": rec.reason.value,
        "category": rec.category.value,
        "hardbounce": rec.hardbounce,
        "status": rec.status,
        "replycode": rec.reply_code,
        "action": rec.action,
        "diagnostic": rec.diagnostic,
        "remote_mta": rec.remote_mta,
        "why": rec.why,
        "message_id": rec.message_id,
        "x_headers": rec.x_headers,
        "format": rec.format,
        "feedback_type": rec.feedback_type,
    }


def _read(name: str) -> bytes:
    if name == "-":
        return sys.stdin.buffer.read()
    return Path(name).read_bytes()


def run(args: argparse.Namespace) -> int:
    failed = 0
    for name in args.files or ["-"]:
        try:
            parsed = parse_bounce(_read(name), max_bytes=args.max_bytes)
        except (OSError, DsnParseError) as exc:
            failed += 1
            if args.json:
                print(json.dumps({"file": name, "error": str(exc), "error_type": type(exc).__name__}))
            else:
                print(f"{name}: ERROR {exc}")
            continue
        for rec in parsed.recipients:
            if args.json:
                print(json.dumps(recipient_json(name, rec), ensure_ascii=False))
            else:
                hard = "hard" if rec.hardbounce else "soft"
                print(
                    f"{name}: {rec.recipient} {rec.reason.value} ({rec.category.value}, {hard}) "
                    f"status={rec.status or '-'} reply={rec.reply_code or '-'} via {rec.format}"
                    f"{' | ' + rec.diagnostic[:200] if rec.diagnostic else ''}"
                )
    return 1 if failed else 0
