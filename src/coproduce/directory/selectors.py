"""Reads for the directory's pages, the API and the manifest (home page, hub, network admin, search)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coproduce.core.registry import (
    HubSection,
    ModuleItem,
    NetworkAdminSection,
    SearchDocument,
    Urgency,
    WaitingItem,
)
from coproduce.lib import matching
from coproduce.people.access import can_admin_network
from coproduce.spaces.models import StageKind

from . import access
from .models import Block, HelpRequest, Listing, Message, Offer, Report, Thread

NETWORK_ROWS = 5
CANDIDATES = 500  # the most listings a request's suggestions are worked out from


def listings(viewer, *, stage: str = "", offer: str = "", place: str = "", q: str = "") -> QuerySet[Listing]:
    """Listed people the viewer may see (never anyone a block stands between), with the filters."""
    found = Listing.objects.filter(person__is_active=True).select_related("person")
    hidden = access.blocked_ids(viewer)
    if hidden:
        found = found.exclude(person_id__in=hidden)
    if stage:
        found = found.filter(stages__contains=f" {stage} ")
    if offer:
        found = found.filter(offers__contains=f" {offer} ")
    if place.strip():
        found = found.filter(place__icontains=place.strip())
    for word in q.split()[:5]:
        found = found.filter(
            Q(skills__icontains=word)
            | Q(interests__icontains=word)
            | Q(experience__icontains=word)
            | Q(intro__icontains=word)
            | Q(lived_experience_of__icontains=word)
        )
    return found.order_by("person__display_name", "person_id")


def listed_count() -> int:
    return Listing.objects.filter(person__is_active=True).count()


# --- Suggestions -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggested:
    listing: Listing
    score: int
    reasons: str  # in words: "Knows co-design; offers mentoring; also in Renfrewshire"


def reason_words(reasons: Sequence[matching.Reason]) -> str:
    """A suggestion's reasons as one sentence, in the reader's language."""
    parts = []
    for reason in reasons:
        if reason.code == "stage":
            parts.append(_("Knows %(stage)s") % {"stage": str(StageKind(reason.value).label).lower()})
        elif reason.code == "offer":
            parts.append(_("offers %(offer)s") % {"offer": str(Offer(reason.value).label).lower()})
        elif reason.code == "lived":
            parts.append(_("has lived experience of %(what)s") % {"what": reason.value})
        elif reason.code == "place":
            parts.append(_("also in %(place)s") % {"place": reason.value})
        elif reason.code == "words":
            parts.append(_("mentions %(words)s") % {"words": reason.value})
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


def candidate_of(listing: Listing) -> matching.Candidate:
    return matching.Candidate(
        person_id=listing.person_id,
        name=listing.person.display_name,
        offers=frozenset(listing.offer_list),
        stages=frozenset(listing.stage_list),
        place=listing.place,
        about=" ".join([listing.intro, listing.skills, listing.experience, listing.interests]),
        lived_experience_of=listing.lived_experience_of,
    )


def suggestions(help_request: HelpRequest, *, limit: int = 5) -> list[Suggested]:
    """Listed people for a request, best first, with their reasons (lib/matching.py has the scoring).
    Never the asker, nor anyone a block stands between. Two queries."""
    asker = help_request.asker
    pool = Listing.objects.filter(person__is_active=True).exclude(person_id=asker.pk)
    wanted = Q(offers__contains=f" {help_request.kind} ")
    if help_request.stage:
        wanted |= Q(stages__contains=f" {help_request.stage} ")
    rows = {
        listing.person_id: listing for listing in pool.filter(wanted).select_related("person")[:CANDIDATES]
    }
    need = matching.Need(
        kind=help_request.kind,
        asker_id=asker.pk,
        stage=help_request.stage,
        place=help_request.place,
        text=f"{help_request.description} {help_request.lived_experience_of}",
        lived_experience_of=help_request.lived_experience_of,
    )
    found = matching.suggest(
        need, [candidate_of(row) for row in rows.values()], exclude=access.blocked_ids(asker), limit=limit
    )
    return [Suggested(rows[s.person_id], s.score, reason_words(s.reasons)) for s in found]


# --- Conversations ---------------------------------------------------------------------------------------


def threads_of(user) -> list[dict]:
    """The person's conversations, latest first: the other person's name, how many messages they have not
    read, and when the last was sent. Two queries."""
    threads = list(
        Thread.objects.filter(Q(first=user) | Q(second=user))
        .select_related("first", "second")
        .annotate(
            unread=Count("messages", filter=Q(messages__recipient=user, messages__read_at__isnull=True))
        )
        .order_by("-last_message_at", "-id")[:200]
    )
    return [
        {"thread": t, "other": t.other(user), "unread": t.unread, "last_message_at": t.last_message_at}
        for t in threads
    ]


def messages_of(thread: Thread) -> QuerySet[Message]:
    return thread.messages.select_related("sender").order_by("created_at", "id")


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Message.objects.filter(recipient=user, read_at__isnull=True).count()


# --- Manifest ---------------------------------------------------------------------------------------------


def waiting_items(user) -> list[WaitingItem]:
    """For the home page: "Ann sent you a message", one item per conversation with unread messages.
    One query."""
    if not user.is_authenticated:
        return []
    rows = (
        Message.objects.filter(recipient=user, read_at__isnull=True)
        .values("thread_id", "sender__display_name")
        .annotate(n=Count("pk"), last=Max("created_at"))
        .order_by("-last")[:20]
    )
    return [
        WaitingItem(
            module="directory",
            kind="message",
            title=ngettext("%(name)s sent you a message", "%(name)s sent you %(n)s messages", row["n"])
            % {"name": row["sender__display_name"], "n": row["n"]},
            url=reverse("directory:thread", args=[row["thread_id"]]),
            urgency=Urgency.WAITING_ON_YOU,
            due=row["last"],
            detail=_("Read it and reply when you can."),
        )
        for row in rows
    ]


def open_reports() -> QuerySet[Report]:
    return (
        Report.objects.filter(resolved_at__isnull=True)
        .select_related("reporter", "message__sender", "listed_person__directory_listing")
        .order_by("created_at", "id")
    )


def _report_label(report: Report) -> str:
    if report.message is not None:
        return _("A message from %(name)s") % {"name": report.message.sender.display_name}
    name = report.listed_person.display_name if report.listed_person is not None else ""
    return _("The listing of %(name)s") % {"name": name}


def network_section(user) -> NetworkAdminSection | None:
    """The directory's part of the network admin screen: the reports nobody has looked at. Two queries."""
    if not can_admin_network(user):
        return None
    reports = open_reports()
    count = reports.count()
    url = reverse("directory:moderation")
    rows = tuple((_report_label(r), url) for r in reports[:NETWORK_ROWS])
    return NetworkAdminSection(
        module="directory",
        title=_("Reports on messages and the directory"),
        url=url,
        needs_attention=count,
        rows=rows,
    )


