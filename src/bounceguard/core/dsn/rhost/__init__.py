"""Receiver-specific readings: one module per receiving provider whose replies need it.

Each module exposes `read(fields) -> tuple[Reason, str] | None` and `HOSTS` (host-name
suffixes, matched against the remote MTA and the host that wrote the report) and/or
`DOMAINS` (recipient-domain suffixes) it applies to; a reading returns None when it has
nothing special to say. Filtering services (MessageLabs, Mimecast) write the report
themselves, so the reporting host names them when the remote MTA is not given.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from functools import cache
from types import ModuleType

from bounceguard.core.categories import Reason
from bounceguard.core.dsn.fields import Fields

Reading = Callable[[Fields], "tuple[Reason, str] | None"]


@cache
def _modules() -> tuple[ModuleType, ...]:
    return tuple(
        importlib.import_module(f"{__name__}.{info.name}")
        for info in pkgutil.iter_modules(__path__)
        if not info.name.startswith("_")
    )


def reason_for_receiver(fields: Fields) -> tuple[Reason, str] | None:
    host = fields.remote_mta.lower().rstrip(".")
    reporter = fields.reporting_mta.lower().rstrip(".")
    domain = fields.recipient.rpartition("@")[2].lower()
    for module in _modules():
        hosts: tuple[str, ...] = getattr(module, "HOSTS", ())
        domains: tuple[str, ...] = getattr(module, "DOMAINS", ())
        if (
            (host and any(host.endswith(s) for s in hosts))
            or (reporter and any(reporter.endswith(s) for s in hosts))
            or any(domain.endswith(s) for s in domains)
        ):
            result: tuple[Reason, str] | None = module.read(fields)
            if result is not None:
                return result
    return None
