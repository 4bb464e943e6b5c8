from typing import cast

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coproduce.core.registry import ModuleItem, ModuleManifest


def items_for_stage(stage, user) -> list[ModuleItem]:
    """The quality check and the self-assessment, on co-assessment, for anyone who may see the space."""
    from coproduce.spaces import access

    space = stage.space
    if not access.can_view(user, space):
        return []
    return [
        ModuleItem(
            title=str(_("Co-production quality check")), url=reverse("quality:check", args=[space.slug])
        ),
        ModuleItem(
            title=str(_("National Standards self-assessment")),
            url=reverse("quality:standards", args=[space.slug]),
        ),
    ]


class QualityConfig(AppConfig):
    name = "coproduce.quality"
    label = "quality"
    verbose_name = _("Quality check")
    manifest = ModuleManifest(
        name="quality",
        label=cast(str, _("Co-production quality check")),
        description=cast(
            str, _("Whether power was shared, from the space's own records, and the members' own assessment.")
        ),
        stages=("co_assessment",),
        items_for_stage=items_for_stage,
    )

    def ready(self):
        from . import tasks  # noqa: F401  (registers the nightly refresh with huey)
