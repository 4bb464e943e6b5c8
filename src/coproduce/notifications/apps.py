from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from coproduce.core.registry import ModuleManifest


def network_admin(user):
    """Notifications' numbers on the network admin screen (people's page)."""
    from .selectors import network_section

    return network_section(user)


class NotificationsConfig(AppConfig):
    name = "coproduce.notifications"
    label = "notifications"
    verbose_name = _("Notifications")
    # On no stage: the manifest only adds notifications' numbers to the network admin screen.
    manifest = ModuleManifest(
        name="notifications",
        label=_("Notifications"),
        description=_("What people are told about, in the app and by email."),
        stages=(),
        network_admin=network_admin,
    )

    def ready(self):
        # Registers the email task and the digests with huey, also in `coproduce serve`'s embedded consumer.
        from . import tasks  # noqa: F401
