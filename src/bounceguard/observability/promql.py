"""Names and PromQL of the recording rules, shared by the rules and the dashboards."""

from __future__ import annotations

from bounceguard.core.models import RateName, Scope

# Category values behind each rate's numerator; bounce = hard + soft + block, as in core.trends.rates.
RATE_CATEGORIES: dict[RateName, tuple[str, ...]] = {
    RateName.HARD: ("hard",),
    RateName.SOFT: ("soft",),
    RateName.BLOCK: ("block",),
    RateName.BOUNCE: ("hard", "soft", "block"),
    RateName.COMPLAINT: ("complaint",),
    RateName.UNSUBSCRIBE: ("unsubscribe",),
    RateName.TRAP: ("trap",),
}


def by(scope: Scope) -> str:
    return f"tenant, {scope.value}"


def attempts_increase(scope: Scope, window: str) -> str:
    return f"tenant_{scope.value}:bounceguard_attempts:increase{window}"


def outcomes_increase(scope: Scope, window: str) -> str:
    return f"tenant_{scope.value}_category:bounceguard_outcomes:increase{window}"


def ratio(scope: Scope, rate: RateName, window: str) -> str:
    return f"tenant_{scope.value}:bounceguard_{rate.value}_ratio:{window}"


def lower_bound(scope: Scope, rate: RateName, window: str, confidence: float) -> str:
    return f"tenant_{scope.value}:bounceguard_{rate.value}_ratio_lower{round(confidence * 100)}:{window}"


def category_matcher(rate: RateName) -> str:
    cats = RATE_CATEGORIES[rate]
    return f'category="{cats[0]}"' if len(cats) == 1 else f'category=~"{"|".join(cats)}"'


def attempts_expr(scope: Scope, window: str) -> str:
    return f"sum by ({by(scope)}) (increase(bounceguard_{scope.value}_attempts_total[{window}]))"


def outcomes_expr(scope: Scope, window: str) -> str:
    return f"sum by ({by(scope)}, category) (increase(bounceguard_{scope.value}_outcomes_total[{window}]))"


def ratio_expr(scope: Scope, rate: RateName, window: str) -> str:
    """count / attempts; 0 (not absent) for a key with sends but none of these outcomes."""
    n = attempts_increase(scope, window)
    count = f"sum by ({by(scope)}) ({outcomes_increase(scope, window)}{{{category_matcher(rate)}}})"
    return f"({count} or 0 * {n}) / ({n} > 0)"


def wilson_lower_expr(scope: Scope, rate: RateName, window: str, z: float) -> str:
    """Wilson score lower bound, the same formula as core.trends.wilson, on the recorded ratio.

    The ratio is capped at 1 because bounces of sends from before the window can outnumber
    the window's attempts, as core.trends.rates does.
    """
    p = f"clamp_max({ratio(scope, rate, window)}, 1)"
    n = attempts_increase(scope, window)
    z2 = z * z
    # "* (p > bool 0)": with no events the bound is exactly 0 (as in core), not a rounding residue
    # that a zero threshold (spam traps) would read as a hit.
    return (
        f"({p} + {z2 / 2!r} / {n} - {z!r} * sqrt({p} * (1 - {p}) / {n} + {z2 / 4!r} / ({n} * {n})))"
        f" / (1 + {z2!r} / {n}) * ({p} > bool 0)"
    )
