"""Setting the agenda: proposing, dots (with or without htmx), leaving items off, publishing, minutes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.core import registry
from coproduce.core.ratelimit import limited
from coproduce.core.views import apply_errors
from coproduce.people.http import SignedInRequest
from coproduce.spaces import access as space_access

from .. import access, selectors, services
from ..forms import (
    ITEM_DESCRIPTION_MAX,
    ITEM_TITLE_MAX,
    AgendaItemForm,
    AgendaItemFromIdeaForm,
    MinutesForm,
    ReasonForm,
)
from ..models import Meeting
from ._detail import detail_context


@login_required
@require_POST
@limited("post")
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
def from_idea(request: SignedInRequest, slug: str, idea_id: int) -> HttpResponse:
    """Put an idea on the agenda of one of the space's meetings still taking proposals: the item starts with
    the idea's title and text and keeps the idea's id, so the idea's trail shows the meeting."""
    return _from_source(request, slug, "ideas.idea", idea_id)


@login_required
def from_statement(request: SignedInRequest, slug: str, statement_id: int) -> HttpResponse:
    """Put a conversation's statement (common ground, say) on a meeting's agenda, the same way."""
    return _from_source(request, slug, "conversations.statement", statement_id)


def _from_source(request: SignedInRequest, slug: str, kind: str, source_id: int) -> HttpResponse:
    space = space_access.get_space_for(request.user, slug)
    idea = registry.source(kind, request.user, source_id)  # Http404 when it may not be seen
    if idea.space_id != space.pk:
        raise Http404
    if idea.closed:
        messages.error(request, _("This idea was closed, so it goes on no meeting's agenda."))
        return redirect(idea.url)
    if not space_access.has_role(request.user, space, space_access.MEMBER):
        raise PermissionDenied(_("Only members of this space can propose agenda items."))
    meetings = list(selectors.meetings_open_for_proposals(space))

    def closed_reason(pk: str) -> str | None:
        meeting = Meeting.objects.filter(space=space, pk=pk).first() if pk.isdigit() else None
        if meeting is None:
            return None
        decision = access.can_propose(request.user, meeting)
        return _("“%(title)s” takes no more proposals: %(reason)s") % {
            "title": meeting.title,
            "reason": decision.reason or _("its agenda is closed."),
        }

    form = AgendaItemFromIdeaForm(
        request.POST or None,
        actor=request.user,
        space=space,
        meetings=meetings,
        closed_reason=closed_reason,
        initial={
            # The idea's own words, whole: if they are longer than an item holds, the page says so and
            # the person shortens them (never cut without telling).
            "title": idea.title,
            "description": idea.text,
            "meeting": str(meetings[0].pk) if len(meetings) == 1 else None,
        },
    )
    if request.method == "POST" and meetings and form.is_valid():
        data = dict(form.cleaned_data)
        meeting = data.pop("meeting")
        try:
            item = services.agenda_item_propose(
                actor=request.user,
                meeting=meeting,
                source_idea_id=idea.pk if kind == "ideas.idea" else None,
                **data,
            )
        except ValidationError as error:
            # Not about what was typed (the agenda closed a moment ago): beside the choice of meeting.
            apply_errors(form, error, default_field="meeting")
        else:
            messages.success(
                request,
                _("The idea is proposed for “%(meeting)s”. Members can now put their dots on it.")
                % {"meeting": meeting.title},
            )
            return redirect(f"{meeting.get_absolute_url()}#item-{item.pk}")
    return render(
        request,
        "meetings/from_idea.html",
        {
            "space": space,
            "idea": idea,
            "form": form,
            "meetings": meetings,
            "too_long": not form.is_bound
            and (len(idea.title) > ITEM_TITLE_MAX or len(idea.text) > ITEM_DESCRIPTION_MAX),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
@limited("vote")
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
