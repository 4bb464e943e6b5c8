"""Action pages: the public tracker, one action with its updates, and the forms that change them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from coproduce.core.presenters import Labels
from coproduce.core.registry import Source
from coproduce.core.views import apply_errors
from coproduce.people.http import SignedInRequest
from coproduce.spaces import access as space_access
from coproduce.spaces.models import Perspective, Space

from . import access, selectors, services
from .forms import ActionForm, ReportForm, TrackerFilterForm
from .models import Action, ActionStatus

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


def tracker(request: HttpRequest, slug: str) -> HttpResponse:
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
        "can_create": access.can_create(request.user, space),
        "show_names": show_names,
    }
    template = (
        "actions/_results.html"
        if request.htmx and request.htmx.target == "results"  # type: ignore[attr-defined]  # django-htmx
        else "actions/tracker.html"
    )
    return render(request, template, context)


def _detail_context(request: HttpRequest, space: Space, action: Action, **extra: Any) -> dict[str, Any]:
    can_report = access.can_report(request.user, action)
    context = {
        "space": space,
        "action": action,
        "updates": selectors.updates(action),
        "can_report": can_report,
        "can_edit": access.can_edit(request.user, action),
        "show_names": access.shows_names(request.user, space),
        "report_form": ReportForm(initial={"status": action.status, "progress": action.progress})
        if can_report
        else None,
    }
    context.update(extra)
    return context


def detail(request: HttpRequest, slug: str, action_id: int) -> HttpResponse:
    space = space_access.get_space_for(request.user, slug)
    action = access.get_action_for(request.user, action_id, space=space)
    return render(request, "actions/detail.html", _detail_context(request, space, action))


@login_required
@require_POST
def report(request: SignedInRequest, slug: str, action_id: int) -> HttpResponse:
    space = space_access.get_space_for(request.user, slug)
    action = access.get_action_for(request.user, action_id, space=space)
    access.require_role(access.can_report(request.user, action))
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


def _form_page(
    request: HttpRequest,
    space: Space,
    form: ActionForm,
    *,
    title: str,
    source: Source | None = None,
    action: Action | None = None,
) -> HttpResponse:
    return render(
        request,
        "actions/action_form.html",
        {"space": space, "form": form, "title": title, "source": source, "action": action},
        status=400 if form.errors else 200,
    )


@login_required
def create(request: SignedInRequest, slug: str) -> HttpResponse:
    space = space_access.get_space_for(request.user, slug)
    access.require_role(access.can_create(request.user, space))
    form = ActionForm(request.POST or None, space=space)
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_create(actor=request.user, space=space, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The action is on the tracker."))
            return redirect(action)
    return _form_page(request, space, form, title=_("New action"))


FROM_TITLES = {
    "ideas.idea": (_l("Make this idea an action"), _l("The adopted idea is now an action on the tracker.")),
    "budgets.project": (_l("Add an action to this project"), _l("The action is on the tracker.")),
    "meetings.decision": (
        _l("Make this decision an action"),
        _l("The decision is now an action on the tracker."),
    ),
}


@login_required
def create_from(request: SignedInRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    """The create page, prefilled from another module's object (an adopted idea, a funded project, a
    meeting's decision), which the action keeps as where it came from."""
    space = space_access.get_space_for(request.user, slug)
    access.require_role(access.can_create(request.user, space))
    source = access.get_source_for(request.user, kind, pk, space=space)
    form = ActionForm(request.POST or None, space=space, initial={"title": source.title[:200]})
    title, done = FROM_TITLES[kind]
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_create_from_source(
                actor=request.user, source=source, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, str(done))
            return redirect(action)
    return _form_page(request, space, form, title=str(title), source=source)


@login_required
def edit(request: SignedInRequest, slug: str, action_id: int) -> HttpResponse:
    space = space_access.get_space_for(request.user, slug)
    action = access.get_action_for(request.user, action_id, space=space)
    access.require_role(access.can_edit(request.user, action))
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
    return _form_page(request, space, form, title=_("Change the action"), action=action)
