"""Verifications per second for a generated address list, cold vs warm DNS cache.

Starts dnsmasq on 127.0.0.1 (package dnsmasq-base) serving MX records for --domains
generated domains (a few per cent NXDOMAIN or null MX), generates --count addresses over
them with a skewed (Zipf-like) domain popularity, then verifies the list twice through one
VerifyContext:

- cold: empty resolver cache; every distinct domain costs real DNS queries;
- warm: the same list again; every domain is answered from the TTL cache.

Prints both rates and warm/cold. No internet access is needed.

    .venv/bin/python bench/verify_bench.py [--count 100000] [--domains 5000]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "integration"))

from dns_server import Zone, running_dnsmasq

from bounceguard.core.verify import VerifyContext, verify_iter
from bounceguard.edges.verify.resolver import DnsDomainResolver

FIRST = ("anna", "bob", "chen", "dana", "eli", "fatima", "gus", "hana", "ivan", "jo", "info", "sales")
LAST = ("smith", "garcia", "kim", "rossi", "muller", "tanaka", "silva", "novak", "ahmed", "lee")


def write_zone(path: Path, domains: list[str], rng: random.Random) -> None:
    lines = []
    for domain in domains:
        roll = rng.random()
        if roll < 0.03:
            lines.append(f"address=/{domain}/")  # NXDOMAIN
        elif roll < 0.04:
            lines.append(f"mx-host={domain},.,0")  # null MX
        else:
            lines.append(f"mx-host={domain},mx1.{domain},10")
            lines.append(f"mx-host={domain},mx2.{domain},20")
    path.write_text("\n".join(lines) + "\n")


def generate(count: int, domains: list[str], rng: random.Random) -> list[str]:
    weights = [1.0 / (rank + 1) for rank in range(len(domains))]  # Zipf: a few big domains
    picked = rng.choices(domains, weights=weights, k=count)
    addresses = []
    for i, domain in enumerate(picked):
        local = f"{rng.choice(FIRST)}.{rng.choice(LAST)}{i}"
        if i % 97 == 0:
            local = f"{local} broken"  # a little bad syntax, as real lists have
        addresses.append(f"{local}@{domain}")
    return addresses


async def run_once(addresses: list[str], ctx: VerifyContext) -> tuple[float, float, Counter[str]]:
    """Wall seconds, this process's CPU seconds (the honest figure on a busy machine), verdicts."""
    verdicts: Counter[str] = Counter()
    started, cpu_started = time.perf_counter(), time.process_time()
    async for result in verify_iter(addresses, ctx=ctx):
        verdicts[result.verdict.value] += 1
    return time.perf_counter() - started, time.process_time() - cpu_started, verdicts


async def bench(nameserver: str, addresses: list[str], concurrency: int) -> None:
    resolver = DnsDomainResolver([nameserver], timeout=2.0, lifetime=5.0, concurrency=64)
    ctx = VerifyContext(resolver=resolver, concurrency=concurrency, allow_special_use=True)
    cold, cold_cpu, verdicts = await run_once(addresses, ctx)
    cold_queries = resolver.stats.queries
    warm, warm_cpu, verdicts_again = await run_once(addresses, ctx)
    assert verdicts == verdicts_again, "warm run disagrees with cold run"
    n = len(addresses)
    print(f"addresses: {n:,}   DNS queries: {cold_queries:,} (cold run)")
    print(f"verdicts: {dict(verdicts)}")
    print(f"cold cache: {n / cold:>10,.0f} verifications/s  ({cold:.2f} s wall, {cold_cpu:.2f} s CPU)")
    warm_queries = resolver.stats.queries - cold_queries
    print(
        f"warm cache: {n / warm:>10,.0f} verifications/s  "
        f"({warm:.2f} s wall, {warm_cpu:.2f} s CPU, {warm_queries} DNS queries)"
    )
    print(f"warm/cold ratio: {cold / warm:.2f}x wall, {cold_cpu / warm_cpu:.2f}x CPU")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000, help="addresses to verify")
    parser.add_argument("--domains", type=int, default=5_000, help="distinct domains in the list")
    parser.add_argument("--concurrency", type=int, default=256, help="addresses in flight")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    domains = [f"d{i}.bench.test" for i in range(args.domains)]
    addresses = generate(args.count, domains, rng)
    with tempfile.TemporaryDirectory() as tmp:
        conf = Path(tmp) / "zone.conf"
        write_zone(conf, domains, rng)
        zone = Zone(local=("test",), conf_file=str(conf), ttl=3600)
        with running_dnsmasq(zone) as dns:
            asyncio.run(bench(dns.nameserver, addresses, args.concurrency))
    return 0


if __name__ == "__main__":
    sys.exit(main())
