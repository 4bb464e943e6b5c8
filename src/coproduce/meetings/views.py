"""Meeting pages. Each view: parse → access → service → render. Changes are POSTs that work without
JavaScript; the dot-voting buttons swap a fragment with htmx when it is there."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.core.views import apply_errors
from coproduce.spaces import access as space_access

from . import access, selectors, services
from .forms import (
    AgendaItemForm,
    AttendanceForm,
    CreditsForm,
    DecisionForm,
    MeetingForm,
    MinutesForm,
    ReasonForm,
    RegistrationForm,
)
from .models import DOTS_PER_MEMBER, AgendaItemStatus, CreditStatus, Meeting, RegistrationStatus
from .services import outcomes
from .services.meetings import format_minutes


def meeting_list(request, slug: str):
    space = space_access.get_space_for(request.user, slug)
    past = Paginator(selectors.meetings(space, when="past"), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/list.html",
        {
            "space": space,
            "upcoming": selectors.meetings(space)[:50],
            "past": past,
            "query": "",
            "can_plan": space_access.has_role(request.user, space, space_access.FACILITATOR),
        },
    )


@login_required
def meeting_create(request, slug: str):
    space = space_access.get_space_for(request.user, slug, need=space_access.FACILITATOR)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(actor=request.user, space=space, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("The meeting is planned. Members can now register and propose agenda items.")
            )
            return redirect(meeting)
    return render(
        request,
        "meetings/meeting_form.html",
        {"space": space, "form": form},
        status=400 if form.errors else 200,
    )


def _detail_context(request, space, meeting: Meeting, **extra) -> dict:
    user = request.user
    registration = selectors.registration_of(user, meeting)
    is_member = access.is_member(user, meeting)
    is_facilitator = access.is_facilitator(user, meeting)
    items = (
        selectors.agenda(meeting, user)
        if (access.can_see_proposals(user, meeting) or meeting.agenda_is_published)
        else []
    )
    context = {
        "space": space,
        "meeting": meeting,
        "registration": registration,
        "counts": selectors.registration_counts(meeting),
        "is_member": is_member,
        "is_facilitator": is_facilitator,
        "is_host": access.is_host(user, meeting),
        "show_link": access.can_see_online_link(user, meeting, registration),
        "show_names": access.shows_names(user, space),
        "can_see_minutes": access.can_see_minutes(user, meeting),
        "items": items,
        "on_agenda": [i for i in items if i.status == AgendaItemStatus.ON_AGENDA],
        "left_off": [i for i in items if i.status == AgendaItemStatus.LEFT_OFF],
        "proposed": [i for i in items if i.status == AgendaItemStatus.PROPOSED],
        "agenda_by_perspective": selectors.agenda_by_perspective(items),
        "dots_left": selectors.dots_left(user, meeting) if is_member else 0,
        "dots_per_member": DOTS_PER_MEMBER,
        "decisions": selectors.decisions(meeting),
        "credits": format_minutes(meeting.credit_minutes) if meeting.credit_minutes else "",
        "credits_owed": selectors.credits_owed(meeting) if meeting.credit_minutes else 0,
        "timebank_ready": outcomes.timebank_reward() is not None,
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


def meeting_detail(request, slug: str, meeting_id: int):
    space = space_access.get_space_for(request.user, slug)
    meeting = access.get_meeting_for(request.user, meeting_id, space=space)
    return render(request, "meetings/detail.html", _detail_context(request, space, meeting))


@login_required
def meeting_edit(request, slug: str, meeting_id: int):
    space = space_access.get_space_for(request.user, slug, need=space_access.FACILITATOR)
    meeting = access.get_meeting_for(request.user, meeting_id, space=space)
    form = MeetingForm(request.POST or None, instance=Meeting.objects.get(pk=meeting.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved. People registered are told if the time or place changed."))
            return redirect(meeting)
    return render(
        request,
        "meetings/meeting_form.html",
        {"space": space, "form": form, "meeting": meeting},
        status=400 if form.errors else 200,
    )


@login_required
def meeting_cancel(request, slug: str, meeting_id: int):
    space = space_access.get_space_for(request.user, slug, need=space_access.FACILITATOR)
    meeting = access.get_meeting_for(request.user, meeting_id, space=space)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_cancel(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error, default_field="reason")
        else:
            messages.success(request, _("The meeting is cancelled and the people registered are told."))
            return redirect(meeting)
    return render(
        request,
        "meetings/reason_form.html",
        {
            "space": space,
            "meeting": meeting,
            "form": form,
            "title": _("Cancel the meeting"),
            "button": _("Cancel the meeting"),
        },
        status=400 if form.errors else 200,
    )


@login_required
def credits(request, slug: str, meeting_id: int):
    space = space_access.get_space_for(request.user, slug, need=space_access.HOST)
    meeting = access.get_meeting_for(request.user, meeting_id, space=space)
    initial = {"organisation": meeting.credit_organisation_id or "", "hours": meeting.credit_minutes / 60}
    form = CreditsForm(request.POST or None, space=space, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_set_credits(
                actor=request.user,
                meeting=meeting,
                organisation=form.cleaned_data["organisation"],
                minutes=form.cleaned_data["minutes"],
            )
        except ValidationError as error:
            apply_errors(form, error, default_field="hours")
        else:
            messages.success(request, _("Saved."))
            return redirect(meeting)
    return render(
        request,
        "meetings/credits_form.html",
        {"space": space, "meeting": meeting, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def register(request, slug: str, meeting_id: int):
    space = space_access.get_space_for(request.user, slug, need=space_access.MEMBER)
    meeting = access.get_meeting_for(request.user, meeting_id, space=space)
    form = RegistrationForm(request.POST, actor=request.user, space=space, auto_id="register_%s")
    if form.is_valid():
        try:
            registration = services.registration_create(
                actor=request.user, meeting=meeting, **form.cleaned_data
            )
        except ValidationError as error:
            if "on_behalf_of" in getattr(error, "error_dict", {}):
                apply_errors(form, error)  # about the person chosen: shown beside the choice
            else:
                # Already registered, cancelled, started: about the meeting, not what was typed.
                messages.error(request, " ".join(error.messages))
                return redirect(meeting)
        else:
            messages.success(request, _registered(registration, request.user))
            return redirect(meeting)
    return render(
        request,
        "meetings/detail.html",
        _detail_context(request, space, meeting, registration_form=form),
        status=400,
    )


def _registered(registration, actor) -> str:
    registered = registration.status == RegistrationStatus.REGISTERED
    if registration.user_id == actor.pk:
        return (
            _("You are registered. It is in your calendar feed.")
            if registered
            else _(
                "The meeting is full, so you are on the waiting list. We will email you if a place comes free."
            )
        )
    return (
        _("%(name)s is registered.")
        if registered
        else _("The meeting is full, so %(name)s is on the waiting list.")
    ) % {"name": registration.user.display_name}


@login_required
@require_POST
def unregister(request, slug: str, meeting_id: int):
    space = space_access.get_space_for(request.user, slug, need=space_access.MEMBER)
    meeting = access.get_meeting_for(request.user, meeting_id, space=space)
    registration = selectors.registration_of(request.user, meeting)
    if registration is None:
        raise Http404
    try:
        services.registration_cancel(actor=request.user, registration=registration)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your place is cancelled. Thank you for letting us know."))
    return redirect(meeting)


@login_required
def registrations(request, slug: str, meeting_id: int):
    space = space_access.get_space_for(request.user, slug, need=space_access.FACILITATOR)
    meeting = access.get_meeting_for(request.user, meeting_id, space=space)
    return render(
        request,
        "meetings/registrations.html",
        {
            "space": space,
            "meeting": meeting,
            "registrations": selectors.registrations(meeting),
        },
    )


@login_required
@require_POST
def propose(request, slug: str, meeting_id: int):
    space = space_access.get_space_for(request.user, slug, need=space_access.MEMBER)
    meeting = access.get_meeting_for(request.user, meeting_id, space=space)
    form = AgendaItemForm(request.POST, actor=request.user, space=space, auto_id="item_%s")
    if form.is_valid():
        try:
            item = services.agenda_item_propose(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error, default_field="title")
        else:
            if item.proposed_by_id == request.user.pk:
                messages.success(request, _("Your item is proposed. Members can now put their dots on it."))
            else:
                messages.success(
                    request,
                    _("The item is proposed for %(name)s. Members can now put their dots on it.")
                    % {"name": item.proposed_by.display_name},
                )
            return redirect(f"{meeting.get_absolute_url()}#agenda")
    return render(
        request, "meetings/detail.html", _detail_context(request, space, meeting, item_form=form), status=400
    )


@login_required
@require_POST
def dot(request, slug: str, meeting_id: int, item_id: int):
    space = space_access.get_space_for(request.user, slug, need=space_access.MEMBER)
    meeting = access.get_meeting_for(request.user, meeting_id, space=space)
    item = access.get_item_for(request.user, item_id, meeting=meeting)
    remove = request.POST.get("remove") == "1"
    error = None
    try:
        if remove:
            services.dot_remove(actor=request.user, item=item)
        else:
            services.dot_add(actor=request.user, item=item)
    except ValidationError as problem:
        error = " ".join(problem.messages)
    if request.htmx:
        context = _detail_context(request, space, meeting, dot_error=error, dot_error_item=item.pk)
        return render(request, "meetings/_proposed.html", context, status=400 if error else 200)
    if error:
        messages.error(request, error)
    return redirect(f"{meeting.get_absolute_url()}#item-{item.pk}")


@login_required
def leave_off(request, slug: str, meeting_id: int, item_id: int):
    space = space_access.get_space_for(request.user, slug, need=space_access.FACILITATOR)
    meeting = access.get_meeting_for(request.user, meeting_id, space=space)
    item = access.get_item_for(request.user, item_id, meeting=meeting)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_leave_off(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error, default_field="reason")
        else:
            messages.success(
                request, _("The item is left off, with your reason. Its dots went back to their owners.")
            )
            return redirect(f"{meeting.get_absolute_url()}#agenda")
    return render(
        request,
        "meetings/reason_form.html",
        {
            "space": space,
            "meeting": meeting,
            "form": form,
            "item": item,
            "title": _("Leave an item off the agenda"),
            "button": _("Leave it off"),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def publish(request, slug: str, meeting_id: int):
    space = space_access.get_space_for(request.user, slug, need=space_access.FACILITATOR)
    meeting = access.get_meeting_for(request.user, meeting_id, space=space)
    try:
        services.agenda_publish(actor=request.user, meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The agenda is published, in the order members gave it."))
    return redirect(f"{meeting.get_absolute_url()}#agenda")


@login_required
def minutes(request, slug: str, meeting_id: int, item_id: int):
    space = space_access.get_space_for(request.user, slug, need=space_access.FACILITATOR)
    meeting = access.get_meeting_for(request.user, meeting_id, space=space)
    item = access.get_item_for(request.user, item_id, meeting=meeting)
    form = MinutesForm(request.POST or None, initial={"minutes": item.minutes})
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_record(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error, default_field="minutes")
        else:
            messages.success(request, _("Minutes saved."))
            return redirect(f"{meeting.get_absolute_url()}#item-{item.pk}")
    return render(
        request,
        "meetings/minutes_form.html",
        {"space": space, "meeting": meeting, "item": item, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def attendance(request, slug: str, meeting_id: int):
    space = space_access.get_space_for(request.user, slug, need=space_access.FACILITATOR)
    meeting = access.get_meeting_for(request.user, meeting_id, space=space)
    recorded = list(selectors.attendances(meeting))
    form = AttendanceForm(
        request.POST or None, members=selectors.members(space), recorded={a.user_id for a in recorded}
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = services.attendance_confirm(
                actor=request.user, meeting=meeting, people=form.cleaned_data["people"]
            )
        except ValidationError as error:
            apply_errors(form, error, default_field="people")
        else:
            note = _("Attendance confirmed.")
            if result["paid"]:
                note += " " + _("Time credits paid to %(n)s people.") % {"n": result["paid"]}
            if result["owed"]:
                note += " " + _(
                    "Time credits owed to %(n)s people: they will be paid when the timebank can pay them."
                ) % {"n": result["owed"]}
            messages.success(request, note)
            return redirect(meeting)
    return render(
        request,
        "meetings/attendance.html",
        {
            "space": space,
            "meeting": meeting,
            "form": form,
            "recorded": recorded,
            "owed": any(a.credit_status == CreditStatus.OWED for a in recorded),
            "credits": format_minutes(meeting.credit_minutes) if meeting.credit_minutes else "",
            "timebank_ready": outcomes.timebank_reward() is not None,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def pay_owed(request, slug: str, meeting_id: int):
    space = space_access.get_space_for(request.user, slug, need=space_access.FACILITATOR)
    meeting = access.get_meeting_for(request.user, meeting_id, space=space)
    result = services.credits_pay_owed(actor=request.user, meeting=meeting)
    if result["owed"]:
        messages.error(
            request, _("%(paid)s paid; %(owed)s still owed. See the notes beside each person.") % result
        )
    else:
        messages.success(request, _("%(paid)s time credits paid.") % result)
    return redirect("meetings:attendance", slug=space.slug, meeting_id=meeting.pk)


@login_required
def decision_create(request, slug: str, meeting_id: int):
    space = space_access.get_space_for(request.user, slug, need=space_access.FACILITATOR)
    meeting = access.get_meeting_for(request.user, meeting_id, space=space)
    attended = {a.user_id for a in selectors.attendances(meeting)}
    people = [m for m in selectors.members(space) if not attended or m.user_id in attended]
    items = [i for i in selectors.agenda(meeting, request.user) if i.status == AgendaItemStatus.ON_AGENDA]
    initial = {"agenda_item": request.GET.get("item", "")}
    form = DecisionForm(request.POST or None, items=items, people=people, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.decision_record(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error, default_field="text")
        else:
            messages.success(
                request, _("The decision is recorded. Make it an action so that someone owns it.")
            )
            return redirect(f"{meeting.get_absolute_url()}#decision-{decision.pk}")
    return render(
        request,
        "meetings/decision_form.html",
        {"space": space, "meeting": meeting, "form": form},
        status=400 if form.errors else 200,
    )


# --- Calendar feeds -------------------------------------------------------------------------------


def _ics(request, body: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=900"
    return response


def _base(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def space_calendar(request, slug: str):
    space = space_access.get_space_for(request.user, slug)
    if not space.is_public and not space_access.has_role(request.user, space, space_access.MEMBER):
        raise Http404
    body = selectors.space_feed(space, base_url=_base(request), host=request.get_host().split(":")[0])
    return _ics(request, body, f"{space.slug}.ics")


@login_required
def my_calendar(request):
    if request.method == "POST":
        token = services.calendar_feed_create(actor=request.user)
        request.session["calendar_url"] = request.build_absolute_uri(
            reverse("my_calendar:feed", args=[token])
        )
        return redirect("my_calendar:page")
    return render(
        request,
        "meetings/my_calendar.html",
        {
            "feed_url": request.session.pop("calendar_url", None),
            "has_feed": hasattr(request.user, "calendar_feed"),
        },
    )


def person_calendar(request, token: str):
    user = services.user_for_calendar_token(token)
    if user is None:
        raise Http404
    body = selectors.person_feed(user, base_url=_base(request), host=request.get_host().split(":")[0])
    return _ics(request, body, "my-meetings.ics")
