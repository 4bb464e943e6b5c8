"""Agendas set by members: anyone proposes, everyone prioritises with dots, a facilitator publishes."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coproduce.core import audit, registry
from coproduce.notifications.kinds import OnBehalfAct
from coproduce.notifications.services import acted_on_behalf
from coproduce.people.models import User
from coproduce.spaces.access import participant_for

from .. import access
from ..models import DOTS_PER_MEMBER, AgendaItem, AgendaItemStatus, Dot, Meeting


@transaction.atomic
def agenda_item_propose(
    *,
    actor: User,
    meeting: Meeting,
    title: str,
    description: str = "",
    on_behalf_of: User | None = None,
    source_idea_id: int | None = None,
) -> AgendaItem:
    """Propose an item; `source_idea_id` names the idea it comes from (read through the registry: it must be
    one the actor may see, in the meeting's space), so the idea's trail shows the meeting."""
    person, for_whom = participant_for(actor, meeting.space, on_behalf_of)
    access.require(access.can_propose(person, meeting))
    if source_idea_id is not None:
        try:
            idea = registry.source("ideas.idea", actor, source_idea_id)
        except Http404:
            idea = None
        if idea is None or idea.space_id != meeting.space_id:
            raise ValidationError({"source_idea_id": [_("That idea is not in this space.")]})
        if idea.closed:
            raise ValidationError({"source_idea_id": [_("That idea was closed, so it goes on no agenda.")]})
    item = AgendaItem(
        meeting=meeting,
        title=(title or "").strip(),
        description=(description or "").strip(),
        proposed_by=person,
        proposer_perspective=access.perspective_in(person, meeting),
        entered_by=actor if for_whom is not None else None,
        source_idea_id=source_idea_id,
    )
    item.full_clean()
    item.save()
    event = audit.record(
        actor=actor,
        on_behalf_of=for_whom,
        action="meeting.agenda_item_proposed",
        target=item,
        space=meeting.space,
        summary=_(
            "Agenda item “%(title)s” proposed for “%(meeting)s” by a member taking part as %(perspective)s"
        )
        % {
            "title": item.title,
            "meeting": meeting.title,
            "perspective": item.get_proposer_perspective_display().lower(),
        },
        changes={"proposer_perspective": [None, item.proposer_perspective]},
        public=True,
    )
    acted_on_behalf(
        actor=actor,
        person=for_whom,
        act=OnBehalfAct.AGENDA_ITEM,
        url=f"{meeting.get_absolute_url()}#item-{item.pk}",
        space=meeting.space,
        key=str(event.pk),
    )
    return item


@transaction.atomic
def dot_add(*, actor: User, item: AgendaItem, on_behalf_of: User | None = None) -> Dot:
    """Put one of your dots on an item. Several dots may go on the same item."""
    meeting = item.meeting
    person, for_whom = participant_for(actor, meeting.space, on_behalf_of)
    access.require(access.can_propose(person, meeting))
    if item.status != AgendaItemStatus.PROPOSED:
        raise ValidationError(_("This item was left off the agenda."))
    perspective = access.perspective_in(person, meeting)
    for _attempt in range(3):
        used = set(Dot.objects.filter(meeting=meeting, user=person).values_list("slot", flat=True))
        free = [slot for slot in range(1, DOTS_PER_MEMBER + 1) if slot not in used]
        if not free:
            raise ValidationError(
                ngettext(
                    "You have used your %(n)s dot. Take it off an item to move it.",
                    "You have used all %(n)s dots. Take one off an item to move it.",
                    DOTS_PER_MEMBER,
                )
                % {"n": DOTS_PER_MEMBER}
            )
        dot = Dot(meeting=meeting, item=item, user=person, perspective=perspective, slot=free[0])
        try:
            # Two clicks at once may pick the same free slot: the unique constraint lets only one win,
            # and the other looks again.
            with transaction.atomic():
                dot.save()
        except IntegrityError:
            continue
        break
    else:  # pragma: no cover - three collisions in a row
        raise ValidationError(_("Too many changes at once. Please try again."))
    event = audit.record(
        actor=actor,
        on_behalf_of=for_whom,
        action="meeting.dot_added",
        target=item,
        space=meeting.space,
        summary=_("A dot on “%(title)s”") % {"title": item.title},
        changes={"perspective": [None, perspective]},
    )
    acted_on_behalf(
        actor=actor,
        person=for_whom,
        act=OnBehalfAct.DOT,
        url=f"{meeting.get_absolute_url()}#item-{item.pk}",
        space=meeting.space,
        key=str(event.pk),
    )
    return dot


@transaction.atomic
def dot_remove(*, actor: User, item: AgendaItem, on_behalf_of: User | None = None) -> None:
    meeting = item.meeting
    person, for_whom = participant_for(actor, meeting.space, on_behalf_of)
    access.require(access.can_propose(person, meeting))
    dot = Dot.objects.filter(item=item, user=person).order_by("-slot").first()
    if dot is None:
        raise ValidationError(_("You have no dot on this item."))
    dot.delete()
    event = audit.record(
        actor=actor,
        on_behalf_of=for_whom,
        action="meeting.dot_removed",
        target=item,
        space=meeting.space,
        summary=_("A dot taken off “%(title)s”") % {"title": item.title},
    )
    acted_on_behalf(
        actor=actor,
        person=for_whom,
        act=OnBehalfAct.DOT_REMOVED,
        url=f"{meeting.get_absolute_url()}#item-{item.pk}",
        space=meeting.space,
        key=str(event.pk),
    )


@transaction.atomic
def agenda_item_leave_off(*, actor: User, item: AgendaItem, reason: str) -> AgendaItem:
    """A facilitator leaves an item off (a duplicate, out of scope), saying why to everyone."""
    # Lock the meeting: publishing at the same moment must not put a left-off item on the agenda.
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("space").get(pk=item.meeting_id)
    access.require(access.can_leave_off(actor, meeting))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why: the person who proposed it will read it.")})
    # Lock the item: two facilitators leaving it off at once record one reason, not two.
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if item.status != AgendaItemStatus.PROPOSED:
        raise ValidationError(_("This item was already left off."))
    item.status, item.left_off_reason = AgendaItemStatus.LEFT_OFF, reason
    item.full_clean()
    item.save(update_fields=["status", "left_off_reason"])
    Dot.objects.filter(item=item).delete()  # the dots go back to their owners
    audit.record(
        actor=actor,
        action="meeting.agenda_item_left_off",
        target=item,
        space=meeting.space,
        summary=_("Agenda item “%(title)s” left off: %(reason)s") % {"title": item.title, "reason": reason},
        public=True,
    )
    return item


@transaction.atomic
def agenda_publish(*, actor: User, meeting: Meeting) -> Sequence[AgendaItem]:
    """Publish the agenda in the order members gave it: most dots first, then first proposed."""
    # Lock: no dot may land between counting and publishing.
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("space").get(pk=meeting.pk)
    access.require(access.can_publish_agenda(actor, meeting))
    items = list(
        AgendaItem.objects.filter(meeting=meeting, status=AgendaItemStatus.PROPOSED)
        .annotate(dots_now=Count("dots"))
        .order_by("-dots_now", "created_at", "id")
    )
    if not items:
        raise ValidationError(_("Nobody has proposed an item yet, so there is no agenda to publish."))
    for position, item in enumerate(items, start=1):
        item.position, item.dot_count, item.status = position, item.dots_now, AgendaItemStatus.ON_AGENDA
        item.save(update_fields=["position", "dot_count", "status"])
    meeting.agenda_published_at, meeting.agenda_published_by = timezone.now(), actor
    meeting.sequence += 1
    meeting.save(update_fields=["agenda_published_at", "agenda_published_by", "sequence", "updated_at"])
    audit.record(
        actor=actor,
        action="meeting.agenda_published",
        target=meeting,
        space=meeting.space,
        summary=ngettext(
            "Agenda for “%(title)s” published with %(n)s item",
            "Agenda for “%(title)s” published with %(n)s items",
            len(items),
        )
        % {"title": meeting.title, "n": len(items)},
        changes={"items": [None, [i.title for i in items]]},
        public=True,
    )
    return items


@transaction.atomic
def minutes_record(*, actor: User, item: AgendaItem, minutes: str) -> AgendaItem:
    meeting = item.meeting
    access.require(access.can_write_minutes(actor, item))
    # Lock: two facilitators saving at once must each see the other's change in the audit trail.
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    before = audit.snapshot(item, ["minutes"])
    item.minutes, item.minutes_by = (minutes or "").strip(), actor
    item.full_clean()
    changes = audit.diff(item, before, ["minutes"])
    if not changes:
        return item
    item.save(update_fields=["minutes", "minutes_by"])
    audit.record(
        actor=actor,
        action="meeting.minutes_recorded",
        target=item,
        space=meeting.space,
        summary=_("Minutes written for “%(title)s”") % {"title": item.title},
        changes=changes,
    )
    return item
