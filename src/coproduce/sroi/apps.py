from typing import cast

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from coproduce.core.registry import ModuleItem, ModuleManifest, NetworkAdminSection, PersonalDataKind, lazy


def items_for_stage(stage, user) -> list[ModuleItem]:
    """The space's social value, as one link with its ratio, for anyone who may see it."""
    from . import access, selectors

    space = stage.space
    if not access.can_view(user, space):
        return []
    summary = selectors.stage_summary(space)
    return [
        ModuleItem(
            title=_("Social value (SROI)"), url=reverse("sroi:analysis", args=[space.slug]), status=summary
        )
    ]


def network_admin(user) -> NetworkAdminSection | None:
    """The unit costs, for network admins who keep them (the figures, their sources and price years)."""
    from . import access, selectors

    if not access.can_edit_unit_costs(user):
        return None
    return NetworkAdminSection(
        module="sroi",
        title=_("Unit costs for social value"),
        url=reverse("sroi_costs:list"),
        rows=tuple(
            (f"{c.name}: £{c.value:,} ({c.price_year})", reverse("sroi_costs:edit", args=[c.pk]))
            for c in selectors.unit_costs()[:8]
        ),
    )


def impact(space, viewer):
    """This module's section of the space's impact report (see impact.py)."""
    from .impact import impact_section

    return impact_section(space, viewer)


class SroiConfig(AppConfig):
    """Social value (SROI) per space, on the co-assessment stage. It uses the timebank's "space_hours" hook
    for the hours given in the space; without the timebank those hours count as none, said plainly."""

    name = "coproduce.sroi"
    label = "sroi"
    verbose_name = _l("Social value")
    manifest = ModuleManifest(
        name="sroi",
        label=cast(str, _l("Social value (SROI)")),
        description=cast(
            str,
            _l("What the space put in and what changed, valued in pounds: the social return on investment."),
        ),
        stages=("co_assessment",),
        items_for_stage=items_for_stage,
        network_admin=network_admin,
        impact=impact,
        personal_data=lazy("coproduce.sroi.privacy", "personal_data"),
        personal_data_described=(
            PersonalDataKind(
                what=_l("Who made a social return on investment analysis."),
                why=_l("Accountability."),
                on_erasure=_l("Kept, shown as a “Former member”’s: nobody can tell it was yours."),
            ),
        ),
        personal_data_models=("sroi.Analysis",),
    )
