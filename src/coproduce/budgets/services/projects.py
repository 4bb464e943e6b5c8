"""Projects: members submit them while projects are collected; facilitators review them before the vote.

Every cost change is kept as a `ProjectCostChange` with its reason and shown on the project page, as well as in
the audit log: a project that shrinks from £40,000 to £25,000 between proposal and ballot says so in public.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core import audit, registry
from coproduce.people.models import User
from coproduce.spaces import access as space_access

from .. import access
from ..models import Budget, Phase, Project, ProjectCostChange, ProjectStatus
from .budgets import as_json

PROJECT_FIELDS = ["title", "description", "cost", "category", "area", "image_description"]


def _text(value: str | None) -> str:
    return (value or "").strip()


@transaction.atomic
def project_submit(
    *,
    actor: User,
    budget: Budget,
    title: str,
    cost: Decimal,
    description: str = "",
    category: str = "",
    area: str = "",
    image: Any = None,
    image_description: str = "",
) -> Project:
    if not space_access.has_role(actor, budget.space, space_access.MEMBER):
        raise PermissionDenied(_("Only members of this space can propose projects."))
    budget.refresh_from_db(fields=["phase"])
    if budget.phase != Phase.COLLECT:
        raise ValidationError(_("Projects are no longer being collected for this budget."), code="closed")
    membership = space_access.membership_of(actor, budget.space)
    project = Project(
        budget=budget,
        title=_text(title),
        description=_text(description),
        cost=cost,
        category=_text(category),
        area=_text(area),
        image_description=_text(image_description),
        submitted_by=actor,
        submitter_perspective=membership.perspective if membership else "",
    )
    if image:
        project.image = image
    project.full_clean()
    project.save()
    audit.record(
        actor=actor,
        action="project.submitted",
        target=project,
        space=budget.space,
        summary=_("Project “%(title)s” proposed for “%(budget)s”")
        % {"title": project.title, "budget": budget.title},
        changes=as_json({"title": [None, project.title], "cost": [None, project.cost]}),
        public=True,
    )
    return project


def _record_cost_change(*, actor: User, project: Project, old: Decimal, reason: str) -> None:
    reason = _text(reason)
    if not reason:
        raise ValidationError(
            {"cost_reason": _("Say why the cost changed: it is shown on the project page.")}
        )
    change = ProjectCostChange(
        project=project, old_cost=old, new_cost=project.cost, reason=reason, changed_by=actor
    )
    change.full_clean()
    change.save()


@transaction.atomic
def project_update(
    *,
    actor: User,
    project: Project,
    cost_reason: str = "",
    image: Any = None,
    remove_image: bool = False,
    **fields: Any,
) -> Project:
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise ValueError(f"not a project field: {', '.join(sorted(unknown))}")
    project.budget.refresh_from_db(fields=["phase"])
    if not access.can_edit_project(actor, project):
        raise PermissionDenied(_("This project can no longer be changed, or not by you."))
    before = audit.snapshot(project, PROJECT_FIELDS)
    old_cost, had_image = project.cost, bool(project.image)
    for name, value in fields.items():
        setattr(project, name, _text(value) if isinstance(value, str) else value)
    if remove_image:
        project.image = ""
        project.image_description = ""
    elif image:
        project.image = image
    project.full_clean()
    changes = audit.diff(project, before, PROJECT_FIELDS)
    image_changed = bool(image) or (remove_image and had_image)
    if image_changed:
        changes["image"] = [None, project.image.name if project.image else ""]
    if not changes:
        return project
    if "cost" in changes:
        _record_cost_change(actor=actor, project=project, old=old_cost, reason=cost_reason)
    update = [name for name in changes if name in PROJECT_FIELDS]
    if image_changed:
        update += ["image", "image_description"]
    project.save(update_fields=sorted(set(update)))
    audit.record(
        actor=actor,
        action="project.updated",
        target=project,
        space=project.budget.space,
        summary=_("Project “%(title)s” changed: %(fields)s")
        % {"title": project.title, "fields": audit.field_names(project, changes)},
        changes=as_json(changes),
        public=True,
    )
    return project


@transaction.atomic
def project_review(
    *, actor: User, project: Project, feasible: bool, reason: str = "", cost: Decimal | None = None
) -> Project:
    """A facilitator says whether a project can be done, with a public reason, and may correct its cost."""
    budget = project.budget
    if not access.can_review(actor, budget):
        raise PermissionDenied(_("Only facilitators and hosts can review projects."))
    budget.refresh_from_db(fields=["phase"])
    if budget.phase not in (Phase.COLLECT, Phase.REVIEW):
        raise ValidationError(_("Projects can be reviewed only before voting opens."), code="closed")
    reason = _text(reason)
    if not feasible and not reason:
        raise ValidationError({"reason": _("Say why the project cannot be done: the reason is public.")})
    before = audit.snapshot(project, ["status", "review_reason", "cost"])
    old_cost = project.cost
    project.status = ProjectStatus.FEASIBLE if feasible else ProjectStatus.NOT_FEASIBLE
    project.review_reason = reason
    if cost is not None:
        project.cost = cost
    project.reviewed_by, project.reviewed_at = actor, timezone.now()
    project.full_clean()
    changes = audit.diff(project, before, ["status", "review_reason", "cost"])
    if "cost" in changes:
        _record_cost_change(actor=actor, project=project, old=old_cost, reason=reason)
    project.save(update_fields=["status", "review_reason", "cost", "reviewed_by", "reviewed_at"])
    audit.record(
        actor=actor,
        action="project.reviewed",
        target=project,
        space=budget.space,
        summary=(
            _("Project “%(title)s” found feasible")
            if feasible
            else _("Project “%(title)s” found not feasible")
        )
        % {"title": project.title},
        changes=as_json(changes),
        public=True,
    )
    return project


@transaction.atomic
def project_create_from_idea(
    *,
    actor: User,
    budget: Budget,
    idea_id: int,
    cost: Decimal,
    title: str = "",
    description: str = "",
    category: str = "",
    area: str = "",
) -> Project:
    """An adopted idea becomes a project of a budget in the same space, in one step. The idea is read through
    the module registry ("ideas.idea", with the ideas app's own access rule); the project remembers it
    (`source_idea_id`) and stays its author's proposal: they are named as its submitter, with their
    perspective in the space. Title and description default to the idea's."""
    decision = access.can_make_projects_from_ideas(actor, budget)
    if not decision and decision.role:
        raise PermissionDenied(decision.reason)
    idea = registry.source("ideas.idea", actor, idea_id)  # Http404 when not installed, or not theirs to see
    if idea.space_id != budget.space_id:
        raise ValidationError(_("That idea belongs to another space."))
    if not idea.ready:
        raise ValidationError(_("Only an adopted idea can become a budget project."), code="not_adopted")
    # Lock: a host moving the budget on at the same moment must not get a project after collecting ends; two
    # facilitators making the same idea a project at once wait for each other, and the second is told.
    budget = Budget.objects.select_for_update().select_related("space").get(pk=budget.pk)
    decision = access.can_make_projects_from_ideas(actor, budget)
    if not decision:
        raise ValidationError(decision.reason, code="closed")
    if budget.projects.filter(source_idea_id=idea.pk).exists():
        raise ValidationError(_("This idea is already a project of this budget."), code="already")
    author = User.objects.filter(pk=idea.authors[0]).first() if idea.authors else None
    membership = space_access.membership_of(author, budget.space) if author else None
    project = Project(
        budget=budget,
        title=_text(title or idea.title)[:140],
        description=_text(description or idea.text)[:5000],
        cost=cost,
        category=_text(category),
        area=_text(area),
        submitted_by=author,
        submitter_perspective=membership.perspective if membership else "",
        source_idea_id=idea.pk,
    )
    project.full_clean()
    project.save()
    audit.record(
        actor=actor,
        action="project.submitted",
        target=project,
        space=budget.space,
        summary=_("Project “%(title)s” proposed for “%(budget)s” from an adopted idea")
        % {"title": project.title, "budget": budget.title},
        changes=as_json(
            {"title": [None, project.title], "cost": [None, project.cost], "idea": [None, idea.pk]}
        ),
        public=True,
    )
    return project
