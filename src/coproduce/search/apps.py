from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from coproduce.core import registry
from coproduce.core.registry import ModuleManifest, PersonalDataKind


class SearchConfig(AppConfig):
    name = "coproduce.search"
    label = "search"
    verbose_name = _("Search")
    # On no stage: the manifest offers the hook every module's `registry.search_changed` calls.
    manifest = ModuleManifest(
        name="search",
        label=_("Search"),
        description=_("Search across everything on the network that you may see."),
        stages=(),
        hooks={"search_reindex": registry.lazy("coproduce.search.services", "search_reindex")},
        personal_data_described=(
            PersonalDataKind(
                what=_(
                    "A search index made from what may be found (for example your listing among people to learn from)."
                ),
                why=_("So that people can find things."),
                on_erasure=_("Your listing is taken out of it."),
            ),
        ),
    )
