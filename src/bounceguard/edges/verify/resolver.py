"""Mail-routing lookups over DNS: MX, implicit MX, null MX, with a TTL cache.

Built on dnspython's asyncio resolver. Answers are cached per *domain verdict* rather
than per DNS query: one entry holds the whole MX -> A -> AAAA conclusion, expires after
the smallest TTL that went into it (RFC 2308 SOA minimum for negative answers), and
concurrent lookups of one domain share a single DNS exchange, so a list with 10,000
gmail.com addresses costs one query.

Timeouts, SERVFAIL and REFUSED become ``unknown`` (RFC 5321 §4.5.4.1 says a temporary
DNS failure must not be taken as a permanent one).
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import dns.asyncresolver
import dns.exception
import dns.message
import dns.name
import dns.nameserver
import dns.rdatatype
import dns.resolver
from dns.rdtypes.ANY.MX import MX
from dns.rdtypes.ANY.SOA import SOA

from bounceguard.core.verify.domain import DomainAnswer, DomainStatus

__all__ = ["DnsDomainResolver", "InvalidNameserver", "ResolverStats", "parse_nameserver"]


class InvalidNameserver(ValueError):
    """A nameserver setting is not ``IP``, ``IP:PORT`` or ``[IPv6]:PORT``."""


def parse_nameserver(value: str, default_port: int = 53) -> tuple[str, int]:
    """``127.0.0.1:5353`` -> ``("127.0.0.1", 5353)``; ``[::1]:53`` and bare IPs too."""
    import ipaddress

    text = value.strip()
    host, port_text = text, None
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        port_text = rest[1:] if rest.startswith(":") else (rest or None)
    elif text.count(":") == 1:
        host, _, port_text = text.partition(":")
    try:
        ipaddress.ip_address(host)
        port = int(port_text) if port_text is not None else default_port
    except ValueError:
        raise InvalidNameserver(f"invalid nameserver {value!r}: expected IP, IP:PORT or [IPv6]:PORT") from None
    if not 0 < port < 65536:
        raise InvalidNameserver(f"invalid nameserver port in {value!r}")
    return host, port


@dataclass
class ResolverStats:
    lookups: int = 0  # calls to lookup()
    cache_hits: int = 0  # answered from a live cache entry
    shared: int = 0  # joined a lookup of the same domain already in flight
    queries: int = 0  # DNS queries sent


class DnsDomainResolver:
    """``DomainResolver`` over DNS, with a TTL-respecting LRU cache and a concurrency limit."""

    def __init__(
        self,
        nameservers: Sequence[str] | None = None,
        *,
        timeout: float = 2.0,
        lifetime: float = 5.0,
        concurrency: int = 64,
        cache_size: int = 100_000,
        max_ttl: float = 3600.0,
        negative_ttl: float = 300.0,
        unknown_ttl: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`nameservers`: ``IP[:PORT]`` entries; None reads the system's resolv.conf.

        `negative_ttl` applies when a negative answer carries no SOA; `unknown_ttl` briefly
        remembers a failed lookup so a list full of one broken domain does not hammer DNS.
        """
        if nameservers:
            parsed = [parse_nameserver(n) for n in nameservers]
            self._resolver = dns.asyncresolver.Resolver(configure=False)
            self._resolver.nameservers = [dns.nameserver.Do53Nameserver(h, p) for h, p in parsed]
        else:
            self._resolver = dns.asyncresolver.Resolver(configure=True)
        self._resolver.timeout = timeout
        self._resolver.lifetime = lifetime
        self._resolver.cache = None  # our own cache holds whole domain verdicts
        self._limit = asyncio.Semaphore(max(1, concurrency))
        self._cache: OrderedDict[str, tuple[float, DomainAnswer]] = OrderedDict()
        self._inflight: dict[str, asyncio.Future[DomainAnswer]] = {}
        self._cache_size = max(1, cache_size)
        self._max_ttl = max_ttl
        self._negative_ttl = negative_ttl
        self._unknown_ttl = unknown_ttl
        self._clock = clock
        self.stats = ResolverStats()

    def clear_cache(self) -> None:
        self._cache.clear()

    async def lookup(self, domain: str) -> DomainAnswer:
        """The mail routing of `domain` (lower-case ASCII, as ``normalize_address`` gives it)."""
        key = domain.lower().rstrip(".")
        self.stats.lookups += 1
        cached = self._cache.get(key)
        if cached is not None:
            if cached[0] > self._clock():
                self._cache.move_to_end(key)
                self.stats.cache_hits += 1
                return cached[1]
            del self._cache[key]
        task = self._inflight.get(key)
        if task is None:
            # One task per domain, shared by every caller; a caller being cancelled does
            # not cancel the lookup the others wait on.
            task = asyncio.ensure_future(self._resolve(key))
            self._inflight[key] = task
            task.add_done_callback(lambda done: self._finish(key, done))
        else:
            self.stats.shared += 1
        return await asyncio.shield(task)

    def _finish(self, key: str, task: asyncio.Future[DomainAnswer]) -> None:
        self._inflight.pop(key, None)
        if not task.cancelled() and task.exception() is None:
            self._store(key, task.result())

    def _store(self, key: str, answer: DomainAnswer) -> None:
        ttl = min(answer.ttl, self._max_ttl)
        if ttl <= 0:
            return
        self._cache[key] = (self._clock() + ttl, answer)
        self._cache.move_to_end(key)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    async def _resolve(self, domain: str) -> DomainAnswer:
        if not domain or len(domain) > 253:
            return DomainAnswer(DomainStatus.NXDOMAIN, ttl=self._negative_ttl, detail="not a DNS name")
        async with self._limit:
            try:
                return await self._resolve_unlimited(domain)
            except dns.resolver.NXDOMAIN as exc:
                return DomainAnswer(DomainStatus.NXDOMAIN, ttl=self._nxdomain_ttl(exc))
            except dns.exception.Timeout:
                return DomainAnswer(DomainStatus.UNKNOWN, ttl=self._unknown_ttl, detail="DNS timeout")
            except dns.resolver.NoNameservers as exc:
                return DomainAnswer(DomainStatus.UNKNOWN, ttl=self._unknown_ttl, detail=_first_line(exc))
            except dns.exception.DNSException as exc:
                detail = f"{type(exc).__name__}: {_first_line(exc)}"
                return DomainAnswer(DomainStatus.UNKNOWN, ttl=self._unknown_ttl, detail=detail)

    async def _resolve_unlimited(self, domain: str) -> DomainAnswer:
        mx = await self._query(domain, dns.rdatatype.MX)
        if mx.rrset is not None:
            records = sorted((r for r in mx.rrset if isinstance(r, MX)), key=lambda r: r.preference)
            hosts = tuple(r.exchange.to_text(omit_final_dot=True) for r in records if r.exchange != dns.name.root)
            if not hosts:
                # RFC 7505 §3: a single MX with preference 0 and exchange "." (a null MX)
                return DomainAnswer(DomainStatus.NULL_MX, ttl=float(mx.rrset.ttl))
            return DomainAnswer(DomainStatus.MX, hosts=hosts, ttl=float(mx.rrset.ttl))
        # RFC 5321 §5.1: without MX records the domain itself is the implicit MX host
        ttls = [self._negative(mx.response)]
        for rdtype in (dns.rdatatype.A, dns.rdatatype.AAAA):
            address = await self._query(domain, rdtype)
            if address.rrset is not None:
                ttls.append(float(address.rrset.ttl))
                return DomainAnswer(DomainStatus.IMPLICIT_MX, hosts=(domain,), ttl=min(ttls))
            ttls.append(self._negative(address.response))
        return DomainAnswer(DomainStatus.NO_RECORDS, ttl=min(ttls))

    async def _query(self, domain: str, rdtype: dns.rdatatype.RdataType) -> dns.resolver.Answer:
        self.stats.queries += 1
        return await self._resolver.resolve(domain, rdtype, raise_on_no_answer=False, search=False)

    def _negative(self, response: dns.message.Message) -> float:
        # RFC 2308 §5: a negative answer lives min(SOA TTL, SOA MINIMUM) seconds
        for rrset in response.authority:
            for record in rrset:
                if isinstance(record, SOA):
                    return float(min(rrset.ttl, record.minimum))
        return self._negative_ttl

    def _nxdomain_ttl(self, exc: dns.resolver.NXDOMAIN) -> float:
        responses: dict[dns.name.Name, dns.message.Message] = exc.responses()  # type: ignore[no-untyped-call]
        ttls = [self._negative(r) for r in responses.values()]
        return min(ttls) if ttls else self._negative_ttl


def _first_line(exc: BaseException) -> str:
    return str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
