from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TimebankConfig(AppConfig):
    """Network-wide, not a stage module: it has no manifest. Spaces reward taking part through
    `services.participation_reward`."""

    name = "coproduce.timebank"
    label = "timebank"
    verbose_name = _("Timebank")
