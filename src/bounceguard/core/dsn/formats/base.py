"""The shape every MTA format module fills in, so adding a format is adding a file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bounceguard.core.dsn.bouncemail import BounceMail
from bounceguard.core.dsn.fields import Fields


@dataclass(frozen=True)
class BounceFormat:
    """A format module's entry: a cheap `detect` and an `extract` that only pulls fields.

    `order` sorts the registry: specific formats (low numbers) are tried before the generic
    RFC 3464 reader (500) and the plain-text fallback (900).
    """

    name: str
    detect: Callable[[BounceMail], bool]
    extract: Callable[[BounceMail], list[Fields]]
    order: int = 100
