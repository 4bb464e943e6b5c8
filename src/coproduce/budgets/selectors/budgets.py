"""Reads for the budget pages: lists, turnout, the notes that explain a ballot and a rule, the phases, and a
project as a `Source` for the modules that carry funded projects on (see apps.py)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coproduce.core.registry import Source
from coproduce.spaces import access as space_access

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

from ..models import BallotType, Budget, Phase, Project, ProjectStatus, Rule, Voter
from .results import last_count


def budgets_of(space) -> QuerySet:
    return (
        Budget.objects.filter(space=space)
        .select_related("space")
        .annotate(
            project_count=Count("projects", filter=Q(projects__status=ProjectStatus.FEASIBLE), distinct=True),
            voter_count=Count("voters", distinct=True),
        )
        .order_by("-created_at", "-id")
    )


def projects_of(budget: Budget, *, status: str = "", category: str = "", q: str = "") -> QuerySet:
    projects = budget.projects.select_related("submitted_by")
    if status:
        projects = projects.filter(status=status)
    if category:
        projects = projects.filter(category__iexact=category)
    if q:
        projects = projects.filter(Q(title__icontains=q) | Q(description__icontains=q) | Q(area__icontains=q))
    return projects.order_by("submitted_at", "id")


def categories(budget: Budget) -> list[str]:
    return sorted(set(budget.projects.exclude(category="").values_list("category", flat=True)), key=str.lower)


def counts(budget: Budget) -> dict[str, int]:
    by_status = dict(budget.projects.values_list("status").annotate(n=Count("pk")))
    return {
        "projects": sum(by_status.values()),
        "on_ballot": by_status.get(ProjectStatus.FEASIBLE, 0),
        "waiting": by_status.get(ProjectStatus.SUBMITTED, 0),
        "voters": Voter.objects.filter(budget=budget).count(),
    }


def scoring_note(budget: Budget) -> str:
    """How this ballot type is counted, in plain words (see coproduce.lib.pb.rules.support)."""
    kind = budget.ballot_type
    if kind == BallotType.RANKED:
        return _(
            "Ranked ballots are scored like a Borda count: on a ballot that ranks k projects, the first choice "
            "gets k points, the second k − 1, and the last 1. Projects are funded from the highest score down."
        )
    if kind == BallotType.CUMULATIVE:
        return _(
            "A project's score is the sum of the points voters gave it. Projects are funded from the highest "
            "score down."
        )
    if kind == BallotType.SCORING:
        return _(
            "A project's score is the sum of the scores voters gave it. Projects are funded from the highest "
            "score down."
        )
    return _("Each project you choose gets one vote from you.")


def rule_ignores_note(budget: Budget) -> str:
    """For a budget set up before rules had to use the ballot's ranks or points: what its count left out."""
    if not budget.rule_ignores_ballot:
        return ""
    if budget.ballot_type == BallotType.RANKED:
        return _(
            "This budget's rule was chosen before voting and cannot change now, but it does not use ranks: it "
            "counted every project a voter ranked as one vote, whatever its rank. The greedy counts below use "
            "the ranks."
        )
    return _(
        "This budget's rule was chosen before voting and cannot change now, but it does not use points: it "
        "counted every project a voter gave points to as one vote, however many points. The greedy counts "
        "below use the points."
    )


# How each rule counts, in plain words (translated when shown: see `rule_note`).
_RULE_NOTES: dict[str, StrOrPromise] = {
    Rule.GREEDY: gettext_lazy(
        "Projects are funded from the most votes down; a project that no longer fits is skipped, "
        "and cheaper projects further down can still be funded."
    ),
    Rule.GREEDY_NO_SKIP: gettext_lazy(
        "Projects are funded from the most votes down, and the count stops at the first "
        "project that no longer fits."
    ),
    Rule.MES_ADD1: gettext_lazy(
        "Every voter gets an equal share of the budget. A project is funded when its supporters can "
        "pay for it together from their shares, cheapest per supporter first. Shares are raised step "
        "by step until the budget is used as fully as possible; anything left is then spent by votes."
    ),
    Rule.PHRAGMEN: gettext_lazy(
        "Voters earn money at the same speed; a project is funded as soon as its supporters together "
        "have earned its cost, spreading the cost as evenly as possible. The count stops at the first "
        "project that no longer fits."
    ),
}


def rule_note(rule: str) -> str:
    """How `rule` counts, in plain words, in the language of the person reading."""
    return str(_RULE_NOTES[rule])


def phase_steps(budget: Budget) -> list[dict]:
    dates: dict[str, dt.date | None] = {
        Phase.COLLECT: budget.collect_from,
        Phase.REVIEW: budget.review_from,
        Phase.VOTE: budget.vote_from,
        Phase.CLOSED: None,
        Phase.RESULTS: budget.results_from,
    }
    return [
        {
            "phase": phase,
            "label": label,
            "date": dates[phase],
            "current": budget.phase == phase,
            "done": budget.phase_index > index,
        }
        for index, (phase, label) in enumerate(Phase.choices)
    ]


def closing_facts(budget: Budget) -> dict:
    """What a host is shown before closing the vote: how many have voted, and when voting was meant to end."""
    return {"voters": budget.voters.count(), "planned_end": budget.results_from}


def collecting_budgets(space, *, without_idea: int | None = None) -> QuerySet:
    """The space's budgets collecting projects; `without_idea`: less those already given a project made from
    that idea."""
    budgets = Budget.objects.filter(space=space, phase=Phase.COLLECT).select_related("space")
    if without_idea is not None:
        budgets = budgets.exclude(projects__source_idea_id=without_idea)
    return budgets.order_by("-created_at", "-id")


def projects_from_idea(idea_id: int, user) -> list[Project]:
    """The projects made from an idea, in the budgets `user` may see."""
    projects = Project.objects.filter(source_idea_id=idea_id).select_related("budget__space")
    return [p for p in projects.order_by("submitted_at", "id") if space_access.can_view(user, p.budget.space)]


def project_source(user, project_id: int) -> Source:
    """A project as other modules see it ("budgets.project"); Http404 when `user` may not see it. It is
    ready to be carried on (made an action) once funded: selected by the budget's rule in published results."""
    project = Project.objects.select_related("budget__space").filter(pk=project_id).first()
    if project is None or not space_access.can_view(user, project.budget.space):
        raise Http404
    return project_as_source(project)


def project_as_source(project: Project) -> Source:
    """A project the caller may see, as a `Source` (see project_source)."""
    budget = project.budget
    counted = last_count(budget) if budget.phase == Phase.RESULTS else None
    return Source(
        kind="budgets.project",
        pk=project.pk,
        space_id=budget.space_id,
        title=project.title,
        text=project.description,
        url=project.get_absolute_url(),
        ready=counted is not None and project.pk in counted.data[budget.rule]["selected"],
        authors=(project.submitted_by_id,) if project.submitted_by_id else (),
    )
