"""Every change to spaces, memberships and stages: validated, atomic and audited."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from coproduce.core import audit
from coproduce.people.models import User

from . import access
from .models import (
    STAGE_ORDER,
    HelpConsent,
    Invitation,
    JoinRequest,
    Membership,
    MembershipChange,
    PartnershipRequest,
    Perspective,
    Role,
    Space,
    Stage,
    StageStatus,
    Visibility,
)

SPACE_FIELDS = ["title", "purpose", "place", "visibility"]
STAGE_FIELDS = ["status", "starts_on", "ends_on", "summary"]


def _unique_slug(title: str) -> str:
    base = slugify(title)[:70] or "space"
    slug, n = base, 1
    while Space.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _on_behalf(actor, user) -> User | None:
    """A change to an assisted person's membership made by someone else is made on their behalf."""
    return user if user.is_assisted and user.pk != getattr(actor, "pk", None) else None


# --- Spaces ---------------------------------------------------------------------------------------


@transaction.atomic
def space_create(
    *,
    actor: User,
    title: str,
    purpose: str,
    place: str = "",
    visibility: str = Visibility.PUBLIC,
    organisations: Iterable = (),
    perspective: str = Perspective.FACILITATOR,
) -> Space:
    """Create a space with its four stages; the creator becomes its first host."""
    space = Space(
        title=title.strip(),
        purpose=purpose.strip(),
        place=place.strip(),
        visibility=visibility,
        created_by=actor,
        slug=_unique_slug(title),
    )
    space.full_clean(exclude=["slug"])  # generated, and its uniqueness is settled by the insert below
    for attempt in range(5):
        try:
            with transaction.atomic():
                space.save()
            break
        except IntegrityError:
            # Two spaces with the same title created at the same moment both found the slug free.
            if attempt == 4 or not Space.objects.filter(slug=space.slug).exists():
                raise
            space.slug = f"{_unique_slug(title)[:70]}-{secrets.token_hex(2)}"
    for position, kind in enumerate(STAGE_ORDER):
        Stage.objects.create(space=space, kind=kind, position=position)
    audit.record(
        actor=actor,
        action="space.created",
        target=space,
        space=space,
        summary=_("Space “%(title)s” created") % {"title": space.title},
        changes={f: [None, getattr(space, f)] for f in SPACE_FIELDS},
        public=True,
    )
    _membership_add(actor=actor, space=space, user=actor, role=Role.HOST, perspective=perspective)
    _partners_set(actor=actor, space=space, organisations=organisations)
    return space


@transaction.atomic
def space_update(*, actor: User, space: Space, organisations: Iterable | None = None, **fields) -> Space:
    unknown = set(fields) - set(SPACE_FIELDS)
    if unknown:
        raise ValueError(f"not a space field: {', '.join(sorted(unknown))}")
    if not access.has_role(actor, space, access.HOST):
        raise PermissionDenied(_("Only a host can change the space."))
    before = audit.snapshot(space, SPACE_FIELDS)
    for name, value in fields.items():
        setattr(space, name, value.strip() if isinstance(value, str) else value)
    space.full_clean(exclude=["slug"])
    changes = audit.diff(space, before, SPACE_FIELDS)
    if organisations is not None:
        listed = _partners_set(actor=actor, space=space, organisations=organisations)
        if listed:
            changes["organisations"] = listed
    if not changes:
        return space
    space.save(update_fields=[*fields.keys(), "updated_at"])
    audit.record(
        actor=actor,
        action="space.updated",
        target=space,
        space=space,
        summary=_("Space details changed: %(fields)s") % {"fields": audit.field_names(space, changes)},
        changes=changes,
        public=True,
    )
    return space


# --- Partner organisations ------------------------------------------------------------------------


def _partners_set(*, actor: User, space: Space, organisations: Iterable) -> list | None:
    """Make the organisations a host ticked the space's partners, each only with its own consent.

    An organisation the host runs is listed at once; any other is asked, and listed when one of its
    admins accepts. Organisations no longer ticked are taken off the list, and their pending requests
    withdrawn. Returns `[old, new]` names of the listed partners when the list changed, else None.
    """
    wanted = {o.pk: o for o in organisations}
    listed = {o.pk: o for o in space.organisations.all()}
    pending = {
        r.organisation_id: r
        for r in PartnershipRequest.objects.select_for_update()
        .select_related("organisation")
        .filter(space=space, status=PartnershipRequest.Status.PENDING)
    }
    before = sorted(o.name for o in listed.values())
    space.organisations.remove(*[o for pk, o in listed.items() if pk not in wanted])
    for pk, request in pending.items():
        if pk not in wanted:
            _partnership_close(actor=actor, request=request, status=PartnershipRequest.Status.WITHDRAWN)
    now_listed = [o for pk, o in listed.items() if pk in wanted]
    for pk, organisation in wanted.items():
        if pk in listed or pk in pending:
            continue
        request = PartnershipRequest(space=space, organisation=organisation, requested_by=actor)
        request.full_clean()
        request.save()
        if access.may_answer_partnership(actor, organisation):
            _partnership_close(actor=actor, request=request, status=PartnershipRequest.Status.ACCEPTED)
            now_listed.append(organisation)
        else:
            audit.record(
                actor=actor,
                action="partnership.requested",
                target=request,
                space=space,
                summary=_("Asked %(org)s to be listed as a partner") % {"org": organisation},
            )
    after = sorted(o.name for o in now_listed)
    return [before, after] if before != after else None


