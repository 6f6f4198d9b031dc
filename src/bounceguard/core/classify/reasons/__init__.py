"""One module per reason family, each holding a module-level `RULE` (a ReasonRule).

Adding a reason or a receiver's wording is adding or editing one file here;
`load_rules()` finds them all with pkgutil.
"""

from __future__ import annotations

import importlib
import pkgutil

from bounceguard.core.classify.rule import ReasonRule


def load_rules() -> tuple[ReasonRule, ...]:
    """Every module's RULE, highest priority first (ties keep module-name order)."""
    rules: list[ReasonRule] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        rule = getattr(module, "RULE", None)
        if isinstance(rule, ReasonRule):
            rules.append(rule)
    rules.sort(key=lambda r: -r.priority)
    return tuple(rules)
