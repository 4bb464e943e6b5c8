"""Voting pages: the ballot (with its running total, without JavaScript or refreshed by htmx), the
confirmation, your own ballot once cast, and paper ballots recorded by facilitators."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.core import ahead, kept_pages, shared
from coproduce.core.ratelimit import limited
from coproduce.spaces.access import require_role

from .. import access, selectors, services
from ..forms import BallotForm, PrintSheetsForm
from ..models import BallotType, Budget
from ._common import budget_for


def _ballot_form(request, budget: Budget, data=None, *, initial_choices=None):
    projects = list(selectors.on_ballot(budget).values())
    confirm = (
        access.eligibility_question(budget) if selectors.needs_confirmation(request.user, budget) else ""
    )
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
        "total": selectors.running_total(budget, by_id, choices),
        "voter": selectors.my_voter(request.user, budget),
        "scoring_note": selectors.scoring_note(budget),
        "selected": {pid for pid, _value in choices},
        **extra,
    }


MARKABLE = (BallotType.APPROVAL, BallotType.KNAPSACK)


def _paper_page(request, budget: Budget, saved, voter) -> HttpResponse:
    """The voting page with the ballot paper, for someone who has not voted (`saved` empty) or whose ballot
    is a set of ticked projects. Everyone asked the same question (`access.ballot_paper_audience`) is shown the
    same page apart from their ticks, their running total and whether they have voted, so it is rendered once
    with a marker in each checkbox and where the rest goes, kept a few seconds (core/kept_pages.py), and the
    person's own are put in on each request."""

    def build() -> dict:
        form, projects = _ballot_form(request, budget)
        for project in projects:  # each checkbox is ticked for the voter who chose it
            project.chosen_mark = kept_pages.mine("chosen", project.pk)
        context = _vote_context(request, budget, form, projects, [], mark_chosen=True)
        paper = render_to_string(
            "budgets/_ballot_paper.html", {**context, "total_mark": kept_pages.mine("total")}
        )
        return {
            "space": budget.space,
            "budget": budget,
            "voter_notice": kept_pages.mine("voter"),
            "scoring_note": selectors.scoring_note(budget),
            "paper": mark_safe(paper),  # noqa: S308 - rendered with escaping
        }

    def voter_notice() -> str:
        return render_to_string("budgets/_voter_notice.html") if saved and voter else ""

    chosen = {pid for pid, _value in saved}

    def total() -> str:
        # The paper's projects, kept as the page is: the running total needs the cost of those ticked.
        paper = shared.kept(
            request,
            "budgets.on_ballot",
            audience=(budget.pk, budget.updated_at.timestamp()),
            build=lambda: selectors.on_ballot(budget),
        )
        projects = {pid: project for pid, project in paper.items() if pid in chosen}
        return render_to_string(
            "budgets/_running_total.html",
            {"budget": budget, "total": selectors.running_total(budget, projects, saved)},
        )

    def running_total() -> str:
        # The total says only what the choices, the budget as last changed and its projects (fixed once voting
        # opens) make it: rendered once for each set of choices (shared.versioned).
        choices = tuple(sorted((pid, value) for pid, value in saved))
        key = repr(("budgets.total", get_language(), budget.pk, budget.updated_at.timestamp(), choices))
        return shared.versioned(key, total)

    html = kept_pages.page(
        request,
        "budgets.vote",
        audience=access.ballot_paper_audience(request.user, budget, voter),
        template="budgets/vote.html",
        build=build,
        mine={
            "voter": voter_notice,
            "total": running_total,
            "chosen": lambda pid: " checked" if int(pid) in chosen else "",
        },
    )
    return HttpResponse(html)


@ahead.reads("budgets:vote")
def _vote_reads(person, slug: str, budget_id: int):
    """What the voting page reads first (core/ahead.py): the budget with the space, the person's ballot and
    voter record."""
    return access.budget_read(
        person, slug, budget_id, *selectors.my_ballot_and_voter_reads(person, int(budget_id))
    )


