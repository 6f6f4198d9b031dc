"""A real Prometheus scrapes bounceguard's registry and answers the dashboards' and rules' PromQL."""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from prometheus_server import RULES, PrometheusServer, free_port

from bounceguard.core.categories import Category, Reason
from bounceguard.core.models import BounceEvent, Outcome
from bounceguard.core.trends import DEFAULT_CONFIG
from bounceguard.core.trends.wilson import z_score
from bounceguard.edges.metrics import BounceguardMetrics
from bounceguard.observability import grafana_dashboards
from bounceguard.observability.promtool_check import substitute

AT = datetime(2026, 3, 2, 12, tzinfo=UTC)


def panel_expr(board: str, title: str) -> str:
    """The PromQL of a dashboard panel, variables filled in as Grafana would for 'All'."""
    dashboard = grafana_dashboards.dashboards(DEFAULT_CONFIG)[board]
    for panel in dashboard["panels"]:
        if panel["title"] == title:
            return substitute(panel["targets"][0]["expr"])
    raise KeyError(title)


def send_batch(m: BounceguardMetrics, sends: int, hard: int) -> None:
    for i in range(sends):
        failed = i < hard
        m.observe_event(
            BounceEvent(
                event_id=f"e{i}",
                tenant="acme",
                recipient=f"user{i}@b.example",
                outcome=Outcome.BOUNCED if failed else Outcome.DELIVERED,
                source="send-result",
                mailbox="news@a.example",
                segment="spring",
                occurred_at=AT,
                reason=Reason.USERUNKNOWN if failed else Reason.DELIVERED,
                category=Category.HARD if failed else Category.NONE,
            ),
            attempt=True,
        )


@pytest.fixture()
def target() -> Iterator[tuple[BounceguardMetrics, str]]:
    metrics = BounceguardMetrics()
    port = free_port()
    server, thread = metrics.serve(port, addr="127.0.0.1")
    try:
        yield metrics, f"127.0.0.1:{port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def wait_value(prom: PrometheusServer, expr: str, expected: float, timeout: float = 30.0) -> float:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        result = prom.query(expr)
        if result:
            last = float(result[0]["value"][1])
            if math.isclose(last, expected, rel_tol=1e-9):
                return last
        time.sleep(0.25)
    raise AssertionError(f"{expr} = {last}, expected {expected}")


def test_prometheus_scrapes_the_registry_and_evaluates_dashboard_and_rule_queries(
    target: tuple[BounceguardMetrics, str],
) -> None:
    metrics, instance = target
    send_batch(metrics, 100, 10)
    metrics.set_consumer_lag("bounceguard.events", 0, 7)
    metrics.set_consumer_lag("bounceguard.events", 1, 5)
    with PrometheusServer([instance], rule_files=[RULES]) as prom:
        before = prom.wait_for_scrape(instance)
        # the dashboard's lag panel sums partitions per topic
        lag = prom.query(panel_expr("overview", "Consumer lag (messages)"))
        assert [(r["metric"]["topic"], float(r["value"][1])) for r in lag] == [("bounceguard.events", 12.0)]

        send_batch(metrics, 100, 10)  # counters must move between scrapes for increase()
        prom.wait_for_scrape(instance, after=before + 1)

        # the overview's worst-mailboxes panel reads the recorded 1h hard-bounce ratio: 20 / 200
        hard_panel = panel_expr("overview", "Worst mailboxes: hard-bounce rate (1h)")
        assert wait_value(prom, hard_panel, 0.1) == pytest.approx(0.1)
        mailbox_rate = prom.query('tenant_mailbox:bounceguard_hard_ratio:1h{mailbox="news@a.example"}')
        assert mailbox_rate[0]["metric"]["tenant"] == "acme"

        # the Wilson lower bound rule agrees with the core formula at the same evaluation
        at = float(prom.query("timestamp(tenant_mailbox:bounceguard_hard_ratio:1h)")[0]["value"][1])
        n = float(prom.query("tenant_mailbox:bounceguard_attempts:increase1h", at)[0]["value"][1])
        p = float(prom.query("tenant_mailbox:bounceguard_hard_ratio:1h", at)[0]["value"][1])
        lower = float(prom.query("tenant_mailbox:bounceguard_hard_ratio_lower95:1h", at)[0]["value"][1])
        z = z_score(DEFAULT_CONFIG.confidence)
        expected = (p + z * z / (2 * n) - z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))) / (1 + z * z / n)
        assert lower == pytest.approx(expected, rel=1e-9)
        assert 0 < lower < p

        # the rules loaded without errors in the real server
        groups = prom.api("rules")["groups"]
        assert {g["name"] for g in groups} == {"bounceguard-mailbox", "bounceguard-segment"}
        assert all(r["health"] in ("ok", "unknown") for g in groups for r in g["rules"])
