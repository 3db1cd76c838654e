"""Every table Encore stores. Importing this package registers them all on ``SQLModel.metadata``."""

from storage.models.core import ConversationState, Identity, JournalEntry, Profile, User
from storage.models.trust import ActiveWeek, LinkCode

__all__ = ["ActiveWeek", "ConversationState", "Identity", "JournalEntry", "LinkCode", "Profile", "User"]
