"""Bounce formats, one module each; every module exposes `FORMAT: BounceFormat`.

The registry imports every module in this package once, so a new MTA is a new file.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from bounceguard.core.dsn.formats.base import BounceFormat


@cache
def registry() -> tuple[BounceFormat, ...]:
    found: list[BounceFormat] = []
    for info in pkgutil.iter_modules(__path__):
        if info.name == "base" or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        fmt = getattr(module, "FORMAT", None)
        if isinstance(fmt, BounceFormat):
            found.append(fmt)
    return tuple(sorted(found, key=lambda f: (f.order, f.name)))
