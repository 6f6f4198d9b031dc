"""Per-provider request checks for the ingest edge: authenticate, then split into events.

Order matters: SendGrid, Postmark and SparkPost are authenticated from the raw bytes
and headers before the body is parsed, so an unauthenticated caller learns nothing
about our parser; Mailgun and SNS carry their signature inside the JSON, so they are
parsed first (400 if that fails) and verified before anything is published.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from bounceguard.core.signatures import SignatureError
from bounceguard.core.signatures.mailgun import MailgunVerifier
from bounceguard.core.signatures.postmark import verify_postmark
from bounceguard.core.signatures.sendgrid import SIGNATURE_HEADER, TIMESTAMP_HEADER, load_public_key, verify_sendgrid
from bounceguard.core.signatures.ses import SIGNING_CERT_URL, verify_sns_message
from bounceguard.core.signatures.shared_secret import SharedSecret
from bounceguard.core.signatures.sparkpost import verify_sparkpost
from bounceguard.edges.ingest.batches import MalformedBody, split_events
from bounceguard.edges.ingest.certificates import FileCertificateStore, fetch_certificate
from bounceguard.edges.ingest.settings import IngestSettings, split_list

log = logging.getLogger(__name__)

SNS_TYPE_HEADER = "x-amz-sns-message-type"


@dataclass(slots=True)
class Accepted:
    """An authenticated request: the events to publish and anything to tell the caller."""

    events: list[tuple[str, Any]]
    info: dict[str, Any] = field(default_factory=dict)


Check = Callable[[Mapping[str, str], str, bytes, datetime], Awaitable[Accepted]]


class UnsupportedFormat(ValueError):
    """A request format we do not accept (e.g. Mailgun's legacy form-encoded webhooks)."""


def _single_object(text: str) -> Any:
    events = split_events(text)
    if len(events) != 1 or text.lstrip()[:1] != "{":
        raise MalformedBody("expected one JSON object")
    return events[0][1]


def _skip_pings(events: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    # SparkPost sends {"msys": {}} as a ping/test element: nothing to publish.
    return [(raw, value) for raw, value in events if not (isinstance(value, dict) and value.get("msys") == {})]


class Authenticators:
    """The checks for every provider configured in ``settings``; unconfigured ones are absent."""

    def __init__(self, settings: IngestSettings, *, cert_store: FileCertificateStore | None = None) -> None:
        self._settings = settings
        self.checks: dict[str, Check] = {}
        self._topics = frozenset(split_list(settings.ses_topic_arns))
        if self._topics:
            self._certs = cert_store or FileCertificateStore(
                files=split_list(settings.ses_certificate_files), directory=settings.ses_certificate_dir
            )
            self.checks["ses"] = self._ses
        sendgrid_key = settings.secret("sendgrid_public_key")
        if sendgrid_key:
            self._sendgrid_key: ec.EllipticCurvePublicKey = load_public_key(sendgrid_key)
            self.checks["sendgrid"] = self._sendgrid
        keys = [k.encode() for k in split_list(settings.secret("mailgun_signing_key") or "")]
        parents = [k.encode() for k in split_list(settings.secret("mailgun_parent_signing_key") or "")]
        if keys or parents:
            self._mailgun = MailgunVerifier(
                keys,
                parent_signing_keys=parents,
                tolerance=timedelta(seconds=settings.mailgun_tolerance_seconds),
                replay_cache_size=settings.mailgun_replay_cache_size,
            )
            self.checks["mailgun"] = self._mailgun_check
        self._postmark_secret = settings.shared_secret("postmark")
        if self._postmark_secret.configured:
            self.checks["postmark"] = self._postmark
        self._sparkpost_secret = settings.shared_secret("sparkpost")
        if self._sparkpost_secret.configured:
            self.checks["sparkpost"] = self._sparkpost

    async def _ses(self, headers: Mapping[str, str], text: str, body: bytes, now: datetime) -> Accepted:
        message = _single_object(text)
        url = message.get("SigningCertURL") if isinstance(message, dict) else None
        if (
            self._settings.ses_fetch_certificates
            and isinstance(url, str)
            and SIGNING_CERT_URL.match(url)
            and self._certs.certificate_for(url) is None
        ):
            await fetch_certificate(self._certs, url)
        verified = verify_sns_message(
            message,
            store=self._certs,
            allowed_topic_arns=self._topics,
            message_type_header=headers.get(SNS_TYPE_HEADER),
            now=now,
        )
        if verified.message_type == "Notification":
            return Accepted(events=[(text.strip(), message)])
        # Never fetched here: an operator (or a deploy step) confirms it deliberately.
        log.warning(
            "SNS %s for allowed topic %s; confirm with SubscribeURL %s",
            verified.message_type,
            verified.topic_arn,
            verified.subscribe_url,
        )
        return Accepted(
            events=[],
            info={
                "sns_message_type": verified.message_type,
                "topic_arn": verified.topic_arn,
                "subscribe_url": verified.subscribe_url,
            },
        )

    async def _sendgrid(self, headers: Mapping[str, str], text: str, body: bytes, now: datetime) -> Accepted:
        verify_sendgrid(
            body,
            signature=headers.get(SIGNATURE_HEADER),
            timestamp=headers.get(TIMESTAMP_HEADER),
            public_key=self._sendgrid_key,
            now=now,
            tolerance=timedelta(seconds=self._settings.sendgrid_tolerance_seconds),
        )
        return Accepted(events=split_events(text))

    async def _mailgun_check(self, headers: Mapping[str, str], text: str, body: bytes, now: datetime) -> Accepted:
        content_type = headers.get("Content-Type", "").lower()
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            raise UnsupportedFormat("legacy form-encoded Mailgun webhooks are not supported; use JSON event-data")
        payload = _single_object(text)
        self._mailgun.verify(payload.get("signature") if isinstance(payload, dict) else None, now=now)
        return Accepted(events=[(text.strip(), payload)])

    async def _postmark(self, headers: Mapping[str, str], text: str, body: bytes, now: datetime) -> Accepted:
        _check_secret(verify_postmark, self._postmark_secret, headers)
        return Accepted(events=[(text.strip(), _single_object(text))])

    async def _sparkpost(self, headers: Mapping[str, str], text: str, body: bytes, now: datetime) -> Accepted:
        _check_secret(verify_sparkpost, self._sparkpost_secret, headers)
        return Accepted(events=_skip_pings(split_events(text)))


def _check_secret(verify: Callable[..., None], secret: SharedSecret, headers: Mapping[str, str]) -> None:
    header_value = headers.get(secret.header_name) if secret.header_name else None
    verify(secret, authorization=headers.get("Authorization"), header_value=header_value)


__all__ = ["Accepted", "Authenticators", "MalformedBody", "SignatureError", "UnsupportedFormat"]
