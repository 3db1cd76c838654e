"""No internal ids and no broken markup: every reply of a long session, in English and Korean, as Telegram,
Slack and the console show it (their real renderers), plus the weekly check-ins (a re-plan offer and the
exam's result among them), the home screen and the export's Markdown file."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

import pytest

from bot.console import Shown
from bot.console import render as console_render
from bot.slack.render import Owner, home_view, reply_messages, words
from bot.telegram.render import split_text, to_html, to_plain
from coach.content import get_content
from coach.core import Coach
from coach.dashboard import Dashboard
from coach.messages import Reply
from storage.db import Database
from tests.fakes.platform import Delivery
from tests.support import FakeClock, Talker, person
from tests.trust_support import FIRST_CHECKIN, weekly_checkin_round

CONTENT = get_content()
OWNER = Owner("T1", "U1")
# Content keys that read as ids (an underscore or a digit): never shown to a person.
_KEYS = sorted(
    {
        *CONTENT.certifications,
        *CONTENT.roles,
        *(skill.key for role in CONTENT.roles.values() for skill in role.skills),
        *(d.key for cert in CONTENT.certifications.values() for d in cert.domains),
        *(p.key for p in CONTENT.prompts),
        *(t.key for t in CONTENT.themes),
    },
    key=len,
    reverse=True,
)
CONTENT_ID = re.compile(
    r"(?<![A-Za-z0-9_])("
    + "|".join(re.escape(k) for k in _KEYS if re.search(r"[_0-9]", k))
    + r")(?![A-Za-z0-9_])"
)
PLACEHOLDER = re.compile(r"\{[a-z_]+(?::[^}]*)?\}")
# The coach's markup, as Telegram's renderer and Slack read it: a marker opens after a non-word character
# and closes before one. What is left of * and _ after removing such pairs shows as a literal character.
PAIR = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])|(?<![\w_])_(?=\S)([^_\n]*?\S)_(?![\w_])")


def leftover_markup(text: str) -> list[str]:
    previous = None
    while previous != text:
        previous, text = text, PAIR.sub(lambda m: m.group(1) or m.group(2) or "", text)
    stray = re.compile(r"(?<!\d)\*|\*(?!\d)|(?<![\w/.-])_|_(?![\w.-])")  # 2*3*4 and snake_case are fine
    return [line for line in text.splitlines() if stray.search(line)]


def _around(text: str, match: re.Match[str]) -> str:
    return text[max(match.start() - 30, 0) : match.end() + 30]


def problems(surface: str, text: str) -> list[str]:
    found = [f"{surface}: id in {_around(text, m)!r}" for m in CONTENT_ID.finditer(text)]
    found += [f"{surface}: placeholder in {_around(text, m)!r}" for m in PLACEHOLDER.finditer(text)]
    return found


def check_reply(reply: Reply, language: str) -> list[str]:
    found: list[str] = []
    for piece in split_text(reply.text):
        shown = to_plain(piece)
        found += problems("telegram", shown) + [
            f"telegram markup: {line!r}" for line in leftover_markup(shown)
        ]
        assert to_html(piece)  # renders
    for message in reply_messages(reply, OWNER, words(language), {"help", "study", "skills"}):
        for block in message.blocks:
            data = block.to_dict()
            text = data.get("text", {}).get("text", "") if isinstance(data.get("text"), dict) else ""
            found += problems("slack", text) + [f"slack markup: {line!r}" for line in leftover_markup(text)]
            for element in data.get("elements", []):
                found += problems("slack button", element.get("text", {}).get("text", ""))
    shown = console_render(reply, Shown.of([reply]))
    found += problems("console", shown) + [f"console markup: {line!r}" for line in leftover_markup(shown)]
    for choice in reply.choices:
        found += problems("button", choice.label)
        found += [f"button markup: {choice.label!r}" for _ in leftover_markup(choice.label)]
    if reply.image is not None:
        found += problems("caption", reply.image.alt)
    return found


def check_dashboard(board: Dashboard) -> list[str]:
    found: list[str] = []
    view = home_view(board, OWNER, {"help", "study"}).to_dict()
    for block in view["blocks"]:
        text = block.get("text", {}).get("text", "") if isinstance(block.get("text"), dict) else ""
        found += problems("home", text) + [f"home markup: {line!r}" for line in leftover_markup(text)]
    return found


class Recorder(Talker):
    """A talker that keeps every reply it was given."""

    seen: list[Reply]

    async def send(self, inbound):  # type: ignore[no-untyped-def, override]
        replies = await super().send(inbound)
        self.seen.extend(replies)
        return replies

    async def press_index(self, index: int) -> list[Reply]:
        labels = self.labels
        return await self.press(labels[index if index >= 0 else len(labels) + index])


async def long_session(talker: Recorder) -> None:
    await talker.command("start")
    await talker.say("IT infrastructure manager at a bank")
    await talker.say("22")
    await talker.press_index(0)  # the first path in the catalog
    await talker.press_index(1)  # 3 years
    await talker.press_index(1)  # Tuesday
    await talker.press("09:00")
    await talker.say("Seoul")
    await talker.command("help")
    await talker.command("도움말")  # a command that does not exist, typed in Korean
    await talker.command("reflect")
    await talker.say("I could still design a small landing zone without the data centre team.")
    await talker.press("4")
    await talker.command("journal")
    await talker.command("skills")
    for _ in range(12):
        if "5" not in talker.labels:
            break
        await talker.press("2")
    await talker.command("study")
    await talker.say("saa-c03")
    await talker.say("2027-03-01")
    await talker.say("6")
    await talker.press_index(0)  # check in now
    await talker.say("2")
    await talker.press_index(0)  # the first domain
    await talker.press_index(-1)  # done
    await talker.say("65")
    await talker.press_index(0)  # the weakest domain
    await talker.command("progress")
    await talker.command("settings")
    await talker.press_index(-1)  # done
    await talker.command("export")


async def later_weeks(talker: Recorder, database: Database, clock: FakeClock) -> list[Delivery]:
    """Weeks without study (a re-plan offered on the check-in and /study), then the exam passed."""
    behind = await weekly_checkin_round(database, clock, FIRST_CHECKIN + timedelta(weeks=6))
    await talker.command("study")
    replan = [c.label for r in talker.last for c in r.choices if c.action.startswith("plan:")]
    assert replan, "six weeks without study bring a re-plan offer"
    await talker.press(replan[-1])  # keep the plan
    result = await weekly_checkin_round(database, clock, datetime(2027, 3, 2, tzinfo=UTC))
    assert result and result[-1].replies[0].choices
    await talker.press_action(result[-1].replies[0].choices[0].action)  # passed
    await talker.command("skills")
    assert "SAA-C03" in talker.text  # the pass is on the skills profile
    await talker.command("cancel")
    return [*behind, *result]


@pytest.mark.parametrize("language", ["en", "ko"])
async def test_a_long_session_shows_no_ids_and_no_broken_markup_anywhere(
    coach: Coach, database: Database, clock: FakeClock, language: str
) -> None:
    talker = Recorder(coach, person(f"kim-{language}", language=language))
    talker.seen = []
    await long_session(talker)
    checkins = await weekly_checkin_round(database, clock, FIRST_CHECKIN)
    checkins += await later_weeks(talker, database, clock)
    found = [problem for reply in talker.seen for problem in check_reply(reply, language)]
    found += [
        problem
        for delivery in checkins
        for reply in delivery.replies
        for problem in check_reply(reply, language)
    ]
    found += check_dashboard(await coach.dashboard(talker.identity))
    documents = [reply.document for reply in talker.seen if reply.document is not None]
    markdown = [doc for doc in documents if doc.filename.endswith(".md")]
    assert markdown, "the export gave a Markdown file"
    found += problems("export", markdown[0].content.decode("utf-8"))
    assert len(talker.seen) > 40 and checkins
    assert not found, "\n".join(_unique(found))


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def test_the_checks_do_catch_what_they_look_for() -> None:
    bad = Reply("*클라우드 아키텍트*까지 · aws_saa_c03에서 · {role}", choices=())
    found = check_reply(bad, "ko")
    assert any("markup" in p for p in found) and any("aws_saa_c03" in p for p in found)
    assert any("placeholder" in p for p in found)
    assert check_reply(Reply("*Bold* and _italic_ words · snake_case stays · 2*3*4"), "en") == []
