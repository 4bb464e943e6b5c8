"""Writes to the timebank: validated, atomic and audited. Reads are in `selectors`. Other modules do not
import from here: they call the "reward_participation" hook of the timebank's manifest (see apps.py)."""

from .accounts import (
    account_for_organisation,
    account_for_user,
    account_limits_set,
    accounts_for,
    community_pot,
)
from .exchanges import (
    exchange_cancel,
    exchange_confirm,
    exchange_dispute,
    exchange_record,
    exchange_resolve,
)
from .imports import history_import
from .ledger import (
    donate_to_pot,
    grant_from_pot,
    ledger_message,
    participation_reward,
    transfer_create,
    transfer_reverse,
)
from .listings import listing_create, listing_update
from .members import coordinator_set, member_decide, member_join, member_note_set, member_preferences_set
from .network import confirmation_required_set, network_limits_set, network_settings_set

__all__ = [
    "account_for_organisation",
    "account_for_user",
    "account_limits_set",
    "accounts_for",
    "community_pot",
    "confirmation_required_set",
    "coordinator_set",
    "donate_to_pot",
    "exchange_cancel",
    "exchange_confirm",
    "exchange_dispute",
    "exchange_record",
    "exchange_resolve",
    "grant_from_pot",
    "history_import",
    "ledger_message",
    "listing_create",
    "listing_update",
    "member_decide",
    "member_join",
    "member_note_set",
    "member_preferences_set",
    "network_limits_set",
    "network_settings_set",
    "participation_reward",
    "transfer_create",
    "transfer_reverse",
]
