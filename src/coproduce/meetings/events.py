"""Reads for network events (meetings with an `event_kind`, in the network's events space): the events page
with its filters, the organisers' summary, the feeds, and what the hub, the search and other modules see."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coproduce.core.registry import HubSection, ModuleItem, SearchDocument, Source

from . import access, ical
from .models import EventKind, Meeting, MeetingFormat, Registration, RegistrationStatus
from .selectors import FEED_PAST, _event

EVENT_KIND = "meetings.event"
MONTH_FORMAT = "%Y-%m"


@dataclass(frozen=True)
class EventFilters:
    """What the events page was asked for; each value already checked (unknown ones are dropped)."""

    kind: str = ""
    format: str = ""
    month: dt.date | None = None
    when: str = "upcoming"

    @classmethod
    def parse(cls, params) -> EventFilters:
        kind = params.get("kind", "")
        how = params.get("format", "")
        month = None
        with contextlib.suppress(ValueError):  # not a month: no month filter
            month = dt.datetime.strptime(params.get("month", ""), MONTH_FORMAT).date()
        return cls(
            kind=kind if kind in EventKind.values[1:] else "",
            format=how if how in MeetingFormat.values else "",
            month=month,
            when="past" if params.get("when") == "past" else "upcoming",
        )


def network_events() -> QuerySet[Meeting]:
    return Meeting.objects.exclude(event_kind="")


def events(filters: EventFilters = EventFilters()) -> QuerySet[Meeting]:
    """Network events with their places taken and waiting, filtered; upcoming soonest first, past latest first.
    One query, however many events."""
    now = timezone.now()
    queryset = network_events().annotate(
        registered_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)
        ),
        waiting_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)),
    )
    if filters.kind:
        queryset = queryset.filter(event_kind=filters.kind)
    if filters.format:
        queryset = queryset.filter(format=filters.format)
    if filters.month:
        start = timezone.make_aware(dt.datetime.combine(filters.month, dt.time()))
        end = timezone.make_aware(
            dt.datetime.combine((filters.month + dt.timedelta(days=32)).replace(day=1), dt.time())
        )
        queryset = queryset.filter(starts_at__lt=end, ends_at__gte=start)
    if filters.when == "past":
        return queryset.filter(ends_at__lt=now).order_by("-starts_at", "-id")
    return queryset.filter(ends_at__gte=now).order_by("starts_at", "id")


def months_ahead(count: int = 12) -> list[tuple[str, str]]:
    """(value, label) of this month and the next ones, for the month filter."""
    first = timezone.localdate().replace(day=1)
    months = []
    for _n in range(count):
        months.append((first.strftime(MONTH_FORMAT), date_format(first, "F Y")))
        first = (first + dt.timedelta(days=32)).replace(day=1)
    return months


def places_left(meeting: Meeting, registered: int) -> int | None:
    """Places still free (None: no limit)."""
    if meeting.capacity is None:
        return None
    return max(meeting.capacity - registered, 0)


@dataclass(frozen=True)
class AccessSummary:
    """For organisers: how many people told them what would help, and what they said."""

    people: int  # registered or waiting
    with_needs: int
    needs: tuple[tuple[str, str, str], ...]  # (name, status label, what would help)


def access_summary(registrations: Iterable[Registration]) -> AccessSummary:
    rows = list(registrations)
    needs = tuple(
        (r.user.display_name, str(r.get_status_display()), r.access_needs)
        for r in rows
        if r.access_needs.strip()
    )
    return AccessSummary(people=len(rows), with_needs=len(needs), needs=needs)


# --- Feeds ----------------------------------------------------------------------------------------


def events_feed(*, base_url: str, host: str) -> str:
    """Every network event from three months ago on (cancelled ones too, so calendars drop them); never an
    online link, which only people registered see."""
    since = timezone.now() - FEED_PAST
    items = network_events().filter(ends_at__gte=since).select_related("space").order_by("starts_at", "id")
    return ical.calendar(
        _("Co-production network events"), (_event(m, base_url, with_link=False, host=host) for m in items)
    )


def event_ics(meeting: Meeting, user, *, base_url: str, host: str) -> str:
    """One event, with its online link for people who may see it (registered, organisers)."""
    from .selectors import registration_of

    with_link = access.can_see_online_link(user, meeting, registration_of(user, meeting))
    return ical.calendar(meeting.title, [_event(meeting, base_url, with_link=with_link, host=host)])


# --- What other modules see -----------------------------------------------------------------------


def event_source(meeting: Meeting) -> Source:
    """A network event as other modules see it ("help shape this event": a survey made for it). Ready while
    it is still to come; closed once it is over or cancelled."""
    over = meeting.is_cancelled or meeting.ends_at < timezone.now()
    return Source(
        kind=EVENT_KIND,
        pk=meeting.pk,
        space_id=meeting.space_id,
        title=meeting.title,
        text=meeting.description,
        url=meeting.get_absolute_url(),
        ready=not over and not meeting.has_started,
        closed=over,
    )


def event_source_for(user, pk: int) -> Source:
    """The registry's lookup for "meetings.event": Http404 when there is no such event."""
    return event_source(access.get_event_for(user, pk))


def _when(meeting: Meeting) -> str:
    return date_format(timezone.localtime(meeting.starts_at), "j M Y, H:i")


def hub_section(user) -> HubSection:
    """The hub home's "Coming events": the next three (one query)."""
    coming = (
        network_events()
        .filter(ends_at__gte=timezone.now(), cancelled_at__isnull=True)
        .order_by("starts_at", "id")[:3]
    )
    return HubSection(
        module="meetings",
        title=_("Coming events"),
        url=reverse("events:list"),
        rows=tuple(
            ModuleItem(
                title=m.title,
                url=reverse("events:detail", args=[m.pk]),
                status=f"{m.get_event_kind_display()} · {m.get_format_display()} · {_when(m)}",
            )
            for m in coming
        ),
        order=20,
    )


def search_documents(kind: str, pks: Sequence[int] | None) -> list[SearchDocument]:
    """Network events for the search (public: the events space is public); cancelled ones are not found."""
    if kind != EVENT_KIND:
        return []
    queryset = network_events().filter(cancelled_at__isnull=True)
    if pks is not None:
        queryset = queryset.filter(pk__in=list(pks))
    return [
        SearchDocument(
            kind=EVENT_KIND,
            pk=m.pk,
            title=m.title,
            body="\n".join(
                p
                for p in (
                    str(m.get_event_kind_display()),
                    str(m.get_format_display()),
                    m.description,
                    m.place_name,
                    m.address,
                    m.access_notes,
                )
                if p
            ),
            url=reverse("events:detail", args=[m.pk]),
            space_id=m.space_id,
            public=True,
            when=m.starts_at,
            place=m.place_name,
        )
        for m in queryset.order_by("pk")
    ]
