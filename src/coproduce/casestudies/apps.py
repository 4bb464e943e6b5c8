from typing import cast

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from coproduce.core import registry
from coproduce.core.registry import ModuleManifest, PersonalDataKind, lazy


class CaseStudiesConfig(AppConfig):
    name = "coproduce.casestudies"
    label = "casestudies"
    verbose_name = _("Case studies")
    manifest = ModuleManifest(
        name="casestudies",
        label=cast(str, _("Case studies")),
        description=cast(
            str, _("What a project did and what changed, to share across the network; drafted from a space.")
        ),
        # On co-assessment: the space's case studies, and "Draft a case study from this space" for hosts.
        stages=("co_assessment",),
        items_for_stage=registry.lazy("coproduce.casestudies.selectors", "items_for_stage"),
        hub_section=registry.lazy("coproduce.casestudies.selectors", "hub_section"),
        search_documents=registry.lazy("coproduce.casestudies.selectors", "search_documents"),
        search_kinds=("casestudies.casestudy",),
        personal_data=lazy("coproduce.casestudies.privacy", "personal_data"),
        erase=lazy("coproduce.casestudies.privacy", "erase"),
        personal_data_described=(
            PersonalDataKind(
                what=_("Case studies you write."),
                why=_("To share what a space did and learnt."),
                on_erasure=_("Kept, without an author."),
            ),
        ),
        personal_data_models=("casestudies.CaseStudy",),
    )
