"""Setting the agenda: proposing, dots (with or without htmx), leaving items off, publishing, minutes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.core.views import apply_errors
from coproduce.people.http import SignedInRequest
from coproduce.spaces import access as space_access

from .. import access, services
from ..forms import AgendaItemForm, MinutesForm, ReasonForm
from ._detail import detail_context


@login_required
@require_POST
def propose(request: SignedInRequest, slug: str, meeting_id: int) -> HttpResponse:
    space = space_access.get_space_for(request.user, slug)
    meeting = access.get_meeting_for(request.user, meeting_id, space=space)
    access.require_role(access.can_propose(request.user, meeting))
    form = AgendaItemForm(request.POST, actor=request.user, space=space, auto_id="item_%s")
    if form.is_valid():
        try:
            item = services.agenda_item_propose(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                # About the agenda (published, the meeting started), not what was typed: the form is gone.
                messages.error(request, " ".join(error.messages))
                return redirect(f"{meeting.get_absolute_url()}#agenda")
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
        request, "meetings/detail.html", detail_context(request, space, meeting, item_form=form), status=400
    )


@login_required
@require_POST
def dot(request: SignedInRequest, slug: str, meeting_id: int, item_id: int) -> HttpResponse:
    space = space_access.get_space_for(request.user, slug)
    meeting = access.get_meeting_for(request.user, meeting_id, space=space)
    access.require_role(access.can_propose(request.user, meeting))
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
    if request.htmx:  # type: ignore[attr-defined]  # django-htmx's middleware adds it
        context = detail_context(request, space, meeting, dot_error=error, dot_error_item=item.pk)
        return render(request, "meetings/_proposed.html", context, status=400 if error else 200)
    if error:
        messages.error(request, error)
    return redirect(f"{meeting.get_absolute_url()}#item-{item.pk}")


@login_required
def leave_off(request: SignedInRequest, slug: str, meeting_id: int, item_id: int) -> HttpResponse:
    space = space_access.get_space_for(request.user, slug)
    meeting = access.get_meeting_for(request.user, meeting_id, space=space)
    access.require_role(access.can_leave_off(request.user, meeting))
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
def publish(request: SignedInRequest, slug: str, meeting_id: int) -> HttpResponse:
    space = space_access.get_space_for(request.user, slug)
    meeting = access.get_meeting_for(request.user, meeting_id, space=space)
    access.require_role(access.can_publish_agenda(request.user, meeting))
    try:
        services.agenda_publish(actor=request.user, meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The agenda is published, in the order members gave it."))
    return redirect(f"{meeting.get_absolute_url()}#agenda")


@login_required
def minutes(request: SignedInRequest, slug: str, meeting_id: int, item_id: int) -> HttpResponse:
    space = space_access.get_space_for(request.user, slug)
    meeting = access.get_meeting_for(request.user, meeting_id, space=space)
    access.require_role(access.can_run(request.user, meeting))
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
