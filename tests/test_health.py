"""/healthz and /metrics over real HTTP on a loopback port."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.health import HealthServer
from bot.metrics import Metrics
from bot.runner import build_services
from bot.settings import Settings
from coach.core import Coach
from storage.db import Database
from tests.support import FakeClock, Talker, person
from tests.trust_support import onboard, reflect


@pytest.fixture
async def metrics() -> Metrics:
    return Metrics()


@pytest.fixture
async def server(database: Database, metrics: Metrics) -> AsyncIterator[HealthServer]:
    health = HealthServer(database, metrics, host="127.0.0.1", port=0)
    await health.start()
    yield health
    await health.stop()


def _samples(exposition: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(exposition)
        for sample in family.samples
    }


async def test_healthz_is_ok_while_the_database_answers(server: HealthServer) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.get(f"http://127.0.0.1:{server.port}/healthz") as response:
            assert response.status == 200
            assert await response.json() == {"status": "ok", "database": "ok"}


async def test_healthz_is_503_when_the_database_is_down(metrics: Metrics) -> None:
    unreachable = Database("postgresql+asyncpg://encore@127.0.0.1:1/encore")  # nothing listens on port 1
    health = HealthServer(unreachable, metrics, host="127.0.0.1", port=0)
    await health.start()
    try:
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{health.port}/healthz") as response:
                assert response.status == 503
                assert (await response.json())["database"] == "down"
    finally:
        await health.stop()
        await unreachable.dispose()


async def test_metrics_count_traffic_completions_and_latency(
    server: HealthServer, metrics: Metrics, database: Database, clock: FakeClock
) -> None:
    coach = Coach(database, clock=clock, observers=[metrics.observe])
    alice = Talker(coach, person("alice", platform="telegram"))
    await onboard(Talker(coach, person("carol", platform="console")))  # 8 events, one completion
    await reflect(alice, "An answer")  # /reflect, text, button
    await reflect(alice, "Another answer")
    bob = Talker(coach, person("bob", platform="slack", workspace="T1"))
    await bob.command("reflect")  # a question left open: no completion of the reflection
    await bob.command("help")  # but /help answered in one step

    async with aiohttp.ClientSession() as http:
        async with http.get(f"http://127.0.0.1:{server.port}/metrics") as response:
            assert response.status == 200
            assert response.headers["Content-Type"].startswith("text/plain")
            samples = _samples(await response.text())

    def value(name: str, **labels: str) -> float:
        return samples.get((name, tuple(sorted(labels.items()))), 0.0)

    assert value("encore_messages_in_total", platform="telegram", kind="command") == 2
    assert value("encore_messages_in_total", platform="telegram", kind="text") == 2
    assert value("encore_messages_in_total", platform="telegram", kind="button") == 2
    assert value("encore_messages_in_total", platform="slack", kind="command") == 2
    assert value("encore_messages_out_total", platform="telegram") == 6
    assert value("encore_flow_completions_total", flow="reflection") == 2
    assert value("encore_flow_completions_total", flow="help") == 1
    assert value("encore_flow_completions_total", flow="onboarding") == 1
    assert value("encore_flow_completions_total", flow="settings") == 0
    assert value("encore_handler_seconds_count", platform="telegram") == 6
    assert value("encore_handler_seconds_bucket", platform="telegram", le="+Inf") == 6


async def test_only_the_services_asked_for_are_built(database: Database, coach: Coach) -> None:
    without = build_services(Settings(encore_http_port=None), database, coach, {})
    assert not [service for service in without if isinstance(service, HealthServer)]
    built = build_services(Settings(encore_http_port=0, encore_http_listen="127.0.0.1"), database, coach, {})
    (health,) = [service for service in built if isinstance(service, HealthServer)]
    assert health.host == "127.0.0.1" and health.name == "health"


async def test_with_a_metrics_token_only_a_scraper_holding_it_reads_metrics(
    database: Database, coach: Coach
) -> None:
    settings = Settings(
        encore_http_port=0, encore_http_listen="127.0.0.1", encore_metrics_token="  scrape-token-1  "
    )
    (health,) = [s for s in build_services(settings, database, coach, {}) if isinstance(s, HealthServer)]
    await health.start()
    base = f"http://127.0.0.1:{health.port}"
    try:
        async with aiohttp.ClientSession() as http:
            for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic scrape-token-1"}):
                async with http.get(f"{base}/metrics", headers=headers) as response:
                    assert response.status == 401
                    assert response.headers["WWW-Authenticate"].startswith("Bearer")
                    assert "encore_" not in await response.text()
            async with http.get(f"{base}/metrics", headers={"Authorization": "Bearer scrape-token-1"}) as ok:
                assert ok.status == 200 and "encore_messages_in_total" in await ok.text()
            async with http.get(f"{base}/healthz") as response:  # the health check needs no token
                assert response.status == 200
    finally:
        await health.stop()
