"""What participatory budgets tell the trail from what people said to what was done (docs/ARCHITECTURE.md,
"The trail"): the budget projects made from an idea (`Project.source_idea_id`), funded or not, and the
projects people proposed (`contributions`). A project counts as funded when its budget's results are
published and the budget's own rule selected it (as in evidence.py). Two queries, however many objects."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db.models import F
from django.utils.translation import gettext as _

from coproduce.core.registry import Contribution, Source, TrailStep
from coproduce.spaces.access import visible_spaces

from .models import BudgetResult, Phase, Project, ProjectStatus


def _funded(budget_ids: Iterable[int]) -> set[int]:
    """The projects the published results of these budgets selected, by each budget's own rule (one query)."""
    rows = BudgetResult.objects.filter(
        budget_id__in=set(budget_ids), budget__phase=Phase.RESULTS, rule=F("budget__rule")
    ).values_list("data", flat=True)
    return {pk for data in rows for pk in (data or {}).get("selected", [])}


def project_status(project: Project, funded: set[int]) -> str:
    if project.budget.phase == Phase.RESULTS:
        if project.pk in funded:
            return _("Funded in “%(budget)s”") % {"budget": project.budget.title}
        return _("Not funded in “%(budget)s”") % {"budget": project.budget.title}
    if project.status == ProjectStatus.NOT_FEASIBLE:
        return _("Found not feasible: %(reason)s") % {"reason": project.review_reason}
    return _("%(status)s in “%(budget)s” (%(phase)s)") % {
        "status": project.get_status_display(),
        "budget": project.budget.title,
        "phase": project.budget.get_phase_display().lower(),
    }


def _visible(viewer):
    return Project.objects.filter(budget__space__in=visible_spaces(viewer)).select_related("budget__space")


def trail(kind: str, pks: Sequence[int], viewer) -> dict[int, list[TrailStep]]:
    """The manifest's `trail`: from an idea, the projects made from it."""
    if kind != "ideas.idea":
        return {}
    projects = list(_visible(viewer).filter(source_idea_id__in=pks).order_by("submitted_at", "id"))
    funded = _funded(p.budget_id for p in projects)
    found: dict[int, list[TrailStep]] = defaultdict(list)
    for project in projects:
        assert project.source_idea_id is not None
        found[project.source_idea_id].append(
            TrailStep(
                module="budgets",
                kind="budgets.project",
                pk=project.pk,
                what=_("Made a budget project"),
                title=project.title,
                url=project.get_absolute_url(),
                when=project.submitted_at,
                status=project_status(project, funded),
                reached=project.pk in funded,
            )
        )
    return found


def contributions(viewer, *, space=None, author=None, limit: int | None = None) -> list[Contribution]:
    """Projects people proposed themselves (not those made from an idea: the idea is what they said), newest
    first (two queries)."""
    projects = _visible(viewer).filter(submitted_by__isnull=False, source_idea_id__isnull=True)
    if space is not None:
        projects = projects.filter(budget__space=space)
    if author is not None:
        projects = projects.filter(submitted_by=author)
    projects = projects.order_by("-submitted_at", "-id")
    if limit is not None:
        projects = projects[:limit]
    listed = list(projects)
    funded = _funded(p.budget_id for p in listed)
    return [
        Contribution(
            source=Source(
                kind="budgets.project",
                pk=p.pk,
                space_id=p.budget.space_id,
                title=p.title,
                text=p.description,
                url=p.get_absolute_url(),
                ready=p.pk in funded,
                authors=(p.submitted_by_id,) if p.submitted_by_id else (),
            ),
            when=p.submitted_at,
            status=project_status(p, funded),
            perspective=p.submitter_perspective,
            space_slug=p.budget.space.slug,
            space_title=p.budget.space.title,
        )
        for p in listed
    ]
