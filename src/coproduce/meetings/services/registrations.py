"""Places at a meeting: registration within capacity, a first-come waiting list, and promotion from it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core import audit
from coproduce.notifications.kinds import OnBehalfAct
from coproduce.notifications.services import acted_on_behalf, notify
from coproduce.people.models import User
from coproduce.spaces.access import participant_for

from .. import access
from ..models import Meeting, Registration, RegistrationStatus


def promote_waiting(meeting: Meeting) -> list[Registration]:
    """Give free places to the people waiting longest, and tell them. The caller holds the lock on the
    meeting row."""
    if meeting.is_cancelled or meeting.has_started:
        return []
    # Lock the rows promoted: a person cancelling their wait at this moment keeps their choice.
    waiting = (
        Registration.objects.select_for_update(of=("self",))
        .filter(meeting=meeting, status=RegistrationStatus.WAITING)
        .select_related("user")
        .order_by("registered_at", "id")
    )
    if meeting.capacity is not None:
        taken = Registration.objects.filter(meeting=meeting, status=RegistrationStatus.REGISTERED).count()
        free = meeting.capacity - taken
        if free <= 0:
            return []
        waiting = waiting[:free]
    promoted = list(waiting)
    for registration in promoted:
        registration.status = RegistrationStatus.REGISTERED
        registration.save(update_fields=["status", "updated_at"])
        audit.record(
            actor=None,
            action="meeting.registration_promoted",
            target=registration,
            space=meeting.space,
            summary=_("%(name)s got a place at “%(title)s” from the waiting list")
            % {"name": registration.user, "title": meeting.title},
            changes={"status": [RegistrationStatus.WAITING, RegistrationStatus.REGISTERED]},
        )
        notify(
            kind="meeting_place_given",
            recipients=[registration.user],
            params={"title": meeting.title},
            url=meeting.get_absolute_url(),
            space=meeting.space,
            # A person may wait, get a place, cancel and wait again: each place given is its own event.
            key=f"meeting_place_given:{registration.pk}:{registration.registered_at.isoformat()}",
        )
    return promoted


@transaction.atomic
def registration_create(
    *, actor: User, meeting: Meeting, access_needs: str = "", on_behalf_of: User | None = None
) -> Registration:
    if meeting.is_network_event:
        # Open to anyone signed in, who registers themself: nobody acts for a member of a space that has none.
        if on_behalf_of is not None and on_behalf_of.pk != actor.pk:
            raise ValidationError({"on_behalf_of": _("Each person registers for a network event themself.")})
        person, for_whom = actor, None
    else:
        person, for_whom = participant_for(actor, meeting.space, on_behalf_of)
    # Lock the meeting row: two people asking for the last place at once must not both get it. (On SQLite the
    # IMMEDIATE transaction already serialises writers; on PostgreSQL this lock does.)
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("space").get(pk=meeting.pk)
    access.require(access.can_register(person, meeting))
    existing = Registration.objects.filter(meeting=meeting, user=person).first()
    if existing is not None and existing.status != RegistrationStatus.CANCELLED:
        if for_whom:
            raise ValidationError(
                (
                    _("%(name)s is already registered.")
                    if existing.status == RegistrationStatus.REGISTERED
                    else _("%(name)s is already on the waiting list.")
                )
                % {"name": person}
            )
        raise ValidationError(
            _("You are already registered.")
            if existing.status == RegistrationStatus.REGISTERED
            else _("You are already on the waiting list.")
        )
    status = RegistrationStatus.REGISTERED
    if meeting.capacity is not None:
        taken = Registration.objects.filter(meeting=meeting, status=RegistrationStatus.REGISTERED).count()
        queue = Registration.objects.filter(meeting=meeting, status=RegistrationStatus.WAITING).exists()
        if taken >= meeting.capacity or queue:  # nobody jumps the queue
            status = RegistrationStatus.WAITING
    registration = existing or Registration(meeting=meeting, user=person)
    registration.status, registration.access_needs = status, (access_needs or "").strip()
    registration.registered_at = timezone.now()
    registration.full_clean(validate_unique=False)
    registration.save()
    event = audit.record(
        actor=actor,
        on_behalf_of=for_whom,
        action="meeting.registered",
        target=registration,
        space=meeting.space,
        summary=(
            _("%(name)s registered for “%(title)s”")
            if status == RegistrationStatus.REGISTERED
            else _("%(name)s joined the waiting list for “%(title)s”")
        )
        % {"name": person, "title": meeting.title},
        changes={"status": [existing.status if existing else None, status]},
    )
    acted_on_behalf(
        actor=actor,
        person=for_whom,
        act=OnBehalfAct.REGISTRATION,
        url=meeting.get_absolute_url(),
        space=meeting.space,
        key=str(event.pk),
    )
    return registration


@transaction.atomic
def registration_cancel(*, actor: User, registration: Registration) -> Registration:
    """The person (or a facilitator) cancels; a freed place goes to the first person waiting."""
    # Lock the meeting, then the registration: a cancellation racing a new registration must give the freed
    # place to the queue, not to whoever was quicker.
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("space")
        .get(pk=registration.meeting_id)
    )
    registration = (
        Registration.objects.select_for_update(of=("self",)).select_related("user").get(pk=registration.pk)
    )
    registration.meeting = meeting
    access.require(access.can_cancel_registration(actor, registration))
    before = registration.status
    registration.status = RegistrationStatus.CANCELLED
    registration.save(update_fields=["status", "updated_at"])
    event = audit.record(
        actor=actor,
        on_behalf_of=registration.user if registration.user_id != actor.pk else None,
        action="meeting.registration_cancelled",
        target=registration,
        space=meeting.space,
        summary=_("%(name)s cancelled their place at “%(title)s”")
        % {"name": registration.user, "title": meeting.title},
        changes={"status": [before, RegistrationStatus.CANCELLED]},
    )
    acted_on_behalf(
        actor=actor,
        person=registration.user,
        act=OnBehalfAct.REGISTRATION_CANCELLED,
        url=meeting.get_absolute_url(),
        space=meeting.space,
        key=str(event.pk),
    )
    if before == RegistrationStatus.REGISTERED:
        promote_waiting(meeting)
    return registration
