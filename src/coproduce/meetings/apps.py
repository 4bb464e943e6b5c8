from typing import cast

from django.apps import AppConfig
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from coproduce.core import registry
from coproduce.core.registry import Link, ModuleItem, ModuleManifest, PersonalDataKind, Source, lazy


def items_for_stage(stage, user) -> list[ModuleItem]:
    """The next meetings (up to three) and a link to all of them, for anyone who may see the space."""
    from coproduce.spaces import access

    from .models import Meeting

    space = stage.space
    if not access.can_view(user, space):
        return []
    # The space page asks once per stage (co-design and co-delivery): look once per page.
    upcoming = getattr(space, "_upcoming_meetings", None)
    if upcoming is None:
        upcoming = space._upcoming_meetings = list(
            Meeting.objects.filter(
                space=space, ends_at__gte=timezone.now(), cancelled_at__isnull=True
            ).order_by("starts_at")[:3]
        )
    items = [
        ModuleItem(
            title=meeting.title,
            url=reverse("meetings:detail", args=[space.slug, meeting.pk]),
            status=date_format(timezone.localtime(meeting.starts_at), "j M Y, H:i"),
        )
        for meeting in upcoming
    ]
    items.append(ModuleItem(title=str(_("All meetings")), url=reverse("meetings:list", args=[space.slug])))
    return items


def decision_source(user, pk: int) -> Source:
    """ "meetings.decision": what was decided at a meeting, for whoever may see the meeting (Http404 else)."""
    from . import selectors

    return selectors.decision_source_for(user, pk)


def agenda_item_source(user, pk: int) -> Source:
    """ "meetings.agenda_item": an agenda item, for whoever may see it (Http404 else)."""
    from .trail import agenda_item_source as lookup

    return lookup(user, pk)


def idea_agenda_url(source: Source, user) -> str | None:
    """Where a member puts an idea on a meeting's agenda (see selectors.idea_agenda_url)."""
    from . import selectors

    return selectors.idea_agenda_url(source, user)


def waiting_items(user) -> list:
    """For the person's home: meetings they are going to and agendas open for their dots."""
    from . import selectors

    return selectors.waiting_items(user)


def quality_evidence(space):
    """This module's counts for the quality check (see evidence.py)."""
    from .evidence import evidence

    return evidence(space)


def quality_records(space, measure, stages, perspectives, *, limit: int):
    """The records behind one of those counts (see evidence.py)."""
    from .evidence import evidence_records

    return evidence_records(space, measure, stages, perspectives, limit=limit)


def trail(kind, pks, viewer):
    """What became of other modules' objects, as far as this module knows (see trail.py)."""
    from .trail import trail as steps

    return steps(kind, pks, viewer)


def contributions(viewer, *, space=None, author=None, limit=None):
    """What people said in this module, for "you said, we did" (see trail.py)."""
    from .trail import contributions as said

    return said(viewer, space=space, author=author, limit=limit)


class MeetingsConfig(AppConfig):
    name = "coproduce.meetings"
    label = "meetings"
    verbose_name = _("Meetings")
    manifest = ModuleManifest(
        name="meetings",
        evidence=quality_evidence,
        evidence_records=quality_records,
        trail=trail,
        contributions=contributions,
        # Translated lazily, when shown (the registry keeps them as they are given).
        label=cast(str, _("Meetings")),
        description=cast(
            str,
            _(
                "Meetings whose agendas members set: registration with access needs, dot voting, "
                "minutes, decisions by perspective, calendar feeds."
            ),
        ),
        stages=("co_design", "co_delivery"),
        items_for_stage=items_for_stage,
        sources={
            "meetings.decision": decision_source,
            "meetings.agenda_item": agenda_item_source,
            # A network event, for "help shape this event" (surveys links a survey to it).
            "meetings.event": registry.lazy("coproduce.meetings.events", "event_source_for"),
        },
        # Network events: the hub home's "Coming events", and the network search.
        hub_section=registry.lazy("coproduce.meetings.events", "hub_section"),
        search_documents=registry.lazy("coproduce.meetings.events", "search_documents"),
        search_kinds=("meetings.event",),
        waiting_for=waiting_items,
        # What people said becomes something a meeting talks about: the idea page shows this link.
        links=(
            Link("ideas.idea", cast(str, _("Put it on a meeting's agenda")), idea_agenda_url),
            # Common ground from a conversation, carried to a decision (same page, same rules).
            Link("conversations.statement", cast(str, _("Put it on a meeting's agenda")), idea_agenda_url),
        ),
        personal_data=lazy("coproduce.meetings.privacy", "personal_data"),
        erase=lazy("coproduce.meetings.privacy", "erase"),
        personal_data_described=(
            PersonalDataKind(
                what=_("Access needs you tell us when you register for a meeting."),
                why=_("So that the facilitators can make the meeting work for you."),
                on_erasure=_("Removed. Also removed automatically a set time after the meeting."),
                special=True,
                retention="access_needs",
            ),
            PersonalDataKind(
                what=_(
                    "Meetings you register for and attend, agenda items you propose, your dots and where you stood on decisions."
                ),
                why=_("To plan meetings, pay time credits, and keep a record of decisions."),
                on_erasure=_(
                    "Your places at meetings to come are given up; the rest is kept as a “Former member”’s."
                ),
            ),
        ),
        personal_data_models=(
            "meetings.Meeting",
            "meetings.Registration",
            "meetings.AgendaItem",
            "meetings.Dot",
            "meetings.Attendance",
            "meetings.Decision",
            "meetings.DecisionVoice",
            "meetings.CalendarFeed",
        ),
        retention={"access_needs": lazy("coproduce.meetings.privacy", "expire_access_needs")},
    )

    def ready(self) -> None:
        from . import tasks  # noqa: F401 - registers the reminders with huey
