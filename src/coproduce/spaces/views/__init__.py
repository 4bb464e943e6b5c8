"""Space pages, one module per group of pages. Each view: parse → access → service → render."""

from .help import entry_dispute, on_my_behalf
from .home import home
from .joining import decide, invitation, invitation_revoke, invitations, join, requests, withdraw
from .members import assisted_add, claim_handout, claim_link, leave, member_edit, member_remove, members
from .partnerships import partnership_decide, partnership_end
from .spaces import create, detail, directory, edit, history, stage_edit

__all__ = [
    "assisted_add",
    "claim_handout",
    "claim_link",
    "create",
    "decide",
    "detail",
    "directory",
    "edit",
    "history",
    "home",
    "invitation",
    "invitation_revoke",
    "invitations",
    "join",
    "leave",
    "member_edit",
    "member_remove",
    "members",
    "entry_dispute",
    "on_my_behalf",
    "partnership_decide",
    "partnership_end",
    "requests",
    "stage_edit",
    "withdraw",
]
