"""What a Slack request must look like before slack-bolt and our listeners read it.

A signed request comes from Slack, but its body is still input: a field of the wrong type would reach
bolt's context extraction or a listener and fail there with a 500 and a traceback. Each kind of request
Encore handles is checked here against the fields bolt and the listeners read (types, and ids short and
plain enough to store); anything else is refused as malformed.
"""

from __future__ import annotations

import json
import logging
from typing import Annotated, Any, Literal
from urllib.parse import parse_qsl

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from slack_bolt.context import BoltContext
from slack_bolt.request.internals import build_context

log = logging.getLogger(__name__)

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
ID_PATTERN = r"^[A-Za-z0-9._-]{1,64}$"

SlackId = Annotated[str, StringConstraints(pattern=ID_PATTERN)]


class MalformedRequest(ValueError):
    """A signed request whose body is not one Slack sends; the message says what is wrong (no content)."""


class _Shape(BaseModel):
    model_config = ConfigDict(strict=True, extra="allow")


class _Ref(_Shape):
    id: SlackId


class _User(_Ref):
    team_id: SlackId | None = None


class _Team(_Ref):
    enterprise_id: SlackId | None = None


class _Text(_Shape):
    text: str


class _Action(_Shape):
    action_id: str
    block_id: str | None = None
    value: str | None = None
    text: _Text | None = None


class _Message(_Shape):
    ts: str | None = None
    text: str | None = None
    blocks: list[dict[str, Any]] | None = None


class _Container(_Shape):
    type: str | None = None
    is_ephemeral: bool | None = None


class _InputValue(_Shape):
    value: str | None = None


class _ViewState(_Shape):
    values: dict[str, dict[str, _InputValue]] = {}


class _View(_Shape):
    id: str | None = None
    callback_id: str | None = None
    private_metadata: str | None = None
    team_id: SlackId | None = None
    app_installed_team_id: SlackId | None = None
    state: _ViewState | None = None


class SlashCommand(_Shape):
    command: str
    team_id: SlackId
    user_id: SlackId
    response_url: str
    text: str = ""
    channel_id: SlackId | None = None
    enterprise_id: SlackId | None = None
    trigger_id: str | None = None


class _Interaction(_Shape):
    user: _User
    team: _Team | None = None
    enterprise: _Ref | SlackId | None = None
    response_url: str | None = None
    trigger_id: str | None = None


class BlockActions(_Interaction):
    type: Literal["block_actions"]
    actions: list[_Action] = Field(min_length=1)
    container: _Container | None = None
    channel: _Ref | None = None
    message: _Message | None = None
    view: _View | None = None


class ViewSubmission(_Interaction):
    type: Literal["view_submission"]
    view: _View


class _Event(_Shape):
    type: str
    user: SlackId | None = None
    channel: SlackId | None = None
    channel_type: str | None = None
    text: str | None = None
    subtype: str | None = None
    bot_id: str | None = None
    tab: str | None = None
    team: SlackId | None = None
    user_team: SlackId | None = None


class EventCallback(_Shape):
    type: Literal["event_callback"]
    team_id: SlackId
    event_id: SlackId
    event: _Event
    enterprise_id: SlackId | None = None
    authorizations: list[dict[str, Any]] | None = None


class UrlVerification(_Shape):
    type: Literal["url_verification"]
    challenge: str


class AppRateLimited(_Shape):
    type: Literal["app_rate_limited"]
    team_id: SlackId | None = None


# Which kinds come how: interactions as a form field "payload", events as a JSON body. Encore handles
# these kinds only; any other (or one in the wrong envelope, or a "command" outside a form) is refused.
_PAYLOADS: dict[str, type[_Shape]] = {"block_actions": BlockActions, "view_submission": ViewSubmission}
_EVENTS: dict[str, type[_Shape]] = {
    "event_callback": EventCallback,
    "url_verification": UrlVerification,
    "app_rate_limited": AppRateLimited,
}


def parse(body: str, content_type: str) -> dict[str, Any]:
    """The request as bolt will see it, checked; raises :class:`MalformedRequest` for anything else."""
    if content_type == JSON:
        document = _json(body)
        shape = _kind(document, _EVENTS)
    elif content_type == FORM:
        fields = dict(parse_qsl(body, keep_blank_values=True))
        if "ssl_check" in fields:
            return fields
        if "payload" in fields:
            document = _json(fields["payload"])
            shape = _kind(document, _PAYLOADS)
        elif "command" in fields:
            document, shape = dict(fields), SlashCommand
        else:
            raise MalformedRequest("a form with neither a payload nor a command")
    else:
        raise MalformedRequest(f"content type {content_type[:40]!r}")
    try:
        shape.model_validate(document)
        _check_context(document)
    except ValidationError as error:
        where = ".".join(str(part) for part in error.errors()[0]["loc"])
        raise MalformedRequest(f"{document.get('type') or 'command'}: {where}") from None
    return document


def _kind(document: dict[str, Any], kinds: dict[str, type[_Shape]]) -> type[_Shape]:
    kind = document.get("type")
    if "command" in document or not isinstance(kind, str) or kind not in kinds:
        raise MalformedRequest(f"a request of kind {str(kind)[:40]!r} in this envelope")
    return kinds[kind]


def _json(text: str) -> dict[str, Any]:
    try:
        document = json.loads(text)
    except ValueError:
        raise MalformedRequest("not JSON") from None
    if not isinstance(document, dict):
        raise MalformedRequest("JSON that is not an object")
    return document


class _Context(_Shape):
    """The ids bolt puts in a listener's context: each one a plain Slack id, or absent."""

    enterprise_id: SlackId | None = None
    team_id: SlackId | None = None
    user_id: SlackId | None = None
    channel_id: SlackId | None = None
    actor_user_id: SlackId | None = None
    actor_team_id: SlackId | None = None
    actor_enterprise_id: SlackId | None = None
    response_url: str | None = None


def _check_context(document: dict[str, Any]) -> None:
    """Run bolt's own context extraction on the body: it must not fail, and what it finds must be ids.

    Bolt's middleware also reads ``body.get("event", {})`` of every request, whatever its kind.
    """
    if not isinstance(document.get("event", {}), dict):
        raise MalformedRequest("an event that is not an object")
    try:
        context = build_context(BoltContext(logger=log), document)
    except (AttributeError, TypeError, KeyError, IndexError, ValueError):
        raise MalformedRequest("fields of the wrong type") from None
    found = {key: context.get(key) for key in _Context.model_fields}
    _Context.model_validate({key: value for key, value in found.items() if value is not None})


def delivery_key(document: dict[str, Any], signature: str) -> str | None:
    """What identifies one delivery: the event id of an event (Slack retries it under a new signature),
    the signature of anything else (a replay repeats it). ``None``: nothing to remember (a URL check)."""
    if document.get("type") == "event_callback":
        return f"slack:event:{document['team_id']}:{document['event_id']}"
    if document.get("type") == "url_verification" or "ssl_check" in document:
        return None
    return f"slack:signature:{signature.removeprefix('v0=')}"
