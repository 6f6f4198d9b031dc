"""Webhook ingest edge: ``POST /webhooks/{provider}[/{tenant}]`` -> ``bounceguard.webhooks``.

Settings (environment, prefix ``BOUNCEGUARD_INGEST_``; every secret also as ``<NAME>_FILE``):

- ``HOST`` / ``PORT`` (127.0.0.1 / 8081), ``BOOTSTRAP_SERVERS`` (127.0.0.1:9092),
  ``TOPIC`` (bounceguard.webhooks), ``MAX_BODY_BYTES`` (1 MiB), ``PUBLISH_TIMEOUT_SECONDS`` (10),
  ``DEFAULT_TENANT`` (default).
- SES/SNS: ``SES_TOPIC_ARNS`` (allow-list; empty disables SES), ``SES_CERTIFICATE_DIR``,
  ``SES_CERTIFICATE_FILES``, ``SES_FETCH_CERTIFICATES`` (false).
- SendGrid: ``SENDGRID_PUBLIC_KEY``, ``SENDGRID_TOLERANCE_SECONDS`` (600).
- Mailgun: ``MAILGUN_SIGNING_KEY`` (comma-separated for rotation), ``MAILGUN_PARENT_SIGNING_KEY``,
  ``MAILGUN_TOLERANCE_SECONDS`` (300), ``MAILGUN_REPLAY_CACHE_SIZE`` (100000).
- Postmark: ``POSTMARK_BASIC_USER`` + ``POSTMARK_BASIC_PASSWORD`` and/or
  ``POSTMARK_HEADER_NAME`` + ``POSTMARK_HEADER_VALUE``.
- SparkPost: ``SPARKPOST_BASIC_USER`` + ``SPARKPOST_BASIC_PASSWORD``, ``SPARKPOST_BEARER_TOKEN``,
  and/or ``SPARKPOST_HEADER_NAME`` + ``SPARKPOST_HEADER_VALUE``.

A provider without credentials is disabled (404). Details: docs/ingest.md.
"""

from __future__ import annotations

from bounceguard.edges.ingest.app import create_app
from bounceguard.edges.ingest.settings import IngestSettings

__all__ = ["IngestSettings", "create_app"]
