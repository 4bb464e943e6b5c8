from typing import cast

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from coproduce.core import registry
from coproduce.core.registry import ModuleManifest

_SELECTORS = "coproduce.directory.selectors"


class DirectoryConfig(AppConfig):
    name = "coproduce.directory"
    label = "directory"
    verbose_name = _("Directory and mentoring")
    # On no stage: the network's directory of people to learn from, requests for help and messages. It
    # shows on the hub's home page, on the person's home (unread messages), on the network admin screen
    # (reports) and in the search (listed people, for signed-in people only).
    manifest = ModuleManifest(
        name="directory",
        label=cast(str, _("People to learn from")),
        description=cast(
            str,
            _("Members choose to be listed with what they know and offer; ask for help, and message people."),
        ),
        stages=(),
        waiting_for=registry.lazy(_SELECTORS, "waiting_items"),
        network_admin=registry.lazy(_SELECTORS, "network_section"),
        hub_section=registry.lazy(_SELECTORS, "hub_section"),
        search_documents=registry.lazy(_SELECTORS, "search_documents"),
        search_kinds=("directory.person",),
        search_hidden=registry.lazy(_SELECTORS, "search_hidden"),
    )
