"""Invitation links: made and withdrawn by hosts, used by the people they are given to."""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core import audit
from coproduce.people.models import User

from .. import access
from ..models import Invitation, JoinRequest, Membership, Role, Space
from ..selectors import invitation_for_token
from .memberships import _membership_add


@transaction.atomic
def invitation_create(
    *, actor: User, space: Space, role: str = Role.MEMBER, note: str = "", days: int = 14, max_uses: int = 1
) -> tuple[Invitation, str]:
    """Returns the invitation and its token, which is shown once and never stored."""
    if not access.has_role(actor, space, access.HOST):
        raise PermissionDenied(_("Only a host can invite people."))
    if not 1 <= days <= 90:
        raise ValidationError({"days": _("An invitation can last from 1 to 90 days.")})
    if not 1 <= max_uses <= 500:
        raise ValidationError({"max_uses": _("An invitation can be used by 1 to 500 people.")})
    token = secrets.token_urlsafe(24)
    invitation = Invitation(
        space=space,
        token_hash=Invitation.hash(token),
        role=role,
        note=note.strip(),
        created_by=actor,
        expires_at=timezone.now() + dt.timedelta(days=days),
        max_uses=max_uses,
    )
    invitation.full_clean()
    invitation.save()
    audit.record(
        actor=actor,
        action="invitation.created",
        target=invitation,
        space=space,
        summary=_("Invitation link made for %(uses)s people as %(role)s")
        % {"uses": max_uses, "role": invitation.get_role_display()},
    )
    return invitation, token


@transaction.atomic
def invitation_accept(*, actor: User, token: str, perspective: str) -> Membership:
    invitation = invitation_for_token(token)
    if invitation is None:
        raise ValidationError(
            _("This invitation link has expired or has already been used. Ask the host for a new one.")
        )
    space = invitation.space
    if access.membership_of(actor, space):
        raise ValidationError(_("You are already a member of this space."))
    # Conditional update: two people using the last place at once must not both get in.
    taken = Invitation.objects.filter(pk=invitation.pk, uses__lt=invitation.max_uses, revoked=False).update(
        uses=invitation.uses + 1
    )
    if not taken:
        raise ValidationError(
            _("This invitation link has expired or has already been used. Ask the host for a new one.")
        )
    JoinRequest.objects.filter(space=space, user=actor, status=JoinRequest.Status.PENDING).update(
        status=JoinRequest.Status.WITHDRAWN
    )
    return _membership_add(
        actor=actor, space=space, user=actor, role=invitation.role, perspective=perspective
    )


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> None:
    if not access.has_role(actor, invitation.space, access.HOST):
        raise PermissionDenied
    if invitation.revoked:
        return
    invitation.revoked = True
    invitation.save(update_fields=["revoked"])
    audit.record(
        actor=actor,
        action="invitation.revoked",
        target=invitation,
        space=invitation.space,
        summary=_("Invitation link withdrawn"),
    )
