"""Network events: the events page, one event, registering, the organisers' page and the calendar feeds.
An event is a meeting, so registering, cancelling and changing go through the same services and access rules."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.core import registry
from coproduce.core.views import apply_errors
from coproduce.people.http import SignedInRequest

from .. import access, events, selectors, services
from ..forms import EventFilterForm, EventForm, EventRegistrationForm, ReasonForm
from ..models import Meeting, RegistrationStatus
from .calendar import _base, _ics


def event_list(request: HttpRequest) -> HttpResponse:
    filters = events.EventFilters.parse(request.GET)
    months = events.months_ahead()
    if filters.month and filters.month.strftime(events.MONTH_FORMAT) not in dict(months):
        value = filters.month.strftime(events.MONTH_FORMAT)
        months.append((value, value))
    form = EventFilterForm(
        initial={
            "kind": filters.kind,
            "format": filters.format,
            "month": filters.month.strftime(events.MONTH_FORMAT) if filters.month else "",
        },
        months=months,
    )
    page = Paginator(events.events(filters).select_related("space"), 20).get_page(request.GET.get("page"))
    mine = selectors.registrations_of(request.user, list(page.object_list))
    for event in page.object_list:
        event.places_left = events.places_left(event, event.registered_count)
        event.my_status = mine[event.pk].status if event.pk in mine else ""
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "meetings/events/list.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "can_plan": access.can_plan_event(request.user, selectors.network_events_space()),
        },
    )


def _detail_context(request: HttpRequest, meeting: Meeting, **extra) -> dict:
    user = request.user
    registration = selectors.registration_of(user, meeting)
    counts = selectors.registration_counts(meeting)
    context = {
        "meeting": meeting,
        "registration": registration,
        "counts": counts,
        "places_left": events.places_left(meeting, counts[RegistrationStatus.REGISTERED]),
        "is_organiser": access.is_facilitator(user, meeting),
        "can": {
            "register": access.can_register(user, meeting),
            "change": access.can_change(user, meeting),
            "cancel": access.can_cancel(user, meeting),
            "see_registrations": access.can_see_registrations(user, meeting),
        },
        "show_link": access.can_see_online_link(user, meeting, registration),
        # "Help shape this event" and what else other modules offer (surveys: a survey before it).
        "links": registry.links_for(events.event_source(meeting), user),
        "registration_form": EventRegistrationForm(auto_id="register_%s"),
    }
    context.update(extra)
    return context


def event_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    meeting = access.get_event_for(request.user, event_id)
    return render(request, "meetings/events/detail.html", _detail_context(request, meeting))


@login_required
def event_create(request: SignedInRequest) -> HttpResponse:
    access.require_role(access.can_plan_event(request.user, selectors.network_events_space()))
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.event_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The event is planned. Anyone signed in can now register."))
            return redirect(meeting)
    return render(request, "meetings/events/form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def event_edit(request: SignedInRequest, event_id: int) -> HttpResponse:
    meeting = access.get_event_for(request.user, event_id)
    access.require_role(access.can_change(request.user, meeting))
    form = EventForm(request.POST or None, instance=Meeting.objects.get(pk=meeting.pk))
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
        "meetings/events/form.html",
        {"form": form, "meeting": meeting},
        status=400 if form.errors else 200,
    )


@login_required
def event_cancel(request: SignedInRequest, event_id: int) -> HttpResponse:
    meeting = access.get_event_for(request.user, event_id)
    access.require_role(access.can_cancel(request.user, meeting))
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_cancel(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error, default_field="reason")
        else:
            messages.success(request, _("The event is cancelled and the people registered are told."))
            return redirect(meeting)
    return render(
        request,
        "meetings/reason_form.html",
        {
            "meeting": meeting,
            "form": form,
            "title": _("Cancel the event"),
            "button": _("Cancel the event"),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def event_register(request: SignedInRequest, event_id: int) -> HttpResponse:
    meeting = access.get_event_for(request.user, event_id)
    access.require_role(access.can_register(request.user, meeting))
    form = EventRegistrationForm(request.POST, auto_id="register_%s")
    if form.is_valid():
        try:
            registration = services.registration_create(
                actor=request.user, meeting=meeting, access_needs=form.cleaned_data["access_needs"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))  # already registered, started: not the form's
            return redirect(meeting)
        if registration.status == RegistrationStatus.REGISTERED:
            messages.success(request, _("You are registered. It is in your calendar feed."))
        else:
            messages.success(
                request,
                _(
                    "The event is full, so you are on the waiting list. We will tell you if a place comes free."
                ),
            )
        return redirect(meeting)
    return render(
        request,
        "meetings/events/detail.html",
        _detail_context(request, meeting, registration_form=form),
        status=400,
    )


@login_required
@require_POST
def event_unregister(request: SignedInRequest, event_id: int) -> HttpResponse:
    meeting = access.get_event_for(request.user, event_id)
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
def event_registrations(request: SignedInRequest, event_id: int) -> HttpResponse:
    meeting = access.get_event_for(request.user, event_id)
    access.require_role(access.can_see_registrations(request.user, meeting))
    registrations = list(selectors.registrations(meeting))
    return render(
        request,
        "meetings/events/registrations.html",
        {
            "meeting": meeting,
            "registered": [r for r in registrations if r.status == RegistrationStatus.REGISTERED],
            "waiting": [r for r in registrations if r.status == RegistrationStatus.WAITING],
            "summary": events.access_summary(registrations),
            "places_left": events.places_left(
                meeting, sum(r.status == RegistrationStatus.REGISTERED for r in registrations)
            ),
        },
    )


def _cell(value: str) -> str:
    """A spreadsheet runs a cell starting with = + - @ as a formula; a leading apostrophe stops that."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@login_required
def event_registrations_csv(request: SignedInRequest, event_id: int) -> HttpResponse:
    meeting = access.get_event_for(request.user, event_id)
    access.require_role(access.can_see_registrations(request.user, meeting))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Name"), _("Place"), _("Registered at"), _("Access needs")])
    for r in selectors.registrations(meeting):
        writer.writerow(
            [
                _cell(r.user.display_name),
                str(r.get_status_display()),
                r.registered_at.isoformat(timespec="minutes"),
                _cell(r.access_needs),
            ]
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{meeting.pk}-registrations.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


def events_calendar(request: HttpRequest) -> HttpResponse:
    body = events.events_feed(base_url=_base(request), host=request.get_host().split(":")[0])
    return _ics(body, "network-events.ics")


def event_calendar(request: HttpRequest, event_id: int) -> HttpResponse:
    meeting = access.get_event_for(request.user, event_id)
    body = events.event_ics(
        meeting, request.user, base_url=_base(request), host=request.get_host().split(":")[0]
    )
    return _ics(body, f"event-{meeting.pk}.ics")
