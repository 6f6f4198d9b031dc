"""Prometheus metrics for the worker and the ingest edge (documented in docs/metrics.md).

Every metric lives in a dedicated CollectorRegistry, so tests and embedders get clean,
isolated metrics and nothing from the process-wide default registry leaks in.
Per-mailbox and per-segment series are counters (PromQL turns them into rates; the
rules in deploy/prometheus/rules.yml do) with bounded label cardinality: at most
`MetricsConfig.*_cap` distinct values per label, or only an allow-list, the rest
folded into "other". Recipient addresses are never labels.

The stream calls the module-level functions (`observe_event`, ...), which act on the
default `BounceguardMetrics`; `configure()` replaces it before the first observation.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest, start_http_server
from pydantic import BaseModel, ConfigDict, Field

from bounceguard.core.models import Alert, BounceEvent, Suppression, Trend

log = logging.getLogger(__name__)

PREFIX = "bounceguard_"
OTHER = "other"
UNSET = "unset"

# Event time to decision spans sub-second (own MTA results) to days (late DSNs,
# provider webhook retries), hence buckets from 10 ms to 2 days.
LATENCY_BUCKETS: tuple[float, ...] = (
    0.01,
    0.05,
    0.1,
    0.25,
    0.5,
    1,
    2.5,
    5,
    10,
    30,
    60,
    300,
    900,
    3600,
    4 * 3600,
    86400,
    2 * 86400,
)


class MetricsConfig(BaseModel):
    """Label cardinality limits; an allow-list, when given, wins over the cap."""

    model_config = ConfigDict(frozen=True)

    tenant_cap: int = Field(default=100, ge=1)
    mailbox_cap: int = Field(default=500, ge=1)
    segment_cap: int = Field(default=500, ge=1)
    source_cap: int = Field(default=32, ge=1)
    error_type_cap: int = Field(default=64, ge=1)
    tenant_allow: frozenset[str] | None = None
    mailbox_allow: frozenset[str] | None = None
    segment_allow: frozenset[str] | None = None
    latency_buckets: tuple[float, ...] = LATENCY_BUCKETS


class LabelLimiter:
    """Maps label values onto at most `cap` distinct values (first come), the rest to "other"."""

    def __init__(self, name: str, cap: int, allow: Iterable[str] | None = None) -> None:
        self.name = name
        self.cap = cap
        self.allow = frozenset(allow) if allow is not None else None
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def fold(self, value: str | None) -> tuple[str, bool]:
        """(label value, folded?) for a raw value; None and "" become "unset"."""
        if not value:
            return UNSET, False
        if self.allow is not None:
            return (value, False) if value in self.allow else (OTHER, True)
        if value in self._seen:
            return value, False
        with self._lock:
            if value in self._seen:
                return value, False
            if len(self._seen) < self.cap:
                self._seen.add(value)
                return value, False
        return OTHER, True

    def known(self, value: str) -> bool:
        """True if the value already has its own label (used to skip gauges of folded keys)."""
        return value in self.allow if self.allow is not None else value in self._seen


class EventTally:
    """`observe_event` for a batch of events: counts per label set, added to the metrics at once.

    A batch of a few hundred events touches a few hundred label sets; incrementing each
    Prometheus child once (with a count) instead of per event saved most of the per-event
    cost of the metrics. Label values are folded when the tally is observed, as per event.
    """

    __slots__ = ("events", "mailboxes", "segments", "tenants")

    def __init__(self) -> None:
        self.events: dict[tuple[str, str, str, str], int] = {}
        self.tenants: dict[str, int] = {}
        self.mailboxes: dict[tuple[str, str, str, bool], int] = {}
        self.segments: dict[tuple[str, str, str, bool], int] = {}

    def add(self, event: BounceEvent, *, attempt: bool = False) -> None:
        # The enum members themselves: a StrEnum member is its value as a key and as a label.
        category = event.category
        key = (event.source, event.outcome, category, event.reason)
        self.events[key] = self.events.get(key, 0) + 1
        self.tenants[event.tenant] = self.tenants.get(event.tenant, 0) + 1
        if event.mailbox:
            scoped = (event.tenant, event.mailbox, category, attempt)
            self.mailboxes[scoped] = self.mailboxes.get(scoped, 0) + 1
        if event.segment:
            scoped = (event.tenant, event.segment, category, attempt)
            self.segments[scoped] = self.segments.get(scoped, 0) + 1


class BounceguardMetrics:
    """All bounceguard metrics in one registry, with the functions the stream calls."""

    def __init__(self, config: MetricsConfig | None = None, registry: CollectorRegistry | None = None) -> None:
        self.config = config or MetricsConfig()
        self.registry = registry or CollectorRegistry(auto_describe=True)
        cfg, reg = self.config, self.registry
        # label children per metric; bounded by the label caps (folded values share "other")
        self._children: dict[int, dict[tuple[str, ...], Any]] = {}
        self._limits = {
            "tenant": LabelLimiter("tenant", cfg.tenant_cap, cfg.tenant_allow),
            "mailbox": LabelLimiter("mailbox", cfg.mailbox_cap, cfg.mailbox_allow),
            "segment": LabelLimiter("segment", cfg.segment_cap, cfg.segment_allow),
            "source": LabelLimiter("source", cfg.source_cap),
            "error_type": LabelLimiter("error_type", cfg.error_type_cap),
        }
        self.events = Counter(
            PREFIX + "events", "Classified delivery events.", ["source", "outcome", "category", "reason"], registry=reg
        )
        self.duplicates = Counter(
            PREFIX + "duplicate_events", "Events dropped because their event id was already seen.", registry=reg
        )
        self.suppressions = Counter(
            PREFIX + "suppressions", "Suppression status changes.", ["reason", "action"], registry=reg
        )
        self.mailbox_attempts = Counter(
            PREFIX + "mailbox_attempts", "Messages sent, per sending mailbox.", ["tenant", "mailbox"], registry=reg
        )
        self.mailbox_outcomes = Counter(
            PREFIX + "mailbox_outcomes",
            "Delivery outcomes by category, per sending mailbox.",
            ["tenant", "mailbox", "category"],
            registry=reg,
        )
        self.segment_attempts = Counter(
            PREFIX + "segment_attempts", "Messages sent, per list segment.", ["tenant", "segment"], registry=reg
        )
        self.segment_outcomes = Counter(
            PREFIX + "segment_outcomes",
            "Delivery outcomes by category, per list segment.",
            ["tenant", "segment", "category"],
            registry=reg,
        )
        self.latency = Histogram(
            PREFIX + "processing_latency_seconds", "Event time to decision.", buckets=cfg.latency_buckets, registry=reg
        )
        self.dead_letters = Counter(
            PREFIX + "deadletters", "Inputs sent to the dead-letter topic.", ["topic", "error_type"], registry=reg
        )
        self.consumer_lag = Gauge(
            PREFIX + "consumer_lag_messages",
            "Messages between the consumer position and the partition end.",
            ["topic", "partition"],
            registry=reg,
        )
        self.alerts = Counter(PREFIX + "alerts", "Trend alerts emitted.", ["scope", "rate", "severity"], registry=reg)
        self.trend_rate = Gauge(
            PREFIX + "trend_rate",
            "Latest windowed rate computed by the stream (event time).",
            ["tenant", "scope", "key", "window", "rate"],
            registry=reg,
        )
        self.trend_attempts = Gauge(
            PREFIX + "trend_attempts",
            "Attempts in the latest window computed by the stream.",
            ["tenant", "scope", "key", "window"],
            registry=reg,
        )
        self.label_overflow = Counter(
            PREFIX + "label_overflow",
            "Observations whose label value was folded into 'other'.",
            ["label"],
            registry=reg,
        )
        for name in self._limits:
            self.label_overflow.labels(name)  # export zeros so an alert on growth has a baseline

    def _fold(self, label: str, value: str | None, n: int = 1) -> str:
        folded, overflowed = self._limits[label].fold(value)
        if overflowed:
            self.label_overflow.labels(label).inc(n)
        return folded

    def _child(self, metric: Any, *labels: str) -> Any:
        """`metric.labels(*labels)`, remembered: the lookup cost more than the increment."""
        cache = self._children.setdefault(id(metric), {})
        child = cache.get(labels)
        if child is None:
            child = cache[labels] = metric.labels(*labels)
        return child

    def observe_event(self, event: BounceEvent, *, attempt: bool = False) -> None:
        """One classified event; `attempt` is True once per message, as for the trend state."""
        category = event.category.value
        source = self._fold("source", event.source)
        self._child(self.events, source, event.outcome.value, category, event.reason.value).inc()
        tenant = self._fold("tenant", event.tenant)
        if event.mailbox:
            mailbox = self._fold("mailbox", event.mailbox)
            if attempt:
                self._child(self.mailbox_attempts, tenant, mailbox).inc()
            self._child(self.mailbox_outcomes, tenant, mailbox, category).inc()
        if event.segment:
            segment = self._fold("segment", event.segment)
            if attempt:
                self._child(self.segment_attempts, tenant, segment).inc()
            self._child(self.segment_outcomes, tenant, segment, category).inc()

    def observe_tally(self, tally: EventTally) -> None:
        """Exactly what `observe_event` counts for each event of `tally`, one increment per label set.

        Label values are folded in the order they first appeared, so the cardinality limits admit
        the same values as event by event would.
        """
        for (source, outcome, category, reason), n in tally.events.items():
            self._child(self.events, self._fold("source", source, n), outcome, category, reason).inc(n)
        tenants = {tenant: self._fold("tenant", tenant, n) for tenant, n in tally.tenants.items()}
        for scope, counts, attempts_metric, outcomes_metric in (
            ("mailbox", tally.mailboxes, self.mailbox_attempts, self.mailbox_outcomes),
            ("segment", tally.segments, self.segment_attempts, self.segment_outcomes),
        ):
            for (tenant, name, category, attempt), n in counts.items():
                folded = self._fold(scope, name, n)
                if attempt:
                    self._child(attempts_metric, tenants[tenant], folded).inc(n)
                self._child(outcomes_metric, tenants[tenant], folded, category).inc(n)

    def observe_duplicate(self) -> None:
        self.duplicates.inc()

    def observe_suppression(self, suppression: Suppression) -> None:
        reason = suppression.reason.value if suppression.reason else UNSET
        self.suppressions.labels(reason, suppression.action.value).inc()

    def observe_decision_latency(self, seconds: float) -> None:
        """Event time to decision; negative values (sender clock ahead) count as zero."""
        self.latency.observe(max(0.0, seconds))

    def observe_dead_letter(self, topic: str, error_type: str) -> None:
        self.dead_letters.labels(topic or UNSET, self._fold("error_type", error_type)).inc()

    def set_consumer_lag(self, topic: str, partition: int, lag: int) -> None:
        self.consumer_lag.labels(topic, str(partition)).set(max(0, lag))

    def refresh_consumer_lag(self, app: Any) -> None:
        """Read lag from a Faust app's consumer; never raises (it runs inside /metrics)."""
        try:
            consumer = app.consumer
            read_offsets = getattr(consumer, "_read_offset", {})
            for tp in consumer.assignment():
                end = consumer.highwater(tp)
                last_read = read_offsets.get(tp)
                if end is None:
                    continue
                position = last_read + 1 if last_read is not None else 0
                self.set_consumer_lag(tp.topic, tp.partition, int(end) - position)
        except Exception as exc:  # a consumer mid-rebalance has no assignment/highwater yet
            log.debug("consumer lag not available: %s", exc)

    def observe_alert(self, alert: Alert) -> None:
        self.alerts.labels(alert.scope.value, alert.rate.value, alert.severity.value).inc()

    def observe_trend(self, trend: Trend) -> None:
        """Publish the stream's own windowed rates; keys already folded get none (a gauge cannot sum)."""
        limiter = self._limits[trend.scope.value]
        self._fold(trend.scope.value, trend.key)
        self._fold("tenant", trend.tenant)
        if not limiter.known(trend.key) or not self._limits["tenant"].known(trend.tenant):
            return
        scope = trend.scope.value
        self.trend_attempts.labels(trend.tenant, scope, trend.key, trend.window).set(trend.counts.attempts)
        for rate, value in trend.rates.items():
            self.trend_rate.labels(trend.tenant, scope, trend.key, trend.window, rate.value).set(value)

    def exposition(self) -> bytes:
        """The registry in the Prometheus text format."""
        return generate_latest(self.registry)

    def serve(self, port: int, addr: str = "127.0.0.1") -> Any:
        """Serve /metrics from a background thread; returns prometheus-client's (server, thread)."""
        return start_http_server(port, addr=addr, registry=self.registry)


