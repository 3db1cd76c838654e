"""Encore's coach: platform-neutral flows, content and schedule math."""
