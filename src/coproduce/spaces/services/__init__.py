"""Every change to spaces, memberships and stages: validated, atomic and audited.

One module per thing changed; everything is re-exported here, so `from coproduce.spaces import services`
and `services.space_create(...)` keep working.
"""

from .help import entry_dispute, help_consent_set
from .invitations import invitation_accept, invitation_create, invitation_revoke
from .join_requests import join_request_create, join_request_decide, join_request_withdraw
from .memberships import (
    IssuedClaim,
    _membership_add,
    assisted_person_add,
    claim_link_create,
    membership_end,
    membership_update,
)
from .partnerships import partnership_decide, partnership_end
from .spaces import space_create, space_update, stage_update

__all__ = [
    "IssuedClaim",
    "_membership_add",
    "assisted_person_add",
    "claim_link_create",
    "entry_dispute",
    "help_consent_set",
    "invitation_accept",
    "invitation_create",
    "invitation_revoke",
    "join_request_create",
    "join_request_decide",
    "join_request_withdraw",
    "membership_end",
    "membership_update",
    "partnership_decide",
    "partnership_end",
    "space_create",
    "space_update",
    "stage_update",
]
