"""Study (/study): certification goals, weekly check-ins, an honest pace, and exam results.

A goal is a certification from the catalog or the user's own, with an exam date (or none yet) and the hours
a week they can give it. A check-in asks the hours since the last one, the exam domains studied and an
optional practice score, then reports the pace. Each answer is stored as soon as it is given: hours typed
before a /cancel are kept.
"""

from __future__ import annotations

import asyncio
import math
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from coach import actions
from coach.catalog import find_certifications
from coach.charts import Panel, picture
from coach.content.schema import Certification
from coach.context import FlowContext
from coach.flows.base import Flow
from coach.hours import parse_hours, parse_score
from coach.i18n import N_
from coach.messages import Choice, Reply
from coach.pace import local_today
from coach.parsing import clean, parse_date
from coach.skills_report import target_roles
from coach.study_report import (
    certification,
    domain_name,
    goal_name,
    goal_pace,
    hours_panel,
    pace_line,
    pace_text,
    scores_panel,
)
from storage import coaching
from storage.models import ExamResult, StudyCheckin, StudyGoal

MAX_WEEKLY_HOURS = 100.0
MAX_TYPICAL_HOURS = 3000.0
MAX_NAME_CHARS = 200
MAX_YEARS_AHEAD = 3
OFFERED_CERTS = 8
WEEKLY_CHOICES = (3, 5, 8, 10)
HOUR_CHOICES = ("0", "1", "2", "3", "5", "8")
TYPICAL_CHOICES = (20, 50, 100, 200)
DONE_WORDS = {"done", "ok", "완료", "끝", "다 했어요", "다했어요"}
NO_WORDS = {"no", "none", "skip", "아니요", "아니오", "없어요", "없음", "건너뛰기"}


