"""Network events: meetings of the network's own public space with a kind (conference, masterclass...).
Everything else (registration, the waiting list, access needs, changes, cancelling, reminders, feeds) is what
meetings already do; this file only plans an event, making the network's events space on first use."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core import audit, registry
from coproduce.people.models import User
from coproduce.spaces import services as space_services
from coproduce.spaces.models import Space, Visibility

from .. import access
from ..models import EventKind, Meeting
from ..selectors import NETWORK_EVENTS_SLUG, network_events_space
from .meetings import EVENT_KIND, MEETING_FIELDS, _clean, _validate


def _events_space(actor: User) -> Space:
    """The network's events space, made (public, with `actor` its first host) when the first event is planned."""
    space = network_events_space()
    if space is not None:
        return space
    try:
        with transaction.atomic():
            return space_services.space_create(
                actor=actor,
                title=str(_("Co-production network events")),
                purpose=str(
                    _(
                        "Conferences, masterclasses, practice exchanges and Co-production Week, run by the "
                        "network for everyone who co-produces."
                    )
                ),
                visibility=Visibility.PUBLIC,
                reserved_slug=NETWORK_EVENTS_SLUG,
            )
    except IntegrityError:
        # Another organiser planned the first event at the same moment: theirs made the space.
        return Space.objects.get(slug=NETWORK_EVENTS_SLUG)


@transaction.atomic
def event_create(*, actor: User, event_kind: str, **fields: Any) -> Meeting:
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise ValueError(f"not an event field: {', '.join(sorted(unknown))}")
    access.require(access.can_plan_event(actor, network_events_space()))
    # Made inside this transaction: bad input rolls the new space back with the event.
    meeting = Meeting(space=_events_space(actor), created_by=actor, event_kind=event_kind, **_clean(fields))
    errors: dict[str, list[str]] = {}
    if event_kind not in EventKind.values[1:]:
        errors["event_kind"] = [_("Choose what kind of event it is.")]
    try:
        _validate(meeting)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    meeting.save()
    audit.record(
        actor=actor,
        action="meeting.event_created",
        target=meeting,
        space=meeting.space,
        summary=_("Network event “%(title)s” planned for %(when)s")
        % {"title": meeting.title, "when": timezone.localtime(meeting.starts_at).strftime("%d %b %Y %H:%M")},
        changes={
            "event_kind": [None, meeting.event_kind],
            "starts_at": [None, meeting.starts_at],
            "format": [None, meeting.format],
        },
        public=True,
    )
    registry.search_changed(EVENT_KIND, [meeting.pk])
    return meeting
