from typing import cast

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from coproduce.core import registry
from coproduce.core.registry import ModuleManifest, PersonalDataKind, lazy


class HubConfig(AppConfig):
    name = "coproduce.hub"
    label = "hub"
    verbose_name = _("The network hub")
    # Not on a space's stages: the hub is the network's own. Its manifest gives the search its posts, the
    # hub's home its "Latest posts", network admins their queue.
    manifest = ModuleManifest(
        name="hub",
        label=cast(str, _("The network hub")),
        description=cast(
            str,
            _("Members' posts in categories, with comments, “this helped”, moderation and a weekly digest."),
        ),
        stages=(),
        waiting_for=registry.lazy("coproduce.hub.selectors", "waiting_items"),
        network_admin=registry.lazy("coproduce.hub.selectors", "network_section"),
        search_documents=registry.lazy("coproduce.hub.selectors", "search_documents"),
        search_kinds=("hub.post",),
        hub_section=registry.lazy("coproduce.hub.selectors", "hub_section"),
        personal_data=lazy("coproduce.hub.privacy", "personal_data"),
        erase=lazy("coproduce.hub.privacy", "erase"),
        personal_data_described=(
            PersonalDataKind(
                what=_(
                    "Posts and comments you write on the hub, what you found helpful, reports and your weekly digest choice."
                ),
                why=_("To share what works between places."),
                on_erasure=_(
                    "Kept, shown as a “Former member”’s: nobody can tell it was yours. The digest stops."
                ),
            ),
        ),
        personal_data_models=("hub.Post", "hub.Comment", "hub.Helped", "hub.Report", "hub.DigestChoice"),
    )

    def ready(self):
        from . import tasks  # noqa: F401  (registers the weekly digest with huey)
