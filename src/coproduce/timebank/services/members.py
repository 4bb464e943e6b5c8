"""Joining the timebank, coordinators approving members, and members' own choices."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core import audit
from coproduce.people.models import User

from .. import access
from ..models import MemberStatus, ShareBalance, TimebankMember
from .accounts import account_for_user


@transaction.atomic
def member_join(*, actor: User, area: str = "", about: str = "") -> TimebankMember:
    """Ask to join the timebank; a coordinator welcomes each new member."""
    if not actor.is_authenticated:
        raise PermissionDenied
    # The race: the same person asking twice at once (a double click). The lock on an existing record
    # makes the second see the first's status; for a new record, the unique user column refuses it.
    record = TimebankMember.objects.select_for_update().filter(user=actor).first()
    if record is not None and record.status in (MemberStatus.PENDING, MemberStatus.APPROVED):
        raise ValidationError(_("You have already asked to join the timebank."))
    if record is not None and record.status == MemberStatus.DECLINED:
        raise ValidationError(_("A coordinator has not accepted your request. Please talk to them directly."))
    if record is None:
        record = TimebankMember(user=actor)
    record.status, record.area, record.about = MemberStatus.PENDING, area.strip(), about.strip()
    record.full_clean(exclude=["user"])
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as error:  # two clicks at once
        raise ValidationError(_("You have already asked to join the timebank.")) from error
    access.forget(actor)
    audit.record(
        actor=actor,
        action="timebank.member.requested",
        target=record,
        summary=_("%(name)s asked to join the timebank") % {"name": actor},
    )
    return record


@transaction.atomic
def member_decide(*, actor: User, member: TimebankMember, approve: bool, note: str = "") -> TimebankMember:
    """A coordinator approves or declines a request. The safeguarding note is kept private."""
    access.require_coordinator(actor)
    # The race: two coordinators deciding the same request at once. The lock makes the second see the
    # first's decision, so a request is approved or declined once.
    member = TimebankMember.objects.select_for_update().select_related("user").get(pk=member.pk)
    if member.status != MemberStatus.PENDING:
        raise ValidationError(_("This request has already been decided."))
    if not approve and not note.strip():
        raise ValidationError({"safeguarding_note": _("Say why, for the other coordinators.")})
    member.status = MemberStatus.APPROVED if approve else MemberStatus.DECLINED
    if note.strip():
        member.safeguarding_note = note.strip()
    member.decided_by, member.decided_at = actor, timezone.now()
    member.full_clean()
    member.save(update_fields=["status", "safeguarding_note", "decided_by", "decided_at"])
    if approve:
        account_for_user(member.user)
    # The note itself is never copied into the audit log, which more people may read.
    audit.record(
        actor=actor,
        on_behalf_of=member.user,
        action="timebank.member.approved" if approve else "timebank.member.declined",
        target=member,
        summary=(_("%(name)s joined the timebank") if approve else _("%(name)s's request was declined"))
        % {"name": member.user},
    )
    return member


@transaction.atomic
def member_note_set(*, actor: User, member: TimebankMember, note: str) -> TimebankMember:
    access.require_coordinator(actor)
    # The race: two coordinators changing the note at once; the lock orders them (the last one wins,
    # and each is audited).
    member = TimebankMember.objects.select_for_update().get(pk=member.pk)
    member.safeguarding_note = note.strip()
    member.full_clean()
    member.save(update_fields=["safeguarding_note"])
    audit.record(
        actor=actor,
        action="timebank.member.note_changed",
        target=member,
        summary=_("Safeguarding note changed for %(name)s") % {"name": member.user},
    )
    return member


@transaction.atomic
def coordinator_set(*, actor: User, member: TimebankMember, is_coordinator: bool) -> TimebankMember:
    access.require_coordinator(actor)
    # The race: two coordinators changing the role at once; the lock makes the second compare with what
    # the first saved, so the audit log records each real change once.
    member = TimebankMember.objects.select_for_update().select_related("user").get(pk=member.pk)
    if member.status != MemberStatus.APPROVED:
        raise ValidationError(_("Only a member of the timebank can be a coordinator."))
    if member.is_coordinator != is_coordinator:
        member.is_coordinator = is_coordinator
        member.save(update_fields=["is_coordinator"])
        audit.record(
            actor=actor,
            action="timebank.member.coordinator_changed",
            target=member,
            changes={"is_coordinator": [not is_coordinator, is_coordinator]},
            summary=(
                _("%(name)s is now a coordinator")
                if is_coordinator
                else _("%(name)s is no longer a coordinator")
            )
            % {"name": member.user},
        )
    return member


@transaction.atomic
def member_preferences_set(
    *, actor: User, share_balance: str | None = None, area: str | None = None, about: str | None = None
) -> TimebankMember:
    """A member's own choices: who may see their balance, their area, a few words about them."""
    # The race: the member saving their choices from two tabs at once; the lock makes the second compare
    # with what the first saved, so the audit record's "before" is true.
    member = TimebankMember.objects.select_for_update().filter(user=actor).first()
    if member is None or not actor.is_authenticated:
        raise PermissionDenied(_("Join the timebank first."))
    fields = ["share_balance", "area", "about"]
    before = audit.snapshot(member, fields)
    if share_balance is not None:
        if share_balance not in ShareBalance.values:
            raise ValidationError({"share_balance": _("Choose who can see your balance.")})
        member.share_balance = share_balance
    if area is not None:
        member.area = area.strip()
    if about is not None:
        member.about = about.strip()
    member.full_clean()
    changes = audit.diff(member, before, fields)
    if changes:
        member.save(update_fields=list(changes))
        audit.record(
            actor=actor,
            action="timebank.member.preferences_changed",
            target=member,
            summary=_("Timebank choices changed: %(fields)s")
            % {"fields": audit.field_names(member, changes)},
        )
    access.forget(actor)
    return member
