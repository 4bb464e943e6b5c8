"""Budget pages: the list, creating, importing and changing a budget, its page, and moving it through its
phases. Each view: parse → access → service → render. Every change is a POST that works without JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.core.views import apply_errors
from coproduce.spaces import access as space_access

from .. import access, selectors, services
from ..forms import BudgetForm, ImportForm, PhaseForm, ReopenForm
from ..models import Budget, Phase
from ._common import budget_for, roles


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
    budget = budget_for(request, slug, budget_id, need=space_access.HOST)
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
    budget = budget_for(request, slug, budget_id)
    user = request.user
    vote = access.can_vote(user, budget)
    return render(
        request,
        "budgets/detail.html",
        {
            "space": budget.space,
            "budget": budget,
            **roles(user, budget),
            "counts": selectors.counts(budget),
            "steps": selectors.phase_steps(budget),
            "can_vote": vote.allowed,
            "vote_reason": vote.reason,
            "voter": selectors.my_voter(user, budget),
            "scoring_note": selectors.scoring_note(budget),
            "rule_note": selectors.rule_note(budget.rule),
            "phase_form": PhaseForm(initial={"to": budget.next_phase}) if budget.next_phase else None,
        },
    )


@login_required
@require_POST
def budget_phase(request, slug: str, budget_id: int):
    budget = budget_for(request, slug, budget_id, need=space_access.HOST)
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
    budget = budget_for(request, slug, budget_id, need=space_access.HOST)
    if budget.phase != Phase.VOTE:
        return redirect(budget)
    return render(
        request,
        "budgets/close_voting.html",
        {
            "space": budget.space,
            "budget": budget,
            "facts": selectors.closing_facts(budget),
            "form": PhaseForm(initial={"to": Phase.CLOSED, "confirm": True}),
        },
    )


@login_required
def budget_reopen_voting(request, slug: str, budget_id: int):
    budget = budget_for(request, slug, budget_id, need=space_access.HOST)
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
