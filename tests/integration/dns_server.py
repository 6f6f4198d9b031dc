"""Real DNS servers on 127.0.0.1 for the verification tests and the benchmark.

- ``Dnsmasq``: Debian's dnsmasq (package ``dnsmasq-base``) answering a local zone on a
  free port: MX, A-only, null MX ("MX 0 ."), NXDOMAIN, REFUSED for everything else.
- ``SlowDnsServer``: a small UDP server built on dnspython in a thread, answering every
  query only after a delay, for the timeout -> unknown case dnsmasq cannot express.

Nothing here touches the internet: dnsmasq runs with --no-resolv and no upstream.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import dns.exception
import dns.message
import dns.query
import dns.rcode
import dns.rdatatype
import dns.rrset


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True)
class Zone:
    """What dnsmasq should answer, in its own option terms."""

    local: Sequence[str] = ("example",)  # --local: answer NXDOMAIN for unknown names under these
    mx: Sequence[tuple[str, str, int]] = ()  # (domain, exchange, preference); "." is a null MX
    hosts: Sequence[tuple[str, str]] = ()  # (name, IPv4 or IPv6)
    nxdomain: Sequence[str] = ()  # domains (and their sub-domains) that do not exist
    wildcard: Sequence[tuple[str, str]] = ()  # (domain, IPv4): every sub-domain gets this A record
    txt_only: Sequence[str] = ()  # names that exist with a TXT record only (no MX, A, AAAA)
    conf_file: str = "/dev/null"  # more options, one a line (e.g. thousands of mx-host= lines)
    ttl: int = 300


def dnsmasq_binary() -> str:
    # /usr/sbin is not on every user's PATH
    path = shutil.which("dnsmasq") or shutil.which("dnsmasq", path="/usr/sbin:/usr/local/sbin")
    if path is None:
        raise RuntimeError("dnsmasq is not installed: apt-get install -y dnsmasq-base")
    return path


@dataclass
class Dnsmasq:
    zone: Zone
    port: int = 0
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def nameserver(self) -> str:
        return f"127.0.0.1:{self.port}"

    def arguments(self) -> list[str]:
        z = self.zone
        args = [
            dnsmasq_binary(),
            "--no-daemon",
            "--no-resolv",
            "--no-hosts",
            "--no-poll",
            "--keep-in-foreground",
            "--bind-interfaces",
            "--listen-address=127.0.0.1",
            f"--port={self.port}",
            "--cache-size=0",
            f"--local-ttl={z.ttl}",
            f"--auth-ttl={z.ttl}",
            "--pid-file=",
            f"--conf-file={z.conf_file}",
            "--log-facility=-",
            "--dns-forward-max=1000",
        ]
        args += [f"--local=/{d}/" for d in z.local]
        args += [f"--mx-host={d},{exchange},{pref}" for d, exchange, pref in z.mx]
        args += [f"--host-record={name},{ip}" for name, ip in z.hosts]
        args += [f"--address=/{d}/" for d in z.nxdomain]
        args += [f"--address=/{d}/{ip}" for d, ip in z.wildcard]
        args += [f"--txt-record={name},no mail here" for name in z.txt_only]
        return args

    def start(self) -> None:
        for _ in range(5):
            self.port = free_udp_port()
            self.process = subprocess.Popen(self.arguments(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            if self._wait_ready():
                return
            self.stop()
        raise RuntimeError("dnsmasq did not start on any free port")

    def _wait_ready(self) -> bool:
        probe = dns.message.make_query("ready.probe.", dns.rdatatype.A)
        deadline = time.monotonic() + 5.0
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                return False
            with contextlib.suppress(dns.exception.Timeout, OSError):
                dns.query.udp(probe, "127.0.0.1", port=self.port, timeout=0.2)
                return True
        return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process is not None and self.process.stderr is not None:
            self.process.stderr.close()
        self.process = None


@contextlib.contextmanager
def running_dnsmasq(zone: Zone) -> Iterator[Dnsmasq]:
    server = Dnsmasq(zone)
    server.start()
    try:
        yield server
    finally:
        server.stop()


class SlowDnsServer:
    """Answers every query with ``MX 10 mx.<name>`` after `delay` seconds (UDP, 127.0.0.1)."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.settimeout(0.1)
        self.port: int = self._sock.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="slow-dns", daemon=True)
        self.queries = 0

    @property
    def nameserver(self) -> str:
        return f"127.0.0.1:{self.port}"

    def __enter__(self) -> SlowDnsServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._sock.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                wire, peer = self._sock.recvfrom(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            self.queries += 1
            timer = threading.Timer(self.delay, self._answer, args=(wire, peer))
            timer.daemon = True
            timer.start()

    def _answer(self, wire: bytes, peer: tuple[str, int]) -> None:
        try:
            query = dns.message.from_wire(wire)
        except dns.exception.DNSException:
            return
        response = dns.message.make_response(query)
        question = query.question[0]
        if question.rdtype == dns.rdatatype.MX:
            exchange = f"mx.{question.name.to_text()}"
            response.answer.append(dns.rrset.from_text(question.name, 60, "IN", "MX", f"10 {exchange}"))
        response.set_rcode(dns.rcode.NOERROR)
        with contextlib.suppress(OSError):
            if not self._stop.is_set():
                self._sock.sendto(response.to_wire(), peer)
