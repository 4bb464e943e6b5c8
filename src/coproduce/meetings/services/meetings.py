"""Planning, changing and cancelling meetings; the time credits attending earns."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core import audit, registry
from coproduce.core.validators import aware
from coproduce.lib.ledger import format_minutes
from coproduce.notifications.services import notify
from coproduce.people.models import Organisation, User
from coproduce.spaces.models import Space

from .. import access, selectors
from ..models import EventKind, Meeting
from .registrations import promote_waiting

MEETING_FIELDS = [
    "title",
    "description",
    "format",
    "starts_at",
    "ends_at",
    "place_name",
    "address",
    "online_url",
    "step_free",
    "hearing_loop",
    "bsl",
    "quiet_room",
    "travel_expenses",
    "childcare",
    "access_notes",
    "capacity",
]
EVENT_KIND = "meetings.event"  # what the network search and other modules call a network event
EVENT_FIELDS = [*MEETING_FIELDS, "event_kind"]
MAX_CREDIT_MINUTES = 24 * 60
CREDIT_STEP = 15


def _validate(meeting: Meeting) -> None:
    errors: dict[str, Any] = {}
    if meeting.starts_at and meeting.ends_at and meeting.ends_at <= meeting.starts_at:
        errors["ends_at"] = (
            _("The event ends before it starts. Check the end time.")
            if meeting.is_network_event
            else _("The meeting must end after it starts.")
        )
    if meeting.capacity is not None and meeting.capacity < 1:
        errors["capacity"] = _("A meeting needs at least one place; leave it empty for no limit.")
    if meeting.is_in_person and not (meeting.place_name or meeting.address):
        errors["place_name"] = _("Say where people meet: a place name or an address.")
    if errors:
        # With the fields' own checks too (a title on two lines, a start in year 0001), so that every
        # problem is shown at once and each beside its field.
        try:
            meeting.clean_fields()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors[field] = [*([errors[field]] if field in errors else []), *messages]
        raise ValidationError(errors)
    meeting.full_clean()


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    return {name: value.strip() if isinstance(value, str) else aware(value) for name, value in fields.items()}


@transaction.atomic
def meeting_create(*, actor: User, space: Space, **fields: Any) -> Meeting:
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise ValueError(f"not a meeting field: {', '.join(sorted(unknown))}")
    access.require(access.can_plan(actor, space))
    meeting = Meeting(space=space, created_by=actor, **_clean(fields))
    _validate(meeting)
    meeting.save()
    audit.record(
        actor=actor,
        action="meeting.created",
        target=meeting,
        space=space,
        summary=_("Meeting “%(title)s” planned for %(when)s")
        % {"title": meeting.title, "when": timezone.localtime(meeting.starts_at).strftime("%d %b %Y %H:%M")},
        changes={"starts_at": [None, meeting.starts_at], "format": [None, meeting.format]},
        public=True,
    )
    return meeting


@transaction.atomic
def meeting_update(*, actor: User, meeting: Meeting, **fields: Any) -> Meeting:
    # A network event may change its kind, never stop being an event; a meeting never becomes one.
    names = EVENT_FIELDS if meeting.is_network_event else MEETING_FIELDS
    unknown = set(fields) - set(names)
    if unknown:
        raise ValueError(f"not a meeting field: {', '.join(sorted(unknown))}")
    # Lock: a change of capacity and a cancellation at the same moment must not both promote someone.
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("space").get(pk=meeting.pk)
    access.require(access.can_change(actor, meeting))
    if "event_kind" in fields and fields["event_kind"] not in EventKind.values[1:]:
        raise ValidationError({"event_kind": _("Choose what kind of event it is.")})
    before = audit.snapshot(meeting, names)
    for name, value in _clean(fields).items():
        setattr(meeting, name, value)
    _validate(meeting)
    changes = audit.diff(meeting, before, names)
    if not changes:
        return meeting
    meeting.sequence += 1
    extra = []
    if "starts_at" in changes and meeting.reminder_sent_at is not None:
        meeting.reminder_sent_at = None  # moved: remind people again the day before the new date
        extra.append("reminder_sent_at")
    meeting.save(update_fields=[*changes, *extra, "sequence", "updated_at"])
    promoted = promote_waiting(meeting)
    audit.record(
        actor=actor,
        action="meeting.updated",
        target=meeting,
        space=meeting.space,
        summary=_("Meeting “%(title)s” changed: %(fields)s")
        % {"title": meeting.title, "fields": audit.field_names(meeting, changes)},
        changes=changes,
        public=True,
    )
    if meeting.is_network_event:
        registry.search_changed(EVENT_KIND, [meeting.pk])
    if {"starts_at", "ends_at", "place_name", "address", "format"} & set(changes):
        notify(
            kind="meeting_changed",
            recipients=selectors.people_coming(meeting).exclude(pk__in=[r.pk for r in promoted]),
            params={"title": meeting.title},
            url=meeting.get_absolute_url(),
            space=meeting.space,
            actor=actor,
            key=f"meeting_changed:{meeting.pk}:{meeting.sequence}",
        )
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: User, meeting: Meeting, reason: str) -> Meeting:
    # Lock: a registration at the same moment either lands before (and its person is told) or is refused.
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("space").get(pk=meeting.pk)
    decision = access.can_cancel(actor, meeting)
    if decision.role:
        access.require(decision)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why, so that the people coming understand.")})
    access.require(decision)
    meeting.cancelled_at, meeting.cancelled_reason = timezone.now(), reason
    meeting.sequence += 1
    # Only what cancelling changes: a title saved before titles were checked must not stop the people
    # registered from being told.
    meeting.full_clean(
        exclude=[f.name for f in Meeting._meta.fields if f.name not in ("cancelled_at", "cancelled_reason")]
    )
    meeting.save(update_fields=["cancelled_at", "cancelled_reason", "sequence", "updated_at"])
    audit.record(
        actor=actor,
        action="meeting.cancelled",
        target=meeting,
        space=meeting.space,
        summary=_("Meeting “%(title)s” cancelled: %(reason)s") % {"title": meeting.title, "reason": reason},
        public=True,
    )
    if meeting.is_network_event:
        registry.search_changed(EVENT_KIND, [meeting.pk])
    notify(
        kind="meeting_cancelled",
        recipients=selectors.people_coming(meeting),
        params={"title": meeting.title},
        url=meeting.get_absolute_url(),
        space=meeting.space,
        actor=actor,
        text=reason,
        key=f"meeting_cancelled:{meeting.pk}",
    )
    return meeting


@transaction.atomic
def meeting_set_credits(
    *, actor: User, meeting: Meeting, organisation: Organisation | None, minutes: int
) -> Meeting:
    """A host decides that attending earns time credits, paid from one of the space's organisations."""
    # Lock: confirming attendance at the same moment must pay the amount it read, not one changed under it.
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("space").get(pk=meeting.pk)
    access.require(access.can_set_credits(actor, meeting))
    if not isinstance(minutes, int) or not 0 <= minutes <= MAX_CREDIT_MINUTES:
        raise ValidationError({"minutes": _("Time credits are from 0 to 24 hours.")})
    if minutes % CREDIT_STEP:  # the timebank counts in quarter hours
        raise ValidationError(
            {"minutes": _("Time credits are given in quarter hours, for example 1.5 or 1.75 hours.")}
        )
    if minutes and organisation is None:
        raise ValidationError({"organisation": _("Choose the organisation that gives the time credits.")})
    if (
        organisation is not None
        and minutes
        and not meeting.space.organisations.filter(pk=organisation.pk).exists()
    ):
        raise ValidationError({"organisation": _("Choose one of the organisations involved in this space.")})
    before = audit.snapshot(meeting, ["credit_minutes", "credit_organisation"])
    meeting.credit_minutes, meeting.credit_organisation = minutes, organisation if minutes else None
    meeting.full_clean()
    changes = audit.diff(meeting, before, ["credit_minutes", "credit_organisation"])
    if not changes:
        return meeting
    meeting.save(update_fields=["credit_minutes", "credit_organisation", "updated_at"])
    audit.record(
        actor=actor,
        action="meeting.credits_set",
        target=meeting,
        space=meeting.space,
        summary=_("Attending “%(title)s” earns %(hours)s of time credits")
        % {
            "title": meeting.title,
            "hours": format_minutes(minutes),
        },
        changes=changes,
        public=True,
    )
    return meeting