def _partnership_close(*, actor: User, request: PartnershipRequest, status: str) -> None:
    request.status, request.decided_by, request.decided_at = status, actor, timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at"])
    organisation, space = request.organisation, request.space
    if status == PartnershipRequest.Status.ACCEPTED:
        space.organisations.add(organisation)
        summary = _("%(org)s is listed as a partner") % {"org": organisation}
    elif status == PartnershipRequest.Status.DECLINED:
        summary = _("%(org)s declined to be listed as a partner") % {"org": organisation}
    else:
        summary = _("The request to list %(org)s as a partner was withdrawn") % {"org": organisation}
    audit.record(
        actor=actor,
        action=f"partnership.{status}",
        target=request,
        space=space,
        summary=summary,
        # The public sees who the partners are; the requests that came to nothing are the hosts' business.
        public=status == PartnershipRequest.Status.ACCEPTED,
    )


@transaction.atomic
def partnership_decide(*, actor: User, request: PartnershipRequest, accept: bool) -> PartnershipRequest:
    """One of the organisation's admins accepts or declines being listed as a partner of the space."""
    # Lock: two admins answering at once must not both act on the same request.
    request = (
        PartnershipRequest.objects.select_for_update()
        .select_related("space", "organisation")
        .get(pk=request.pk)
    )
    if not access.may_answer_partnership(actor, request.organisation):
        raise PermissionDenied(_("Only an admin of %(org)s can answer.") % {"org": request.organisation})
    if request.status != PartnershipRequest.Status.PENDING:
        raise ValidationError(_("This request has already been answered or withdrawn."))
    status = PartnershipRequest.Status.ACCEPTED if accept else PartnershipRequest.Status.DECLINED
    _partnership_close(actor=actor, request=request, status=status)
    return request


@transaction.atomic
def partnership_end(*, actor: User, space: Space, organisation) -> None:
    """An organisation's admin takes it off a space's list of partners."""
    if not access.may_answer_partnership(actor, organisation):
        raise PermissionDenied(_("Only an admin of %(org)s can do this.") % {"org": organisation})
    if not space.organisations.filter(pk=organisation.pk).exists():
        raise ValidationError(_("%(org)s is not listed in this space.") % {"org": organisation})
    space.organisations.remove(organisation)
    audit.record(
        actor=actor,
        action="partnership.ended",
        target=space,
        space=space,
        summary=_("%(org)s is no longer listed as a partner") % {"org": organisation},
        changes={"organisations": [organisation.name, None]},
        public=True,
    )


# --- Memberships ----------------------------------------------------------------------------------


def _membership_add(*, actor, space: Space, user: User, role: str, perspective: str) -> Membership:
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
    return Membership.objects.filter(space=space, role=Role.HOST).exclude(pk=without.pk).count()


@transaction.atomic
def membership_update(
    *, actor: User, membership: Membership, role: str | None = None, perspective: str | None = None
) -> Membership:
    """Change a member's role (hosts only) or perspective (hosts, facilitators for assisted people,
    or the member themself). A space always keeps at least one host."""
    # Lock the row: two hosts demoting each other at once must not leave the space with none.
    membership = Membership.objects.select_for_update().select_related("user", "space").get(pk=membership.pk)
    space, user = membership.space, membership.user
    is_self = user.pk == actor.pk
    if role is not None and role != membership.role:
        if not access.has_role(actor, space, access.HOST):
            raise PermissionDenied(_("Only a host can change roles."))
        if role not in Role.values:
            raise ValidationError({"role": _("Choose a role from the list.")})
        if membership.role == Role.HOST and _hosts_left(space, membership) == 0:
            raise ValidationError(
                {"role": _("A space needs at least one host. Make someone else a host first.")}
            )
    if perspective is not None and perspective != membership.perspective:
        may = (
            is_self
            or access.has_role(actor, space, access.HOST)
            or (user.is_assisted and access.has_role(actor, space, access.FACILITATOR))
        )
        if not may:
            raise PermissionDenied(_("You cannot change this member's perspective."))
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
    MembershipChange.objects.create(
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
    return membership


@transaction.atomic
def membership_end(*, actor: User, membership: Membership, reason: str = "") -> None:
    """A member leaves, or a host removes them. Their history stays."""
    membership = Membership.objects.select_for_update().select_related("user", "space").get(pk=membership.pk)
    space, user = membership.space, membership.user
    if user.pk != actor.pk and not access.has_role(actor, space, access.HOST):
        raise PermissionDenied(_("Only a host can remove a member."))
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


# --- Join requests --------------------------------------------------------------------------------


@transaction.atomic
def join_request_create(*, actor: User, space: Space, perspective: str, message: str = "") -> JoinRequest:
    if space.visibility != Visibility.PUBLIC:
        raise PermissionDenied(_("This space is private: you can join it only with an invitation."))
    if access.membership_of(actor, space):
        raise ValidationError(_("You are already a member of this space."))
    if JoinRequest.objects.filter(space=space, user=actor, status=JoinRequest.Status.PENDING).exists():
        raise ValidationError(_("You have already asked to join. A host will answer soon."))
    request = JoinRequest(space=space, user=actor, perspective=perspective, message=message.strip())
    request.full_clean()
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError as error:  # the same request sent twice at once
        raise ValidationError(_("You have already asked to join. A host will answer soon.")) from error
    audit.record(
        actor=actor,
        action="join_request.created",
        target=request,
        space=space,
        summary=_("%(name)s asked to join") % {"name": actor},
        changes={"perspective": [None, perspective]},
    )
    return request


@transaction.atomic
def join_request_withdraw(*, actor: User, join_request: JoinRequest) -> JoinRequest:
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if join_request.user_id != actor.pk:
        raise PermissionDenied
    if join_request.status != JoinRequest.Status.PENDING:
        raise ValidationError(_("This request has already been answered."))
    join_request.status = JoinRequest.Status.WITHDRAWN
    join_request.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action="join_request.withdrawn",
        target=join_request,
        space=join_request.space,
        summary=_("%(name)s withdrew their request to join") % {"name": actor},
    )
    return join_request