_default = BounceguardMetrics()


def default() -> BounceguardMetrics:
    return _default


def configure(config: MetricsConfig) -> BounceguardMetrics:
    """Replace the default metrics (fresh registry) with new cardinality limits."""
    global _default
    _default = BounceguardMetrics(config)
    return _default


def observe_event(event: BounceEvent, *, attempt: bool = False) -> None:
    _default.observe_event(event, attempt=attempt)


def observe_tally(tally: EventTally) -> None:
    _default.observe_tally(tally)


def observe_duplicate() -> None:
    _default.observe_duplicate()


def observe_suppression(suppression: Suppression) -> None:
    _default.observe_suppression(suppression)


def observe_decision_latency(seconds: float) -> None:
    _default.observe_decision_latency(seconds)


def observe_dead_letter(topic: str, error_type: str) -> None:
    _default.observe_dead_letter(topic, error_type)


def set_consumer_lag(topic: str, partition: int, lag: int) -> None:
    _default.set_consumer_lag(topic, partition, lag)


def refresh_consumer_lag(app: Any) -> None:
    _default.refresh_consumer_lag(app)


def observe_alert(alert: Alert) -> None:
    _default.observe_alert(alert)


def observe_trend(trend: Trend) -> None:
    _default.observe_trend(trend)


def exposition() -> bytes:
    return _default.exposition()