@login_required
@limited("vote")
def vote(request, slug: str, budget_id: int):
    # The person's ballot and voter record are read with the budget (one round trip), used once they may vote.
    reads = (
        selectors.my_ballot_and_voter_reads(request.user, int(budget_id)) if request.method != "POST" else ()
    )
    budget, *mine = access.get_budget_and(request.user, slug, budget_id, *reads)
    decision = access.can_vote(request.user, budget)
    if not decision:
        if decision.role:
            raise PermissionDenied(decision.reason)
        return render(request, "budgets/vote_closed.html", {"space": budget.space, "budget": budget})
    if request.method != "POST":
        saved, voter = selectors.choices_and_voter(mine)
        if saved and budget.ballot_type not in MARKABLE:  # ranks and points are values in fields: built here
            form, projects = _ballot_form(request, budget, initial_choices=saved)
            return render(request, "budgets/vote.html", _vote_context(request, budget, form, projects, saved))
        return _paper_page(request, budget, saved, voter)

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
            stored = selectors.ballot_check(
                actor=request.user, budget=budget, choices=choices, confirmed_eligibility=form.confirmed()
            )
    except ValidationError as error:
        _ballot_errors(form, error)
        return render(
            request, "budgets/vote.html", _vote_context(request, budget, form, projects, choices), status=400
        )
    if step == "cast":
        shared.only_own_changed(request)  # a secret ballot shows in nothing kept until the count
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
    budget = budget_for(request, slug, budget_id)
    decision = access.can_vote(request.user, budget)
    if not decision:
        raise PermissionDenied(decision.reason)
    form, projects = _ballot_form(request, budget, request.POST)
    return render(
        request,
        "budgets/_running_total.html",
        {
            "budget": budget,
            "total": selectors.running_total(budget, {p.pk: p for p in projects}, form.raw_choices()),
        },
    )


@login_required
def voted(request, slug: str, budget_id: int):
    """Your own ballot, as it was cast; nobody else's can be asked for."""
    budget = budget_for(request, slug, budget_id)
    if not access.can_see_own_ballot(request.user, budget):
        raise PermissionDenied
    voter = selectors.my_voter(request.user, budget)
    if voter is None:
        return redirect("budgets:vote", slug=slug, budget_id=budget_id)
    choices = selectors.my_choices(request.user, budget)
    projects = budget.projects.in_bulk([pid for pid, _value in choices])
    chosen = [(projects[pid], value) for pid, value in choices if pid in projects]
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
    budget = budget_for(request, slug, budget_id)
    decision = access.can_record_paper_ballots(request.user, budget)
    if not decision:
        if decision.role:
            raise PermissionDenied(decision.reason)
        return render(request, "budgets/vote_closed.html", {"space": budget.space, "budget": budget})
    projects = list(selectors.on_ballot(budget).values())
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
                sheet=form.cleaned_data.get("sheet", ""),
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


def sheet_number(budget: Budget, n: int) -> str:
    """The number printed on a ballot sheet and typed in when it is recorded (`Voter.sheet`): the budget's
    id first, so that a sheet of another budget is not mistaken for one of this."""
    return f"{budget.pk}-{n:03d}"


@login_required
def print_ballot(request, slug: str, budget_id: int):
    """Paper ballot sheets to print, each with its own number, for people who vote on paper."""
    budget = budget_for(request, slug, budget_id)
    decision = access.can_print_ballots(request.user, budget)
    require_role(decision)
    if not decision:
        return render(
            request,
            "budgets/print_ballot.html",
            {"space": budget.space, "budget": budget, "unavailable": decision.reason},
            status=409,
        )
    form = PrintSheetsForm(request.GET or None, initial={"first": 1, "count": 10})
    first, count = 1, 10
    if form.is_bound and form.is_valid():
        first, count = form.cleaned_data["first"], form.cleaned_data["count"]
    projects = list(selectors.on_ballot(budget).values())
    return render(
        request,
        "budgets/print_ballot.html",
        {
            "space": budget.space,
            "budget": budget,
            "projects": projects,
            "form": form,
            "sheets": [sheet_number(budget, n) for n in range(first, first + count)],
        },
        status=400 if form.is_bound and form.errors else 200,
    )
