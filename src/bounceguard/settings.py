"""Worker configuration, read from environment variables prefixed `BOUNCEGUARD_`.

Nested groups use a double underscore: `BOUNCEGUARD_POLICY__SOFT_THRESHOLD=4`.
README's configuration table lists every field; `bounceguard config` prints the effective values.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bounceguard.core.suppression_policy import PolicyConfig
from bounceguard.core.trends import TrendConfig
from bounceguard.edges.metrics import MetricsConfig

TOPIC_NAMES = (
    "send-results",
    "webhooks",
    "dsn",
    "events",
    "suppressions",
    "retries",
    "trends",
    "alerts",
    "deadletter",
)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BOUNCEGUARD_", env_nested_delimiter="__", extra="ignore")

    app_id: str = Field(default="bounceguard", description="Faust app id: consumer group and changelog prefix.")
    kafka_bootstrap_servers: str = Field(default="127.0.0.1:19092", description="Comma-separated host:port list.")
    topic_prefix: str = Field(default="bounceguard.", description="Prefix of every topic name.")
    partitions: int = Field(default=4, ge=1, description="Partitions of the topics the worker creates.")
    replication_factor: int = Field(default=1, ge=1)
    store: str = Field(default="rocksdb://", description="Table store: rocksdb:// (production) or memory://.")
    data_dir: Path = Field(default=Path("var/worker"), description="Faust data dir (RocksDB tables).")
    web_host: str = Field(default="127.0.0.1", description="Bind address of the worker's web server.")
    web_port: int = Field(default=6066, description="Port of /metrics, /healthz, /readyz and the API.")
    canonical_url: str | None = Field(
        default=None,
        description="URL other workers use to reach this one (API requests are forwarded to a key's owner).",
    )
    processing_guarantee: Literal["at_least_once"] = Field(
        default="at_least_once",
        description="at_least_once only: a crash re-sends identical records (same key and transition_id).",
    )
    broker_session_timeout: float = Field(
        default=30.0,
        gt=0,
        description="Seconds before Kafka gives a silent worker's partitions to the others (after a crash).",
    )
    default_tenant: str = "default"
    max_message_bytes: int = Field(default=10 * 1024 * 1024, description="Larger inputs are dead-lettered.")
    trend_emit_interval: float = Field(default=5.0, gt=0, description="Seconds between trend snapshots.")
    api_tokens: str = Field(
        default="", description="Bearer tokens for the HTTP API: 'token:tenant,token2:*' (* = every tenant)."
    )
    log_level: str = "info"
    fast_consumer: bool = Field(
        default=True,
        description="Hand fetched messages to the agents inline (docs/performance.md); false: stock Faust.",
    )
    consumer_in_loop: bool = Field(
        default=True,
        description="Run the Kafka consumer on the worker's own event loop, not in Faust's thread (fast consumer).",
    )
    policy: PolicyConfig = Field(default_factory=PolicyConfig, description="Suppression and retry policy.")
    trends: TrendConfig = Field(default_factory=TrendConfig, description="Windows, thresholds, significance.")
    metrics: MetricsConfig = Field(default_factory=MetricsConfig, description="Label cardinality limits.")

    @field_validator("processing_guarantee", mode="before")
    @classmethod
    def _no_exactly_once(cls, value: object) -> object:
        if value == "exactly_once":
            raise ValueError(
                "exactly_once is not offered: faust-streaming 0.15 sends a stage's outputs and table "
                "changelogs outside its transactions, and a worker killed mid-stream in that mode lost "
                "suppressions (tests/faults, docs/performance.md). Use at_least_once: a crash re-sends "
                "identical records (same key, same transition_id), which subscribers can drop."
            )
        return value

    def topic(self, name: str) -> str:
        return f"{self.topic_prefix}{name}"

    @cached_property
    def broker_url(self) -> str:
        return ",".join(f"kafka://{h.strip()}" for h in self.kafka_bootstrap_servers.split(",") if h.strip())
