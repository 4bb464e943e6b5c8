from typing import cast

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coproduce.core.registry import Link, ModuleItem, ModuleManifest, PersonalDataKind, Source, lazy


def items_for_stage(stage, user):
    """Each budget of the stage, with its phase, for anyone who may see the space."""
    from coproduce.spaces import access

    from .models import Budget

    if not access.can_view(user, stage.space):
        return []
    budgets = Budget.objects.filter(stage=stage).order_by("created_at", "id")
    items = [
        ModuleItem(
            title=budget.title,
            url=reverse("budgets:detail", args=[stage.space.slug, budget.pk]),
            status=str(budget.get_phase_display()),
        )
        for budget in budgets
    ]
    if access.has_role(user, stage.space, access.HOST):  # the space page has no other way in for a host
        items.append(
            ModuleItem(
                title=str(_("Create or import a budget")),
                url=reverse("budgets:list", args=[stage.space.slug]),
            )
        )
    return items


def project_source(user, pk: int) -> Source:
    """ "budgets.project": a project as other modules see it (see selectors.project_source)."""
    from .selectors import project_source as lookup

    return lookup(user, pk)


def make_project_url(source: Source, user) -> str | None:
    """From an adopted idea: the page that makes it a project, for facilitators and hosts of its space while
    one of its budgets collects projects (and does not have it already)."""
    from coproduce.spaces import access
    from coproduce.spaces.models import Space

    from .selectors import collecting_budgets

    if not source.ready or not user.is_authenticated:
        return None
    space = Space.objects.filter(pk=source.space_id).first()
    if space is None or not access.has_role(user, space, access.FACILITATOR):
        return None
    if not collecting_budgets(space, without_idea=source.pk).exists():
        return None
    return reverse("budgets:from_idea", args=[space.slug, source.pk])


def made_project_url(source: Source, user) -> str | None:
    """Where an idea went: the first project made from it that this person may see."""
    from .selectors import projects_from_idea

    made = projects_from_idea(source.pk, user)
    return made[0].get_absolute_url() if made else None


def waiting_items(user):
    """For the person's home: the budgets open for their vote (see selectors.waiting_items)."""
    from .selectors import waiting_items as lookup

    return lookup(user)


def quality_evidence(space):
    """This module's counts for the quality check (see evidence.py)."""
    from .evidence import evidence

    return evidence(space)


def quality_records(space, measure, stages, perspectives, *, limit: int):
    """The records behind one of those counts (see evidence.py)."""
    from .evidence import evidence_records

    return evidence_records(space, measure, stages, perspectives, limit=limit)


def trail(kind, pks, viewer):
    """What became of other modules' objects, as far as this module knows (see trail.py)."""
    from .trail import trail as steps

    return steps(kind, pks, viewer)


def contributions(viewer, *, space=None, author=None, limit=None):
    """What people said in this module, for "you said, we did" (see trail.py)."""
    from .trail import contributions as said

    return said(viewer, space=space, author=author, limit=limit)


class BudgetsConfig(AppConfig):
    name = "coproduce.budgets"
    label = "budgets"
    verbose_name = _("Participatory budgeting")
    manifest = ModuleManifest(
        name="budgets",
        evidence=quality_evidence,
        evidence_records=quality_records,
        trail=trail,
        contributions=contributions,
        # Translated when shown; the registry types them as text (a lazy string is one when rendered).
        label=cast(str, _("Participatory budgeting")),
        description=cast(
            str,
            _(
                "Members propose projects, facilitators check them, everyone who may vote chooses, and a fair "
                "rule decides what is funded, with the reason for every project."
            ),
        ),
        stages=("co_commissioning",),
        items_for_stage=items_for_stage,
        sources={"budgets.project": project_source},
        waiting_for=waiting_items,
        links=(
            Link("ideas.idea", cast(str, _("Make it a budget project")), make_project_url),
            Link("ideas.idea", cast(str, _("See the budget project made from it")), made_project_url),
        ),
        personal_data=lazy("coproduce.budgets.privacy", "personal_data"),
        erase=lazy("coproduce.budgets.privacy", "erase"),
        personal_data_described=(
            PersonalDataKind(
                what=_(
                    "That you voted in a budget (never what you voted for: a ballot is not linked to its voter), and projects you proposed."
                ),
                why=_("To count each person’s vote once, and to show who proposed what."),
                on_erasure=_(
                    "Kept, shown as a “Former member”’s: nobody can tell it was yours. Results do not change."
                ),
            ),
        ),
        personal_data_models=(
            "budgets.Budget",
            "budgets.Project",
            "budgets.ProjectCostChange",
            "budgets.Voter",
        ),
    )

    def ready(self) -> None:
        from . import tasks  # noqa: F401 - registers the huey task
