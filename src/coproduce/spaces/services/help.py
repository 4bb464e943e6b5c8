"""Asking to be helped in person: given and withdrawn by the person themself."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from coproduce.core import audit
from coproduce.people.models import User

from .. import access
from ..models import HelpConsent, Space


@transaction.atomic
def help_consent_set(*, actor: User, space: Space | None, accepts: bool) -> HelpConsent | None:
    """The person themself asks to be helped in person (`accepts`), or stops asking. While they ask,
    the facilitators and hosts of `space` (None: the timebank's coordinators) may record things for them
    (`access.can_act_for`), and each such act is listed on their "Done on my behalf" page.
    Nobody can give or withdraw it for someone else."""
    if not actor.is_authenticated or actor.is_assisted:
        raise PermissionDenied(_("Only the person themself can ask to be helped."))
    if space is not None and not access.has_role(actor, space, access.MEMBER):
        raise PermissionDenied(_("Only members of this space can ask for help in it."))
    # Lock: the same person asking and withdrawing at once (two tabs) must end with what they did last.
    existing = HelpConsent.objects.select_for_update().filter(user=actor, space=space).first()
    where = space.title if space is not None else _("the timebank")
    if accepts and existing is None:
        try:
            with transaction.atomic():
                existing = HelpConsent.objects.create(user=actor, space=space)
        except IntegrityError:  # asked twice at once: the first one stands
            return HelpConsent.objects.get(user=actor, space=space)
        audit.record(
            actor=actor,
            action="help.accepted",
            target=existing,
            space=space,
            summary=_("%(name)s asked to be helped in person in %(where)s") % {"name": actor, "where": where},
        )
    elif not accepts and existing is not None:
        audit.record(
            actor=actor,
            action="help.withdrawn",
            target=existing,
            space=space,
            summary=_("%(name)s stopped asking to be helped in %(where)s") % {"name": actor, "where": where},
        )
        existing.delete()
        existing = None
    return existing
