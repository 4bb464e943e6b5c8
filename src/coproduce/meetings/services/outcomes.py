"""After a meeting: who was there (and the time credits it earned), and what was decided, by whom."""

from __future__ import annotations

import logging
from collections import Counter

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coproduce.core import audit
from coproduce.spaces import access as space_access

from .. import access
from ..models import AgendaItem, Attendance, CreditStatus, Decision, DecisionVoice, Meeting, Stance

logger = logging.getLogger(__name__)


def _require_held(meeting: Meeting) -> None:
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting was cancelled."))
    if not meeting.has_started:
        raise ValidationError(_("The meeting has not started yet."))


def timebank_reward():
    """The timebank's `participation_reward` service, or None while the timebank app is not installed.

    Imported lazily: the meetings app works (and records credits as owed) without the timebank.
    """
    if not apps.is_installed("coproduce.timebank"):
        return None
    try:
        from coproduce.timebank.services import participation_reward
    except ImportError:
        return None
    return participation_reward


def _pay(*, actor, meeting: Meeting, attendances: list[Attendance]) -> tuple[int, int]:
    """Pay owed credits through the timebank, one idempotent reward per person. Returns (paid, still owed)."""
    owed = [a for a in attendances if a.credit_status == CreditStatus.OWED]
    if not owed:
        return 0, 0
    reward = timebank_reward()
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
def attendance_confirm(*, actor, meeting: Meeting, people) -> dict:
    """A facilitator confirms who was there. Adds to what was already recorded (a time credit once paid is
    never taken back here), and pays the credits attending earns, or records them as owed."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("space", "credit_organisation")
        .get(pk=meeting.pk)
    )
    if not access.is_facilitator(actor, meeting):
        raise PermissionDenied(_("Only facilitators and hosts confirm attendance."))
    _require_held(meeting)
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
def credits_pay_owed(*, actor, meeting: Meeting) -> dict:
    """Try again to pay time credits that are owed (e.g. once the timebank is installed)."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("space", "credit_organisation")
        .get(pk=meeting.pk)
    )
    if not access.is_facilitator(actor, meeting):
        raise PermissionDenied(_("Only facilitators and hosts pay time credits."))
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
    actor,
    meeting: Meeting,
    text: str,
    agenda_item: AgendaItem | None = None,
    dissent: str = "",
    voices: dict | None = None,
) -> Decision:
    """Record what was decided, where each person stood (with their perspective), and the dissent.

    `voices` maps a member (User) to a Stance value.
    """
    if not access.is_facilitator(actor, meeting):
        raise PermissionDenied(_("Only facilitators and hosts record decisions."))
    _require_held(meeting)
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": _("Choose an item from this meeting's agenda.")})
    voices = voices or {}
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
