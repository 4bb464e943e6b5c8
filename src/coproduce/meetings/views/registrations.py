"""Places at a meeting: registering (oneself or someone one helps), cancelling, and who is coming."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.core.views import apply_errors
from coproduce.people.http import SignedInRequest
from coproduce.spaces import access as space_access

from .. import access, selectors, services
from ..forms import RegistrationForm
from ..models import Registration, RegistrationStatus
from ._detail import detail_context


@login_required
@require_POST
def register(request: SignedInRequest, slug: str, meeting_id: int) -> HttpResponse:
    space = space_access.get_space_for(request.user, slug)
    meeting = access.get_meeting_for(request.user, meeting_id, space=space)
    access.require_role(access.can_register(request.user, meeting))
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
        detail_context(request, space, meeting, registration_form=form),
        status=400,
    )


def _registered(registration: Registration, actor) -> str:
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
def unregister(request: SignedInRequest, slug: str, meeting_id: int) -> HttpResponse:
    space = space_access.get_space_for(request.user, slug)
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
def registrations(request: SignedInRequest, slug: str, meeting_id: int) -> HttpResponse:
    space = space_access.get_space_for(request.user, slug)
    meeting = access.get_meeting_for(request.user, meeting_id, space=space)
    access.require_role(access.can_see_registrations(request.user, meeting))
    return render(
        request,
        "meetings/registrations.html",
        {"space": space, "meeting": meeting, "registrations": selectors.registrations(meeting)},
    )
