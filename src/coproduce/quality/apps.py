from typing import cast

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coproduce.core import registry
from coproduce.core.registry import (
    Link,
    ModuleItem,
    ModuleManifest,
    NetworkAdminSection,
    PersonalDataKind,
    Source,
    lazy,
)


def items_for_stage(stage, user) -> list[ModuleItem]:
    """The quality check and the self-assessment, on co-assessment, for anyone who may see the space."""
    from coproduce.spaces import access

    space = stage.space
    if not access.can_view(user, space):
        return []
    return [
        ModuleItem(title=str(_("Impact report")), url=reverse("impact:report", args=[space.slug])),
        ModuleItem(title=str(_("You said, we did")), url=reverse("impact:you_said", args=[space.slug])),
        ModuleItem(
            title=str(_("Co-production quality check")), url=reverse("quality:check", args=[space.slug])
        ),
        ModuleItem(
            title=str(_("National Standards self-assessment")),
            url=reverse("quality:standards", args=[space.slug]),
        ),
    ]


def trail_url(source: Source, user) -> str | None:
    """The trail of an idea, agenda item or budget project: on its page, for whoever may see it (the page
    showing the link already asked)."""
    from coproduce.spaces.models import Space

    # A page asks once per object it shows (each item of a meeting's agenda): look the space up once per
    # person and request, as actions does.
    slugs: dict[int, str | None] = user.__dict__.setdefault("_trail_space_slugs", {})
    if source.space_id not in slugs:
        slugs[source.space_id] = (
            Space.objects.filter(pk=source.space_id).values_list("slug", flat=True).first()
        )
    slug = slugs[source.space_id]
    return reverse("impact:trail", args=[slug, source.kind, source.pk]) if slug else None


def network_admin(user) -> NetworkAdminSection | None:
    from coproduce.people.access import can_admin_network

    if not can_admin_network(user):
        return None
    return NetworkAdminSection(
        module="quality", title=str(_("Impact across the network")), url=reverse("impact:network")
    )


def me_links(user) -> list[tuple[str, str]]:
    """The "me_links" hook: links for the person's own profile page."""
    return [(str(_("What became of what I said")), reverse("impact:mine"))]


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
        links=(
            Link("ideas.idea", cast(str, _("What became of it")), trail_url),
            Link("meetings.agenda_item", cast(str, _("What became of it")), trail_url),
            Link("budgets.project", cast(str, _("What became of it")), trail_url),
        ),
        network_admin=network_admin,
        hooks={
            "me_links": me_links,
            # (space) -> {"level", "band", "computed_at", "url"} | None: for a case study drafted from a space.
            "quality_level": registry.lazy("coproduce.quality.selectors", "quality_level"),
        },
        personal_data=lazy("coproduce.quality.privacy", "personal_data"),
        erase=lazy("coproduce.quality.privacy", "erase"),
        personal_data_described=(
            PersonalDataKind(
                what=_("That you took part in a space’s self-assessment."),
                why=_("To show who agreed the assessment."),
                on_erasure=_("Kept, shown as a “Former member”’s: nobody can tell it was yours."),
            ),
        ),
        personal_data_models=("quality.SelfAssessment",),
    )

    def ready(self):
        from . import tasks  # noqa: F401  (registers the nightly refresh with huey)
