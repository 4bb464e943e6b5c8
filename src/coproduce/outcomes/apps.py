import datetime as dt
from typing import cast

from django.apps import AppConfig
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from coproduce.core.handler import url
from coproduce.core.registry import ModuleItem, ModuleManifest, PersonalDataKind, Urgency, WaitingItem, lazy

_NOT_READ = object()


def items_for_stage(stage, user, read=_NOT_READ) -> list[ModuleItem]:
    """For members of the space: their own outcomes and the space's anonymised summary. Nothing for anyone
    else: personal outcomes are not for the public. `read`: the person's live consent (or None), when the
    space page read it with the space (`read_with_space`)."""
    from coproduce.spaces import access as space_access

    from . import access

    space = stage.space
    if not space_access.has_role(user, space, space_access.MEMBER):
        return []
    consent = access.live_consent(user, space) if read is _NOT_READ else read
    return [
        ModuleItem(
            title=_("Your personal outcomes"),
            url=url("outcomes:person", space.slug, user.pk),
            status=_("Being recorded, with your consent")
            if consent
            else _("Not recorded: you have not agreed"),
        ),
        ModuleItem(
            title=_("Outcomes across the space (anonymised)"),
            url=url("outcomes:summary", space.slug),
        ),
    ]


def waiting_for(user) -> list[WaitingItem]:
    """Personal plans due for review within two weeks: the person's own, and those of people who chose
    `user` to help them (see `selectors.plans_to_review`)."""
    from . import selectors

    return [
        WaitingItem(
            module="outcomes",
            kind="plan_review",
            title=(
                _("Review your plan in %(space)s") % {"space": plan.space.title}
                if plan.person_id == user.pk
                else _("Review %(name)s's plan with them") % {"name": plan.person.display_name}
            ),
            url=url("outcomes:plan", plan.space.slug, plan.person_id),
            urgency=Urgency.DUE,
            due=timezone.make_aware(dt.datetime.combine(plan.next_review_on, dt.time(9)))
            if plan.next_review_on
            else None,
            space_title=plan.space.title,
        )
        for plan in selectors.plans_to_review(user)
    ]


def erase_person(*, actor, person) -> dict[str, int]:
    from . import services

    return services.person_erase(actor=actor, person=person)


def impact(space, viewer):
    """This module's section of the space's impact report (see impact.py)."""
    from .impact import impact_section

    return impact_section(space, viewer)


class OutcomesConfig(AppConfig):
    """Personal outcomes (Talking Points) on the co-assessment stage. It offers one hook: "erase_person"
    (`services.person_erase(*, actor, person) -> counts`), for the network's erasure of a person."""

    name = "coproduce.outcomes"
    label = "outcomes"
    verbose_name = _l("Personal outcomes")
    manifest = ModuleManifest(
        name="outcomes",
        label=cast(str, _l("Personal outcomes")),
        description=cast(
            str,
            _l(
                "What matters to each person, talked through over time with their consent, and their own plan."
            ),
        ),
        stages=("co_assessment",),
        items_for_stage=items_for_stage,
        personal_items=True,  # your own consent and outcome records
        read_with_space=lazy("coproduce.outcomes.access", "live_consent_read"),
        hooks={"erase_person": erase_person},
        waiting_for=waiting_for,
        impact=impact,
        personal_data=lazy("coproduce.outcomes.privacy", "personal_data"),
        erase=lazy("coproduce.outcomes.privacy", "erase"),
        personal_data_described=(
            PersonalDataKind(
                what=_l(
                    "Your personal outcomes: conversations about what matters to you, your ratings and plans, and who may help you record them."
                ),
                why=_l(
                    "So that you can see what changed for you, and a space can report on outcomes without naming anyone."
                ),
                on_erasure=_l(
                    "Removed. Conversations are also removed automatically a set time after they were held."
                ),
                special=True,
                retention="outcomes",
            ),
        ),
        personal_data_models=(
            "outcomes.Consent",
            "outcomes.Helper",
            "outcomes.Conversation",
            "outcomes.Plan",
            "outcomes.PlanChange",
        ),
        retention={"outcomes": lazy("coproduce.outcomes.privacy", "expire_conversations")},
    )
