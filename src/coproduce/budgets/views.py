"""Budget pages. Each view: parse → access → service → render. Every change is a POST that works without
JavaScript; htmx only refreshes the running total of a ballot while someone chooses."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.core.views import apply_errors
from coproduce.spaces import access as space_access

from . import access, selectors, services
from .forms import BallotForm, BudgetForm, ImportForm, PhaseForm, ProjectForm, ReopenForm, ReviewForm
from .models import Budget, Phase, ProjectStatus
from .validators import content_type_for

PAGE_SIZE = 24


def _budget(request, slug: str, budget_id: int, *, need: str | None = None) -> Budget:
    space = space_access.get_space_for(request.user, slug)
    return access.get_budget_for(request.user, budget_id, space=space, need=need)


def _roles(user, budget: Budget) -> dict:
    return {
        "can_manage": access.can_manage(user, budget),
        "can_review": access.can_review(user, budget),
        "can_submit": access.can_submit_project(user, budget),
    }


# --- Budgets ----------------------------------------------------------------------------------------


def budget_list(request, slug: str):
    space = space_access.get_space_for(request.user, slug)
    return render(
        request,
        "budgets/list.html",
        {
            "space": space,
            "budgets": selectors.budgets_of(space),
            "can_create": space_access.has_role(request.user, space, space_access.HOST),
        },
    )


@login_required
def budget_create(request, slug: str):
    space = space_access.get_space_for(request.user, slug, need=space_access.HOST)
    form = BudgetForm(request.POST or None, initial={"area": space.place})
    if request.method == "POST" and form.is_valid():
        try:
            budget = services.budget_create(actor=request.user, space=space, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The budget is created. Members can now propose projects."))
            return redirect(budget)
    return render(
        request,
        "budgets/budget_form.html",
        {"space": space, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def budget_edit(request, slug: str, budget_id: int):
    budget = _budget(request, slug, budget_id, need=space_access.HOST)
    locked = budget.phase_reached(Phase.VOTE)
    form = BudgetForm(request.POST or None, instance=Budget.objects.get(pk=budget.pk), locked=locked)
    if request.method == "POST" and form.is_valid():
        fields = {name: value for name, value in form.cleaned_data.items() if not form.fields[name].disabled}
        try:
            services.budget_update(actor=request.user, budget=budget, **fields)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(budget)
    return render(
        request,
        "budgets/budget_form.html",
        {
            "space": budget.space,
            "form": form,
            "budget": budget,
            "locked": locked,
        },
        status=400 if form.errors else 200,
    )


@login_required
def budget_import(request, slug: str):
    space = space_access.get_space_for(request.user, slug, need=space_access.HOST)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            budget = services.budget_import(
                actor=request.user,
                space=space,
                text=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as error:
            apply_errors(form, error, default_field="file")
        else:
            messages.success(request, _("The file is imported: its projects, ballots and results are below."))
            return redirect(budget)
    return render(
        request, "budgets/import.html", {"space": space, "form": form}, status=400 if form.errors else 200
    )


def budget_detail(request, slug: str, budget_id: int):
    budget = _budget(request, slug, budget_id)
    user = request.user
    can_vote, vote_reason = access.voting_permission(user, budget)
    return render(
        request,
        "budgets/detail.html",
        {
            "space": budget.space,
            "budget": budget,
            **_roles(user, budget),
            "counts": selectors.counts(budget),
            "steps": selectors.phase_steps(budget),
            "can_vote": can_vote,
            "vote_reason": vote_reason,
            "voter": selectors.my_voter(user, budget),
            "scoring_note": selectors.scoring_note(budget),
            "rule_note": selectors.RULE_NOTES[budget.rule],
            "phase_form": PhaseForm(initial={"to": budget.next_phase}) if budget.next_phase else None,
            "can_export": access.can_export(user, budget),
            "can_see_results": access.can_see_results(user, budget),
            "can_reopen": access.can_reopen_voting(user, budget),
        },
    )


@login_required
@require_POST
def budget_phase(request, slug: str, budget_id: int):
    budget = _budget(request, slug, budget_id, need=space_access.HOST)
    form = PhaseForm(request.POST)
    if form.is_valid():
        try:
            budget = services.budget_advance_phase(
                actor=request.user,
                budget=budget,
                to=form.cleaned_data["to"],
                confirm=form.cleaned_data["confirm"],
            )
        except ValidationError as error:
            if "confirm" in getattr(error, "error_dict", {}):  # closing the vote: ask first, on its own page
                return redirect("budgets:close_voting", slug=slug, budget_id=budget_id)
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The budget is now in the phase: %(phase)s.") % {"phase": budget.get_phase_display()},
            )
    return redirect(budget)


@login_required
def budget_close_voting(request, slug: str, budget_id: int):
    """The confirmation step before voting closes: how many have voted, and when voting was meant to end."""
    budget = _budget(request, slug, budget_id, need=space_access.HOST)
    if budget.phase != Phase.VOTE:
        return redirect(budget)
    return render(
        request,
        "budgets/close_voting.html",
        {
            "space": budget.space,
            "budget": budget,
            "facts": services.closing_facts(budget),
            "form": PhaseForm(initial={"to": Phase.CLOSED, "confirm": True}),
        },
    )


@login_required
def budget_reopen_voting(request, slug: str, budget_id: int):
    budget = _budget(request, slug, budget_id, need=space_access.HOST)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            budget = services.budget_reopen_voting(
                actor=request.user, budget=budget, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_errors(form, error, default_field="reason")
        else:
            messages.success(request, _("Voting is open again. Everyone can read why in the history."))
            return redirect(budget)
    return render(
        request,
        "budgets/reopen_voting.html",
        {
            "space": budget.space,
            "budget": budget,
            "form": form,
            "open": access.can_reopen_voting(request.user, budget),
        },
        status=400 if form.errors else 200,
    )


# --- Projects ---------------------------------------------------------------------------------------


def project_list(request, slug: str, budget_id: int):
    budget = _budget(request, slug, budget_id)
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
            **_roles(request.user, budget),
            "statuses": ProjectStatus.choices,
            "status": status,
            "category": category,
            "q": q,
            "categories": selectors.categories(budget),
        },
    )


@login_required
def project_create(request, slug: str, budget_id: int):
    budget = _budget(request, slug, budget_id, need=space_access.MEMBER)
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
    budget = _budget(request, slug, budget_id)
    project = access.get_project_for(request.user, project_id, budget=budget)
    return render(
        request,
        "budgets/project_detail.html",
        {
            "space": budget.space,
            "budget": budget,
            "project": project,
            **_roles(request.user, budget),
            "cost_changes": project.cost_changes.all(),
            "can_edit": access.can_edit_project(request.user, project),
            "review_form": ReviewForm(initial={"cost": project.cost})
            if access.can_review(request.user, budget) and budget.phase in (Phase.COLLECT, Phase.REVIEW)
            else None,
        },
    )


@login_required
def project_edit(request, slug: str, budget_id: int, project_id: int):
    budget = _budget(request, slug, budget_id, need=space_access.MEMBER)
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
    budget = _budget(request, slug, budget_id, need=space_access.FACILITATOR)
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
    budget = _budget(request, slug, budget_id)
    project = access.get_project_for(request.user, project_id, budget=budget)
    if not project.image:
        raise Http404
    try:
        handle = project.image.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, content_type=content_type_for(project.image.name))
    response["Cache-Control"] = (
        "private, max-age=3600" if not budget.space.is_public else "public, max-age=3600"
    )
    return response


# --- Voting -----------------------------------------------------------------------------------------


def _ballot_form(request, budget: Budget, data=None, *, initial_choices=None):
    projects = list(services.on_ballot(budget).values())
    confirm = access.eligibility_question(budget) if services.needs_confirmation(request.user, budget) else ""
    initial = {}
    if initial_choices:
        if budget.ballot_type in ("approval", "knapsack"):
            initial["projects"] = [pid for pid, _value in initial_choices]
        else:
            initial = {f"project_{pid}": value for pid, value in initial_choices}
    return BallotForm(data, budget=budget, projects=projects, confirm_text=confirm, initial=initial), projects


def _vote_context(request, budget: Budget, form: BallotForm, projects, choices, **extra) -> dict:
    by_id = {p.pk: p for p in projects}
    return {
        "space": budget.space,
        "budget": budget,
        "form": form,
        "projects": projects,
        "total": services.running_total(budget, by_id, choices),
        "voter": selectors.my_voter(request.user, budget),
        "scoring_note": selectors.scoring_note(budget),
        "selected": {pid for pid, _value in choices},
        **extra,
    }


@login_required
def vote(request, slug: str, budget_id: int):
    budget = _budget(request, slug, budget_id)
    if budget.phase != Phase.VOTE:
        return render(request, "budgets/vote_closed.html", {"space": budget.space, "budget": budget})
    access.require_voting(request.user, budget)
    if request.method != "POST":
        saved = selectors.my_choices(request.user, budget)
        form, projects = _ballot_form(request, budget, initial_choices=saved)
        return render(request, "budgets/vote.html", _vote_context(request, budget, form, projects, saved))

    form, projects = _ballot_form(request, budget, request.POST)
    step = request.POST.get("step", "review")
    if step in ("check", "change") or not form.is_valid():
        # "Update the total" without JavaScript, or "Change my choices" from the confirmation page.
        status = 400 if form.errors else 200
        return render(
            request,
            "budgets/vote.html",
            _vote_context(request, budget, form, projects, form.raw_choices()),
            status=status,
        )
    choices = form.choices()
    try:
        if step == "cast":
            services.ballot_submit(
                actor=request.user, budget=budget, choices=choices, confirmed_eligibility=form.confirmed()
            )
        else:
            stored = services.ballot_check(
                actor=request.user, budget=budget, choices=choices, confirmed_eligibility=form.confirmed()
            )
    except ValidationError as error:
        _ballot_errors(form, error)
        return render(
            request, "budgets/vote.html", _vote_context(request, budget, form, projects, choices), status=400
        )
    if step == "cast":
        return redirect("budgets:voted", slug=budget.space.slug, budget_id=budget.pk)
    by_id = {p.pk: p for p in projects}
    return render(
        request,
        "budgets/vote_confirm.html",
        {
            **_vote_context(request, budget, form, projects, choices),
            "chosen": [(by_id[pid], value) for pid, value in stored],
            "hidden": [
                (name, value)
                for name in request.POST
                if name not in ("csrfmiddlewaretoken", "step")
                for value in request.POST.getlist(name)
            ],
        },
    )


def _ballot_errors(form: BallotForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error("confirm" if name == "confirm" and "confirm" in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


@login_required
@require_POST
def vote_total(request, slug: str, budget_id: int):
    """The running total as an htmx fragment; saves nothing."""
    budget = _budget(request, slug, budget_id)
    if budget.phase != Phase.VOTE:
        raise PermissionDenied(_("Voting is not open."))
    access.require_voting(request.user, budget)
    form, projects = _ballot_form(request, budget, request.POST)
    return render(
        request,
        "budgets/_running_total.html",
        {
            "budget": budget,
            "total": services.running_total(budget, {p.pk: p for p in projects}, form.raw_choices()),
        },
    )


@login_required
def voted(request, slug: str, budget_id: int):
    budget = _budget(request, slug, budget_id)
    voter = selectors.my_voter(request.user, budget)
    if voter is None:
        return redirect("budgets:vote", slug=slug, budget_id=budget_id)
    projects = {p.pk: p for p in budget.projects.all()}
    chosen = [
        (projects[pid], value) for pid, value in selectors.my_choices(request.user, budget) if pid in projects
    ]
    return render(
        request,
        "budgets/voted.html",
        {
            "space": budget.space,
            "budget": budget,
            "voter": voter,
            "chosen": chosen,
        },
    )


@login_required
def paper_ballot(request, slug: str, budget_id: int):
    budget = _budget(request, slug, budget_id, need=space_access.FACILITATOR)
    if budget.phase != Phase.VOTE:
        return render(request, "budgets/vote_closed.html", {"space": budget.space, "budget": budget})
    projects = list(services.on_ballot(budget).values())
    members = selectors.members_who_may_get_paper_ballots(budget, request.user)
    confirm = _("I checked that this person may vote.") if budget.eligibility == "residents" else ""
    form = BallotForm(
        request.POST or None,
        budget=budget,
        projects=projects,
        confirm_text=confirm,
        paper=True,
        members=members,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.paper_ballot_record(
                actor=request.user,
                budget=budget,
                choices=form.choices(),
                member=form.cleaned_data.get("member"),
                reference=form.cleaned_data.get("reference", ""),
                confirmed_eligibility=form.confirmed(),
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, problems in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, problems)
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                _("The paper ballot is recorded. %(n)s people have voted so far.")
                % {"n": selectors.counts(budget)["voters"]},
            )
            return redirect("budgets:paper", slug=slug, budget_id=budget_id)
    choices = (
        form.choices() if form.is_bound and form.is_valid() else form.raw_choices() if form.is_bound else []
    )
    return render(
        request,
        "budgets/paper.html",
        {
            **_vote_context(request, budget, form, projects, choices),
            "paper": True,
        },
        status=400 if form.errors else 200,
    )


# --- Results and files ------------------------------------------------------------------------------


def results(request, slug: str, budget_id: int):
    budget = _budget(request, slug, budget_id)
    data = services.cached_results(budget) if access.can_see_results(request.user, budget) else None
    return render(
        request,
        "budgets/results.html",
        {
            "space": budget.space,
            "budget": budget,
            **_roles(request.user, budget),
            "results": selectors.results_view(budget, data) if data else None,
            "rule_ignores_note": selectors.rule_ignores_note(budget),
            "scoring_note": selectors.scoring_note(budget),
            "rule_note": selectors.RULE_NOTES[budget.rule],
            "can_export": access.can_export(request.user, budget),
            "can_see_results": access.can_see_results(request.user, budget),
            "can_reopen": access.can_reopen_voting(request.user, budget),
        },
    )


@login_required
@require_POST
def results_recount(request, slug: str, budget_id: int):
    budget = _budget(request, slug, budget_id, need=space_access.HOST)
    try:
        services.results_recount(actor=request.user, budget=budget)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The ballots are being counted again."))
    return redirect(reverse("budgets:results", args=[slug, budget_id]))


def export(request, slug: str, budget_id: int):
    budget = _budget(request, slug, budget_id)
    if not access.can_export(request.user, budget):
        raise PermissionDenied(_("The ballots can be downloaded once voting has closed."))
    data = services.cached_results(budget, count_if_missing=False)
    text = services.budget_export(budget, selected=data[budget.rule]["selected"] if data else None)
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="budget-{budget.pk}.pb"'
    return response
