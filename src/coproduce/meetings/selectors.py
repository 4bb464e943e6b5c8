"""Reads for meetings: lists with counts, one meeting's agenda with dots, decisions by perspective, feeds."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coproduce.core import registry
from coproduce.core.registry import Source, Urgency, WaitingItem
from coproduce.lib.ledger import format_minutes
from coproduce.people.models import User
from coproduce.spaces import access as space_access
from coproduce.spaces.models import Membership, Perspective, Space

from . import access, ical
from .models import (
    DOTS_PER_MEMBER,
    AgendaItem,
    AgendaItemStatus,
    Attendance,
    CalendarFeed,
    CreditStatus,
    Decision,
    DecisionVoice,
    Dot,
    Meeting,
    Registration,
    RegistrationStatus,
    Stance,
)

NETWORK_EVENTS_SLUG = "network-events"  # the network's own space for its events (reserved in spaces)


def network_events_space() -> Space | None:
    """The space network events belong to, or None until the first one is planned."""
    return Space.objects.filter(slug=NETWORK_EVENTS_SLUG).first()


def meetings(space, *, when: str = "upcoming") -> QuerySet:
    now = timezone.now()
    queryset = Meeting.objects.filter(space=space).annotate(
        registered_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED), distinct=True
        ),
        waiting_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.WAITING), distinct=True
        ),
    )
    if when == "past":  # what matters once a meeting is over is who took part
        queryset = queryset.annotate(attended_count=Count("attendances", distinct=True))
        return queryset.filter(ends_at__lt=now).order_by("-starts_at", "-id")
    return queryset.filter(ends_at__gte=now).order_by("starts_at", "id")


def registration_of(user, meeting: Meeting) -> Registration | None:
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(meeting=meeting, user=user).first()


def registrations_of(user, meetings: list[Meeting]) -> dict[int, Registration]:
    """The person's own registration for each of many meetings, in one query (for lists)."""
    if not user.is_authenticated:
        return {}
    return {r.meeting_id: r for r in Registration.objects.filter(user=user, meeting__in=meetings)}


def registration_counts(meeting: Meeting) -> dict[str, int]:
    rows = dict(
        Registration.objects.filter(meeting=meeting).order_by().values_list("status").annotate(n=Count("pk"))
    )
    return {status: rows.get(status, 0) for status in RegistrationStatus.values}


def registrations(meeting: Meeting) -> QuerySet:
    """For facilitators: everyone registered or waiting, with their access needs."""
    return (
        Registration.objects.filter(meeting=meeting)
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("user")
        .order_by("status", "registered_at", "id")
    )


def coming(meeting: Meeting) -> QuerySet:
    """Everyone with a place (not the waiting list), in the order they registered: the attendance sheet."""
    return (
        Registration.objects.filter(meeting=meeting, status=RegistrationStatus.REGISTERED)
        .select_related("user")
        .order_by("registered_at", "id")
    )


def agenda(meeting: Meeting, user) -> list[Any]:
    """Items with their live dot count (or the count frozen at publication) and the user's own dots
    (`dot_total`, `my_dots`)."""
    queryset = (
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("proposed_by")
        .annotate(dots_now=Count("dots"))
    )
    if meeting.agenda_is_published:
        queryset = queryset.order_by("status", "position", "created_at", "id")
    else:
        queryset = queryset.order_by("-dots_now", "created_at", "id")
    items: list[Any] = list(queryset)
    mine: Counter[int] = Counter()
    if user.is_authenticated:
        mine = Counter(Dot.objects.filter(meeting=meeting, user=user).values_list("item_id", flat=True))
    for item in items:
        item.dot_total = item.dot_count if meeting.agenda_is_published else item.dots_now
        item.my_dots = mine.get(item.pk, 0)
    return items


def dots_left(user, meeting: Meeting) -> int:
    if not user.is_authenticated:
        return 0
    return DOTS_PER_MEMBER - Dot.objects.filter(meeting=meeting, user=user).count()


def on_agenda(items: list[Any]) -> list[Any]:
    return [i for i in items if i.status == AgendaItemStatus.ON_AGENDA]


