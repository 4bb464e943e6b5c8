"""Planning meetings: the list, one meeting's page, and planning, changing and cancelling it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from coproduce.core.views import apply_errors
from coproduce.people.http import SignedInRequest
from coproduce.spaces import access as space_access

from .. import access, selectors, services
from ..forms import CreditsForm, MeetingForm, ReasonForm
from ..models import Meeting
from ._detail import detail_context


def meeting_list(request: HttpRequest, slug: str) -> HttpResponse:
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
            "can_plan": access.can_plan(request.user, space),
        },
    )


@login_required
def meeting_create(request: SignedInRequest, slug: str) -> HttpResponse:
    space = space_access.get_space_for(request.user, slug)
    access.require_role(access.can_plan(request.user, space))
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


def meeting_detail(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    space = space_access.get_space_for(request.user, slug)
    meeting = access.get_meeting_for(request.user, meeting_id, space=space)
    if meeting.is_network_event:
        return redirect(meeting)  # a network event's page is at /events/<id>/
    return render(request, "meetings/detail.html", detail_context(request, space, meeting))


@login_required
def meeting_edit(request: SignedInRequest, slug: str, meeting_id: int) -> HttpResponse:
    space = space_access.get_space_for(request.user, slug)
    meeting = access.get_meeting_for(request.user, meeting_id, space=space)
    access.require_role(access.can_change(request.user, meeting))
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
def meeting_cancel(request: SignedInRequest, slug: str, meeting_id: int) -> HttpResponse:
    space = space_access.get_space_for(request.user, slug)
    meeting = access.get_meeting_for(request.user, meeting_id, space=space)
    access.require_role(access.can_cancel(request.user, meeting))
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
def credits(request: SignedInRequest, slug: str, meeting_id: int) -> HttpResponse:
    space = space_access.get_space_for(request.user, slug)
    meeting = access.get_meeting_for(request.user, meeting_id, space=space)
    access.require_role(access.can_set_credits(request.user, meeting))
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
