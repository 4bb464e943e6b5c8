"""Action pages: the public tracker, one action with its updates, and the forms that change them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.core.presenters import Labels
from coproduce.core.views import apply_errors
from coproduce.spaces import access as space_access
from coproduce.spaces.models import Perspective

from . import access, selectors, services
from .forms import ActionForm, ReportForm, TrackerFilterForm
from .models import ActionStatus

PAGE_SIZE = 25


def _present_rows(actions, tracker_url: str, show_names: bool) -> None:
    labels, today = Labels(), timezone.localdate()
    for action in actions:
        action.url = f"{tracker_url}{action.pk}/"
        action.overdue = action.is_open and action.due_on is not None and action.due_on < today
        action.status_label = labels.choice(ActionStatus, action.status)
        perspective = labels.choice(Perspective, action.owner_perspective).lower()
        action.owner_label = f"{action.owner.display_name}, {perspective}" if show_names else perspective
        action.due_label = labels.day(action.due_on)
        if action.decision_id:
            action.said = _("a decision at the meeting of %(date)s") % {
                "date": labels.day(action.decision.meeting.starts_at)
            }
        elif action.idea_id:
            action.said = _("the adopted idea “%(title)s”") % {"title": action.idea.title}
        elif action.budget_project_id:
            action.said = _("a funded budget project")
        else:
            action.said = _("agreed by the space")
        action.did = (
            f"{Truncator(action.latest_update).words(30)} ({labels.day(action.latest_update_at)})"
            if action.latest_update
            else ""
        )


def tracker(request, slug: str):
    space = space_access.get_space_for(request.user, slug)
    form = TrackerFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    actions = selectors.tracker(
        space,
        status=filters.get("status", ""),
        perspective=filters.get("perspective", ""),
        overdue=bool(filters.get("overdue")),
        sort=filters.get("sort") or "due",
    )
    # Only what a row shows (not every column of the owner's account, the decision and the idea).
    actions = actions.only(
        "id",
        "space_id",
        "title",
        "status",
        "progress",
        "due_on",
        "owner_perspective",
        "budget_project_id",
        "created_at",
        "updated_at",
        "owner",
        "owner__display_name",
        "decision",
        "decision__meeting",
        "decision__meeting__starts_at",
        "idea",
        "idea__title",
    )
    counts = selectors.status_counts(space)
    paginator = Paginator(actions, PAGE_SIZE)
    if not any(filters.get(name) for name in ("status", "perspective", "overdue")):
        paginator.count = counts["total"]  # already counted with the statuses: one query fewer
    page = paginator.get_page(request.GET.get("page"))
    show_names = access.shows_names(request.user, space)
    _present_rows(page.object_list, reverse("actions:tracker", args=[space.slug]), show_names)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "space": space,
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "counts": counts,
        "can_manage": access.can_manage(request.user, space),
        "show_names": show_names,
    }
    template = (
        "actions/_results.html"
        if request.htmx and request.htmx.target == "results"
        else "actions/tracker.html"
    )
    return render(request, template, context)


def _detail_context(request, space, action, **extra) -> dict:
    can_report = access.can_report(request.user, action)
    context = {
        "space": space,
        "action": action,
        "updates": selectors.updates(action),
        "can_report": can_report,
        "can_manage": access.can_manage(request.user, space),
        "show_names": access.shows_names(request.user, space),
        "report_form": ReportForm(initial={"status": action.status, "progress": action.progress})
        if can_report
        else None,
    }
    context.update(extra)
    return context


def detail(request, slug: str, action_id: int):
    space = space_access.get_space_for(request.user, slug)
    action = access.get_action_for(request.user, action_id, space=space)
    return render(request, "actions/detail.html", _detail_context(request, space, action))


@login_required
@require_POST
def report(request, slug: str, action_id: int):
    space = space_access.get_space_for(request.user, slug)
    action = access.get_action_for(request.user, action_id, write=True, space=space)
    form = ReportForm(request.POST)
    if form.is_valid():
        try:
            services.action_report(actor=request.user, action=action, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Thank you: your update is posted for everyone to see."))
            return redirect(action)
    return render(
        request, "actions/detail.html", _detail_context(request, space, action, report_form=form), status=400
    )


def _form_page(request, space, form, *, title, source=None, action=None, status=200):
    return render(
        request,
        "actions/action_form.html",
        {
            "space": space,
            "form": form,
            "title": title,
            "source": source,
            "action": action,
        },
        status=status,
    )


@login_required
def create(request, slug: str):
    space = space_access.get_space_for(request.user, slug, need=space_access.FACILITATOR)
    form = ActionForm(request.POST or None, space=space)
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_create(actor=request.user, space=space, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The action is on the tracker."))
            return redirect(action)
    return _form_page(request, space, form, title=_("New action"), status=400 if form.errors else 200)


@login_required
def from_idea(request, slug: str, idea_id: int):
    from coproduce.ideas import access as idea_access

    space = space_access.get_space_for(request.user, slug, need=space_access.FACILITATOR)
    idea = idea_access.get_idea_for(request.user, idea_id, space=space)
    form = ActionForm(request.POST or None, space=space, initial={"title": idea.title})
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_create_from_idea(actor=request.user, idea=idea, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The adopted idea is now an action on the tracker."))
            return redirect(action)
    return _form_page(
        request,
        space,
        form,
        title=_("Make this idea an action"),
        source=idea,
        status=400 if form.errors else 200,
    )


@login_required
def from_decision(request, slug: str, decision_id: int):
    from coproduce.meetings import access as meeting_access

    space = space_access.get_space_for(request.user, slug, need=space_access.FACILITATOR)
    decision = meeting_access.get_decision_for(request.user, decision_id, space=space)
    form = ActionForm(request.POST or None, space=space, initial={"title": decision.text[:200]})
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_create_from_decision(
                actor=request.user, decision=decision, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The decision is now an action on the tracker."))
            return redirect(action)
    return _form_page(
        request,
        space,
        form,
        title=_("Make this decision an action"),
        source=decision,
        status=400 if form.errors else 200,
    )


@login_required
def edit(request, slug: str, action_id: int):
    space = space_access.get_space_for(request.user, slug, need=space_access.FACILITATOR)
    action = access.get_action_for(request.user, action_id, space=space)
    initial = {
        "title": action.title,
        "description": action.description,
        "owner": action.owner_id,
        "due_on": action.due_on,
    }
    form = ActionForm(request.POST or None, space=space, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_edit(actor=request.user, action=action, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(action)
    return _form_page(
        request, space, form, title=_("Change the action"), action=action, status=400 if form.errors else 200
    )
