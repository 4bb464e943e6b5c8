"""Writes to the timebank: validated, atomic and audited. Other modules import from here, e.g.
`from coproduce.timebank.services import participation_reward`."""

from .csv_io import balances_csv, exchanges_csv, history_import, import_template, statement_csv
from .exchanges import (
    confirmation_required_set,
    exchange_cancel,
    exchange_confirm,
    exchange_dispute,
    exchange_record,
    exchange_resolve,
)
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
from .listings import listing_create, listing_update
from .members import coordinator_set, member_decide, member_join, member_note_set, member_preferences_set

__all__ = [
    "account_for_organisation",
    "account_for_user",
    "account_limits_set",
    "balances_csv",
    "community_pot",
    "confirmation_required_set",
    "coordinator_set",
    "donate_to_pot",
    "exchange_cancel",
    "exchange_confirm",
    "exchange_dispute",
    "exchange_record",
    "exchange_resolve",
    "exchanges_csv",
    "grant_from_pot",
    "history_import",
    "import_template",
    "ledger_message",
    "listing_create",
    "listing_update",
    "member_decide",
    "member_join",
    "member_note_set",
    "member_preferences_set",
    "network_limits_set",
    "participation_reward",
    "statement_csv",
    "transfer_create",
    "transfer_reverse",
]
