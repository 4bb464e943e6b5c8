from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coproduce.core.registry import ModuleItem, ModuleManifest


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


class BudgetsConfig(AppConfig):
    name = "coproduce.budgets"
    label = "budgets"
    verbose_name = _("Participatory budgeting")
    manifest = ModuleManifest(
        name="budgets",
        label=_("Participatory budgeting"),
        description=_(
            "Members propose projects, facilitators check them, everyone who may vote chooses, and a fair rule "
            "decides what is funded, with the reason for every project."
        ),
        stages=("co_commissioning",),
        items_for_stage=items_for_stage,
    )

    def ready(self) -> None:
        from . import tasks  # noqa: F401 - registers the huey task
