"""Ingest settings from the environment (prefix ``BOUNCEGUARD_INGEST_``).

Every secret can be given directly or as a file: ``BOUNCEGUARD_INGEST_<NAME>_FILE``
names a file whose contents (whitespace-stripped) become ``<NAME>`` (Docker / k8s
secrets). Secrets are held as ``SecretStr`` so they never appear in reprs or logs.
A provider is enabled only when its credentials are configured; see docs/ingest.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Self

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bounceguard.core.signatures.shared_secret import SharedSecret

_SECRET_FIELDS = (
    "sendgrid_public_key",
    "mailgun_signing_key",
    "mailgun_parent_signing_key",
    "postmark_basic_password",
    "postmark_header_value",
    "sparkpost_basic_password",
    "sparkpost_header_value",
    "sparkpost_bearer_token",
)


def split_list(value: str) -> list[str]:
    return [item.strip() for item in value.replace("\n", ",").split(",") if item.strip()]


class IngestSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BOUNCEGUARD_INGEST_", extra="ignore")

    host: str = Field(default="127.0.0.1", description="Address the HTTP server binds.")
    port: int = Field(default=8081, ge=0, le=65535, description="HTTP port.")
    bootstrap_servers: str = Field(default="127.0.0.1:9092", description="Kafka bootstrap host:port list.")
    topic: str = Field(default="bounceguard.webhooks", min_length=1, description="Topic for WebhookEnvelopes.")
    max_body_bytes: int = Field(default=1_048_576, ge=1024, description="Larger bodies get 413.")
    publish_timeout_seconds: float = Field(default=10.0, gt=0, description="Wait for Kafka acks, then 503.")
    default_tenant: str = Field(default="default", pattern=r"^[A-Za-z0-9_.\-]{1,128}$")

    # Amazon SES via SNS
    ses_topic_arns: str = Field(default="", description="Comma-separated allowed SNS TopicArns; empty = SES off.")
    ses_certificate_dir: Path | None = Field(
        default=None, description="Directory of SNS signing certificates named as in SigningCertURL (*.pem)."
    )
    ses_certificate_files: str = Field(
        default="", description="Comma-separated PEM files (keyed by file name) or URL=PATH pairs."
    )
    ses_fetch_certificates: bool = Field(
        default=False,
        description="Fetch unknown certificates from https://sns.<region>.amazonaws.com only; off by default.",
    )

    # SendGrid
    sendgrid_public_key: SecretStr | None = Field(default=None, description="Base64 DER or PEM P-256 key.")
    sendgrid_public_key_file: Path | None = None
    sendgrid_tolerance_seconds: int = Field(default=600, ge=1, description="Max age of the signed timestamp.")

    # Mailgun
    mailgun_signing_key: SecretStr | None = Field(default=None, description="Comma-separated keys (rotation).")
    mailgun_signing_key_file: Path | None = None
    mailgun_parent_signing_key: SecretStr | None = None
    mailgun_parent_signing_key_file: Path | None = None
    mailgun_tolerance_seconds: int = Field(default=300, ge=1)
    mailgun_replay_cache_size: int = Field(default=100_000, ge=1)

    # Postmark (no signature: basic auth and/or a secret header)
    postmark_basic_user: str | None = None
    postmark_basic_password: SecretStr | None = None
    postmark_basic_password_file: Path | None = None
    postmark_header_name: str | None = None
    postmark_header_value: SecretStr | None = None
    postmark_header_value_file: Path | None = None

    # SparkPost (no signature: basic auth, a static bearer token and/or a secret header)
    sparkpost_basic_user: str | None = None
    sparkpost_basic_password: SecretStr | None = None
    sparkpost_basic_password_file: Path | None = None
    sparkpost_bearer_token: SecretStr | None = None
    sparkpost_bearer_token_file: Path | None = None
    sparkpost_header_name: str | None = None
    sparkpost_header_value: SecretStr | None = None
    sparkpost_header_value_file: Path | None = None

    @model_validator(mode="after")
    def _read_secret_files(self) -> Self:
        for name in _SECRET_FIELDS:
            path: Path | None = getattr(self, f"{name}_file")
            if path is None or getattr(self, name) is not None:
                continue
            try:
                value = path.read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise ValueError(f"{name}_file: cannot read {path}: {exc.strerror}") from None
            if not value:
                raise ValueError(f"{name}_file: {path} is empty")
            setattr(self, name, SecretStr(value))
        return self

    def secret(self, name: str) -> str | None:
        value: SecretStr | None = getattr(self, name)
        return value.get_secret_value() if value is not None else None

    def shared_secret(self, provider: str) -> SharedSecret:
        return SharedSecret(
            basic_user=getattr(self, f"{provider}_basic_user"),
            basic_password=self.secret(f"{provider}_basic_password"),
            header_name=getattr(self, f"{provider}_header_name"),
            header_value=self.secret(f"{provider}_header_value"),
            bearer_token=self.secret(f"{provider}_bearer_token") if provider == "sparkpost" else None,
        )