class Study(Flow):
    name = "study"
    commands = {"study": N_("Set certification goals, check in on your study, record exam results")}

    async def begin(self, ctx: FlowContext, command: str, args: str) -> list[Reply]:
        ctx.finish()
        ctx.enter(self.name)
        goals = await coaching.active_goals(ctx.session, ctx.user_id)
        if not goals:
            intro = Reply(
                ctx._(
                    "Let's set a study goal. A certification proves your expertise to a new employer, and a steady "
                    "weekly pace is what gets you there."
                )
            )
            return [intro, await self._ask_goal(ctx)]
        return [await self._menu(ctx)]

    # -- the menu ---------------------------------------------------------------------------------
    async def _menu(self, ctx: FlowContext, intro: str = "") -> Reply:
        _ = ctx._
        goals = await coaching.active_goals(ctx.session, ctx.user_id)
        lines = [intro] if intro else []
        lines.append(_("*Your study goals*"))
        for goal in goals:
            checkins = await coaching.checkins_of(ctx.session, goal.id or 0)
            pace = goal_pace(goal, checkins, ctx.content, ctx.user, ctx.now)
            lines.append("• " + pace_line(goal, pace, ctx.content, ctx.t))
        if not goals:
            lines.append(_("No active goals."))
        ctx.remember(goals=[goal.id for goal in goals])
        if len(goals) == 1:
            choices = [(_("Check in"), "c0")]
        else:
            choices = [
                (_("Check in: {goal}").format(goal=goal_name(goal, ctx.content)), f"c{i}")
                for i, goal in enumerate(goals)
            ]
        choices.append((_("New goal"), "new"))
        if goals:
            choices += [(_("Record an exam result"), "result"), (_("Change a goal"), "edit")]
        choices.append((_("Done"), "done"))
        return ctx.ask("menu", "\n".join(lines), choices, ask=None, columns=1)

    async def _menu_choice(self, ctx: FlowContext, value: str) -> list[Reply]:
        _ = ctx._
        if value == "new":
            return [await self._ask_goal(ctx)]
        if value == "done":
            ctx.finish()
            return [Reply(_("Your study goals are saved."), choices=ctx.shortcuts())]
        if value in ("result", "edit"):
            goals = await self._remembered_goals(ctx)
            if len(goals) == 1:
                return await self._goal_action(ctx, value, goals[0])
            ctx.remember(then=value)
            question = _("Which goal?")
            choices = [(goal_name(goal, ctx.content), f"g{i}") for i, goal in enumerate(goals)]
            return [ctx.ask("which_goal", question, choices, ask=None, columns=1)]
        goal = await self._goal_at(ctx, value, "c")
        if goal is not None:
            return [await self._ask_hours(ctx, goal)]
        return [self._choose_please(ctx)]

    async def _remembered_goals(self, ctx: FlowContext) -> list[StudyGoal]:
        goals = []
        for goal_id in ctx.data.get("goals", []):
            goal = (
                await coaching.get_goal(ctx.session, ctx.user_id, goal_id)
                if isinstance(goal_id, int)
                else None
            )
            if goal is not None and goal.status == "active":
                goals.append(goal)
        return goals

    async def _goal_at(self, ctx: FlowContext, value: str, prefix: str) -> StudyGoal | None:
        """The goal a button like ``c1`` points at, if it is still one of the user's active goals."""
        ids = ctx.data.get("goals", [])
        index = value[len(prefix) :]
        if not value.startswith(prefix) or not index.isdigit() or int(index) >= len(ids):
            return None
        goal_id = ids[int(index)]
        goal = (
            await coaching.get_goal(ctx.session, ctx.user_id, goal_id) if isinstance(goal_id, int) else None
        )
        return goal if goal is not None and goal.status == "active" else None

    async def _current_goal(self, ctx: FlowContext) -> StudyGoal | None:
        goal_id = ctx.data.get("goal")
        goal = (
            await coaching.get_goal(ctx.session, ctx.user_id, goal_id) if isinstance(goal_id, int) else None
        )
        return goal if goal is not None and goal.status == "active" else None

    async def _goal_action(self, ctx: FlowContext, action: str, goal: StudyGoal) -> list[Reply]:
        ctx.remember(goal=goal.id)
        if action == "result":
            return [self._ask_outcome(ctx, goal)]
        return [self._ask_edit(ctx, goal)]

    # -- a new goal -------------------------------------------------------------------------------
    async def _ask_goal(self, ctx: FlowContext, *, show_all: bool = False) -> Reply:
        _ = ctx._
        roles = await target_roles(ctx.session, ctx.user_id, ctx.content)
        # A certification serving two of the user's roles is offered once.
        suited = list(
            {cert.key: cert for role in roles for cert in ctx.content.certifications_for(role)}.values()
        )
        if show_all or not suited:
            offer = list(ctx.content.certifications.values())
        else:
            offer = suited[:OFFERED_CERTS]
        ctx.remember(offer=[cert.key for cert in offer])
        text = (
            _("Which certification are you preparing for? Here is the whole catalog.")
            if show_all or not suited
            else _("Which certification are you preparing for? These suit your path.")
        )
        text += "\n" + _("Or type its name or code (e.g. SAA-C03, 정보처리기사), or any exam of your own.")
        choices = [(cert.name, f"k{i}") for i, cert in enumerate(offer)]
        if not (show_all or not suited):
            choices.append((_("Show all"), "all"))
        choices.append((_("My own goal"), "own"))
        return ctx.ask("goal_pick", text, choices, columns=1)

    async def _goal_pick(self, ctx: FlowContext, value: str) -> list[Reply]:
        _ = ctx._
        if value == "all":
            return [await self._ask_goal(ctx, show_all=True)]
        if value == "own":
            return [ctx.ask("custom_name", _("What is the exam or goal called? A few words are enough."))]
        if value == "custom":
            name = ctx.data.get("custom")
            if isinstance(name, str) and name:
                return [self._ask_typical(ctx, name)]
        offer = ctx.data.get("offer", [])
        index = value[1:]
        if value.startswith("k") and index.isdigit() and int(index) < len(offer):
            cert = ctx.content.certifications.get(offer[int(index)])
            if cert is not None:
                return await self._cert_chosen(ctx, cert)
        return [self._choose_please(ctx)]

    async def _goal_typed(self, ctx: FlowContext, text: str) -> list[Reply]:
        _ = ctx._
        typed = clean(text)
        if not typed or len(typed) > MAX_NAME_CHARS:
            return [
                Reply(
                    _("Please name it in under {limit} characters.").format(limit=MAX_NAME_CHARS), ask="short"
                )
            ]
        found = find_certifications(ctx.content, typed)
        if len(found) == 1:
            return await self._cert_chosen(ctx, found[0])
        if found:
            offer = found[:OFFERED_CERTS]
            ctx.remember(offer=[cert.key for cert in offer], custom=typed)
            choices = [(cert.name, f"k{i}") for i, cert in enumerate(offer)]
            choices.append((_("None of these: track “{name}”").format(name=typed[:40]), "custom"))
            return [ctx.ask("goal_pick", _("Which one do you mean?"), choices, columns=1)]
        ctx.remember(custom=typed)
        return [
            ctx.ask(
                "goal_pick",
                _(
                    "“{name}” is not in my catalog, so I don't know its exam domains or typical hours. I can still "
                    "track it as your own goal and pace it by the hours you give it."
                ).format(name=typed),
                [(_("Yes, track it"), "custom"), (_("Show the catalog"), "all")],
                columns=1,
            )
        ]

    async def _cert_chosen(self, ctx: FlowContext, cert: Certification) -> list[Reply]:
        _ = ctx._
        for goal in await coaching.active_goals(ctx.session, ctx.user_id):
            if goal.cert_key == cert.key:
                return [
                    await self._menu(
                        ctx,
                        _("You already have {goal} as a goal; check in on it here.").format(goal=cert.name),
                    )
                ]
        ctx.remember(cert=cert.key, custom=None, typical=None)
        hours = _("Typical preparation: {low}–{high} hours").format(
            low=cert.study_hours_min, high=cert.study_hours_max
        )
        if cert.estimate:
            hours += " " + _("(an estimate)")
        note = f"*{cert.name}* · {cert.issuer}\n{hours}"
        return [Reply(note), self._ask_exam_date(ctx, "exam_date")]

    def _ask_typical(self, ctx: FlowContext, name: str) -> Reply:
        _ = ctx._
        ctx.remember(cert=None, custom=name)
        choices = [(str(n), f"t{n}") for n in TYPICAL_CHOICES] + [(_("Not sure"), "unknown")]
        return ctx.ask(
            "custom_hours",
            _(
                "Roughly how many hours of study does “{name}” take in all? Pick or type a number; “Not sure” is fine."
            ).format(name=name),
            choices,
            columns=5,
        )

    async def _custom_hours(self, ctx: FlowContext, hours: float | None) -> list[Reply]:
        _ = ctx._
        if hours is not None and not 1 <= hours <= MAX_TYPICAL_HOURS:
            return [
                Reply(
                    _("Please give a total between 1 and {limit:g} hours, or tap “Not sure”.").format(
                        limit=MAX_TYPICAL_HOURS
                    ),
                    ask="short",
                )
            ]
        ctx.remember(typical=round(hours) if hours is not None else None)
        return [self._ask_exam_date(ctx, "exam_date")]

    def _ask_exam_date(self, ctx: FlowContext, step: str) -> Reply:
        _ = ctx._
        return ctx.ask(
            step,
            _("When is the exam? Type the date like 2027-03-14, or tap “Not booked yet”."),
            [(_("Not booked yet"), "none")],
        )

    def _read_exam_date(self, ctx: FlowContext, text: str) -> tuple[date | None, Reply | None]:
        _ = ctx._
        when = parse_date(text)
        if when is None:
            return None, Reply(
                _("I could not read that as a date. Type it like 2027-03-14, or tap “Not booked yet”."),
                ask="short",
            )
        today = local_today(ctx.now, _zone(ctx))
        if when < today:
            return None, Reply(
                _(
                    "{date} has already passed. Please give the date of an exam still ahead, or tap “Not booked yet”."
                ).format(date=ctx.t.date(when)),
                ask="short",
            )
        if when.year > today.year + MAX_YEARS_AHEAD:
            return None, Reply(
                _("That is more than three years away. Please pick a nearer date, or tap “Not booked yet”."),
                ask="short",
            )
        return when, None

    def _ask_weekly(self, ctx: FlowContext, step: str) -> Reply:
        _ = ctx._
        return ctx.ask(
            step,
            _("How many hours a week can you give it? Pick one, or type it (e.g. 4.5 or 1h30)."),
            [(_("{n} h").format(n=n), f"w{n}") for n in WEEKLY_CHOICES],
            columns=4,
        )

    def _read_weekly(self, ctx: FlowContext, text: str) -> tuple[float | None, Reply | None]:
        _ = ctx._
        hours = parse_hours(text)
        if hours is None:
            return None, Reply(
                _("I could not read that as hours. Type a number such as 5, 4.5, 90m or 1h30."), ask="short"
            )
        if hours < 0:
            return None, Reply(
                _("Hours can't be negative. How many hours a week can you give it?"), ask="short"
            )
        if hours == 0:
            return None, Reply(
                _("Even one hour a week moves you forward. How many hours can you give it?"), ask="short"
            )
        if hours > MAX_WEEKLY_HOURS:
            return None, Reply(
                _(
                    "More than {limit:g} hours a week is not a plan I can pace honestly. Please give a number up to {limit:g}."
                ).format(limit=MAX_WEEKLY_HOURS),
                ask="short",
            )
        return round(hours, 2), None

    async def _create_goal(self, ctx: FlowContext, weekly: float) -> list[Reply]:
        _ = ctx._
        data = ctx.data
        cert = ctx.content.certifications.get(data.get("cert") or "")
        custom = data.get("custom") if cert is None else None
        if cert is None and not custom:
            return [await self._menu(ctx)]
        exam = date.fromisoformat(data["exam"]) if data.get("exam") else None
        typical = data.get("typical")
        goal = await coaching.add_goal(
            ctx.session,
            StudyGoal(
                user_id=ctx.user_id,
                cert_key=cert.key if cert else None,
                custom_name=custom,
                exam_date=exam,
                weekly_hours=weekly,
                typical_hours_min=cert.study_hours_min if cert else typical,
                typical_hours_max=cert.study_hours_max if cert else typical,
                created_at=ctx.now,
            ),
        )
        ctx.forget("cert", "custom", "typical", "exam")
        ctx.remember(goal=goal.id)
        pace = goal_pace(goal, [], ctx.content, ctx.user, ctx.now)
        text = _("Saved. Here is the plan:") + "\n\n" + pace_text(goal, pace, ctx.content, ctx.t)
        return [ctx.ask("created", text, [(_("Check in now"), "checkin"), (_("Done"), "done")], ask=None)]

    # -- check-in ---------------------------------------------------------------------------------
    async def _ask_hours(self, ctx: FlowContext, goal: StudyGoal) -> Reply:
        _ = ctx._
        ctx.remember(goal=goal.id, checkin=None)
        checkins = await coaching.checkins_of(ctx.session, goal.id or 0)
        since = checkins[-1].at if checkins else goal.created_at
        when = ctx.t.date(since.astimezone(_zone(ctx)).date())
        text = (
            _("How many hours have you studied for *{goal}* since your last check-in ({date})?")
            if checkins
            else _("How many hours have you studied for *{goal}* since you set the goal ({date})?")
        ).format(goal=goal_name(goal, ctx.content), date=when)
        text += "\n" + _("Pick one, or type it: 1.5, 90m, 1h30 and 2시간 all work.")
        return ctx.ask("ci_hours", text, [(_("{n} h").format(n=h), f"h{h}") for h in HOUR_CHOICES], columns=6)

    async def _hours_given(self, ctx: FlowContext, hours: float | None) -> list[Reply]:
        _ = ctx._
        goal = await self._current_goal(ctx)
        if goal is None:
            return [await self._menu(ctx)]
        if hours is None:
            return [
                Reply(
                    _(
                        "Sorry, I couldn't read that as hours. Try a number like 2, 1.5, 90m or 1h30 (or 2시간)."
                    ),
                    ask="short",
                )
            ]
        if hours < 0:
            return [
                Reply(
                    _("Hours can't be negative. How many hours did you study? 0 is a fine answer."),
                    ask="short",
                )
            ]
        checkins = await coaching.checkins_of(ctx.session, goal.id or 0)
        since = checkins[-1].at if checkins else goal.created_at
        weeks = max(1, math.ceil((ctx.now - since) / timedelta(weeks=1)))
        limit = MAX_WEEKLY_HOURS * weeks
        if hours > limit:
            return [
                Reply(
                    _(
                        "{hours:g} hours is more than I can believe since {date} (at most {limit:g}). Please check the number."
                    ).format(hours=hours, date=ctx.t.date(since.astimezone(_zone(ctx)).date()), limit=limit),
                    ask="short",
                )
            ]
        checkin = await coaching.add_checkin(
            ctx.session,
            StudyCheckin(
                user_id=ctx.user_id, goal_id=goal.id or 0, at=ctx.now, hours=round(hours, 2), domains=[]
            ),
        )
        ctx.remember(checkin=checkin.id)
        cert = certification(goal, ctx.content)
        if hours > 0 and cert is not None:
            return [self._ask_domains(ctx, cert, [])]
        return [self._ask_score(ctx)]

    def _ask_domains(self, ctx: FlowContext, cert: Certification, chosen: list[str]) -> Reply:
        _ = ctx._
        choices = [
            (("☑ " if domain.key in chosen else "☐ ") + domain.name.get(ctx.language), f"d{i}")
            for i, domain in enumerate(cert.domains)
        ]
        choices.append((_("Done"), "done"))
        return ctx.ask(
            "ci_domains",
            _("Which exam domains did you study? Tap each one, then Done."),
            choices,
            ask=None,
            columns=1,
        )

    async def _current_checkin(self, ctx: FlowContext) -> StudyCheckin | None:
        checkin_id = ctx.data.get("checkin")
        return (
            await coaching.get_checkin(ctx.session, ctx.user_id, checkin_id)
            if isinstance(checkin_id, int)
            else None
        )

    async def _toggle_domain(self, ctx: FlowContext, value: str) -> list[Reply]:
        goal = await self._current_goal(ctx)
        checkin = await self._current_checkin(ctx)
        cert = certification(goal, ctx.content) if goal else None
        if goal is None or checkin is None or cert is None:
            return [self._choose_please(ctx)]
        if value == "done":
            return [self._ask_score(ctx)]
        index = value[1:]
        if not (value.startswith("d") and index.isdigit() and int(index) < len(cert.domains)):
            return [self._choose_please(ctx)]
        key = cert.domains[int(index)].key
        chosen = list(checkin.domains or [])
        chosen = [k for k in chosen if k != key] if key in chosen else [*chosen, key]
        checkin.domains = chosen  # a new list, so the JSON column is written
        return [self._ask_domains(ctx, cert, chosen)]

    def _ask_score(self, ctx: FlowContext) -> Reply:
        _ = ctx._
        return ctx.ask(
            "ci_score",
            _(
                "Did you take a practice exam since last time? Type your score from 0 to 100 (or like 36/50), or tap No."
            ),
            [(_("No practice exam"), "none")],
        )

    async def _score_given(self, ctx: FlowContext, text: str) -> list[Reply]:
        _ = ctx._
        if clean(text).casefold() in NO_WORDS:
            return await self._finish_checkin(ctx)
        score = parse_score(text)
        if score is None:
            return [
                Reply(
                    _("Please type the score as a number from 0 to 100 (like 72 or 72%), or tap No."),
                    ask="short",
                )
            ]
        if not 0 <= score <= 100:
            return [
                Reply(
                    _("A score goes from 0 to 100. For a score out of something else, type it like 36/50."),
                    ask="short",
                )
            ]
        checkin = await self._current_checkin(ctx)
        goal = await self._current_goal(ctx)
        if checkin is None or goal is None:
            return [await self._menu(ctx)]
        checkin.practice_score = score
        cert = certification(goal, ctx.content)
        if cert is not None and len(cert.domains) > 1:
            choices = [(domain.name.get(ctx.language), f"d{i}") for i, domain in enumerate(cert.domains)]
            choices.append((_("Not sure"), "none"))
            return [
                ctx.ask(
                    "ci_weak",
                    _("Which domain did that practice exam show as your weakest?"),
                    choices,
                    ask=None,
                    columns=1,
                )
            ]
        return await self._finish_checkin(ctx)

    async def _weak_given(self, ctx: FlowContext, value: str) -> list[Reply]:
        goal = await self._current_goal(ctx)
        checkin = await self._current_checkin(ctx)
        cert = certification(goal, ctx.content) if goal else None
        if checkin is None or cert is None:
            return [self._choose_please(ctx)]
        index = value[1:]
        if value.startswith("d") and index.isdigit() and int(index) < len(cert.domains):
            checkin.weakest_domain = cert.domains[int(index)].key
        elif value != "none":
            return [self._choose_please(ctx)]
        return await self._finish_checkin(ctx)

    async def _finish_checkin(self, ctx: FlowContext) -> list[Reply]:
        _ = ctx._
        goal = await self._current_goal(ctx)
        if goal is None:
            return [await self._menu(ctx)]
        await ctx.session.flush()
        checkins = await coaching.checkins_of(ctx.session, goal.id or 0)
        pace = goal_pace(goal, checkins, ctx.content, ctx.user, ctx.now)
        text = _("Checked in. Here is your pace:") + "\n\n" + pace_text(goal, pace, ctx.content, ctx.t)
        panels: list[Panel] = [hours_panel([goal], checkins, ctx.user, ctx.now)]
        scores = scores_panel([goal], {goal.id or 0: checkins}, ctx.content, ctx.user)
        if scores is not None:
            panels.append(scores)
        image = await asyncio.to_thread(picture, panels, ctx.t)
        ctx.finish()
        return [
            Reply(text),
            Reply(
                _("Your study hours for {goal}.").format(goal=goal_name(goal, ctx.content)),
                image=image,
                choices=(
                    Choice(_("My study goals"), actions.shortcut("study")),
                    Choice(_("See my progress"), actions.shortcut("progress")),
                ),
            ),
        ]

    # -- exam results -----------------------------------------------------------------------------
    def _ask_outcome(self, ctx: FlowContext, goal: StudyGoal) -> Reply:
        _ = ctx._
        return ctx.ask(
            "result_outcome",
            _("How did the exam for {goal} go?").format(goal=goal_name(goal, ctx.content)),
            [(_("Passed"), "pass"), (_("Not this time"), "fail")],
            ask=None,
        )

    async def _outcome(self, ctx: FlowContext, value: str) -> list[Reply]:
        _ = ctx._
        if value not in ("pass", "fail"):
            return [self._choose_please(ctx)]
        ctx.remember(passed=value == "pass")
        return [
            ctx.ask(
                "result_score",
                _("What was your score? Type it as a percentage or as printed, e.g. 780/1000; or tap Skip."),
                [(_("Skip"), "skip")],
            )
        ]

    async def _result_score(self, ctx: FlowContext, text: str) -> list[Reply]:
        _ = ctx._
        if clean(text).casefold() in NO_WORDS:
            return await self._save_result(ctx, None)
        score = parse_score(text)
        if score is None or not 0 <= score <= 100:
            return [
                Reply(
                    _(
                        "Please type the score as a percentage from 0 to 100, or as printed with its maximum, like "
                        "780/1000. Or tap Skip."
                    ),
                    ask="short",
                )
            ]
        return await self._save_result(ctx, score)

    async def _save_result(self, ctx: FlowContext, score: float | None) -> list[Reply]:
        _ = ctx._
        goal = await self._current_goal(ctx)
        if goal is None:
            return [await self._menu(ctx)]
        passed = bool(ctx.data.get("passed"))
        await coaching.add_exam_result(
            ctx.session,
            ExamResult(
                user_id=ctx.user_id, goal_id=goal.id or 0, passed=passed, score=score, recorded_at=ctx.now
            ),
        )
        name = goal_name(goal, ctx.content)
        if passed:
            goal.status, goal.closed_at = "passed", ctx.now
            ctx.finish()
            return [await self._after_pass(ctx, goal, name)]
        checkins = await coaching.checkins_of(ctx.session, goal.id or 0)
        pace = goal_pace(goal, checkins, ctx.content, ctx.user, ctx.now)
        goal.exam_date = None  # the goal stays active for the retake
        lines = [
            _(
                "That is hard news, and it is common: many people pass on their second sitting. Your {hours:g} hours "
                "still count, and the goal stays open."
            ).format(hours=pace.hours_done)
        ]
        if pace.weakest is not None:
            lines.append(
                _("Start the retake with {domain}: it was your weakest domain.").format(
                    domain=domain_name(goal, ctx.content, pace.weakest.key, ctx.language)
                )
            )
        lines.append(_("When you are ready, set a retake date."))
        return [
            ctx.ask(
                "after_fail",
                "\n\n".join(lines),
                [(_("Set a retake date"), "date"), (_("Later"), "done")],
                ask=None,
            )
        ]

    async def _after_pass(self, ctx: FlowContext, goal: StudyGoal, name: str) -> Reply:
        _ = ctx._
        lines = [
            _("Congratulations on passing {goal}! That is proof a new employer can check.").format(goal=name)
        ]
        taken = {g.cert_key for g in await coaching.all_goals(ctx.session, ctx.user_id) if g.cert_key}
        roles = await target_roles(ctx.session, ctx.user_id, ctx.content)
        passed_cert = certification(goal, ctx.content)
        candidates = [
            cert for role in roles for cert in ctx.content.certifications_for(role) if cert.key not in taken
        ]
        if passed_cert is not None:
            # The natural next step is often the same issuer's next level.
            candidates.sort(
                key=lambda c: (
                    c.issuer != passed_cert.issuer,
                    c.study_hours_min < passed_cert.study_hours_min,
                )
            )
        following = list({cert.key: cert for cert in candidates}.values())[:3]
        if following:
            lines.append(_("What next? Certifications for your path you have not taken yet:"))
            lines += [
                "• "
                + _("{cert} ({issuer}, about {low}–{high} hours)").format(
                    cert=cert.name, issuer=cert.issuer, low=cert.study_hours_min, high=cert.study_hours_max
                )
                for cert in following
            ]
        lines.append(
            _("Also worth doing now: rate your skills again with /skills to see what the exam changed.")
        )
        return Reply(
            "\n".join(lines),
            choices=(
                Choice(_("New study goal"), actions.shortcut("study")),
                Choice(_("Rate my skills"), actions.shortcut("skills")),
            ),
        )

    # -- changing a goal --------------------------------------------------------------------------
    def _ask_edit(self, ctx: FlowContext, goal: StudyGoal) -> Reply:
        _ = ctx._
        return ctx.ask(
            "edit_what",
            _("What would you like to change for {goal}?").format(goal=goal_name(goal, ctx.content)),
            [
                (_("Exam date"), "date"),
                (_("Hours per week"), "weekly"),
                (_("Stop this goal"), "drop"),
                (_("Back"), "back"),
            ],
            ask=None,
            columns=2,
        )

    async def _edit_choice(self, ctx: FlowContext, value: str) -> list[Reply]:
        _ = ctx._
        goal = await self._current_goal(ctx)
        if goal is None or value == "back":
            return [await self._menu(ctx)]
        if value == "date":
            return [self._ask_exam_date(ctx, "edit_date")]
        if value == "weekly":
            return [self._ask_weekly(ctx, "edit_weekly")]
        if value == "drop":
            goal.status, goal.closed_at = "dropped", ctx.now
            return [
                await self._menu(
                    ctx,
                    _("Stopped {goal}. Its check-ins stay in your history.").format(
                        goal=goal_name(goal, ctx.content)
                    ),
                )
            ]
        return [self._choose_please(ctx)]

    async def _set_exam_date(self, ctx: FlowContext, when: date | None) -> list[Reply]:
        _ = ctx._
        goal = await self._current_goal(ctx)
        if goal is None:
            return [await self._menu(ctx)]
        goal.exam_date = when
        return [await self._menu(ctx, _("Saved."))]

    # -- events -----------------------------------------------------------------------------------
    async def on_choice(self, ctx: FlowContext, value: str) -> list[Reply]:
        step = ctx.state.step
        if step == "menu":
            return await self._menu_choice(ctx, value)
        if step == "which_goal":
            goal = await self._goal_at(ctx, value, "g")
            if goal is not None:
                return await self._goal_action(ctx, ctx.data.get("then", "edit"), goal)
        elif step == "goal_pick":
            return await self._goal_pick(ctx, value)
        elif step == "custom_hours":
            if value == "unknown":
                return await self._custom_hours(ctx, None)
            if value.startswith("t") and value[1:].isdigit() and int(value[1:]) in TYPICAL_CHOICES:
                return await self._custom_hours(ctx, float(value[1:]))
        elif step in ("exam_date", "edit_date") and value == "none":
            if step == "edit_date":
                return await self._set_exam_date(ctx, None)
            ctx.remember(exam=None)
            return [self._ask_weekly(ctx, "weekly")]
        elif step in ("weekly", "edit_weekly") and value.startswith("w") and value[1:].isdigit():
            if int(value[1:]) in WEEKLY_CHOICES:
                return await self._weekly_given(ctx, step, float(value[1:]))
        elif step == "created":
            goal = await self._current_goal(ctx)
            if value == "checkin" and goal is not None:
                return [await self._ask_hours(ctx, goal)]
            if value == "done":
                ctx.finish()
                return [Reply(ctx._("Your study goals are saved."), choices=ctx.shortcuts())]
        elif step == "ci_hours":
            if value.startswith("h") and value[1:] in HOUR_CHOICES:
                return await self._hours_given(ctx, float(value[1:]))
        elif step == "ci_domains":
            return await self._toggle_domain(ctx, value)
        elif step == "ci_score" and value == "none":
            return await self._finish_checkin(ctx)
        elif step == "ci_weak":
            return await self._weak_given(ctx, value)
        elif step == "result_outcome":
            return await self._outcome(ctx, value)
        elif step == "result_score" and value == "skip":
            return await self._save_result(ctx, None)
        elif step == "after_fail":
            if value == "date":
                return [self._ask_exam_date(ctx, "edit_date")]
            if value == "done":
                ctx.finish()
                return [Reply(ctx._("Your study goals are saved."), choices=ctx.shortcuts())]
        elif step == "edit_what":
            return await self._edit_choice(ctx, value)
        return [self._choose_please(ctx)]

    async def _weekly_given(self, ctx: FlowContext, step: str, hours: float) -> list[Reply]:
        if step == "weekly":
            return await self._create_goal(ctx, hours)
        goal = await self._current_goal(ctx)
        if goal is None:
            return [await self._menu(ctx)]
        goal.weekly_hours = hours
        return [await self._menu(ctx, ctx._("Saved."))]

    async def on_text(self, ctx: FlowContext, text: str) -> list[Reply]:
        step = ctx.state.step
        if step == "goal_pick":
            return await self._goal_typed(ctx, text)
        if step == "custom_name":
            name = clean(text)
            if not name or len(name) > MAX_NAME_CHARS:
                return [
                    Reply(
                        ctx._("Please name it in under {limit} characters.").format(limit=MAX_NAME_CHARS),
                        ask="short",
                    )
                ]
            return [self._ask_typical(ctx, name)]
        if step == "custom_hours":
            if clean(text).casefold() in NO_WORDS | {"not sure", "모르겠어요", "몰라요"}:
                return await self._custom_hours(ctx, None)
            hours = parse_hours(text)
            if hours is None:
                return [
                    Reply(ctx._("Please type a number of hours, like 60, or tap “Not sure”."), ask="short")
                ]
            return await self._custom_hours(ctx, hours)
        if step in ("exam_date", "edit_date"):
            when, problem = self._read_exam_date(ctx, text)
            if problem is not None:
                return [problem]
            if step == "edit_date":
                return await self._set_exam_date(ctx, when)
            ctx.remember(exam=when.isoformat() if when else None)
            return [self._ask_weekly(ctx, "weekly")]
        if step in ("weekly", "edit_weekly"):
            weekly, problem = self._read_weekly(ctx, text)
            if problem is not None or weekly is None:
                return [problem or self._choose_please(ctx)]
            return await self._weekly_given(ctx, step, weekly)
        if step == "ci_hours":
            return await self._hours_given(ctx, parse_hours(text))
        if step == "ci_domains" and clean(text).casefold() in DONE_WORDS:
            return await self._toggle_domain(ctx, "done")
        if step == "ci_score":
            return await self._score_given(ctx, text)
        if step == "result_score":
            return await self._result_score(ctx, text)
        return [self._choose_please(ctx)]


def _zone(ctx: FlowContext) -> ZoneInfo:
    return ZoneInfo(ctx.user.timezone)


flow = Study()
