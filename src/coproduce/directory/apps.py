from typing import cast

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from coproduce.core import registry
from coproduce.core.registry import ModuleManifest, PersonalDataKind, lazy

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
        personal_data=lazy("coproduce.directory.privacy", "personal_data"),
        erase=lazy("coproduce.directory.privacy", "erase"),
        personal_data_described=(
            PersonalDataKind(
                what=_(
                    "Your listing among people to learn from, which may say what you have lived experience of."
                ),
                why=_("So that people can find someone who has been there."),
                on_erasure=_("Removed, and taken out of the search."),
                special=True,
            ),
            PersonalDataKind(
                what=_(
                    "Requests for help, messages you send and receive, people you block and what you report."
                ),
                why=_("So that people can help each other safely."),
                on_erasure=_("Removed; messages you sent are emptied."),
            ),
        ),
        personal_data_models=(
            "directory.Listing",
            "directory.Block",
            "directory.HelpRequest",
            "directory.Thread",
            "directory.Message",
            "directory.Report",
        ),
    )
