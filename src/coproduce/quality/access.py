"""Who may see and do what with a space's quality check, decided once here and asked by the pages, the
services and the API.

- The check, the records behind its numbers and the self-assessments are seen by whoever may see the space
  (a public space's check is public; a private space's is its members' only: 404 for everyone else). Names in
  the lists of records are shown only where `spaces.access.shows_names` says so.
- Asking for the check to be worked out again, stating the community mix and recording a self-assessment
  round (agreed by members together) are for hosts and facilitators: 403 for other members.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from coproduce.spaces import access as space_access
from coproduce.spaces.access import Decision, require, require_role, shows_names  # noqa: F401
from coproduce.spaces.models import Space

ALLOWED = Decision(True)


def get_space_for(user, slug: str) -> Space:
    """The space whose check `user` may see; Http404 otherwise."""
    return space_access.get_space_for(user, slug)


def can_manage(user, space: Space) -> Decision:
    if space_access.has_role(user, space, space_access.FACILITATOR):
        return ALLOWED
    return Decision(False, _("Only hosts and facilitators can do this."), role=True)


def can_state_mix(user, space: Space) -> Decision:
    if space_access.has_role(user, space, space_access.HOST):
        return ALLOWED
    return Decision(False, _("Only hosts can state the community the space serves."), role=True)
