"""Project pages: the list, proposing and changing a project, the review, its image, and an adopted idea
made a project (the budgets end of the link from "ideas.idea")."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from coproduce.core import registry
from coproduce.core.views import apply_errors
from coproduce.spaces import access as space_access

from .. import access, selectors, services
from ..forms import FromIdeaForm, ProjectForm, ReviewForm
from ..models import Phase, ProjectStatus
from ..validators import content_type_for
from ._common import budget_for, roles

PAGE_SIZE = 24


def project_list(request, slug: str, budget_id: int):
    budget = budget_for(request, slug, budget_id)
    status = request.GET.get("status", "")
    if status not in ProjectStatus.values:
        status = ""
    category = request.GET.get("category", "")[:60]
    q = request.GET.get("q", "")[:100]
    page = Paginator(
        selectors.projects_of(budget, status=status, category=category, q=q), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "budgets/project_list.html",
        {
            "space": budget.space,
            "budget": budget,
            "page": page,
            "query": query.urlencode(),
            **roles(request.user, budget),
            "statuses": ProjectStatus.choices,
            "status": status,
            "category": category,
            "q": q,
            "categories": selectors.categories(budget),
        },
    )


@login_required
def project_create(request, slug: str, budget_id: int):
    budget = budget_for(request, slug, budget_id, need=space_access.MEMBER)
    if budget.phase != Phase.COLLECT:
        raise PermissionDenied(_("Projects are no longer being collected for this budget."))
    form = ProjectForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k in ProjectForm.Meta.fields}
        try:
            project = services.project_submit(actor=request.user, budget=budget, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("Your project is proposed. Facilitators will check it before the vote.")
            )
            return redirect(project)
    return render(
        request,
        "budgets/project_form.html",
        {"space": budget.space, "budget": budget, "form": form},
        status=400 if form.errors else 200,
    )


def project_detail(request, slug: str, budget_id: int, project_id: int):
    budget = budget_for(request, slug, budget_id)
    project = access.get_project_for(request.user, project_id, budget=budget)
    idea = None
    if project.source_idea_id is not None:
        try:  # the idea it was made from, if the ideas module is here and this person may see it
            idea = registry.source("ideas.idea", request.user, project.source_idea_id)
        except Http404:
            idea = None
    return render(
        request,
        "budgets/project_detail.html",
        {
            "space": budget.space,
            "budget": budget,
            "project": project,
            **roles(request.user, budget),
            "cost_changes": project.cost_changes.all(),
            "idea": idea,
            # What other modules offer from it ("What became of it", "Add an action" once funded).
            "links": registry.links_for(selectors.project_as_source(project), request.user),
            "can_edit": access.can_edit_project(request.user, project),
            "review_form": ReviewForm(initial={"cost": project.cost})
            if access.can_review(request.user, budget) and budget.phase in (Phase.COLLECT, Phase.REVIEW)
            else None,
        },
    )


@login_required
def project_edit(request, slug: str, budget_id: int, project_id: int):
    budget = budget_for(request, slug, budget_id, need=space_access.MEMBER)
    project = access.get_project_for(request.user, project_id, budget=budget)
    if not access.can_edit_project(request.user, project):
        raise PermissionDenied(_("This project can no longer be changed, or not by you."))
    form = ProjectForm(request.POST or None, request.FILES or None, instance=project, editing=True)
    if request.method == "POST":
        # The ModelForm writes into `project` as it validates; read the saved row again for the service.
        fresh = access.get_project_for(request.user, project_id, budget=budget)
        if form.is_valid():
            data = {
                k: v for k, v in form.cleaned_data.items() if k in ProjectForm.Meta.fields and k != "image"
            }
            upload = request.FILES.get("image")
            try:
                services.project_update(
                    actor=request.user,
                    project=fresh,
                    image=upload,
                    remove_image=form.cleaned_data.get("remove_image", False),
                    cost_reason=form.cleaned_data.get("cost_reason", ""),
                    **data,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect(fresh)
    return render(
        request,
        "budgets/project_form.html",
        {
            "space": budget.space,
            "budget": budget,
            "form": form,
            "project": project,
        },
        status=400 if form.errors else 200,
    )


@login_required
def project_review(request, slug: str, budget_id: int, project_id: int):
    budget = budget_for(request, slug, budget_id, need=space_access.FACILITATOR)
    project = access.get_project_for(request.user, project_id, budget=budget)
    form = ReviewForm(request.POST or None, initial={"cost": project.cost, "reason": project.review_reason})
    if request.method == "POST" and form.is_valid():
        try:
            services.project_review(actor=request.user, project=project, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error, default_field="reason")
        else:
            messages.success(request, _("The review is saved and shown on the project page."))
            return redirect(project)
    return render(
        request,
        "budgets/review.html",
        {
            "space": budget.space,
            "budget": budget,
            "project": project,
            "form": form,
            "open": budget.phase in (Phase.COLLECT, Phase.REVIEW),
        },
        status=400 if form.errors else 200,
    )


def project_image(request, slug: str, budget_id: int, project_id: int):
    budget = budget_for(request, slug, budget_id)
    project = access.get_project_for(request.user, project_id, budget=budget)
    if not project.image:
        raise Http404
    try:
        handle = project.image.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    # A raster image type from the name (never SVG or HTML: see validators.py), nosniff (settings) so the
    # browser keeps to it, and a sandbox in case a file that is not an image is opened on its own.
    response = FileResponse(handle, content_type=content_type_for(project.image.name))
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = (
        "private, max-age=3600" if not budget.space.is_public else "public, max-age=3600"
    )
    return response


@login_required
def from_idea(request, slug: str, idea_id: int):
    """An adopted idea becomes a project of one of the space's budgets collecting projects, prefilled from the
    idea (the page the "Make it a budget project" link leads to)."""
    space = space_access.get_space_for(request.user, slug, need=space_access.FACILITATOR)
    idea = registry.source("ideas.idea", request.user, idea_id)  # the ideas app's own rule: 404 if not
    if idea.space_id != space.pk:
        raise Http404
    if not idea.ready:
        raise PermissionDenied(_("Only an adopted idea can become a budget project."))
    budgets = selectors.collecting_budgets(space, without_idea=idea.pk)
    form = FromIdeaForm(
        request.POST or None,
        budgets=budgets,
        initial={"title": idea.title[:140], "description": idea.text[:5000], "budget": budgets.first()},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            project = services.project_create_from_idea(actor=request.user, idea_id=idea.pk, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("The idea is now a project of “%(budget)s”. Facilitators review it like any other.")
                % {"budget": project.budget.title},
            )
            return redirect(project)
    return render(
        request,
        "budgets/from_idea.html",
        {"space": space, "idea": idea, "form": form, "budgets": budgets},
        status=400 if form.errors else 200,
    )
