from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from coproduce.core.registry import ModuleManifest, PersonalDataKind, lazy


def notify(**kwargs: Any) -> Any:
    """`services.notify`, for `spaces`, which sits below notifications and so does not import it
    (docs/ARCHITECTURE.md). The import waits until the hook is called, when the models are loaded."""
    from . import services

    return services.notify(**kwargs)


def network_admin(user):
    """Notifications' numbers on the network admin screen (people's page)."""
    from .selectors import network_section

    return network_section(user)


class NotificationsConfig(AppConfig):
    name = "coproduce.notifications"
    label = "notifications"
    verbose_name = _("Notifications")
    # Not a module on a stage (no stages): the manifest offers the "notify" hook to the apps below, and
    # notifications' numbers to the network admin screen.
    manifest = ModuleManifest(
        name="notifications",
        label=_("Notifications"),
        description=_("Tells people about what happens, in the site and by email."),
        stages=(),
        hooks={"notify": notify},
        network_admin=network_admin,
        personal_data=lazy("coproduce.notifications.privacy", "personal_data"),
        erase=lazy("coproduce.notifications.privacy", "erase"),
        personal_data_described=(
            PersonalDataKind(
                what=_("What you were told (in the site and by email) and how you like to be told."),
                why=_("To tell you what needs you."),
                on_erasure=_("Removed; other people’s notifications no longer name you."),
            ),
        ),
        personal_data_models=("notifications.Notification", "notifications.Preference"),
    )

    def ready(self):
        # Registers the email task and the digests with huey, also in `coproduce serve`'s embedded consumer.
        from . import tasks  # noqa: F401