def agenda_by_perspective(items: list[AgendaItem]) -> list[tuple[str, int]]:
    """Whose items made the published agenda: (perspective label, items), most first."""
    counts = Counter(i.proposer_perspective for i in items if i.status == AgendaItemStatus.ON_AGENDA)
    return [(str(Perspective(p).label), n) for p, n in counts.most_common()]


@dataclass
class DecisionView:
    decision: Decision
    # stance -> [(perspective, its label, people)], most first
    by_stance: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)
    names: dict[str, list[str]] = field(default_factory=dict)  # stance -> names (members only)
    totals: dict[str, int] = field(default_factory=dict)
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, url) other modules offer


def decisions(meeting: Meeting) -> list[DecisionView]:
    voices = DecisionVoice.objects.select_related("user").order_by("user__display_name")
    views = []
    for decision in (
        Decision.objects.filter(meeting=meeting)
        .select_related("agenda_item")
        .prefetch_related(Prefetch("voices", queryset=voices))
        .prefetch_related("actions")
    ):
        decision.meeting = meeting  # already at hand: no query per decision for its source
        by_stance: dict[str, Counter] = defaultdict(Counter)
        names: dict[str, list[str]] = defaultdict(list)
        for voice in decision.voices.all():
            by_stance[voice.stance][voice.perspective] += 1
            names[voice.stance].append(voice.user.display_name)
        views.append(
            DecisionView(
                decision=decision,
                by_stance={
                    s: [(p, str(Perspective(p).label), n) for p, n in by_stance[s].most_common()]
                    for s in Stance.values
                },
                names=dict(names),
                totals={s: sum(by_stance[s].values()) for s in Stance.values},
            )
        )
    return views


def attendances(meeting: Meeting) -> QuerySet:
    return Attendance.objects.filter(meeting=meeting).select_related("user").order_by("user__display_name")


def credits_owed(meeting: Meeting) -> int:
    return Attendance.objects.filter(meeting=meeting, credit_status=CreditStatus.OWED).count()


def people_coming(meeting: Meeting) -> QuerySet[User]:
    """The people with a place or on the waiting list."""
    return User.objects.filter(
        pk__in=Registration.objects.filter(
            meeting=meeting, status__in=[RegistrationStatus.REGISTERED, RegistrationStatus.WAITING]
        ).values("user_id")
    )


def members(space) -> QuerySet:
    return Membership.objects.filter(space=space).select_related("user").order_by("user__display_name")


def voters(meeting: Meeting) -> list[Membership]:
    """Whose stance a decision may record: the people who were there once attendance is confirmed, until
    then every member (the same rule `services.decision_record` applies)."""
    people = list(members(meeting.space))
    if meeting.attendance_confirmed_at is None:
        return people
    there = set(Attendance.objects.filter(meeting=meeting).values_list("user_id", flat=True))
    return [m for m in people if m.user_id in there]


# --- Time credits ---------------------------------------------------------------------------------

REWARD_HOOK = "reward_participation"  # a service the timebank's manifest offers to other modules


def reward_hook() -> Callable[..., Any] | None:
    """The timebank's payment for taking part, or None on a site without the timebank."""
    return registry.hook(REWARD_HOOK)


def credit_hours(meeting: Meeting) -> str:
    """The time credits attending earns, as the timebank writes hours ("1.5 h"); empty when none."""
    return format_minutes(meeting.credit_minutes) if meeting.credit_minutes else ""


# --- What other modules see of a decision ---------------------------------------------------------


def decision_source(decision: Decision) -> Source:
    """A decision as other modules see it (actions make it something someone owns)."""
    meeting = decision.meeting
    return Source(
        kind="meetings.decision",
        pk=decision.pk,
        space_id=meeting.space_id,
        title=decision.text,
        text=decision.text,
        url=f"{reverse('meetings:detail', args=[meeting.space.slug, meeting.pk])}#decision-{decision.pk}",
        ready=True,
    )


def decision_source_for(user, pk: int) -> Source:
    """The registry's lookup for "meetings.decision": Http404 when the person may not see it."""
    return decision_source(access.get_decision_for(user, pk))


