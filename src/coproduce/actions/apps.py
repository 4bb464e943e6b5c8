from typing import cast

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from coproduce.core.registry import Link, ModuleItem, ModuleManifest, PersonalDataKind, Source, lazy


def items_for_stage(stage, user) -> list[ModuleItem]:
    """The space's action tracker, as one link with counts, for anyone who may see the space."""
    from coproduce.spaces import access

    from . import selectors

    space = stage.space
    if not access.can_view(user, space):
        return []
    counts = selectors.status_counts(space)
    status = ngettext("%(n)s done", "%(n)s done", counts["done"]) % {"n": counts["done"]}
    if counts["overdue"]:
        status += ", " + ngettext("%(n)s overdue", "%(n)s overdue", counts["overdue"]) % {
            "n": counts["overdue"]
        }
    return [
        ModuleItem(
            title=ngettext("%(n)s action", "%(n)s actions", counts["total"]) % {"n": counts["total"]},
            url=reverse("actions:tracker", args=[space.slug]),
            status=status if counts["total"] else "",
        )
    ]


def source_url(source: Source, user) -> str | None:
    from . import selectors

    return selectors.source_url(source, user)


def waiting_items(user) -> list:
    """For the person's home: the actions they own that are still open."""
    from . import selectors

    return selectors.waiting_items(user)


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


class ActionsConfig(AppConfig):
    name = "coproduce.actions"
    label = "actions"
    verbose_name = _("Actions")
    manifest = ModuleManifest(
        name="actions",
        evidence=quality_evidence,
        evidence_records=quality_records,
        trail=trail,
        # Translated lazily, when shown (the registry keeps them as they are given).
        label=cast(str, _("What we said, what we did")),
        description=cast(
            str, _("Decisions and adopted ideas become actions with an owner, a date and public updates.")
        ),
        stages=("co_delivery",),
        items_for_stage=items_for_stage,
        waiting_for=waiting_items,
        # What was said elsewhere becomes something someone owns: the upstream pages show these links.
        links=(
            Link("ideas.idea", cast(str, _("Make it an action")), source_url),
            Link("meetings.decision", cast(str, _("Make it an action")), source_url),
            Link("budgets.project", cast(str, _("Add an action")), source_url),
        ),
        personal_data=lazy("coproduce.actions.privacy", "personal_data"),
        erase=lazy("coproduce.actions.privacy", "erase"),
        personal_data_described=(
            PersonalDataKind(
                what=_("Actions you own and the updates you give on them."),
                why=_("So that a space can see what is being done, and by whom."),
                on_erasure=_("Kept, shown as a “Former member”’s: nobody can tell it was yours."),
            ),
        ),
        personal_data_models=("actions.Action", "actions.ActionUpdate"),
    )

    def ready(self):
        # Registers the daily reminder with huey, also in `coproduce serve`'s embedded consumer.
        from . import tasks  # noqa: F401
