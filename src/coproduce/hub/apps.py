from typing import cast

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from coproduce.core import registry
from coproduce.core.registry import ModuleManifest


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
    )

    def ready(self):
        from . import tasks  # noqa: F401  (registers the weekly digest with huey)
