"""After a meeting: who was there (and the time credits it earned), and what was decided, by whom."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import TypedDict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coproduce.core import audit
from coproduce.people.models import User
from coproduce.spaces import access as space_access

from .. import access, selectors
from ..models import (
    AgendaItem,
    AgendaItemStatus,
    Attendance,
    CreditStatus,
    Decision,
    DecisionVoice,
    Meeting,
    Stance,
)


class AttendanceResult(TypedDict):
    recorded: int
    paid: int
    owed: int


class PaymentResult(TypedDict):
    paid: int
    owed: int


def _pay(*, actor: User, meeting: Meeting, attendances: list[Attendance]) -> tuple[int, int]:
    """Pay owed credits through the timebank, one idempotent reward per person. Returns (paid, still owed).

    The timebank is another module: it is reached through the registry's "reward_participation" hook. On a
    site without it, the credits stay owed with a note saying so, and are paid once it is there."""
    owed = [a for a in attendances if a.credit_status == CreditStatus.OWED]
    if not owed:
        return 0, 0
    reward = selectors.reward_hook()
    if reward is None:
        note = _("The timebank is not available yet; these credits will be paid when it is.")
        for attendance in owed:
            attendance.credit_note = note
            attendance.save(update_fields=["credit_note"])
        return 0, len(owed)
    paid = 0
    for attendance in owed:
        try:
            # A savepoint: a refused payment (say, the organisation's balance) leaves the attendance recorded
            # and the credit owed, instead of undoing the whole confirmation.
            with transaction.atomic():
                reward(
                    actor=actor,
                    organisation=meeting.credit_organisation,
                    recipients=[attendance.user],
                    hours_minutes=attendance.credit_minutes,
                    description=_("Taking part in “%(title)s”") % {"title": meeting.title},
                    space=meeting.space,
                    key=attendance.credit_key,
                )
        except (ValidationError, PermissionDenied) as error:
            messages = getattr(error, "messages", None) or [
                str(error) or _("The timebank refused the payment.")
            ]
            attendance.credit_note = " ".join(str(m) for m in messages)[:300]
            attendance.save(update_fields=["credit_note"])
            continue
        attendance.credit_status, attendance.credit_paid_at, attendance.credit_note = (
            CreditStatus.PAID,
            timezone.now(),
            "",
        )
        attendance.save(update_fields=["credit_status", "credit_paid_at", "credit_note"])
        paid += 1
    return paid, len(owed) - paid


@transaction.atomic
def attendance_confirm(*, actor: User, meeting: Meeting, people: Iterable[User]) -> AttendanceResult:
    """A facilitator confirms who was there. Adds to what was already recorded (a time credit once paid is
    never taken back here), and pays the credits attending earns, or records them as owed."""
    # Lock: two facilitators confirming at once must not record (or pay) the same person twice.
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("space", "credit_organisation")
        .get(pk=meeting.pk)
    )
    access.require(access.can_confirm_attendance(actor, meeting))
    already = set(Attendance.objects.filter(meeting=meeting).values_list("user_id", flat=True))
    new = []
    for person in people:
        if person.pk in already:
            continue
        membership = space_access.membership_of(person, meeting.space)
        if membership is None:
            raise ValidationError({"people": _("%(name)s is not a member of this space.") % {"name": person}})
        attendance = Attendance(
            meeting=meeting,
            user=person,
            perspective=membership.perspective,
            recorded_by=actor,
            credit_minutes=meeting.credit_minutes,
            credit_status=CreditStatus.OWED if meeting.credit_minutes else CreditStatus.NONE,
        )
        attendance.full_clean(validate_unique=False)
        attendance.save()
        already.add(person.pk)
        new.append(attendance)
    if meeting.attendance_confirmed_at is None:
        meeting.attendance_confirmed_at, meeting.attendance_confirmed_by = timezone.now(), actor
        meeting.save(update_fields=["attendance_confirmed_at", "attendance_confirmed_by", "updated_at"])
    paid, owed = _pay(actor=actor, meeting=meeting, attendances=new)
    if new:
        perspectives = Counter(a.perspective for a in new)
        audit.record(
            actor=actor,
            action="meeting.attendance_confirmed",
            target=meeting,
            space=meeting.space,
            summary=ngettext(
                "Attendance at “%(title)s” confirmed: %(n)s person",
                "Attendance at “%(title)s” confirmed: %(n)s people",
                len(new),
            )
            % {"title": meeting.title, "n": len(new)},
            changes={
                "perspectives": [None, dict(perspectives)],
                "credits_paid": [None, paid],
                "credits_owed": [None, owed],
            },
            public=True,
        )
    return {"recorded": len(new), "paid": paid, "owed": owed}


@transaction.atomic
def credits_pay_owed(*, actor: User, meeting: Meeting) -> PaymentResult:
    """Try again to pay time credits that are owed (e.g. once the timebank is installed)."""
    # Lock the meeting and the rows owed: two clicks on "pay now" must not pay anyone twice (the timebank's
    # key would refuse the second payment, but the rows would be marked twice).
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("space", "credit_organisation")
        .get(pk=meeting.pk)
    )
    access.require(access.can_pay_credits(actor, meeting))
    owed = list(
        Attendance.objects.select_for_update(of=("self",))
        .filter(meeting=meeting, credit_status=CreditStatus.OWED)
        .select_related("user")
    )
    paid, still = _pay(actor=actor, meeting=meeting, attendances=owed)
    if paid:
        audit.record(
            actor=actor,
            action="meeting.credits_paid",
            target=meeting,
            space=meeting.space,
            summary=ngettext(
                "Time credits paid to %(n)s person for “%(title)s”",
                "Time credits paid to %(n)s people for “%(title)s”",
                paid,
            )
            % {"n": paid, "title": meeting.title},
            changes={"credits_paid": [None, paid], "credits_owed": [None, still]},
        )
    return {"paid": paid, "owed": still}


@transaction.atomic
def decision_record(
    *,
    actor: User,
    meeting: Meeting,
    text: str,
    agenda_item: AgendaItem | None = None,
    dissent: str = "",
    voices: Mapping[User, str] | None = None,
) -> Decision:
    """Record what was decided, where each person stood (with their perspective), and the dissent.

    `voices` maps a member (User) to a Stance value. The item must be on the meeting's published agenda;
    once attendance is confirmed, the voices are those of the people who were there.
    """
    access.require(access.can_record_decision(actor, meeting))
    if agenda_item is not None and (
        agenda_item.meeting_id != meeting.pk or agenda_item.status != AgendaItemStatus.ON_AGENDA
    ):
        raise ValidationError({"agenda_item": _("Choose an item from this meeting's agenda.")})
    voices = voices or {}
    if meeting.attendance_confirmed_at is not None:
        there = set(Attendance.objects.filter(meeting=meeting).values_list("user_id", flat=True))
        absent = [person for person in voices if person.pk not in there]
        if absent:
            raise ValidationError(
                {"voices": _("%(name)s was not at this meeting.") % {"name": absent[0].display_name}}
            )
    decision = Decision(
        meeting=meeting,
        agenda_item=agenda_item,
        text=(text or "").strip(),
        dissent=(dissent or "").strip(),
        created_by=actor,
    )
    decision.full_clean()
    if any(stance == Stance.DISAGREE for stance in voices.values()) and not decision.dissent:
        raise ValidationError({"dissent": _("Someone disagreed: record their dissent in their words.")})
    decision.save()
    rows = []
    for person, stance in voices.items():
        if stance not in Stance.values:
            raise ValidationError(_("Choose agreed, disagreed or stood aside."))
        membership = space_access.membership_of(person, meeting.space)
        if membership is None:
            raise ValidationError(_("%(name)s is not a member of this space.") % {"name": person})
        rows.append(
            DecisionVoice(decision=decision, user=person, perspective=membership.perspective, stance=stance)
        )
    DecisionVoice.objects.bulk_create(rows)
    counts = Counter(row.stance for row in rows)
    audit.record(
        actor=actor,
        action="meeting.decision_recorded",
        target=decision,
        space=meeting.space,
        summary=_(
            "Decision at “%(title)s”: %(text)s (agreed %(agree)s, disagreed %(disagree)s, stood aside %(abstain)s)"
        )
        % {
            "title": meeting.title,
            "text": decision.text[:120],
            "agree": counts[Stance.AGREE],
            "disagree": counts[Stance.DISAGREE],
            "abstain": counts[Stance.ABSTAIN],
        },
        changes={"text": [None, decision.text], "voices": [None, {s: counts[s] for s in Stance.values}]},
        public=True,
    )
    return decision
