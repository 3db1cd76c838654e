"""Logs say who and what kind of event, never what the user wrote; JSON off a terminal."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from bot import logs
from coach.core import Coach
from tests.support import Talker, person
from tests.trust_support import onboard, reflect

SECRET = "I plan to resign on March 3rd and nobody at the bank knows"


class Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    root = logging.getLogger()
    handler, level = Recorder(), root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield handler
    root.removeHandler(handler)
    root.setLevel(level)


pytestmark = pytest.mark.usefixtures("restore_logging")  # commands install log handlers


async def test_a_secret_sentence_appears_in_no_log_record(coach: Coach, recorder: Recorder) -> None:
    alice = Talker(coach, person("alice"))
    await onboard(alice, role=SECRET)
    await reflect(alice, SECRET)
    await alice.say(SECRET)  # outside any flow
    await alice.command(SECRET.replace(" ", "_"))  # an unknown "command"
    await alice.command("journal", SECRET)
    await alice.command("link", SECRET)
    await alice.command("export")
    await alice.press_action("reflection:answer:1:" + "x" * 60)  # malformed (too long) button
    await alice.command("delete")
    erase = alice.action("Yes, erase everything")
    await alice.say(SECRET)
    await alice.press_action(erase)

    formatter = logs.JsonFormatter()
    visible = [r for r in recorder.records if r.levelno >= logging.INFO]
    assert visible, "the coach logs its events at INFO"
    for record in visible:
        line = formatter.format(record)
        assert SECRET not in line and SECRET.replace(" ", "_") not in line, line
        assert "March 3rd" not in line


async def test_each_event_is_logged_with_the_user_id_and_platform(coach: Coach, recorder: Recorder) -> None:
    await Talker(coach, person("alice", platform="slack", workspace="T1")).command("help")
    (record,) = [r for r in recorder.records if r.name == "coach.core"]
    entry = json.loads(logs.JsonFormatter().format(record))
    assert entry["level"] == "INFO"
    assert entry["user_id"] == 1 and entry["platform"] == "slack" and entry["kind"] == "command"
    assert entry["flow"] == "help"


def test_logs_are_json_lines_off_a_terminal_and_plain_text_on_one() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    pipe, terminal = io.StringIO(), Terminal()
    logs.configure("INFO", "auto", stream=pipe)
    logging.getLogger("tests.logs").info("started", extra={"user_id": 7})
    logs.configure("INFO", "auto", stream=terminal)  # replaces the first handler, never doubles lines
    logging.getLogger("tests.logs").info("started again")

    (line,) = pipe.getvalue().splitlines()
    assert json.loads(line) | {"time": None} == {
        "time": None,
        "level": "INFO",
        "logger": "tests.logs",
        "message": "started",
        "user_id": 7,
    }
    assert terminal.getvalue().rstrip().endswith("INFO tests.logs: started again")


def test_exceptions_are_kept_in_the_json_line() -> None:
    pipe = io.StringIO()
    logs.configure("INFO", "json", stream=pipe)
    try:
        raise RuntimeError("database went away")
    except RuntimeError:
        logging.getLogger("tests.logs").exception("handling failed")
    entry = json.loads(pipe.getvalue())
    assert entry["message"] == "handling failed" and "RuntimeError: database went away" in entry["exception"]


def test_http_client_urls_with_the_bot_token_stay_out_of_the_logs() -> None:
    logs.configure("DEBUG", "text", stream=io.StringIO())
    assert logging.getLogger("httpx").getEffectiveLevel() == logging.WARNING
    assert logging.getLogger("httpcore").getEffectiveLevel() == logging.WARNING
