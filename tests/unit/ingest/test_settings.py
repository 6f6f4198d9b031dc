"""Secrets from *_FILE variables; unreadable files are a clear settings error."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bounceguard.edges.ingest.settings import IngestSettings


def test_secret_from_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "mg").write_text("key-one,key-two\n")
    monkeypatch.setenv("BOUNCEGUARD_INGEST_MAILGUN_SIGNING_KEY_FILE", str(tmp_path / "mg"))
    monkeypatch.setenv("BOUNCEGUARD_INGEST_POSTMARK_BASIC_USER", "hook")
    monkeypatch.setenv("BOUNCEGUARD_INGEST_POSTMARK_BASIC_PASSWORD", "pw")
    settings = IngestSettings()
    assert settings.secret("mailgun_signing_key") == "key-one,key-two"
    assert settings.shared_secret("postmark").configured
    assert not settings.shared_secret("sparkpost").configured
    assert "key-one" not in repr(settings) and "pw'" not in repr(settings)


def test_direct_value_wins_over_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "f").write_text("from-file")
    monkeypatch.setenv("BOUNCEGUARD_INGEST_SPARKPOST_BEARER_TOKEN", "direct")
    monkeypatch.setenv("BOUNCEGUARD_INGEST_SPARKPOST_BEARER_TOKEN_FILE", str(tmp_path / "f"))
    assert IngestSettings().secret("sparkpost_bearer_token") == "direct"


@pytest.mark.parametrize(("content", "words"), [(None, "cannot read"), ("  \n", "is empty")])
def test_bad_secret_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str | None, words: str) -> None:
    path = tmp_path / "secret"
    if content is not None:
        path.write_text(content)
    monkeypatch.setenv("BOUNCEGUARD_INGEST_SENDGRID_PUBLIC_KEY_FILE", str(path))
    with pytest.raises(ValidationError, match=words):
        IngestSettings()
