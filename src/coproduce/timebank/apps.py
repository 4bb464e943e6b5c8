from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from coproduce.core.registry import ModuleManifest


class TimebankConfig(AppConfig):
    """Network-wide, not a stage module (`stages=()`). It offers other modules two hooks (see
    docs/ARCHITECTURE.md, "Links between capabilities"):

    - "reward_participation": `services.participation_reward` (time credits for taking part, e.g. in a
      meeting), with its signature;
    - "profile_timebank": `selectors.profile_timebank(viewer, person) -> dict | None`, what a person's
      profile pages show about their place in the timebank (None: show nothing).

    Its `waiting_for` (`selectors.waiting_items`) puts exchanges to confirm, and for coordinators disputes
    and people to welcome, on a person's home page.
    """

    name = "coproduce.timebank"
    label = "timebank"
    verbose_name = _("Timebank")
    manifest: ModuleManifest | None = None

    def ready(self) -> None:
        # Built once the models are loaded: the hooks are the services themselves, not wrappers.
        from . import selectors, services

        self.manifest = ModuleManifest(
            name="timebank",
            label=_("Timebank"),
            description=_("Members give and receive time, an hour for an hour, recorded in a shared ledger."),
            stages=(),
            waiting_for=selectors.waiting_items,
            hooks={
                "reward_participation": services.participation_reward,
                "profile_timebank": selectors.profile_timebank,
            },
            network_admin=selectors.network_section,
        )