def hub_section(user) -> HubSection | None:
    """On the hub's home page, for signed-in members only: how many people are listed. One query."""
    if not access.can_use(user):
        return None
    n = listed_count()
    return HubSection(
        module="directory",
        title=_("People to learn from"),
        url=reverse("directory:list"),
        rows=(
            ModuleItem(
                title=ngettext("%(n)s person is listed", "%(n)s people are listed", n) % {"n": n},
                url=reverse("directory:list"),
                status=_("Ask for help") if n else "",
            ),
        ),
        order=40,
    )


def search_hidden(viewer, kind: str) -> set[int]:
    """The listed people a viewer must not find in the search: those who blocked them and those they
    blocked (one query; nothing for someone not signed in, who finds no listing anyway)."""
    if kind != "directory.person" or not getattr(viewer, "is_authenticated", False):
        return set()
    pairs = Block.objects.filter(Q(blocker=viewer) | Q(blocked=viewer)).values_list(
        "blocker_id", "blocked_id"
    )
    return {blocked if blocker == viewer.pk else blocker for blocker, blocked in pairs}


def search_documents(kind: str, pks: Sequence[int] | None) -> list[SearchDocument]:
    """Listed people for the network search (`pk` is the person's id), for signed-in people only
    (`public=False`). Someone who left is not given, so the search forgets them."""
    if kind != "directory.person":
        return []
    found = Listing.objects.filter(person__is_active=True).select_related("person")
    if pks is not None:
        found = found.filter(person_id__in=list(pks))
    return [
        SearchDocument(
            kind="directory.person",
            pk=listing.person_id,
            title=listing.person.display_name,
            body=" ".join(
                part
                for part in (
                    listing.intro,
                    listing.skills,
                    listing.experience,
                    listing.interests,
                    ", ".join(listing.offer_labels()),
                )
                if part
            ),
            url=listing.get_absolute_url(),
            public=False,
            when=listing.updated_at,
            place=listing.place,
            stages=tuple(listing.stage_list),
        )
        for listing in found.iterator(chunk_size=500)
    ]
