from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from coproduce.core.registry import ModuleManifest, PersonalDataKind, lazy

# Hooks for the people pages, which sit below spaces and so do not import it (docs/ARCHITECTURE.md). Each asks
# spaces' own access rules; the imports wait until the hook is called, when the app registry is ready.


def organisation_partnerships(viewer: Any, organisation: Any) -> dict[str, Any]:
    """For an organisation's page: the spaces it is listed in that `viewer` may see, and the spaces asking to
    list it, shown only to its admins."""
    from . import access, selectors

    return {
        "spaces": access.partner_spaces(viewer, organisation),
        "partnership_requests": selectors.partnership_requests_to_answer(viewer, organisation),
    }


def partnership_requests_to_answer(user: Any) -> Any:
    """For a person's own profile page: the spaces asking to list an organisation they are an admin of."""
    from . import selectors

    return selectors.partnership_requests_to_answer(user)


def waiting_items(user: Any) -> Any:
    """For the person's home: the join and partnership requests they should answer."""
    from . import selectors

    return selectors.waiting_items(user)


def network_admin(user: Any) -> Any:
    """Spaces' part of the network admin screen (people's page): the spaces by stage."""
    from . import selectors

    return selectors.network_section(user)


class SpacesConfig(AppConfig):
    name = "coproduce.spaces"
    label = "spaces"
    verbose_name = "Spaces"
    # Spaces are not a module on a stage (no stages); the manifest offers hooks to the apps below and what
    # waits for a person on their home page.
    manifest = ModuleManifest(
        name="spaces",
        label=_("Spaces"),
        description=_("Spaces, their members and partner organisations."),
        stages=(),
        waiting_for=waiting_items,
        hooks={
            "organisation_partnerships": organisation_partnerships,
            "partnership_requests_to_answer": partnership_requests_to_answer,
        },
        network_admin=network_admin,
        search_documents=lazy("coproduce.spaces.selectors", "search_documents"),
        search_kinds=("spaces.space",),
        personal_data=lazy("coproduce.spaces.privacy", "personal_data"),
        erase=lazy("coproduce.spaces.privacy", "erase"),
        personal_data_described=(
            PersonalDataKind(
                what=_(
                    "The spaces you join, your role, and the perspective you bring (for example lived experience, or caring for someone)."
                ),
                why=_(
                    "So that hosts know who takes part, and the quality check can count whose voices were heard."
                ),
                on_erasure=_(
                    "Removed: you leave every space. Its history says only that a former member joined or left."
                ),
                special=True,
            ),
            PersonalDataKind(
                what=_(
                    "Requests to join a space, consent for facilitators to act on your behalf, and entries you said were wrong."
                ),
                why=_("To decide requests, and so that help given for you stays accountable to you."),
                on_erasure=_("Removed."),
            ),
        ),
        personal_data_models=(
            "spaces.Space",
            "spaces.Membership",
            "spaces.MembershipChange",
            "spaces.JoinRequest",
            "spaces.PartnershipRequest",
            "spaces.Invitation",
            "spaces.HelpConsent",
            "spaces.EntryDispute",
        ),
    )
