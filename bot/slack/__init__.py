"""Encore's Slack app (slack-bolt): see :mod:`bot.slack.adapter`."""

from bot.slack.adapter import SlackAdapter

__all__ = ["SlackAdapter"]
