"""The optional AI coach: an OpenAI-compatible model that answers what a user wrote, when they agreed.

- :mod:`coach.ai.model`: the chat client (the ``openai`` SDK), behind the small :class:`ChatModel` protocol.
- :mod:`coach.ai.brief`: the grounded brief — only this user's words and record, in their language.
- :mod:`coach.ai.check`: what the model wrote is checked (length, language, links, figures) before it is
  shown; anything that fails leaves the curated text in place.
- :mod:`coach.ai.assistant`: the service flows use; consent, and the answer handed to adapters to run
  outside the event's database transaction (:class:`coach.messages.Later`).
"""
