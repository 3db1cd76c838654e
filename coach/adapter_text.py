"""Words a chat adapter shows around the coach's replies: the button that opens a text box, the box's
title, a refusal for someone else's button, a pointer out of a group chat. They live in the catalogs like
every other user-facing text; adapters translate them with :func:`coach.i18n.translator` in the person's
language.
"""

from __future__ import annotations

from coach.i18n import N_

WRITE_ANSWER = N_("Write your answer")
ANSWER_TITLE = N_("Your answer")  # a modal's title: Slack allows 24 characters
ANSWER_LABEL = N_("Your answer, in your own words")
SAVE = N_("Save")
CANCEL = N_("Cancel")
EMPTY_ANSWER = N_("Please write a few words first.")
NOT_YOURS = N_("That button belongs to someone else's conversation, so nothing was changed.")
ANSWERED_IN_DM = N_("I replied in our direct messages with Encore.")
FAILED = N_("Sorry, something went wrong on my side and that last step was not saved. Please try again.")
PRIVATE_CHAT_ONLY = N_(
    "I coach one to one only, because what you tell me is private. Write to me directly: {link}"
)
TEXT_ONLY = N_("I can only read text. Please type your answer, or send /help to see what I can do.")

# The terminal console.
CONSOLE_WELCOME = N_("Encore console — type /start to begin, /help for commands, /quit to leave.")
CONSOLE_AWAY = N_("While the console was closed, I sent you this:")
CONSOLE_SWITCH = N_("You are writing in Korean. Shall I speak Korean from now on?")
CONSOLE_SWITCH_YES = N_("Yes, in Korean")
CONSOLE_SWITCH_NO = N_("No, keep English")
CONSOLE_SWITCHED = N_("From now on I'll speak Korean. (/settings changes the language at any time.)")
# What Telegram shows about the bot: in an empty chat ("What can this bot do?", at most 512 characters)
# and on its profile and in shared links (at most 120).
BOT_DESCRIPTION = N_(
    "Encore is a private coach for your second career. Each week it helps you take one honest step: a "
    "short reflection, the gap to the role you want, and your certification study kept on pace. Check-ins "
    "come in your own time zone, and what you write stays yours (/export, /delete). Press Start to set up "
    "your profile in about three minutes."
)
BOT_SHORT_DESCRIPTION = N_(
    "A private weekly coach for your second career: reflection, skills gap and study pace."
)
