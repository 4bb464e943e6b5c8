"""Memberships: joining, changing a role or perspective, leaving; people who take part with help."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from coproduce.core import audit
from coproduce.lib import codes
from coproduce.people.models import CLAIM_LIFETIME, ClaimCode, User, hash_code, hash_token

from .. import access
from ..models import HelpConsent, Membership, MembershipChange, Role, Space
from .telling import tell


def _on_behalf(actor: User | None, user: User) -> User | None:
    """A change to an assisted person's membership made by someone else is made on their behalf."""
    return user if user.is_assisted and user.pk != getattr(actor, "pk", None) else None


def _membership_add(*, actor: User, space: Space, user: User, role: str, perspective: str) -> Membership:
    membership = Membership(space=space, user=user, role=role, perspective=perspective)
    membership.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as error:
        raise ValidationError(_("%(name)s is already a member of this space.") % {"name": user}) from error
    MembershipChange.objects.create(
        space=space,
        user=user,
        kind=MembershipChange.Kind.JOINED,
        role=role,
        perspective=perspective,
        changed_by=actor,
    )
    audit.record(
        actor=actor,
        on_behalf_of=_on_behalf(actor, user),
        action="membership.created",
        target=membership,
        space=space,
        summary=_("%(name)s joined as %(role)s, taking part as %(perspective)s")
        % {
            "name": user,
            "role": membership.get_role_display(),
            "perspective": membership.get_perspective_display(),
        },
        changes={"role": [None, role], "perspective": [None, perspective]},
    )
    access.forget_memberships(user)
    return membership


def _hosts_left(space: Space, without: Membership) -> int:
    """How many hosts the space keeps without `without`."""
    # Lock the space's row: two hosts demoting or removing each other at once (each locking the other's
    # membership) then count one after the other, and the second sees that the first left one host fewer.
    Space.objects.select_for_update().get(pk=space.pk)
    return Membership.objects.filter(space=space, role=Role.HOST).exclude(pk=without.pk).count()


@transaction.atomic
def membership_update(
    *, actor: User, membership: Membership, role: str | None = None, perspective: str | None = None
) -> Membership:
    """Change a member's role or perspective, as `access.can_change_membership` allows. A space always
    keeps at least one host."""
    # Lock the row: two changes to the same membership at once must not both be made from its old state
    # (the last host is guarded by `_hosts_left`).
    membership = Membership.objects.select_for_update().select_related("user", "space").get(pk=membership.pk)
    space, user = membership.space, membership.user
    if role is not None and role != membership.role:
        access.can_change_membership(actor, membership, access.ROLE).enforce()
        if role not in Role.values:
            raise ValidationError({"role": _("Choose a role from the list.")})
        if membership.role == Role.HOST and _hosts_left(space, membership) == 0:
            raise ValidationError(
                {"role": _("A space needs at least one host. Make someone else a host first.")}
            )
    if perspective is not None and perspective != membership.perspective:
        access.can_change_membership(actor, membership, access.PERSPECTIVE).enforce()
    before = audit.snapshot(membership, ["role", "perspective"])
    if role is not None:
        membership.role = role
    if perspective is not None:
        membership.perspective = perspective
    membership.full_clean(validate_unique=False)
    changes = audit.diff(membership, before, ["role", "perspective"])
    if not changes:
        return membership
    membership.save(update_fields=list(changes))
    change = MembershipChange.objects.create(
        space=space,
        user=user,
        kind=MembershipChange.Kind.CHANGED,
        role=membership.role,
        perspective=membership.perspective,
        changed_by=actor,
    )
    audit.record(
        actor=actor,
        on_behalf_of=_on_behalf(actor, user),
        action="membership.changed",
        target=membership,
        space=space,
        summary=_("%(name)s is now %(role)s, taking part as %(perspective)s")
        % {
            "name": user,
            "role": membership.get_role_display(),
            "perspective": membership.get_perspective_display(),
        },
        changes=changes,
    )
    access.forget_memberships(user)
    tell(
        kind="membership_changed",
        recipients=[user],
        params={},
        url=space.get_absolute_url(),
        space=space,
        actor=actor,
        key=f"membership_changed:{change.pk}",
    )
    return membership