def decision_links(views: list[DecisionView], user) -> dict[int, list[tuple[str, str]]]:
    """What other modules offer to make from each decision, for this person (e.g. "Make it an action")."""
    return {v.decision.pk: registry.links_for(decision_source(v.decision), user) for v in views}


# --- Calendar feeds -------------------------------------------------------------------------------


def token_hash(token: str) -> str:
    """What is kept of a calendar link's secret."""
    return hashlib.sha256(token.encode()).hexdigest()


def user_for_calendar_token(token: str) -> User | None:
    """The active person whose calendar link this is, or None."""
    feed = CalendarFeed.objects.select_related("user").filter(token_hash=token_hash(token or "")).first()
    if feed is None or not feed.user.is_active:
        return None
    return feed.user


FEED_PAST = dt.timedelta(days=92)


def _location(meeting: Meeting) -> str:
    parts = [meeting.place_name, meeting.address.replace("\n", ", ")] if meeting.is_in_person else []
    if meeting.is_online:
        parts.append(_("Online"))
    return ", ".join(p for p in parts if p)


def _event(meeting: Meeting, base_url: str, *, with_link: bool, host: str) -> ical.Event:
    description = [meeting.description]
    offers = meeting.access_offers()
    if offers:
        description.append(_("Access: %(offers)s") % {"offers": ", ".join(offers)})
    if meeting.access_notes:
        description.append(meeting.access_notes)
    if with_link and meeting.online_url:
        description.append(_("Join online: %(link)s") % {"link": meeting.online_url})
    if meeting.is_cancelled:
        description.insert(0, _("Cancelled: %(reason)s") % {"reason": meeting.cancelled_reason})
    return ical.Event(
        uid=f"meeting-{meeting.pk}@{host}",
        start=meeting.starts_at,
        end=meeting.ends_at,
        stamp=meeting.updated_at,
        summary=meeting.title,
        description="\n\n".join(d for d in description if d),
        location=_location(meeting),
        url=f"{base_url}{meeting.get_absolute_url()}",
        cancelled=meeting.is_cancelled,
        sequence=meeting.sequence,
    )


def space_feed(space: Space, *, base_url: str, host: str) -> str:
    since = timezone.now() - FEED_PAST
    items = (
        Meeting.objects.filter(space=space, ends_at__gte=since).select_related("space").order_by("starts_at")
    )
    return ical.calendar(space.title, (_event(m, base_url, with_link=False, host=host) for m in items))


def person_feed(user, *, base_url: str, host: str) -> str:
    """The meetings a person registered for (or waits for), in spaces they may still see."""
    since = timezone.now() - FEED_PAST
    registered = (
        Registration.objects.filter(user=user, meeting__ends_at__gte=since)
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("meeting__space")
        .order_by("meeting__starts_at")
    )
    events = [
        _event(r.meeting, base_url, with_link=r.status == RegistrationStatus.REGISTERED, host=host)
        for r in registered
        if space_access.can_view(user, r.meeting.space)
    ]
    return ical.calendar(_("%(name)s: meetings") % {"name": user.display_name}, events)


# --- The person's home ----------------------------------------------------------------------------


def _count(queryset: QuerySet) -> Coalesce:
    """A correlated COUNT of `queryset` (already filtered on the outer meeting), 0 when there is none."""
    counted = queryset.order_by().values("meeting").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _registration_detail(registration: Registration) -> str:
    if registration.status == RegistrationStatus.WAITING:
        said = _("You are on the waiting list.")
    else:
        said = _("You are registered.")
    if registration.access_needs.strip():
        needs = Truncator(" ".join(registration.access_needs.split())).chars(100)
        return said + " " + _("Your access needs are noted: %(needs)s") % {"needs": needs}
    return said + " " + _("You have noted no access needs.")


