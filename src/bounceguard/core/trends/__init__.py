"""Rolling bounce-rate trends and alerts per sending mailbox and per list segment.

Pure functions over a JSON-serializable `TrendState`; the stream counts each key's inputs
in groups (`record_groups`, equal to folding `record`) and calls `snapshot` /
`evaluate_alerts` per group message and tick, always with event time.
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
from bounceguard.core.trends.groups import InputGroup, TrendGroups, groups_from_wire, groups_to_wire, record_groups
from bounceguard.core.trends.snapshot import snapshot
from bounceguard.core.trends.state import AlertMark, Bucket, TrendState, record
from bounceguard.core.trends.wilson import wilson_interval

__all__ = [
    "DEFAULT_CONFIG",
    "DEFAULT_THRESHOLDS",
    "DEFAULT_WINDOWS",
    "AlertMark",
    "Bucket",
    "InputGroup",
    "Threshold",
    "TrendConfig",
    "TrendGroups",
    "TrendInputError",
    "TrendState",
    "WindowSpec",
    "alert_id",
    "evaluate_alerts",
    "groups_from_wire",
    "groups_to_wire",
    "record",
    "record_groups",
    "snapshot",
    "wilson_interval",
]
