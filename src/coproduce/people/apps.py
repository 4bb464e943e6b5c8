from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from coproduce.core.registry import ModuleManifest, PersonalDataKind, lazy


class PeopleConfig(AppConfig):
    name = "coproduce.people"
    label = "people"
    verbose_name = "People"
    # On no stage: people's manifest says what accounts hold about a person, for their download and the
    # privacy page. Its erasure is people's own service (services/privacy.py), which asks every other module.
    manifest = ModuleManifest(
        name="people",
        label=_("Your account"),
        description=_("Accounts, profiles, organisations and API tokens."),
        stages=(),
        personal_data=lazy("coproduce.people.services.privacy", "personal_data"),
        personal_data_described=(
            PersonalDataKind(
                what=_(
                    "Your email address, password (scrambled, never readable), name, pronouns and profile."
                ),
                why=_("So that you can sign in, and people in your spaces know who they are working with."),
                on_erasure=_("Removed. Your account is renamed “Former member” and can never sign in again."),
            ),
            PersonalDataKind(
                what=_("Your access needs, written on your profile."),
                why=_("So that facilitators can make meetings and activities work for you."),
                on_erasure=_("Removed."),
                special=True,
            ),
            PersonalDataKind(
                what=_("The organisations you belong to, and the API tokens you made."),
                why=_("To list you with your organisation, and to let your own programs use the API."),
                on_erasure=_("Removed."),
            ),
            PersonalDataKind(
                what=_("An audit log of changes: who did what, when, and on whose behalf."),
                why=_("Accountability: people can see what was done with what they said."),
                on_erasure=_("Kept, with your name taken out of it."),
            ),
        ),
        personal_data_models=(
            "people.User",
            "people.Organisation",
            "people.OrganisationMembership",
            "people.ClaimCode",
            "people.ApiToken",
            "core.AuditEvent",
            "admin.LogEntry",
            "account.EmailAddress",
        ),
    )

    def ready(self) -> None:
        from . import tasks  # noqa: F401 - registers the nightly retention task with huey
