"""Rolling bounce-rate trends and alerts per sending mailbox and per list segment.

Pure functions over a JSON-serializable `TrendState`; the stream calls `record` per
event and `snapshot` / `evaluate_alerts` per tick, always with event time.
"""

from bounceguard.core.trends.alerts import alert_id, evaluate_alerts
from bounceguard.core.trends.config import (
    DEFAULT_CONFIG,
    DEFAULT_THRESHOLDS,
    DEFAULT_WINDOWS,
    Threshold,
    TrendConfig,
    WindowSpec,
)
from bounceguard.core.trends.errors import TrendInputError
from bounceguard.core.trends.snapshot import snapshot
from bounceguard.core.trends.state import AlertMark, Bucket, TrendInput, TrendState, record, record_many
from bounceguard.core.trends.wilson import wilson_interval

__all__ = [
    "DEFAULT_CONFIG",
    "DEFAULT_THRESHOLDS",
    "DEFAULT_WINDOWS",
    "AlertMark",
    "Bucket",
    "Threshold",
    "TrendConfig",
    "TrendInput",
    "TrendInputError",
    "TrendState",
    "WindowSpec",
    "alert_id",
    "evaluate_alerts",
    "record",
    "record_many",
    "snapshot",
    "wilson_interval",
]
