"""Reads for the timebank: balances, histories, listings, matches, exports and the coordinators' dashboard.
They never write."""

from .dashboard import Dashboard, dashboard
from .exchanges import disputes, exchanges_for, waiting_for
from .exports import balances_csv, exchanges_csv, import_template, statement_csv
from .home import waiting_items
from .ledger import GiveAndReceive, amounts, corrected_among, give_and_receive, history, space_hours, verify
from .listings import Match, category_by_slug, listings, matches_for
from .members import (
    account_of,
    member_records,
    members,
    network_section,
    network_settings,
    pending_members,
    profile_timebank,
)

__all__ = [
    "Dashboard",
    "GiveAndReceive",
    "Match",
    "account_of",
    "amounts",
    "balances_csv",
    "category_by_slug",
    "corrected_among",
    "dashboard",
    "disputes",
    "exchanges_csv",
    "exchanges_for",
    "give_and_receive",
    "history",
    "import_template",
    "listings",
    "matches_for",
    "member_records",
    "members",
    "network_section",
    "network_settings",
    "pending_members",
    "profile_timebank",
    "space_hours",
    "statement_csv",
    "verify",
    "waiting_for",
    "waiting_items",
]
