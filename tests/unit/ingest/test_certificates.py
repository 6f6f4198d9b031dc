"""SNS certificate store from files / directory, and the fetch guard (no network used)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from bounceguard.edges.ingest.certificates import CertificateConfigError, FileCertificateStore, fetch_certificate

URL = "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-one.pem"


def _pem() -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(1).not_valid_before(now).not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    return cert.public_bytes(serialization.Encoding.PEM)


def test_directory_and_files(tmp_path: Path) -> None:
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / "SimpleNotificationService-one.pem").write_bytes(_pem())
    (tmp_path / "two.pem").write_bytes(_pem())
    (tmp_path / "three.pem").write_bytes(_pem())
    other = "https://sns.eu-west-1.amazonaws.com/anything.pem"
    store = FileCertificateStore(
        files=[str(tmp_path / "two.pem"), f"{other}={tmp_path / 'three.pem'}"], directory=tmp_path / "dir"
    )
    assert store.certificate_for(URL) is not None
    assert store.certificate_for("https://sns.us-east-1.amazonaws.com/two.pem") is not None
    assert store.certificate_for(other) is not None
    assert store.certificate_for("https://sns.us-east-1.amazonaws.com/missing.pem") is None


def test_remember_caches_into_the_directory(tmp_path: Path) -> None:
    store = FileCertificateStore(directory=tmp_path)
    store.remember(URL, _pem())
    assert (tmp_path / "SimpleNotificationService-one.pem").exists()
    assert FileCertificateStore(directory=tmp_path).certificate_for(URL) is not None


@pytest.mark.parametrize(("content", "words"), [(None, "cannot read"), (b"not a cert", "not a PEM")])
def test_bad_configured_file(tmp_path: Path, content: bytes | None, words: str) -> None:
    path = tmp_path / "c.pem"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CertificateConfigError, match=words):
        FileCertificateStore(files=[str(path)])


@pytest.mark.parametrize(
    "url",
    ["https://evil.example.com/x.pem", "http://sns.us-east-1.amazonaws.com/x.pem", "https://127.0.0.1/x.pem"],
)
async def test_fetch_refuses_foreign_urls_before_connecting(url: str) -> None:
    assert await fetch_certificate(FileCertificateStore(), url, timeout=0.01) is False
