"""What admins and servers entered, kept apart from the knowledge: audit log, settings, announcements.

The knowledge database is derived from the files and may be deleted; this one is not derived
from anything, so it is never rebuilt or dropped. `open_state` picks the backend from settings.
"""

from bot.state.base import AuditEntry, StateError, StateStore, open_state

__all__ = ["AuditEntry", "StateError", "StateStore", "open_state"]
