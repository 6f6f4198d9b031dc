"""Raw bytes of each input topic -> BounceEvents, delegating all judgement to the core."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from bounceguard.core.intake import event_from_send_result, events_from_bounce_mail, parse_send_result
from bounceguard.core.models import BounceEvent, WebhookEnvelope
from bounceguard.core.providers import AdapterConfig, normalize_webhook

_ADAPTER_CONFIG = AdapterConfig()


def from_send_result(raw: bytes) -> Iterable[BounceEvent]:
    return (event_from_send_result(parse_send_result(raw)),)


def from_webhook(raw: bytes) -> Iterable[BounceEvent]:
    envelope = WebhookEnvelope.model_validate_json(raw)
    return normalize_webhook(
        envelope.provider, envelope.payload, envelope.tenant, envelope.received_at, _ADAPTER_CONFIG
    )


def from_dsn(tenant: str) -> Callable[[bytes], Iterable[BounceEvent]]:
    def convert(raw: bytes) -> Iterable[BounceEvent]:
        return events_from_bounce_mail(raw, tenant=tenant)

    return convert
