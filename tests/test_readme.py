"""The example flow in the README works as printed: one module, registered with the coach, and nothing else."""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType

from coach.core import Coach
from coach.flows import default_flows
from coach.flows.base import Flow
from storage import users
from storage.db import Database
from tests.support import FakeClock, Talker, person

README = Path(__file__).resolve().parents[1] / "README.md"
# What the example's module would import at its top (the README shows the flow itself).
IMPORTS = """
from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from coach.context import FlowContext
from coach.draft import Draft
from coach.flows.base import On, StepFlow
from coach.flows.questions.schedule import CHECKIN_TIME
from coach.i18n import N_
from coach.messages import Reply
"""


def example_flow() -> Flow:
    built = README.read_text(encoding="utf-8").split("## How it is built", 1)[1]
    code = re.search(r"```python\n(.*?)```", built, re.DOTALL)
    assert code is not None, "the README shows an example flow under 'How it is built'"
    module = ModuleType("thisweek")
    exec(compile(IMPORTS + code.group(1), "README.md", "exec"), module.__dict__)
    flow = module.__dict__["flow"]
    assert isinstance(flow, Flow)
    return flow


async def test_the_readme_example_flow_runs_once_registered(database: Database) -> None:
    coach = Coach(database, clock=FakeClock(), flows=[*default_flows(), example_flow()])
    alice = Talker(coach, person("alice"))
    await alice.command("help")
    assert "/thisweek — Set one goal for this week" in alice.text
    await alice.command("thisweek")
    assert "What is the one thing you will do this week?" in alice.text
    await alice.say("Finish the SAA practice exam")
    assert "At what time?" in alice.text
    await alice.press("20:00")
    assert "Noted: Finish the SAA practice exam." in alice.text
    async with database.session() as session:
        identity = await users.find_identity(session, "console", "", "alice")
        assert identity is not None
        user = await users.get_user(session, identity.user_id)
    assert user is not None and user.checkin_hour == 20
