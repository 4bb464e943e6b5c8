from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "coproduce.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # Registers the email task and the digests with huey, also in `coproduce serve`'s embedded consumer.
        from . import tasks  # noqa: F401
