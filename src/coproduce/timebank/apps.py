from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from coproduce.core.registry import ModuleManifest


class TimebankConfig(AppConfig):
    """Network-wide, not a stage module (`stages=()`). It offers other modules two hooks (see
    docs/ARCHITECTURE.md, "Links between capabilities"):

    - "reward_participation": `services.participation_reward` (time credits for taking part, e.g. in a
      meeting), with its signature;
    - "profile_timebank": `selectors.profile_timebank(viewer, person) -> dict | None`, what a person's
      profile pages show about their place in the timebank (None: show nothing);
    - "space_hours": `selectors.space_hours(space_id, *, since=None, until=None) -> float`, the hours given in
      a space's name (for its social value).
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
            hooks={
                "reward_participation": services.participation_reward,
                "profile_timebank": selectors.profile_timebank,
                "space_hours": selectors.space_hours,
            },
        )
