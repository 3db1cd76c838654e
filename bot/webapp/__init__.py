"""The dashboard app ("My second career"): a Telegram Mini App served beside ``/healthz``."""

from bot.webapp.server import WebApp

__all__ = ["WebApp"]
