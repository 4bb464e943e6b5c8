"""What participatory budgets tell the quality check: who voted, whose projects were funded, and when the
first budget was made (plans made before people with lived experience joined).

A budget sits on the space's co-commissioning stage (its `stage`), so its voters and projects count there.
Voters keep no perspective (a ballot is secret; only that someone voted is kept): a voter counts with the
perspective of their membership today, and a paper ballot of someone without an account is not counted by
perspective. A project counts as funded when the budget's results are published and its rule selected it.
"""

from __future__ import annotations

from django.db.models import F

from coproduce.core.registry import EvidenceRecord, EvidenceReport
from coproduce.lib.quality.evidence import Measure, Milestone
from coproduce.spaces.evidence import earliest, in_figure, perspective_in, tally

from .models import Budget, BudgetResult, Phase, Project, Voter


def _voters(space):
    return Voter.objects.filter(budget__space=space, user__isnull=False).annotate(
        q_stage=F("budget__stage__kind"), q_perspective=perspective_in(space, "user"), q_person=F("user_id")
    )


def _funded_ids(space) -> list[int]:
    """The projects selected by each published budget's own rule (one query)."""
    rows = BudgetResult.objects.filter(
        budget__space=space, budget__phase=Phase.RESULTS, rule=F("budget__rule")
    ).values_list("data", flat=True)
    return [pk for data in rows for pk in (data or {}).get("selected", [])]


def _funded(space):
    return (
        Project.objects.filter(budget__space=space, pk__in=_funded_ids(space))
        .exclude(submitter_perspective="")
        .annotate(
            q_stage=F("budget__stage__kind"),
            q_perspective=F("submitter_perspective"),
            q_person=F("submitted_by_id"),
        )
    )


def evidence(space) -> EvidenceReport:
    """Four queries: voters, published results, funded projects, the first budget."""
    opened = earliest(Budget.objects.filter(space=space), "created_at")
    return EvidenceReport(
        counts=(
            *tally(_voters(space), Measure.BUDGET_VOTERS, people=True),
            *tally(_funded(space), Measure.PROJECTS_FUNDED),
        ),
        milestones={str(Milestone.BUDGET_OPENED): opened} if opened else {},
    )


def evidence_records(space, measure, stages, perspectives, *, limit: int) -> list[EvidenceRecord]:
    if measure == Measure.BUDGET_VOTERS:
        voters = in_figure(_voters(space), stages, perspectives).select_related("budget__space", "user")
        return [
            EvidenceRecord(
                title=f"Voted in “{v.budget.title}”",
                url=v.budget.get_absolute_url(),
                stage=v.q_stage,
                perspective=v.q_perspective,
                person=v.user.display_name,
                when=v.voted_at.date(),
            )
            for v in voters.order_by("voted_at", "id")[:limit]
        ]
    if measure == Measure.PROJECTS_FUNDED:
        projects = in_figure(_funded(space), stages, perspectives).select_related(
            "budget__space", "submitted_by"
        )
        return [
            EvidenceRecord(
                title=p.title,
                url=p.get_absolute_url(),
                stage=p.q_stage,
                perspective=p.q_perspective,
                person=p.submitted_by.display_name if p.submitted_by else "",
                when=p.submitted_at.date(),
            )
            for p in projects.order_by("submitted_at", "id")[:limit]
        ]
    return []
