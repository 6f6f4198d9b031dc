"""Topic names and their broker-side configuration, created explicitly before the worker starts.

Faust's own topic declaration is skipped for these (known upstream trouble with creation on
first start), so the worker and `bounceguard topics create` share this one definition.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from bounceguard.settings import TOPIC_NAMES, Settings

# Internal repartition topic: events keyed by scope/tenant/mailbox-or-segment for the trend agent.
TREND_INPUT = "trend-input"

# Faust tables; their changelogs are created here too, with the source topics' partition count,
# because a changelog auto-created by the broker gets one partition and the worker then fails
# with PartitionsMismatch.
TABLES = ("address-state", "domain-delivery", "trend-state")

_DAY_MS = 24 * 3600 * 1000
# Outputs people look back at keep longer than the broker default (7 days): dead letters must
# survive a long weekend plus the time to fix and replay them; alerts are an audit trail.
_RETENTION: dict[str, dict[str, str]] = {
    "deadletter": {"retention.ms": str(30 * _DAY_MS)},
    "alerts": {"retention.ms": str(30 * _DAY_MS)},
    "trends": {"retention.ms": str(7 * _DAY_MS)},
}


@dataclass(frozen=True)
class TopicSpec:
    name: str
    partitions: int
    config: dict[str, str]


def topic_specs(settings: Settings) -> list[TopicSpec]:
    specs = []
    for short in (*TOPIC_NAMES, TREND_INPUT):
        config: dict[str, str] = dict(_RETENTION.get(short, {}))
        if short == "suppressions":
            # Latest decision per tenant/address is what subscribers rebuild their set from.
            config = {"cleanup.policy": "compact", "min.compaction.lag.ms": "60000"}
        specs.append(TopicSpec(settings.topic(short), settings.partitions, config))
    for table in TABLES:
        specs.append(
            TopicSpec(f"{settings.app_id}-{table}-changelog", settings.partitions, {"cleanup.policy": "compact"})
        )
    return specs


async def create_topics(settings: Settings) -> list[str]:
    """Create missing topics; existing ones are left as they are. Returns the names created."""
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic
    from aiokafka.errors import TopicAlreadyExistsError

    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap_servers)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        wanted = [s for s in topic_specs(settings) if s.name not in existing]
        if not wanted:
            return []
        new = [NewTopic(s.name, s.partitions, settings.replication_factor, topic_configs=s.config) for s in wanted]
        with contextlib.suppress(TopicAlreadyExistsError):  # another worker won the race
            await admin.create_topics(new)
        return [s.name for s in wanted]
    finally:
        await admin.close()
