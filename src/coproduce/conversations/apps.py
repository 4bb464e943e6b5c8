from typing import cast

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from coproduce.core import registry
from coproduce.core.registry import ModuleItem, ModuleManifest, PersonalDataKind, lazy


def items_for_stage(stage, user) -> list[ModuleItem]:
    """The space's conversations page, with how many are open, for anyone who may see the space."""
    from coproduce.spaces import access

    from .models import Conversation

    space = stage.space
    if not access.can_view(user, space):
        return []
    # The space page asks once per stage (co-commissioning and co-design): look once per page.
    found = getattr(space, "_conversation_states", None)
    if found is None:
        found = space._conversation_states = list(
            Conversation.objects.filter(space=space).values_list("is_open", flat=True)
        )
    open_now = sum(1 for is_open in found if is_open)
    return [
        ModuleItem(
            title=ngettext("%(n)s conversation", "%(n)s conversations", len(found)) % {"n": len(found)},
            url=reverse("conversations:list", args=[space.slug]),
            status=ngettext("%(n)s open", "%(n)s open", open_now) % {"n": open_now} if found else "",
        )
    ]


class ConversationsConfig(AppConfig):
    name = "coproduce.conversations"
    label = "conversations"
    verbose_name = _("Conversations")
    manifest = ModuleManifest(
        name="conversations",
        label=cast(str, _("Conversations")),
        description=cast(
            str,
            _(
                "Polis-style conversations: short statements, agree / disagree / pass, opinion groups, common "
                "ground, and whose voices are missing."
            ),
        ),
        stages=("co_commissioning", "co_design"),
        items_for_stage=items_for_stage,
        sources={
            "conversations.statement": registry.lazy("coproduce.conversations.selectors", "statement_source")
        },
        waiting_for=registry.lazy("coproduce.conversations.selectors", "waiting_items"),
        search_documents=registry.lazy("coproduce.conversations.selectors", "search_documents"),
        search_kinds=("conversations.conversation",),
        personal_data=lazy("coproduce.conversations.privacy", "personal_data"),
        erase=lazy("coproduce.conversations.privacy", "erase"),
        personal_data_described=(
            PersonalDataKind(
                what=_("Statements you write in a conversation and your votes on others’."),
                why=_("To find where people agree and differ."),
                on_erasure=_("Kept, shown as a “Former member”’s: nobody can tell it was yours."),
            ),
        ),
        personal_data_models=(
            "conversations.Conversation",
            "conversations.Participant",
            "conversations.Statement",
            "conversations.Vote",
            "conversations.ModerationEntry",
        ),
    )

    def ready(self) -> None:
        from . import tasks  # noqa: F401 - registers the analysis task with huey
