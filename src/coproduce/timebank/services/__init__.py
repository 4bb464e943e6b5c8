"""Writes to the timebank: validated, atomic and audited. Other modules import from here, e.g.
`from coproduce.timebank.services import participation_reward`."""

from .ledger import (
    account_for_organisation,
    account_for_user,
    account_limits_set,
    community_pot,
    donate_to_pot,
    grant_from_pot,
    ledger_message,
    network_limits_set,
    participation_reward,
    transfer_create,
    transfer_reverse,
)

__all__ = [
    "account_for_organisation",
    "account_for_user",
    "account_limits_set",
    "community_pot",
    "donate_to_pot",
    "grant_from_pot",
    "ledger_message",
    "network_limits_set",
    "participation_reward",
    "transfer_create",
    "transfer_reverse",
]
