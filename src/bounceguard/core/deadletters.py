"""Build the dead-letter record for input that could not be processed: nothing is dropped silently."""

from __future__ import annotations

import base64

from bounceguard.core.models import DeadLetter, utcnow

_MAX_ERROR = 8000


def dead_letter(
    *,
    source_topic: str,
    partition: int | None,
    offset: int | None,
    key: bytes | None,
    value: bytes | None,
    error: BaseException,
) -> DeadLetter:
    text = str(error) or error.__class__.__name__
    return DeadLetter(
        source_topic=source_topic,
        partition=partition,
        offset=offset,
        error_type=error.__class__.__name__,
        error=text[:_MAX_ERROR],
        original_b64=base64.b64encode(value or b"").decode(),
        original_key_b64=base64.b64encode(key).decode() if key is not None else None,
        at=utcnow(),
    )
