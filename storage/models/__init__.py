"""Every table Encore stores. Importing this package registers them all on ``SQLModel.metadata``."""

from storage.models.core import ConversationState, Identity, JournalEntry, Profile, User

__all__ = ["ConversationState", "Identity", "JournalEntry", "Profile", "User"]
