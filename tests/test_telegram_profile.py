"""What Telegram shows about the bot (commands, descriptions, menu button) and the buttons that open the
dashboard app: set at start-up only when they differ, in English and Korean, private chats only."""

from __future__ import annotations

import logging

import pytest
from pydantic import ValidationError

from bot.settings import Settings
from storage.db import Database
from tests.fakes.telegram_api import TOKEN, FakeTelegram
from tests.telegram_support import ChatUser, running_bot

APP_URL = "https://coach.example.org/app/"
WITH_APP = {"encore_webapp_url": APP_URL, "encore_http_port": 0}


def has_hangul(text: str) -> bool:
    return any("\uac00" <= char <= "\ud7a3" for char in text)


async def test_commands_are_offered_in_private_chats_in_english_and_korean_and_groups_get_none(
    database: Database,
) -> None:
    async with FakeTelegram() as fake:
        # What an older Encore registered: the default scope, which groups see too.
        fake.commands[("default", "")] = [{"command": "start", "description": "Set up your profile"}]
        fake.commands[("default", "ko")] = [{"command": "start", "description": "프로필"}]
        async with running_bot(fake, database):
            pass
        english = {c["command"]: c["description"] for c in fake.commands[("all_private_chats", "")]}
        korean = {c["command"]: c["description"] for c in fake.commands[("all_private_chats", "ko")]}
        assert {"start", "reflect", "journal", "settings", "help", "cancel"} <= set(english)
        assert english.keys() == korean.keys()
        assert english["start"] == "Set up or edit your profile"
        assert all(has_hangul(description) for description in korean.values())
        assert ("default", "") not in fake.commands and ("default", "ko") not in fake.commands
        assert not any(scope.startswith("all_group") for scope, _ in fake.commands)
        calls = len(fake.calls)
        async with running_bot(fake, database):  # a second start (or replica) finds everything in place
            pass
        written = [
            c.method
            for c in fake.calls[calls:]
            if c.method.startswith(("set", "delete")) and c.method != "deleteWebhook"
        ]
        assert written == []


async def test_descriptions_are_set_in_english_and_korean_only_when_they_differ(database: Database) -> None:
    async with FakeTelegram() as fake:
        async with running_bot(fake, database):
            pass
        english = fake.descriptions[("description", "")]
        korean = fake.descriptions[("description", "ko")]
        assert english.startswith("Encore is a private coach for your second career")
        assert has_hangul(korean) and has_hangul(fake.descriptions[("short_description", "ko")])
        assert "second career" in fake.descriptions[("short_description", "")]
        assert len(fake.calls_to("setMyDescription")) == len(fake.calls_to("setMyShortDescription")) == 2

        fake.descriptions[("description", "ko")] = "예전 설명"  # changed by hand in BotFather, say
        async with running_bot(fake, database):
            pass
        assert [c.params.get("language_code") for c in fake.calls_to("setMyDescription")[2:]] == ["ko"]
        assert fake.descriptions[("description", "ko")] == korean
        assert len(fake.calls_to("setMyShortDescription")) == 2


async def test_the_menu_button_opens_the_app_once_configured_and_is_put_back_without_it(
    database: Database,
) -> None:
    async with FakeTelegram() as fake:
        async with running_bot(fake, database, **WITH_APP):
            pass
        assert fake.menu_buttons[None] == {"type": "web_app", "text": "Encore", "web_app": {"url": APP_URL}}
        async with running_bot(fake, database, **WITH_APP):
            pass
        assert len(fake.calls_to("setChatMenuButton")) == 1  # unchanged: not written again
        async with running_bot(fake, database):  # the app switched off
            pass
        assert fake.menu_buttons[None] == {"type": "default"}
        async with running_bot(fake, database):
            pass
        assert len(fake.calls_to("setChatMenuButton")) == 2


async def test_progress_offers_a_button_that_opens_the_app(database: Database) -> None:
    async with FakeTelegram() as fake, running_bot(fake, database, **WITH_APP) as bot:
        minsu = ChatUser(bot, 4242, first_name="Minsu", language_code="ko")
        replies = await minsu.send("/progress")
        button = replies[-1].button("내 대시보드 열기")
        assert button == {"text": "내 대시보드 열기", "web_app": {"url": APP_URL}}
        # The other buttons still answer in the chat.
        assert "callback_data" in replies[-1].button("성찰하기")


async def test_without_the_app_progress_shows_no_button_for_it(database: Database) -> None:
    async with FakeTelegram() as fake, running_bot(fake, database) as bot:
        alice = ChatUser(bot, 4243)
        replies = await alice.send("/progress")
        labels = [label for reply in replies for label in reply.labels]
        assert "Reflect" in labels and "Open my dashboard" not in labels
        assert all("web_app" not in b for r in replies for row in r.keyboard or [] for b in row)


async def test_a_profile_call_telegram_refuses_does_not_stop_the_bot(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    async with FakeTelegram() as fake:
        fake.fail_next("setMyDescription", status=500)
        fake.fail_next("getChatMenuButton", status=400, description="Bad Request: something odd")
        with caplog.at_level(logging.WARNING):
            async with running_bot(fake, database, **WITH_APP) as bot:
                replies = await ChatUser(bot, 4244).send("/help")
        assert "Here is what I can do" in replies[0].text
        assert "could not update the bot's descriptions" in caplog.text
        assert "could not update the bot's menu button" in caplog.text
        assert TOKEN not in caplog.text


@pytest.mark.parametrize(
    ("values", "complaint"),
    [
        ({"encore_webapp_url": "http://coach.example.org/app/", "encore_http_port": 8080}, "HTTPS"),
        ({"encore_webapp_url": "coach.example.org/app/", "encore_http_port": 8080}, "HTTPS"),
        ({"encore_webapp_url": APP_URL}, "ENCORE_HTTP_PORT"),
    ],
)
def test_an_app_url_that_cannot_work_is_refused_at_start_with_a_reason(
    values: dict[str, object], complaint: str
) -> None:
    with pytest.raises(ValidationError, match=complaint):
        Settings(_env_file=None, telegram_bot_token=TOKEN, **values)  # type: ignore[call-arg]


def test_the_app_needs_telegram_to_sign_people_in() -> None:
    with pytest.raises(ValidationError, match="TELEGRAM_BOT_TOKEN"):
        Settings(_env_file=None, encore_webapp_url=APP_URL, encore_http_port=8080)  # type: ignore[call-arg]
    assert not Settings(_env_file=None).webapp_enabled  # type: ignore[call-arg]
