"""`bounceguard probe`: exit 0 when a local health endpoint answers 2xx, else 1.

Container images ship no curl or wget, so the Dockerfile HEALTHCHECK and exec probes use
this instead. It needs only the standard library and is importable on its own
(`python -m bounceguard.cli.commands.probe`), so a health check every few seconds does not
pay for importing Faust.
"""

from __future__ import annotations

import argparse
import os
import sys
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence

DEFAULT_WEB_PORT = 6066
URL_ENV = "BOUNCEGUARD_PROBE_URL"
PORT_ENV = "BOUNCEGUARD_WEB_PORT"


class ProbeConfigError(ValueError):
    """The probe URL or port from the environment or arguments is unusable."""


def default_url(env: Mapping[str, str]) -> str:
    """BOUNCEGUARD_PROBE_URL if set, else the worker's /healthz on BOUNCEGUARD_WEB_PORT (default 6066)."""
    if url := env.get(URL_ENV, "").strip():
        return url
    raw_port = env.get(PORT_ENV, "").strip() or str(DEFAULT_WEB_PORT)
    if not raw_port.isdigit() or not 0 < int(raw_port) < 65536:
        raise ProbeConfigError(f"{PORT_ENV}={raw_port!r} is not a TCP port")
    return f"http://127.0.0.1:{int(raw_port)}/healthz"


def check(url: str, timeout: float) -> tuple[bool, str]:
    """(healthy, one-line detail). Only http(s) URLs are accepted."""
    if not url.startswith(("http://", "https://")):
        raise ProbeConfigError(f"probe URL must be http(s): {url!r}")
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # scheme checked above
            status = int(response.status)
    except urllib.error.HTTPError as exc:
        return False, f"{url} answered {exc.code}"
    except (urllib.error.URLError, OSError) as exc:
        return False, f"{url} unreachable: {exc}"
    return 200 <= status < 300, f"{url} answered {status}"


def _add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--url", default=None, help=f"default: ${URL_ENV}, else http://127.0.0.1:${PORT_ENV}/healthz")
    p.add_argument("--timeout", type=float, default=3.0, help="seconds to wait for the answer")
    p.add_argument("--quiet", action="store_true", help="print nothing, only set the exit code")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("probe", help="health check: exit 0 if a local health endpoint answers 2xx")
    _add_arguments(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        url = args.url or default_url(os.environ)
        healthy, detail = check(url, args.timeout)
    except ProbeConfigError as exc:
        print(f"probe: {exc}", file=sys.stderr)
        return 2
    if not args.quiet:
        print(detail, file=sys.stdout if healthy else sys.stderr)
    return 0 if healthy else 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bounceguard probe")
    _add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
