"""Every change to conversations: validated, atomic and audited (see the modules for each part)."""

from .analysis import analysis_compute
from .conversations import conversation_create, conversation_update, seed_add
from .moderation import statement_moderate
from .polis import polis_export, polis_import
from .voting import analysis_wanted, participant_of, statement_add, vote_cast, votes_enter

__all__ = [
    "analysis_compute",
    "analysis_wanted",
    "conversation_create",
    "conversation_update",
    "participant_of",
    "polis_export",
    "polis_import",
    "seed_add",
    "statement_add",
    "statement_moderate",
    "vote_cast",
    "votes_enter",
]
