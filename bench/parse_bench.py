"""Bounce e-mails parsed per second over the labelled corpus, on one core.

Preloads every file, times `parse_bounce` only (process CPU time, best round), and in the same run times Perl Sisimai
(bench/sisimai_bench.pl, Debian package libsisimai-perl) over the same files so the ratio
is printed. Usage: python bench/parse_bench.py [CORPUS_DIR] [--rounds N] [--profile]
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import os
import pstats
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bounceguard.core.dsn import DsnParseError, parse_bounce

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = Path(os.environ.get("BOUNCEGUARD_CORPUS", HERE.parent.parent / "shared" / "corpus" / "sisimai"))


def bench_python(blobs: list[bytes], rounds: int) -> float:
    for raw in blobs:  # warm caches (format registry, regexes, classifier rules)
        with contextlib.suppress(DsnParseError):
            parse_bounce(raw)
    best = 0.0
    for _ in range(rounds):
        # CPU time of this process: wall time swings with other load on a shared machine
        start = time.process_time()
        for raw in blobs:
            with contextlib.suppress(DsnParseError):
                parse_bounce(raw)
        best = max(best, len(blobs) / (time.process_time() - start))
    return best


def bench_perl(files: list[Path], rounds: int) -> float | None:
    perl = shutil.which("perl")
    if perl is None:
        return None
    cmd = [perl, str(HERE / "sisimai_bench.pl"), str(rounds), *map(str, files)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        print(f"perl sisimai: not measured ({done.stderr.strip().splitlines()[-1:]})", file=sys.stderr)
        return None
    return float(done.stdout.strip().split()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--profile", action="store_true", help="print a cProfile of one pass")
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    files = sorted((args.corpus / "emails").glob("*.eml"))
    if not files:
        print(f"no e-mails under {args.corpus}/emails", file=sys.stderr)
        return 2
    blobs = [f.read_bytes() for f in files]
    ours = bench_python(blobs, args.rounds)
    print(f"bounceguard parse_bounce: {ours:,.0f} e-mails/s ({len(blobs)} e-mails, best of {args.rounds})")
    theirs = bench_perl(files, args.rounds)
    if theirs is not None:
        print(f"perl Sisimai->rise:       {theirs:,.0f} e-mails/s")
        print(f"ratio bounceguard/sisimai: {ours / theirs:.2f}x")
    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        for raw in blobs:
            with contextlib.suppress(DsnParseError):
                parse_bounce(raw)
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
    return 0


if __name__ == "__main__":
    sys.exit(main())
