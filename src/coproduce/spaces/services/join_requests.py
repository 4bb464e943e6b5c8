"""Asking to join a public space, and the hosts' answer."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core import audit
from coproduce.people.models import User

from .. import access
from ..models import JoinRequest, Role, Space, Visibility
from .memberships import _membership_add
from .telling import hosts, tell


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
    tell(
        kind="join_request_received",
        recipients=hosts(space),
        params={"person": actor.display_name},
        url=reverse("spaces:requests", args=[space.slug]),
        space=space,
        actor=actor,
        text=request.message,
        key=f"join_request_received:{request.pk}",
    )
    return request


@transaction.atomic
def join_request_withdraw(*, actor: User, join_request: JoinRequest) -> JoinRequest:
    # Lock: withdrawn while a host approves it, the person must not end up both withdrawn and a member.
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
    kind = "join_request_approved" if approve else "join_request_declined"
    tell(
        kind=kind,
        recipients=[join_request.user],
        params={},
        # A declined person may still read the space: join requests are for public spaces only.
        url=space.get_absolute_url(),
        space=space,
        actor=actor,
        text=reason,
        key=f"{kind}:{join_request.pk}",
    )
    return join_request