@transaction.atomic
def join_request_decide(
    *, actor: User, join_request: JoinRequest, approve: bool, reason: str = ""
) -> JoinRequest:
    # Lock: two hosts answering at once must not both act on the same request.
    join_request = (
        JoinRequest.objects.select_for_update().select_related("space", "user").get(pk=join_request.pk)
    )
    space = join_request.space
    if not access.has_role(actor, space, access.HOST):
        raise PermissionDenied(_("Only a host can answer requests to join."))
    if join_request.status != JoinRequest.Status.PENDING:
        raise ValidationError(_("This request has already been answered."))
    reason = reason.strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("Say why you are declining, so that the person understands.")})
    join_request.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.DECLINED
    join_request.reason = reason
    join_request.decided_by = actor
    join_request.decided_at = timezone.now()
    join_request.full_clean()
    join_request.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    audit.record(
        actor=actor,
        action="join_request.approved" if approve else "join_request.declined",
        target=join_request,
        space=space,
        summary=(
            _("Request from %(name)s approved")
            if approve
            else _("Request from %(name)s declined: %(reason)s")
        )
        % {"name": join_request.user, "reason": reason[:200]},
        changes={"status": [JoinRequest.Status.PENDING, join_request.status]},
    )
    if approve:
        _membership_add(
            actor=actor,
            space=space,
            user=join_request.user,
            role=Role.MEMBER,
            perspective=join_request.perspective,
        )
    return join_request


# --- Invitations ----------------------------------------------------------------------------------


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


def invitation_for_token(token: str) -> Invitation | None:
    invitation = Invitation.objects.select_related("space").filter(token_hash=Invitation.hash(token)).first()
    if invitation is None or invitation.revoked or invitation.expires_at <= timezone.now():
        return None
    if invitation.uses >= invitation.max_uses:
        return None
    return invitation


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


# --- Stages ---------------------------------------------------------------------------------------


@transaction.atomic
def stage_update(*, actor: User, stage: Stage, **fields) -> Stage:
    unknown = set(fields) - set(STAGE_FIELDS)
    if unknown:
        raise ValueError(f"not a stage field: {', '.join(sorted(unknown))}")
    if not access.has_role(actor, stage.space, access.HOST):
        raise PermissionDenied(_("Only a host can change the stages."))
    if "status" in fields and fields["status"] not in StageStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    before = audit.snapshot(stage, STAGE_FIELDS)
    for name, value in fields.items():
        setattr(stage, name, value.strip() if isinstance(value, str) and name == "summary" else value)
    if stage.starts_on and stage.ends_on and stage.ends_on < stage.starts_on:
        raise ValidationError({"ends_on": _("The end date must be on or after the start date.")})
    stage.full_clean()
    changes = audit.diff(stage, before, STAGE_FIELDS)
    if not changes:
        return stage
    stage.save(update_fields=list(changes))
    summary = _("%(stage)s: %(what)s") % {
        "stage": stage.get_kind_display(),
        "what": _("now %(status)s") % {"status": stage.get_status_display().lower()}
        if "status" in changes
        else _("details changed"),
    }
    audit.record(
        actor=actor,
        action="stage.updated",
        target=stage,
        space=stage.space,
        summary=summary,
        changes=changes,
        public=True,
    )
    return stage


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


# --- Asking to be helped in person ----------------------------------------------------------------


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
