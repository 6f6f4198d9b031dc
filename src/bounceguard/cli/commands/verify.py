"""`bounceguard verify`: verify addresses before sending; also serves the HTTP API.

    bounceguard verify bob@example.com alice@gmial.com        JSON lines (or --format table)
    bounceguard verify --file list.csv --out checked.csv      CSV in, CSV with verdict columns out
    bounceguard verify serve --port 8080                      POST /verify, POST /verify/batch

DNS goes to --nameserver (repeatable, IP[:PORT]) or the system resolver. Defaults for
every option come from BOUNCEGUARD_VERIFY_* (see edges/verify/settings.py); API tokens
from BOUNCEGUARD_API_TOKENS. Exit status: 0 done, 2 bad arguments or unreadable input.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import time
from collections.abc import Sequence
from typing import Any, TextIO

from pydantic import ValidationError

from bounceguard.core.addresses import InvalidTenant
from bounceguard.core.verify.models import VerificationResult
from bounceguard.core.verify.verifier import DEFAULT_TENANT, VerifyContext, verify_iter
from bounceguard.edges.auth import TokenAuth
from bounceguard.edges.verify.csv_lists import VerdictCsvWriter, read_address_table, reasons
from bounceguard.edges.verify.lists import ListFileError
from bounceguard.edges.verify.resolver import InvalidNameserver
from bounceguard.edges.verify.settings import VerifySettings, build_context
from bounceguard.settings import Settings

PROGRESS_MIN_ROWS = 1000  # shorter lists finish before a bar is worth drawing


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "verify",
        help="verify addresses before sending (or 'verify serve' for the HTTP API)",
        description="Verdict deliverable / risky / undeliverable / unknown per address, with each check.",
    )
    p.add_argument("addresses", nargs="*", metavar="ADDRESS", help="addresses to verify, or 'serve'")
    p.add_argument("--file", help="CSV list: the 'email' column, else the first column ('-' = stdin)")
    p.add_argument("--out", help="CSV output for --file (default stdout)")
    p.add_argument("--format", choices=("jsonl", "table"), default="jsonl", help="output for ADDRESS arguments")
    p.add_argument("--tenant", default=DEFAULT_TENANT, help="tenant whose suppressions apply")
    p.add_argument("--nameserver", action="append", default=[], help="DNS server IP[:PORT], repeatable")
    p.add_argument("--timeout", type=float, default=None, help="seconds per DNS lookup before 'unknown'")
    p.add_argument("--concurrency", type=int, default=None, help="addresses verified at once")
    p.add_argument("--extra-disposable", default=None, help="file of extra disposable domains, one a line")
    p.add_argument("--allow-special-use", action="store_true", help="accept RFC 6761 names such as .test")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None, help="progress bar on stderr")
    p.add_argument("--host", default="127.0.0.1", help="serve: bind address")
    p.add_argument("--port", type=int, default=8080, help="serve: port")
    p.add_argument("--batch-max", type=int, default=None, help="serve: most addresses per batch request")
    p.set_defaults(func=run)


def _settings(args: argparse.Namespace) -> VerifySettings:
    settings = VerifySettings()
    updates: dict[str, Any] = {}
    if args.nameserver:
        updates["nameservers"] = ",".join(args.nameserver)
    if args.timeout is not None:
        updates["dns_lifetime"] = args.timeout
        updates["dns_timeout"] = min(settings.dns_timeout, args.timeout)
    if args.concurrency is not None:
        updates["concurrency"] = args.concurrency
    if args.extra_disposable:
        updates["disposable_extra_file"] = args.extra_disposable
    if args.allow_special_use:
        updates["allow_special_use"] = True
    if args.batch_max is not None:
        updates["batch_max"] = args.batch_max
    return VerifySettings.model_validate({**settings.model_dump(), **updates})


def run(args: argparse.Namespace) -> int:
    serve = args.addresses[:1] == ["serve"]
    if not serve and not args.addresses and not args.file:
        print("bounceguard verify: give ADDRESS..., --file LIST.csv or 'serve'", file=sys.stderr)
        return 2
    try:
        settings = _settings(args)
        ctx = build_context(settings)
        if serve:
            return _serve(ctx, settings, args)
        if args.file:
            return _run_file(ctx, args)
        return asyncio.run(_run_addresses(ctx, args, sys.stdout))
    except (ValidationError, InvalidNameserver, ListFileError, InvalidTenant, OSError, ValueError) as exc:
        print(f"bounceguard verify: {exc}", file=sys.stderr)
        return 2


def _serve(ctx: VerifyContext, settings: VerifySettings, args: argparse.Namespace) -> int:
    from bounceguard.edges.verify_api import serve_verify_api

    auth = TokenAuth.from_spec(Settings().api_tokens)  # BOUNCEGUARD_API_TOKENS
    if not auth.tokens:
        print("bounceguard verify serve: set BOUNCEGUARD_API_TOKENS=token:tenant,...", file=sys.stderr)
        return 2
    print(f"verification API on http://{args.host}:{args.port} (POST /verify, /verify/batch)", file=sys.stderr)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve_verify_api(ctx, auth, host=args.host, port=args.port, batch_max=settings.batch_max))
    return 0


async def _run_addresses(ctx: VerifyContext, args: argparse.Namespace, out: TextIO) -> int:
    results = [r async for r in verify_iter(args.addresses, tenant=args.tenant, ctx=ctx)]
    if args.format == "jsonl":
        for result in results:
            out.write(result.model_dump_json() + "\n")
    else:
        out.write(format_table(results))
    return 0


def format_table(results: Sequence[VerificationResult]) -> str:
    rows = [("ADDRESS", "VERDICT", "SUGGESTION", "REASONS")]
    rows += [(r.address, r.verdict.value, r.suggestion or "", reasons(r)) for r in results]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return "".join(
        "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:3])) + "  " + row[3] + "\n" for row in rows
    )


def _run_file(ctx: VerifyContext, args: argparse.Namespace) -> int:
    source = sys.stdin if args.file == "-" else open(args.file, encoding="utf-8-sig", newline="")  # noqa: SIM115
    with source:
        table = read_address_table(source)
    sink = sys.stdout if not args.out else open(args.out, "w", encoding="utf-8", newline="")  # noqa: SIM115
    show = args.progress if args.progress is not None else sys.stderr.isatty() and len(table.rows) >= PROGRESS_MIN_ROWS
    try:
        asyncio.run(_verify_table(ctx, args.tenant, table, VerdictCsvWriter(sink, table), show))
    finally:
        if sink is not sys.stdout:
            sink.close()
    return 0


async def _verify_table(
    ctx: VerifyContext, tenant: str, table: Any, writer: VerdictCsvWriter, show_progress: bool
) -> None:
    bar = Progress(len(table.rows), sys.stderr) if show_progress else None
    rows = iter(table.rows)
    async for result in verify_iter(table.addresses(), tenant=tenant, ctx=ctx):
        writer.write(next(rows), result)
        if bar is not None:
            bar.advance()
    if bar is not None:
        bar.finish()


class Progress:
    """A one-line progress bar redrawn at most ten times a second."""

    def __init__(self, total: int, stream: TextIO, width: int = 30) -> None:
        self.total, self.done, self.stream, self.width = total, 0, stream, width
        self.started = self.drawn = time.monotonic()

    def advance(self, n: int = 1) -> None:
        self.done += n
        now = time.monotonic()
        if now - self.drawn >= 0.1:
            self.drawn = now
            self._draw(now)

    def finish(self) -> None:
        self._draw(time.monotonic())
        self.stream.write("\n")
        self.stream.flush()

    def _draw(self, now: float) -> None:
        share = self.done / self.total if self.total else 1.0
        filled = int(share * self.width)
        rate = self.done / max(now - self.started, 1e-9)
        bar = "#" * filled + "." * (self.width - filled)
        self.stream.write(f"\r[{bar}] {share:6.1%} {self.done}/{self.total} {rate:,.0f}/s")
        self.stream.flush()
