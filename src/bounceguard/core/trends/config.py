"""Window and threshold settings for per-mailbox and per-segment bounce trends.

Thresholds live here, in one place: the Prometheus rules in deploy/prometheus are
generated from `DEFAULT_CONFIG` (scripts/gen_observability.py) so the stream's alerts
and Prometheus's alerts fire on the same numbers.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bounceguard.core.models import RateName


class WindowSpec(BaseModel):
    """A hopping window: `size` long, advancing every `step`, aligned to the UTC epoch."""

    model_config = ConfigDict(frozen=True)

    name: str = Field(min_length=1, max_length=16, pattern=r"^[A-Za-z0-9_]+$")
    size: timedelta
    step: timedelta

    @model_validator(mode="after")
    def _step_divides_size(self) -> Self:
        if self.step <= timedelta(0) or self.size <= timedelta(0):
            raise ValueError(f"window {self.name}: size and step must be positive")
        if self.step.total_seconds() % 1 or self.size.total_seconds() % 1:
            raise ValueError(f"window {self.name}: size and step must be whole seconds")
        if self.size % self.step:
            raise ValueError(f"window {self.name}: size {self.size} is not a multiple of step {self.step}")
        return self

    @property
    def step_seconds(self) -> int:
        return int(self.step.total_seconds())

    @property
    def size_seconds(self) -> int:
        return int(self.size.total_seconds())


# 1h reacts to one bad send within minutes; 24h is the span mailbox providers report
# on (Google Postmaster Tools, SES reputation dashboard); 7d is the trailing baseline.
DEFAULT_WINDOWS: tuple[WindowSpec, ...] = (
    WindowSpec(name="1h", size=timedelta(hours=1), step=timedelta(minutes=5)),
    WindowSpec(name="24h", size=timedelta(hours=24), step=timedelta(hours=1)),
    WindowSpec(name="7d", size=timedelta(days=7), step=timedelta(days=1)),
)


class Threshold(BaseModel):
    """Warn / critical levels for one rate, as fractions of attempts (0.02 = 2%)."""

    model_config = ConfigDict(frozen=True)

    warn: float = Field(ge=0.0, le=1.0)
    critical: float = Field(ge=0.0, le=1.0)
    min_volume: int | None = Field(default=None, ge=1, description="Overrides TrendConfig.min_volume for this rate.")

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.warn > self.critical:
            raise ValueError(f"warn {self.warn} is above critical {self.critical}")
        return self


DEFAULT_THRESHOLDS: dict[RateName, Threshold] = {
    # Amazon SES places an account under review at a 5% (hard) bounce rate; warn well
    # before it so there is time to clean the list.
    RateName.HARD: Threshold(warn=0.02, critical=0.05),
    # All bounces including soft and block: SES pauses sending at 10%, and a soft/block
    # surge that large means the mailbox is already being throttled or refused.
    RateName.BOUNCE: Threshold(warn=0.05, critical=0.10),
    # Sender-side refusals (policy, reputation, auth): a few percent means receivers
    # are rejecting us, not the addresses; alert early because it spreads.
    RateName.BLOCK: Threshold(warn=0.01, critical=0.03),
    # Gmail's bulk-sender guidance: keep spam complaints below 0.1%, never reach 0.3%.
    RateName.COMPLAINT: Threshold(warn=0.001, critical=0.003),
    # A single spam-trap hit is evidence of a bad list source: critical at once.
    RateName.TRAP: Threshold(warn=0.0, critical=0.0, min_volume=1),
}


class TrendConfig(BaseModel):
    """Everything the trend maths needs; the stream builds one from its settings."""

    model_config = ConfigDict(frozen=True)

    windows: tuple[WindowSpec, ...] = DEFAULT_WINDOWS
    # Bounce notices trail the send: DSNs queue at the receiver, provider webhooks
    # retry. One hour absorbs the usual delay while the 1h window still means "now".
    grace: timedelta = timedelta(hours=1)
    # Events stamped further ahead of their arrival than this are bad clocks/input.
    max_future_skew: timedelta = timedelta(minutes=15)
    thresholds: dict[RateName, Threshold] = Field(default_factory=lambda: dict(DEFAULT_THRESHOLDS))
    min_volume: int = Field(default=100, ge=1, description="Attempts in the window before alerting.")
    confidence: float = Field(default=0.95, gt=0.0, lt=1.0)
    alert_windows: tuple[str, ...] = ("1h", "24h")
    # Recover only once the rate is back under clear_ratio x the level it crossed, so a
    # rate hovering at the threshold does not flap between alert and recovery.
    clear_ratio: float = Field(default=0.8, gt=0.0, le=1.0)
    direction_window: str = "24h"
    baseline_window: str = "7d"
    direction_tolerance: float = Field(default=0.25, ge=0.0, description="Relative change counted as flat.")
    direction_min_delta: float = Field(default=0.0005, ge=0.0, description="Absolute change counted as flat.")
    top_reasons: int = Field(default=5, ge=0, le=64)
    max_reasons_per_bucket: int = Field(default=16, ge=1, le=256)

    @model_validator(mode="after")
    def _names_resolve(self) -> Self:
        names = [w.name for w in self.windows]
        if not names:
            raise ValueError("at least one window is required")
        if len(set(names)) != len(names):
            raise ValueError(f"window names must be unique: {names}")
        for field, value in (("direction_window", self.direction_window), ("baseline_window", self.baseline_window)):
            if value not in names:
                raise ValueError(f"{field} {value!r} is not one of the windows {names}")
        for name in self.alert_windows:
            if name not in names:
                raise ValueError(f"alert window {name!r} is not one of the windows {names}")
        if self.grace < timedelta(0) or self.max_future_skew < timedelta(0):
            raise ValueError("grace and max_future_skew must not be negative")
        return self

    def window(self, name: str) -> WindowSpec:
        for spec in self.windows:
            if spec.name == name:
                return spec
        raise KeyError(name)

    def min_volume_for(self, rate: RateName) -> int:
        threshold = self.thresholds.get(rate)
        if threshold is not None and threshold.min_volume is not None:
            return threshold.min_volume
        return self.min_volume


DEFAULT_CONFIG = TrendConfig()
