"""The meeting page's context, shared by the pages that show it again with a form's errors."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from coproduce.spaces.models import Space

from .. import access, selectors
from ..forms import AgendaItemForm, RegistrationForm
from ..models import DOTS_PER_MEMBER, AgendaItemStatus, Meeting, RegistrationStatus


def detail_context(request: HttpRequest, space: Space, meeting: Meeting, **extra: Any) -> dict[str, Any]:
    user = request.user
    registration = selectors.registration_of(user, meeting)
    is_member = access.is_member(user, meeting)
    items = (
        selectors.agenda(meeting, user)
        if (access.can_see_proposals(user, meeting) or meeting.agenda_is_published)
        else []
    )
    # What other modules offer from each item ("What became of it"): a fixed number of queries per page.
    selectors.item_links(items, meeting, user)
    on_agenda = selectors.on_agenda(items)
    for item in on_agenda:
        item.can_write_minutes = access.can_write_minutes(user, item)
    decisions = selectors.decisions(meeting)
    links = selectors.decision_links(decisions, user)
    for view in decisions:
        view.links = links[view.decision.pk]
    context: dict[str, Any] = {
        "space": space,
        "meeting": meeting,
        "registration": registration,
        "counts": selectors.registration_counts(meeting),
        "is_member": is_member,
        "is_facilitator": access.is_facilitator(user, meeting),
        "is_host": access.is_host(user, meeting),
        # What this person may do now: the same rules the services apply.
        "can": {
            "register": access.can_register(user, meeting),
            "propose": access.can_propose(user, meeting),
            "leave_off": access.can_leave_off(user, meeting),
            "publish": access.can_publish_agenda(user, meeting),
            "change": access.can_change(user, meeting),
            "cancel": access.can_cancel(user, meeting),
            "see_registrations": access.can_see_registrations(user, meeting),
            "print": access.can_print(user, meeting),
            "confirm_attendance": access.can_confirm_attendance(user, meeting),
            "record_decision": access.can_record_decision(user, meeting),
        },
        "show_link": access.can_see_online_link(user, meeting, registration),
        "show_names": access.shows_names(user, space),
        "can_see_minutes": access.can_see_minutes(user, meeting),
        "items": items,
        "on_agenda": on_agenda,
        "left_off": [i for i in items if i.status == AgendaItemStatus.LEFT_OFF],
        "proposed": [i for i in items if i.status == AgendaItemStatus.PROPOSED],
        "agenda_by_perspective": selectors.agenda_by_perspective(items),
        "dots_left": selectors.dots_left(user, meeting) if is_member else 0,
        "dots_per_member": DOTS_PER_MEMBER,
        "decisions": decisions,
        "credits": selectors.credit_hours(meeting),
        "credits_owed": selectors.credits_owed(meeting) if meeting.credit_minutes else 0,
        "timebank_ready": selectors.reward_hook() is not None,
        "registration_form": RegistrationForm(actor=user, space=space, auto_id="register_%s"),
        "item_form": AgendaItemForm(actor=user, space=space, auto_id="item_%s"),
    }
    if registration is not None and registration.status != RegistrationStatus.CANCELLED:
        # The facilitator already has a place: the form is for registering someone else.
        context["registration_form"].prefer_someone_else()
    if meeting.attendance_confirmed_at:
        # How many came is public, like the decisions; who came is for members.
        attendances = selectors.attendances(meeting)
        context["attended_count"] = attendances.count()
        if is_member:
            context["attendances"] = attendances
    context.update(extra)
    return context