def waiting_items(user) -> list[WaitingItem]:
    """For the person's home (the manifest's "waiting_for"): the meetings to come they are registered for
    (or waiting for a place at), with what they said would help them take part, and the agendas open for
    their dots. Meetings of spaces they are a member of only. Two queries, however many meetings."""
    if not user.is_authenticated:
        return []
    now = timezone.now()
    items = []
    # Meetings of the person's spaces, and network events (open to everyone, so no membership). EXISTS, not a
    # join: a join on the events space's memberships would repeat the row once per host.
    member = Exists(Membership.objects.filter(space=OuterRef("meeting__space"), user=user))
    registrations = (
        Registration.objects.filter(
            Q(member) | ~Q(meeting__event_kind=""),
            user=user,
            status__in=[RegistrationStatus.REGISTERED, RegistrationStatus.WAITING],
            meeting__ends_at__gte=now,
            meeting__cancelled_at__isnull=True,
        )
        .select_related("meeting__space")
        .order_by("meeting__starts_at", "id")
    )
    for registration in registrations:
        meeting = registration.meeting
        items.append(
            WaitingItem(
                module="meetings",
                kind="meeting",
                title=(_("Event: %(meeting)s") if meeting.is_network_event else _("Meeting: %(meeting)s"))
                % {"meeting": meeting.title},
                url=meeting.get_absolute_url(),
                urgency=Urgency.DUE,
                due=meeting.starts_at,
                detail=_registration_detail(registration),
                space_title=meeting.space.title,
            )
        )
    proposed = AgendaItem.objects.filter(meeting=OuterRef("pk"), status=AgendaItemStatus.PROPOSED)
    mine = Dot.objects.filter(meeting=OuterRef("pk"), user=user)
    open_agendas = (
        Meeting.objects.filter(
            space__memberships__user=user,
            agenda_published_at__isnull=True,
            cancelled_at__isnull=True,
            starts_at__gt=now,
        )
        .annotate(proposed=_count(proposed), used=_count(mine))
        .filter(proposed__gt=0, used__lt=DOTS_PER_MEMBER)
        .select_related("space")
        .order_by("starts_at", "id")
    )
    for meeting in open_agendas:
        left = DOTS_PER_MEMBER - meeting.used
        items.append(
            WaitingItem(
                module="meetings",
                kind="agenda",
                title=_("Choose what matters on the agenda of %(meeting)s") % {"meeting": meeting.title},
                url=reverse("meetings:detail", args=[meeting.space.slug, meeting.pk]) + "#agenda",
                urgency=Urgency.OPEN,
                due=meeting.starts_at,
                detail=ngettext("%(items)s item proposed.", "%(items)s items proposed.", meeting.proposed)
                % {"items": meeting.proposed}
                + " "
                + ngettext("You have %(n)s dot left.", "You have %(n)s dots left.", left) % {"n": left},
                space_title=meeting.space.title,
            )
        )
    return items


# --- From an idea to an agenda --------------------------------------------------------------------


def meetings_open_for_proposals(space: Space) -> QuerySet[Meeting]:
    """The space's meetings still to come whose agenda members may still add to (`Meeting.agenda_is_open`),
    soonest first."""
    return (
        Meeting.objects.filter(
            space=space,
            cancelled_at__isnull=True,
            agenda_published_at__isnull=True,
            starts_at__gt=timezone.now(),
        )
        .select_related("space")
        .order_by("starts_at", "id")
    )


def idea_agenda_url(source: Source, user) -> str | None:
    """The page that puts an idea on a meeting's agenda (the Link meetings offers on `ideas.idea`), for members
    of the idea's space while a meeting there takes proposals and the idea is not closed; None else."""
    if source.closed or not getattr(user, "is_authenticated", False):
        return None
    # The membership is usually known already (the idea page asked); then this costs one query.
    if not space_access.has_role(user, Space(pk=source.space_id), space_access.MEMBER):
        return None
    meeting = meetings_open_for_proposals(Space(pk=source.space_id)).first()
    if meeting is None:
        return None
    name = "meetings:from_statement" if source.kind == "conversations.statement" else "meetings:from_idea"
    return reverse(name, args=[meeting.space.slug, source.pk])


def item_links(items: list[Any], meeting: Meeting, user) -> None:
    """Set `links` on each agenda item of `meeting`: what other modules offer from it (the trail's "What became
    of it"). The items are known to belong to `meeting`, so nothing is looked up per item here; a module's
    link looks up what it needs once per page (see quality's `trail_url`)."""
    from .trail import as_source

    for item in items:
        item.meeting = meeting
        item.links = registry.links_for(as_source(item), user)
