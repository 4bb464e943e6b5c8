"""After the meeting: who was there (and the time credits it earned), and what was decided."""

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

from .. import access, selectors, services
from ..forms import AttendanceForm, DecisionForm
from ..models import CreditStatus


@login_required
def attendance(request: SignedInRequest, slug: str, meeting_id: int) -> HttpResponse:
    space = space_access.get_space_for(request.user, slug)
    meeting = access.get_meeting_for(request.user, meeting_id, space=space)
    access.require_role(access.can_confirm_attendance(request.user, meeting))
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
            "credits": selectors.credit_hours(meeting),
            "timebank_ready": selectors.reward_hook() is not None,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def pay_owed(request: SignedInRequest, slug: str, meeting_id: int) -> HttpResponse:
    space = space_access.get_space_for(request.user, slug)
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
def decision_create(request: SignedInRequest, slug: str, meeting_id: int) -> HttpResponse:
    space = space_access.get_space_for(request.user, slug)
    meeting = access.get_meeting_for(request.user, meeting_id, space=space)
    access.require_role(access.can_record_decision(request.user, meeting))
    items = selectors.on_agenda(selectors.agenda(meeting, request.user))
    initial = {"agenda_item": request.GET.get("item", "")}
    form = DecisionForm(request.POST or None, items=items, people=selectors.voters(meeting), initial=initial)
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
