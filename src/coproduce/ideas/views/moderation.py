"""What facilitators and hosts do: the reported comments, and deciding what becomes of an idea."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from coproduce.core.views import apply_errors
from coproduce.spaces import access as space_access

from .. import access, selectors, services
from ..forms import StatusForm


@login_required
def moderation(request, slug: str):
    space = space_access.get_space_for(request.user, slug)
    if not access.can_answer_reports(request.user, space):
        raise PermissionDenied
    return render(
        request,
        "ideas/moderation.html",
        {
            "space": space,
            "comments": selectors.reported_comments(space)[:100],
        },
    )


@login_required
def idea_status(request, slug: str, idea_id: int):
    space = space_access.get_space_for(request.user, slug, need=space_access.FACILITATOR)
    idea = access.get_idea_for(request.user, idea_id, space=space)
    form = StatusForm(request.POST or None, initial={"status": idea.status, "reason": idea.status_reason})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.idea_set_status(
                actor=request.user,
                idea=idea,
                status=data["status"],
                reason=data["reason"],
                merged_into=data.get("merged_into"),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The idea's status is saved, with your reason."))
            return redirect(idea)
    return render(
        request,
        "ideas/status_form.html",
        {"space": space, "idea": idea, "form": form},
        status=400 if request.method == "POST" else 200,
    )
