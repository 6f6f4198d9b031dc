"""Provider webhook adapters: one module per provider, registered here by name.

``normalize_webhook`` turns one webhook payload (the JSON text of one event, as the
ingest edge publishes it, or a whole batch for offline use) into zero or more
classified :class:`~bounceguard.core.models.BounceEvent`. Opens, clicks and other
non-delivery events yield nothing; anything unusable raises
:class:`WebhookPayloadError` with a message that says why.
"""

from __future__ import annotations

from datetime import datetime

import orjson

from bounceguard.core.classify import ClassifyInputError
from bounceguard.core.models import BounceEvent
from bounceguard.core.providers import mailgun, postmark, sendgrid, ses, sparkpost
from bounceguard.core.providers.base import Adapter, AdapterConfig, WebhookPayloadError

__all__ = ["ADAPTERS", "Adapter", "AdapterConfig", "WebhookPayloadError", "normalize_webhook"]

ADAPTERS: dict[str, Adapter] = {
    module.ADAPTER.name: module.ADAPTER for module in (ses, sendgrid, mailgun, postmark, sparkpost)
}


def normalize_webhook(
    provider: str,
    payload_text: str | bytes,
    tenant: str,
    received_at: datetime,
    config: AdapterConfig | None = None,
) -> list[BounceEvent]:
    """Parse and normalize one provider payload; raise WebhookPayloadError if unusable."""
    adapter = ADAPTERS.get(provider)
    if adapter is None:
        raise WebhookPayloadError(f"unknown provider {provider!r}; known: {', '.join(sorted(ADAPTERS))}")
    if received_at.tzinfo is None:
        raise WebhookPayloadError("received_at must be timezone-aware")
    try:
        payload = orjson.loads(payload_text)
    except orjson.JSONDecodeError as exc:
        raise WebhookPayloadError(f"{provider}: payload is not JSON: {exc}") from exc
    if not isinstance(payload, dict | list):
        raise WebhookPayloadError(f"{provider}: payload must be a JSON object or array")
    items = payload if isinstance(payload, list) else [payload]
    if not all(isinstance(item, dict) for item in items):
        raise WebhookPayloadError(f"{provider}: every batch element must be a JSON object")
    cfg = config or AdapterConfig()
    try:
        return [
            e for item in items for e in adapter.normalize(item, tenant=tenant, received_at=received_at, config=cfg)
        ]
    except WebhookPayloadError:
        raise
    except (ClassifyInputError, KeyError, TypeError, ValueError, AttributeError) as exc:
        # Adapters read defensively; this is the net under them so bad input never crashes a caller.
        raise WebhookPayloadError(f"{provider}: unusable payload: {type(exc).__name__}: {exc}") from exc