@transaction.atomic
def membership_end(*, actor: User, membership: Membership, reason: str = "") -> None:
    """A member leaves, or a host removes them. Their history stays."""
    # Lock the row: a member leaving while a host changes or removes them must not be ended twice or
    # changed after it ended (the last host is guarded by `_hosts_left`).
    membership = Membership.objects.select_for_update().select_related("user", "space").get(pk=membership.pk)
    space, user = membership.space, membership.user
    if user.pk != actor.pk:  # anyone may leave; removing someone else is the hosts'
        access.can_change_membership(actor, membership, access.REMOVE).enforce()
    if membership.role == Role.HOST and _hosts_left(space, membership) == 0:
        raise ValidationError(_("A space needs at least one host. Make someone else a host first."))
    if user.pk != actor.pk and not reason.strip():
        raise ValidationError({"reason": _("Say why, so that the person and the other hosts know.")})
    MembershipChange.objects.create(
        space=space,
        user=user,
        kind=MembershipChange.Kind.LEFT,
        role=membership.role,
        perspective=membership.perspective,
        changed_by=actor,
    )
    audit.record(
        actor=actor,
        on_behalf_of=_on_behalf(actor, user),
        action="membership.ended",
        target=membership,
        space=space,
        summary=(
            _("%(name)s left the space") if user.pk == actor.pk else _("%(name)s was removed: %(reason)s")
        )
        % {"name": user, "reason": reason.strip()[:200]},
        changes={"role": [membership.role, None], "perspective": [membership.perspective, None]},
    )
    HelpConsent.objects.filter(user=user, space=space).delete()  # asked of this space's facilitators only
    membership.delete()
    access.forget_memberships(user)


# --- Assisted participation -----------------------------------------------------------------------


@transaction.atomic
def assisted_person_add(
    *, actor: User, space: Space, display_name: str, perspective: str, contact_preference: str = "in_person"
) -> Membership:
    """Add someone who takes part on paper or in person, with no email, for a facilitator to act for."""
    if not access.has_role(actor, space, access.FACILITATOR):
        raise PermissionDenied(_("Only facilitators and hosts can add people who take part with help."))
    person = User(display_name=display_name.strip(), contact_preference=contact_preference, assisted_by=actor)
    person.set_unusable_password()
    person.full_clean(exclude=["password"])
    person.save()
    audit.record(
        actor=actor,
        on_behalf_of=person,
        action="person.added_with_help",
        target=person,
        space=space,
        summary=_("%(facilitator)s added %(name)s, who takes part with help")
        % {"facilitator": actor, "name": person},
    )
    return _membership_add(actor=actor, space=space, user=person, role=Role.MEMBER, perspective=perspective)


@dataclass(frozen=True)
class IssuedClaim:
    """A new sign-up link and its code, as the facilitator sees them once: only their hashes are kept."""

    person: User
    token: str  # the secret in the link (people:claim)
    code: str  # 8 characters, ungrouped (lib/codes.py)
    expires_at: datetime

    @property
    def code_grouped(self) -> str:
        return codes.grouped(self.code)


@transaction.atomic
def claim_link_create(*, actor: User, person: User) -> IssuedClaim:
    """A one-time link, and a short code for the same thing, with which a person who took part with help
    sets up their own sign-in: made by the facilitator who added them, or a facilitator or host of a space
    they are in. Both work once, for `CLAIM_LIFETIME`; the person's earlier ones stop working."""
    if not person.is_assisted:
        raise ValidationError(_("This person already has their own account."))
    if not access.can_make_claim_link(actor, person):
        raise PermissionDenied
    # Lock the person: two facilitators making a link at once must leave one working, not two.
    User.objects.select_for_update().get(pk=person.pk)
    now = timezone.now()
    ClaimCode.objects.filter(person=person, used_at__isnull=True, ended_at__isnull=True).update(ended_at=now)
    token = secrets.token_urlsafe(24)
    while True:
        code = codes.generate()
        # A code must find one person: draw again in the rare case it is in use (old codes keep their hash).
        if not ClaimCode.objects.filter(code_hash=hash_code(code)).exists():
            break
    claim = ClaimCode(
        person=person,
        made_by=actor,
        token_hash=hash_token(token),
        code_hash=hash_code(code),
        created_at=now,
        expires_at=now + CLAIM_LIFETIME,
    )
    claim.full_clean()
    claim.save()
    audit.record(
        actor=actor,
        on_behalf_of=person,
        action="person.claim_link_created",
        target=person,
        summary=_("%(facilitator)s made a sign-up link and code for %(name)s, working until %(date)s")
        % {"facilitator": actor, "name": person, "date": date_format(localtime(claim.expires_at), "j F Y")},
        changes={"claim_code": [None, claim.pk]},
    )
    return IssuedClaim(person=person, token=token, code=code, expires_at=claim.expires_at)
