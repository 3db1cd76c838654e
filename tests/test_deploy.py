"""deploy/: docker is not available here, so check what can be checked without it.

The compose file must parse and describe PostgreSQL, a migration and two healthy replicas; the Dockerfile
must run as a non-root user, install with the constraints, and start commands the CLI really has.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.cli import build_parser
from bot.settings import Settings

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"


def _dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    text = (DEPLOY / "Dockerfile").read_text().replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def _exec_form(arguments: str) -> list[str]:
    parsed = yaml.safe_load(arguments)  # a JSON array is valid YAML
    assert isinstance(parsed, list), f"use the exec form (a JSON array), not {arguments!r}"
    return [str(part) for part in parsed]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    assert isinstance(loaded, dict)
    return loaded


def test_the_image_is_slim_non_root_pinned_and_checks_its_health() -> None:
    instructions = _dockerfile()
    (base,) = [args for op, args in instructions if op == "FROM"]
    assert base.startswith("python:3.11") and base.endswith("-slim")
    users = [args for op, args in instructions if op == "USER"]
    assert users and users[-1] not in ("root", "0")
    installs = [args for op, args in instructions if op == "RUN" and "pip install" in args]
    assert installs and all("constraints.txt" in args for args in installs)
    (health,) = [args for op, args in instructions if op == "HEALTHCHECK"]
    assert "--interval" in health
    command = _exec_form(health.split("CMD", 1)[1])
    assert command[0] == "encore"
    build_parser().parse_args(command[1:])


def test_the_image_entry_is_encore_run_and_every_command_exists() -> None:
    instructions = _dockerfile()
    (entrypoint,) = [_exec_form(args) for op, args in instructions if op == "ENTRYPOINT"]
    (cmd,) = [_exec_form(args) for op, args in instructions if op == "CMD"]
    assert entrypoint + cmd == ["encore", "run"]
    assert build_parser().parse_args(cmd).command == "run"


def test_the_image_defaults_are_valid_settings() -> None:
    env_lines = [args for op, args in _dockerfile() if op == "ENV"]
    defaults = dict(pair.split("=", 1) for line in env_lines for pair in shlex.split(line))
    settings = Settings(**{k.lower(): v for k, v in defaults.items() if k.startswith("ENCORE_")})
    assert settings.encore_http_port == 8080
    assert settings.encore_database_url.startswith("sqlite+aiosqlite:////data/")


def test_compose_runs_two_replicas_on_one_postgresql(compose: dict[str, Any]) -> None:
    services = compose["services"]
    replicas = [name for name, service in services.items() if service.get("command") == ["run"]]
    assert len(replicas) == 2
    assert services["postgres"]["image"].startswith("postgres:")
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    (url,) = {services[name]["environment"]["ENCORE_DATABASE_URL"] for name in replicas}
    assert "@postgres:5432/" in url
    password = url.split(":", 2)[2].split("@")[0]  # ${POSTGRES_PASSWORD:?…}, filled in by compose
    assert Settings(encore_database_url=url.replace(password, "secret")).encore_database_url.startswith(
        "postgresql+asyncpg://encore:secret@postgres"
    )
    for name in replicas:
        service = services[name]
        assert service["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert service["healthcheck"]["test"][1:] == ["encore", "healthcheck"]
        build_parser().parse_args(service["command"])


def test_compose_migrates_once_before_the_replicas(compose: dict[str, Any]) -> None:
    migrate = compose["services"]["migrate"]
    assert build_parser().parse_args(migrate["command"]).command == "db"
    assert migrate["restart"] == "no"
    assert "migrate" not in migrate["depends_on"]


def test_every_setting_in_the_compose_file_is_one_encore_reads(compose: dict[str, Any]) -> None:
    known = {name.upper() for name in Settings.model_fields}
    for name, service in compose["services"].items():
        for key in service.get("environment", {}):
            if key.startswith(("ENCORE_", "TELEGRAM_", "SLACK_")):
                assert key in known, f"{name} sets {key}, which Encore does not read"
    example = (DEPLOY / "env.example").read_text().splitlines()
    for line in example:
        key = line.lstrip("# ").split("=", 1)[0]
        if "=" in line and key.startswith(("ENCORE_", "TELEGRAM_", "SLACK_")) and key != "ENCORE_PUBLIC_HOST":
            assert key in known, f"env.example mentions {key}, which Encore does not read"


def test_the_proxy_sends_webhooks_to_both_replicas() -> None:
    caddyfile = (DEPLOY / "Caddyfile").read_text()
    assert "reverse_proxy encore-1:8443 encore-2:8443" in caddyfile
    assert "reverse_proxy encore-1:3000 encore-2:3000" in caddyfile
    assert "health_uri /healthz" in caddyfile


def test_the_proxy_serves_the_app_but_keeps_metrics_private(compose: dict[str, Any]) -> None:
    caddyfile = (DEPLOY / "Caddyfile").read_text()
    port = compose["x-encore"]["environment"]["ENCORE_HTTP_PORT"]
    app = _caddy_blocks(caddyfile)["/app/*"]
    assert f"reverse_proxy encore-1:{port} encore-2:{port}" in app
    handled = re.findall(r"handle (\S+)", caddyfile)
    assert not any(path.startswith(("/metrics", "/healthz", "/*")) for path in handled)


def test_the_build_context_keeps_secrets_and_databases_out() -> None:
    ignored = (DEPLOY / "Dockerfile.dockerignore").read_text().splitlines()
    assert "**" in ignored  # everything is left out unless listed
    assert "**/.env" in ignored and "**/*.db" in ignored


def _caddy_blocks(text: str) -> dict[str, str]:
    """Each ``handle <path> { … }`` block of the Caddyfile by its path, braces matched."""
    blocks: dict[str, str] = {}
    for match in re.finditer(r"handle (\S+) \{", text):
        depth, end = 1, match.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(text[end], 0)
            end += 1
        blocks[match.group(1)] = text[match.end() : end - 1]
    return blocks


def test_the_proxy_refuses_bodies_over_a_megabyte_before_they_reach_encore() -> None:
    units = {"KB": 1000, "MB": 1000**2, "KIB": 1024, "MIB": 1024**2}
    blocks = _caddy_blocks((DEPLOY / "Caddyfile").read_text())
    proxied = {path: body for path, body in blocks.items() if "reverse_proxy" in body}
    assert set(proxied) == {"/telegram/*", "/slack/*", "/app/*"}
    for path, body in proxied.items():
        limit = re.search(r"request_body\s*\{\s*max_size\s+(\d+)\s*([KMG]i?B)\s*\}", body, re.IGNORECASE)
        assert limit is not None, f"{path} has no request_body max_size"
        assert int(limit.group(1)) * units[limit.group(2).upper()] <= 1024**2, path
