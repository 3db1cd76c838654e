"""The dashboard app's server: a person's own data for valid Telegram init data, and nothing otherwise.

Requests go over real HTTP to the server ``encore run`` starts (``/healthz`` and ``/app/`` on one port).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

import aiohttp
import pytest
from sqlalchemy import func, select

from bot.health import HealthServer
from bot.runner import build_services, build_webapp
from bot.telegram import TelegramAdapter
from bot.webapp.init_data import InvalidInitData, verify
from coach.core import Coach
from storage.db import Database
from storage.models import Identity, User
from tests.fakes.telegram_api import FakeTelegram
from tests.support import FakeClock, Talker, person
from tests.telegram_support import telegram_settings
from tests.trust_support import assess_and_study, onboard, reflect
from tests.webapp_support import CHAT_LINK, bearer, running_webapp, signed_init_data

VENDOR = Path(__file__).resolve().parents[1] / "bot" / "webapp" / "static" / "vendor"
ALICE, BOB = 4242, 5353


@pytest.fixture
async def server(coach: Coach) -> AsyncIterator[HealthServer]:
    async with running_webapp(coach) as running:
        yield running


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def url(server: HealthServer, path: str) -> str:
    return f"http://127.0.0.1:{server.port}{path}"


async def get(
    http: aiohttp.ClientSession, server: HealthServer, path: str, headers: dict[str, str] | None = None
) -> tuple[int, Any, aiohttp.typedefs.LooseHeaders]:
    async with http.get(url(server, path), headers=headers or {}, allow_redirects=False) as response:
        body = await response.read()
        try:
            data: Any = json.loads(body)
        except ValueError:
            data = body.decode("utf-8", "replace")
        return response.status, data, response.headers


def telegram_person(user_id: int, coach: Coach, language: str = "en") -> Talker:
    return Talker(coach, person(str(user_id), platform="telegram", language=language))


async def test_a_signature_made_elsewhere_is_accepted_and_a_changed_field_is_not() -> None:
    """A test vector published with another Telegram library (token ``42:TEST``)."""
    vector = (
        "auth_date=1650385342&user=%7B%22id%22%3A42%2C%22first_name%22%3A%22Test%22%7D&query_id=test"
        "&hash=46d2ea5e32911ec8d30999b56247654460c0d20949b6277af519e76271182803"
    )
    signed_at = datetime.fromtimestamp(1650385342, UTC)
    assert verify(vector, "42:TEST", signed_at + timedelta(minutes=1)).id == 42
    with pytest.raises(InvalidInitData, match="bad signature"):
        verify(vector.replace("query_id=test", "query_id=tesT"), "42:TEST", signed_at)
    with pytest.raises(InvalidInitData, match="bad signature"):
        verify(vector, "42:OTHER", signed_at)


async def test_me_shows_the_signed_in_persons_own_profile_plan_skills_and_journal(
    coach: Coach, clock: FakeClock, server: HealthServer, http: aiohttp.ClientSession
) -> None:
    alice = telegram_person(ALICE, coach)
    await onboard(alice)
    await reflect(alice, "I could run a cloud migration end to end without the data centre team.")
    await assess_and_study(alice)
    progress = await alice.command("progress")

    status, me, headers = await get(http, server, "/app/api/me", bearer(signed_init_data(ALICE, clock.now)))
    assert status == 200 and headers["Cache-Control"] == "no-store"
    assert me["known"] is True and me["language"] == "en" and me["chat_link"] == CHAT_LINK
    assert me["profile"]["current_role"] == "IT infrastructure manager at a bank"
    assert me["profile"]["checkin"] == "Tuesday at 09:00"
    assert (me["profile"]["checkin_weekday"], me["profile"]["checkin_time"]) == (1, "09:00")
    assert me["profile"]["timezone"] == "Asia/Seoul" and me["profile"]["timezone_text"] == "Seoul (UTC+09:00)"
    # The plan figures are the pace model's, word for word what /progress says.
    (goal,) = me["plan"]["goals"]
    assert "• " + goal["summary"] in progress[0].text
    assert goal["verdict"] in ("on_track", "behind", "at_risk") and goal["hours_done"] == 2
    # The target is the plan in force: assess_and_study changed it from 6 to 5 hours a week.
    assert me["plan"]["chart"]["hours"][-1] == 2 and me["plan"]["chart"]["target"] == 5
    first, second = me["skills"]
    assert first["assessed"] == "Nov 25, 2026" and first["summary"] in progress[0].text
    assert second["assessed"] is None  # the second path, not assessed yet
    assert me["journal"]["count"] == 1 and me["journal"]["count_text"] == "1 entry"
    assert me["journal"]["entries"][0]["answer"].startswith("I could run a cloud migration")
    assert [action["command"] for action in me["actions"]] == ["reflect", "study", "skills"]
    assert me["labels"]["title"] == "My second career"


async def test_a_korean_speaker_gets_korean(
    coach: Coach, clock: FakeClock, server: HealthServer, http: aiohttp.ClientSession
) -> None:
    minsu = telegram_person(BOB, coach, language="ko")
    await onboard(minsu)
    init = signed_init_data(BOB, clock.now, language="ko", first_name="민수")
    status, me, _ = await get(http, server, "/app/api/me", bearer(init))
    assert status == 200 and me["language"] == "ko"
    assert me["labels"]["title"] == "나의 두 번째 커리어" and me["profile"]["checkin"] == "화요일 09:00"


async def test_someone_who_never_wrote_gets_an_empty_view_and_nothing_is_stored(
    coach: Coach, database: Database, clock: FakeClock, server: HealthServer, http: aiohttp.ClientSession
) -> None:
    await onboard(telegram_person(ALICE, coach))
    await reflect(telegram_person(ALICE, coach), "Alice's private words")
    status, me, _ = await get(http, server, "/app/api/me", bearer(signed_init_data(BOB, clock.now)))
    assert status == 200 and me["known"] is False
    assert set(me["profile"].values()) == {None}
    assert me["plan"] == {"goals": [], "passed": [], "chart": None} and me["skills"] == []
    assert me["journal"]["entries"] == [] and me["journal"]["count"] == 0
    assert "Alice" not in json.dumps(me) and "IT infrastructure" not in json.dumps(me)
    async with database.session() as session:
        assert (await session.execute(select(func.count()).select_from(User))).scalar_one() == 1
        assert (await session.execute(select(func.count()).select_from(Identity))).scalar_one() == 1


def _tampered(init: str, **changes: str) -> str:
    fields = dict(parse_qsl(init))
    fields.update(changes)
    return urlencode(fields, quote_via=quote)


def _refusals(now: datetime) -> dict[str, dict[str, str]]:
    valid = signed_init_data(ALICE, now)
    bob = json.dumps({"id": BOB, "first_name": "Bob"}, separators=(",", ":"))
    hash_ = dict(parse_qsl(valid))["hash"]
    return {
        "no header": {},
        "another scheme": {"Authorization": f"Bearer {valid}"},
        "empty": {"Authorization": "tma "},
        "hash changed": bearer(_tampered(valid, hash=hash_[:-1] + ("0" if hash_[-1] != "0" else "1"))),
        "user changed, hash kept": bearer(_tampered(valid, user=bob)),
        "another bot's token": bearer(signed_init_data(ALICE, now, token="999:another-bots-token")),
        "signed 25 hours ago": bearer(signed_init_data(ALICE, now - timedelta(hours=25))),
        "signed tomorrow": bearer(signed_init_data(ALICE, now + timedelta(days=1))),
        "a field twice": bearer(valid + "&auth_date=1"),
        "no hash": bearer(valid.rsplit("&hash=", 1)[0]),
        "not a query string": bearer("%%%"),
        "6 KB of it": bearer(signed_init_data(ALICE, now, padding="x" * 6000)),
    }


@pytest.mark.parametrize("case", list(_refusals(datetime(2026, 11, 25, 1, 0, tzinfo=UTC))))
async def test_init_data_that_is_not_telegrams_for_this_bot_gets_401_and_nothing_else(
    case: str,
    coach: Coach,
    clock: FakeClock,
    server: HealthServer,
    http: aiohttp.ClientSession,
    caplog: pytest.LogCaptureFixture,
) -> None:
    alice = telegram_person(ALICE, coach)
    await onboard(alice)
    await reflect(alice, "A secret plan to leave the bank")
    headers = _refusals(clock.now)[case]
    with caplog.at_level(logging.DEBUG):
        for path in ("/app/api/me", "/app/api/journal?q=secret"):
            status, body, response_headers = await get(http, server, path, headers)
            assert (status, body) == (401, {"error": "unauthorized"})
            assert response_headers["Cache-Control"] == "no-store"
    assert "mini app: refused a request" in caplog.text
    _nothing_of(headers, caplog.text)


def _nothing_of(headers: dict[str, str], logged: str) -> None:
    """No piece of the init data (its hash, the user, the query id) reached the log."""
    init = headers.get("Authorization", "").partition(" ")[2]
    for value in dict(parse_qsl(init)).values():
        if len(value) > 8:
            assert value not in logged and quote(value) not in logged
    assert "secret plan" not in logged


async def test_a_1_mb_header_is_refused_before_anything_reads_it(
    coach: Coach, clock: FakeClock, server: HealthServer, caplog: pytest.LogCaptureFixture
) -> None:
    huge = signed_init_data(ALICE, clock.now, padding="y" * (1 << 20))
    with caplog.at_level(logging.DEBUG):
        async with aiohttp.ClientSession() as http:
            try:
                status, body, _ = await get(http, server, "/app/api/me", bearer(huge))
            except aiohttp.ClientError:
                status, body = 400, ""  # the server closed the connection on it: refused all the same
    assert 400 <= status < 500 and "IT infrastructure" not in str(body)
    assert "refused a malformed HTTP request (LineTooLong)" in caplog.text
    _nothing_of(bearer(huge), caplog.text)
    assert "tma " not in caplog.text
    async with aiohttp.ClientSession() as http:  # and the server carries on
        status, _, _ = await get(http, server, "/healthz")
        assert status == 200


async def test_a_signed_in_person_cannot_reach_anyone_elses_data(
    coach: Coach, clock: FakeClock, server: HealthServer, http: aiohttp.ClientSession
) -> None:
    alice, bob = telegram_person(ALICE, coach), telegram_person(BOB, coach)
    await onboard(alice)
    await onboard(bob, role="Securities back-office lead")
    await reflect(bob, "Bob's plan: open a bakery in Busan")
    as_alice = bearer(signed_init_data(ALICE, clock.now))
    for path in (
        f"/app/api/me?user_id={BOB}",
        f"/app/api/me?user={BOB}&id={BOB}",
        f"/app/api/journal?q=bakery&user_id={BOB}",
        f"/app/api/users/{BOB}",
        f"/app/api/journal/{BOB}",
    ):
        status, body, _ = await get(http, server, path, {**as_alice, "X-Telegram-User-Id": str(BOB)})
        text = json.dumps(body, ensure_ascii=False)
        assert "Busan" not in text and "Securities" not in text, path
        assert status in (200, 404), path
    status, me, _ = await get(http, server, "/app/api/me", as_alice)
    assert me["profile"]["current_role"] == "IT infrastructure manager at a bank"
    status, found, _ = await get(http, server, "/app/api/journal?q=bakery", as_alice)
    assert (status, found["total"], found["entries"]) == (200, 0, [])


async def test_journal_search_finds_old_entries_in_any_case_and_in_korean(
    coach: Coach, clock: FakeClock, server: HealthServer, http: aiohttp.ClientSession
) -> None:
    alice = telegram_person(ALICE, coach)
    await onboard(alice)
    await reflect(alice, "Teaching COBOL to juniors is what I enjoy most.")
    for week in range(22):
        clock.advance(days=1)
        await reflect(alice, f"Week {week}: kept studying networking.")
    await reflect(alice, "부산에서 강의를 해 보고 싶다.")
    as_alice = bearer(signed_init_data(ALICE, clock.now))
    status, me, _ = await get(http, server, "/app/api/me", as_alice)
    assert me["journal"]["count"] == 24 and len(me["journal"]["entries"]) == 20
    assert all(
        "COBOL" not in entry["answer"] for entry in me["journal"]["entries"]
    )  # too old for the first page
    status, found, _ = await get(http, server, "/app/api/journal?q=cobol", as_alice)
    assert status == 200 and found["total"] == 1 and "COBOL" in found["entries"][0]["answer"]
    status, found, _ = await get(http, server, "/app/api/journal?q=" + quote("강의"), as_alice)
    assert found["total"] == 1 and found["entries"][0]["answer"].startswith("부산")
    status, found, _ = await get(http, server, "/app/api/journal?q=networking", as_alice)
    assert found["total"] == 22 and len(found["entries"]) == 22
    status, found, _ = await get(http, server, "/app/api/journal?q=", as_alice)
    assert found == {"query": "", "total": 0, "entries": []}


async def test_the_page_and_its_files_are_served_with_a_strict_policy(
    server: HealthServer, http: aiohttp.ClientSession
) -> None:
    status, page, headers = await get(http, server, "/app/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors https://web.telegram.org" in headers["Content-Security-Policy"]
    scripts = re.findall(r'src="([^"]+)"', page)
    assert "vendor/uPlot.iife.min.js" in scripts and "app.js" in scripts
    assert all(s.startswith("https://telegram.org/") for s in scripts if "://" in s)  # no CDN
    for path in ("app.js", "app.css", "vendor/uPlot.iife.min.js", "vendor/uPlot.min.css"):
        status, _, headers = await get(http, server, "/app/" + path)
        assert status == 200 and headers["X-Content-Type-Options"] == "nosniff", path
        status, _, _ = await get(http, server, "/app/" + path, {"If-None-Match": headers["ETag"]})
        assert status == 304, path
    assert (await get(http, server, "/app"))[0] == 308
    for missing in ("/app/../bot/settings.py", "/app/vendor/README.md", "/app/%2e%2e/pyproject.toml"):
        assert (await get(http, server, missing))[0] == 404, missing
    assert (await get(http, server, "/healthz"))[0] == 200


async def test_the_page_words_for_an_error_screen_need_no_sign_in(
    server: HealthServer, http: aiohttp.ClientSession
) -> None:
    status, body, _ = await get(http, server, "/app/api/labels?lang=ko-KR")
    assert status == 200 and body["language"] == "ko"
    assert body["labels"]["unauthorized"].startswith("텔레그램의 Encore 채팅에서")
    status, body, _ = await get(http, server, "/app/api/labels?lang=" + quote("<script>"))
    assert body["language"] == "en"


def test_the_vendored_chart_library_is_the_published_one() -> None:
    table = (VENDOR / "README.md").read_text()
    recorded = dict(re.findall(r"^\| (\S+) \| ([0-9a-f]{64}) \|$", table, re.MULTILINE))
    assert set(recorded) == {"uPlot.iife.min.js", "uPlot.min.css", "uPlot.LICENSE.txt"}
    for name, digest in recorded.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name
    assert "MIT License" in (VENDOR / "uPlot.LICENSE.txt").read_text()


async def test_encore_run_serves_the_app_beside_healthz_only_when_configured(
    database: Database, clock: FakeClock
) -> None:
    async with FakeTelegram() as fake:
        settings = telegram_settings(
            fake, database.url, encore_webapp_url="https://coach.example.org/app/", encore_http_port=0
        )
        coach = Coach(database, clock=clock)
        adapter = TelegramAdapter(settings, coach)
        webapp = build_webapp(settings, coach, [adapter])
        assert webapp is not None
        (health,) = [
            s
            for s in build_services(settings, database, coach, {}, adapters=[adapter])
            if isinstance(s, HealthServer)
        ]
        assert health.webapp is not None
        await adapter.start()
        try:
            assert adapter.chat_link() == CHAT_LINK  # "back to the chat" goes to this bot
        finally:
            await adapter.stop()
        plain = telegram_settings(fake, database.url, encore_http_port=0)
        assert build_webapp(plain, coach, [adapter]) is None
