from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from coproduce.core.registry import ModuleManifest, PersonalDataKind, lazy


def quality_evidence(space):
    """This module's counts for the quality check (see evidence.py)."""
    from .evidence import evidence

    return evidence(space)


def quality_records(space, measure, stages, perspectives, *, limit: int):
    """The records behind one of those counts (see evidence.py)."""
    from .evidence import evidence_records

    return evidence_records(space, measure, stages, perspectives, limit=limit)


class TimebankConfig(AppConfig):
    """Network-wide, not a stage module (`stages=()`). It offers other modules two hooks (see
    docs/ARCHITECTURE.md, "Links between capabilities"):

    - "reward_participation": `services.participation_reward` (time credits for taking part, e.g. in a
      meeting), with its signature;
    - "profile_timebank": `selectors.profile_timebank(viewer, person) -> dict | None`, what a person's
      profile pages show about their place in the timebank (None: show nothing);
    - "space_hours": `selectors.space_hours(space_id, *, since=None, until=None) -> float`, the hours given in
      a space's name (for its social value).
    - "hours_by_space": `evidence.space_hours(space_ids) -> {space_id: {"exchanged": minutes, "credits_paid":
      minutes}}`, for the impact report and the network dashboard.

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
        from .evidence import space_hours as hours_by_space

        self.manifest = ModuleManifest(
            name="timebank",
            evidence=quality_evidence,
            evidence_records=quality_records,
            label=_("Timebank"),
            description=_("Members give and receive time, an hour for an hour, recorded in a shared ledger."),
            stages=(),
            waiting_for=selectors.waiting_items,
            hooks={
                "reward_participation": services.participation_reward,
                "profile_timebank": selectors.profile_timebank,
                "space_hours": selectors.space_hours,
                "hours_by_space": hours_by_space,
            },
            network_admin=selectors.network_section,
            personal_data=lazy("coproduce.timebank.privacy", "personal_data"),
            erase=lazy("coproduce.timebank.privacy", "erase"),
            personal_data_described=(
                PersonalDataKind(
                    what=_("Your place in the timebank, your area, your offers and requests."),
                    why=_("To match people who give and receive time."),
                    on_erasure=_("Removed: you leave the timebank."),
                ),
                PersonalDataKind(
                    what=_("A safeguarding note a coordinator may write."),
                    why=_("To keep members safe when they meet."),
                    on_erasure=_(
                        "Removed. Also removed automatically a set time after a person leaves the timebank."
                    ),
                    special=True,
                    retention="safeguarding_notes",
                ),
                PersonalDataKind(
                    what=_("Your time account and every exchange in and out of it."),
                    why=_("An hour for an hour: the ledger must always balance."),
                    on_erasure=_(
                        "Kept, with its balance, held by a “Former member”: the ledger still balances, and nobody can tell it was yours."
                    ),
                ),
            ),
            personal_data_models=(
                "timebank.TimebankMember",
                "timebank.Account",
                "timebank.Transfer",
                "timebank.Listing",
                "timebank.Exchange",
                "timebank.ExchangeParty",
            ),
            retention={"safeguarding_notes": lazy("coproduce.timebank.privacy", "expire_safeguarding_notes")},
        )
