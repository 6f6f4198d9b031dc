"""SNS signing certificates for the ingest edge: configured files, a cache directory,
and an optional (off by default) fetch restricted to the strict AWS URL pattern.

The fetch goes over HTTPS with normal certificate verification, to hosts that match
``sns.<region>.amazonaws.com`` only (the pattern is checked before any connection),
and the result is cached in memory and, when configured, in the cache directory.
"""

from __future__ import annotations

import logging
from pathlib import Path

import aiohttp
from cryptography import x509

from bounceguard.core.signatures.ses import SIGNING_CERT_URL, InMemoryCertificateStore

log = logging.getLogger(__name__)

MAX_CERT_BYTES = 64 * 1024


class CertificateConfigError(ValueError):
    """A configured certificate file is missing or not a PEM certificate."""


class FileCertificateStore(InMemoryCertificateStore):
    """Certificates from configured PEM files plus a directory keyed by the URL's file name."""

    def __init__(self, *, files: list[str] | None = None, directory: Path | None = None) -> None:
        super().__init__()
        self._directory = directory
        for item in files or []:
            url, sep, path = item.partition("=")
            key, file = (url, path) if sep else (Path(item).name, item)
            self.add(key, _load(Path(file)))
        if directory is not None:
            for pem in sorted(directory.glob("*.pem")):
                self.add(pem.name, _load(pem))

    def remember(self, url: str, pem: bytes) -> x509.Certificate:
        cert = x509.load_pem_x509_certificate(pem)
        self.add(url, cert)
        if self._directory is not None:
            try:
                (self._directory / url.rsplit("/", 1)[-1]).write_bytes(pem)
            except OSError as exc:
                log.warning("cannot cache SNS certificate in %s: %s", self._directory, exc.strerror)
        return cert


def _load(path: Path) -> x509.Certificate:
    try:
        return x509.load_pem_x509_certificate(path.read_bytes())
    except OSError as exc:
        raise CertificateConfigError(f"cannot read SNS certificate {path}: {exc.strerror}") from None
    except ValueError as exc:
        raise CertificateConfigError(f"{path} is not a PEM certificate") from exc


async def fetch_certificate(store: FileCertificateStore, url: str, *, timeout: float = 5.0) -> bool:
    """Fetch ``url`` into ``store`` if it matches the strict SNS pattern; True on success."""
    if not SIGNING_CERT_URL.match(url):
        return False
    try:
        client_timeout = aiohttp.ClientTimeout(total=timeout)
        async with (
            aiohttp.ClientSession(timeout=client_timeout) as session,
            session.get(url, allow_redirects=False) as response,
        ):
            if response.status != 200:
                log.warning("SNS certificate fetch %s answered %s", url, response.status)
                return False
            pem = await response.content.read(MAX_CERT_BYTES)
        store.remember(url, pem)
        return True
    except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
        log.warning("SNS certificate fetch %s failed: %s", url, type(exc).__name__)
        return False
