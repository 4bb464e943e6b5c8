from typing import cast

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from coproduce.core import registry
from coproduce.core.registry import Link, ModuleItem, ModuleManifest, PersonalDataKind, lazy


def items_for_stage(stage, user) -> list[ModuleItem]:
    """The space's surveys page, with how many are open, for anyone who may see the space."""
    from coproduce.spaces import access

    from . import selectors

    space = stage.space
    if not access.can_view(user, space):
        return []
    surveys = list(selectors.surveys_of(user, space).values_list("status", flat=True))
    open_now = sum(1 for status in surveys if status == "open")
    return [
        ModuleItem(
            title=ngettext("%(n)s survey", "%(n)s surveys", len(surveys)) % {"n": len(surveys)},
            url=reverse("surveys:list", args=[space.slug]),
            status=ngettext("%(n)s open", "%(n)s open", open_now) % {"n": open_now} if surveys else "",
        )
    ]


def waiting_for(user):
    from . import selectors

    return selectors.waiting_for(user)


def quality_evidence(space):
    """This module's counts for the quality check (see evidence.py)."""
    from .evidence import evidence

    return evidence(space)


def quality_records(space, measure, stages, perspectives, *, limit):
    """The records behind one of those counts (see evidence.py)."""
    from .evidence import evidence_records

    return evidence_records(space, measure, stages, perspectives, limit=limit)


def impact(space, viewer):
    """This module's section of the space's impact report (see impact.py)."""
    from .impact import impact_section

    return impact_section(space, viewer)


class SurveysConfig(AppConfig):
    name = "coproduce.surveys"
    label = "surveys"
    verbose_name = _("Surveys")
    manifest = ModuleManifest(
        name="surveys",
        label=cast(str, _("Surveys")),
        description=cast(
            str,
            _("Ask members, or anyone, a few questions; see the results by perspective; the Place Standard."),
        ),
        stages=("co_design", "co_assessment"),
        items_for_stage=items_for_stage,
        waiting_for=waiting_for,
        impact=impact,
        evidence=quality_evidence,
        evidence_records=quality_records,
        # "Help shape this event": a short survey before a network event (meetings publishes "meetings.event").
        links=(
            Link(
                "meetings.event",
                cast(str, _("Help shape this event: answer a few questions")),
                registry.lazy("coproduce.surveys.selectors", "event_survey_url"),
            ),
            Link(
                "meetings.event",
                cast(str, _("Ask people to help shape this event (a short survey)")),
                registry.lazy("coproduce.surveys.selectors", "event_survey_create_url"),
            ),
        ),
        personal_data=lazy("coproduce.surveys.privacy", "personal_data"),
        erase=lazy("coproduce.surveys.privacy", "erase"),
        personal_data_described=(
            PersonalDataKind(
                what=_("Your answers to surveys (in an anonymous survey, only that you answered)."),
                why=_("To learn what people think and what changed."),
                on_erasure=_(
                    "Your answers stay, with nothing linking them to you, so that results do not change."
                ),
            ),
        ),
        personal_data_models=(
            "surveys.Survey",
            "surveys.Response",
            "surveys.Participation",
            "surveys.Answer",
        ),
    )
