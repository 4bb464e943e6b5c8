from typing import cast

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from coproduce.core import registry
from coproduce.core.registry import ModuleManifest, PersonalDataKind, lazy


class ResourcesConfig(AppConfig):
    name = "coproduce.resources"
    label = "resources"
    verbose_name = _("Resources")
    # On no stage: the hub's home page and the network search ask it.
    manifest = ModuleManifest(
        name="resources",
        label=cast(str, _("Resources")),
        description=cast(str, _("Links and files the network shares: toolkits, guides, easy-read versions.")),
        stages=(),
        hub_section=registry.lazy("coproduce.resources.selectors", "hub_section"),
        search_documents=registry.lazy("coproduce.resources.selectors", "search_documents"),
        search_kinds=("resources.resource",),
        personal_data=lazy("coproduce.resources.privacy", "personal_data"),
        erase=lazy("coproduce.resources.privacy", "erase"),
        personal_data_described=(
            PersonalDataKind(
                what=_("Resources you share."),
                why=_("So that others can use them."),
                on_erasure=_("Kept, without an author."),
            ),
        ),
        personal_data_models=("resources.Resource",),
    )
