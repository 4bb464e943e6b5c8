"""Every change to personal outcomes: consent first, atomic, audited. The audit says what was done and by
whom, never what the person said (their scores and words are health information, seen only by them and
their helpers)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core import audit
from coproduce.core.validators import check_sensible_date
from coproduce.people.models import User
from coproduce.spaces.models import Space

from . import access
from .models import Consent, Conversation, Helper, PersonalOutcome, Plan, PlanChange, Rating

PLAN_FIELDS = ["outcomes", "my_part", "others_part", "next_review_on", "last_reviewed_on"]


@dataclass(frozen=True)
class RatingIn:
    outcome: str
    score: int
    own_words: str = ""


def _on_behalf(actor: User, person: User) -> User | None:
    return person if person.pk != actor.pk else None


@transaction.atomic
def consent_give(*, actor: User, person: User, space: Space) -> Consent:
    """The person agrees that their outcomes are recorded in this space (or a facilitator records it for
    someone who takes part with help, and becomes one of their helpers)."""
    access.require(access.can_consent(actor, person, space))
    found = access.live_consent(person, space)
    if found is not None:
        return found
    consent = Consent(person=person, space=space, given_by=actor)
    consent.full_clean()
    consent.save()
    if person.pk != actor.pk:
        Helper.objects.get_or_create(person=person, space=space, helper=actor, defaults={"granted_by": actor})
    audit.record(
        actor=actor,
        on_behalf_of=_on_behalf(actor, person),
        action="outcomes.consent.given",
        target=consent,
        space=space,
        summary=_("Agreed that personal outcomes are recorded in this space"),
    )
    return consent


def _delete(queryset: QuerySet[Any]) -> int:
    """How many rows of the queryset's own model were deleted (not counting the rows they took with them)."""
    return queryset.delete()[1].get(queryset.model._meta.label, 0)


def _erase_in_space(person: User, space: Space) -> dict[str, int]:
    counts = {
        "conversations": _delete(Conversation.objects.filter(person=person, space=space)),
        "plans": _delete(Plan.objects.filter(person=person, space=space)),
        "helpers": _delete(Helper.objects.filter(person=person, space=space)),
    }
    return counts


@transaction.atomic
def consent_withdraw(*, actor: User, person: User, space: Space) -> Consent:
    """The person takes their consent back: nothing more is recorded, and what was recorded in this space
    (conversations, ratings, their plan, who could see them) is deleted. The consent stays as a dated fact."""
    access.require(access.can_consent(actor, person, space))
    # Lock: a conversation being recorded at the same moment must not outlive the withdrawal.
    consent = (
        Consent.objects.select_for_update()
        .filter(person=person, space=space, withdrawn_at__isnull=True)
        .first()
    )
    if consent is None:
        raise ValidationError(_("There is no consent to withdraw."))
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = actor
    consent.full_clean()
    consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
    counts = _erase_in_space(person, space)
    audit.record(
        actor=actor,
        on_behalf_of=_on_behalf(actor, person),
        action="outcomes.consent.withdrawn",
        target=consent,
        space=space,
        summary=_(
            "Consent to record personal outcomes withdrawn; what was recorded in this space is deleted"
        ),
        changes={name: [count, 0] for name, count in counts.items()},
    )
    return consent


@transaction.atomic
def helpers_set(*, actor: User, person: User, space: Space, helpers: Iterable[User]) -> list[Helper]:
    """Who may see the person's outcomes and work on their plan with them: facilitators and practitioners of
    the space, chosen by the person."""
    access.require(access.can_choose_helpers(actor, person, space))
    chosen = {h.pk: h for h in helpers}
    if person.pk in chosen:
        raise ValidationError({"helpers": _("You always see your own outcomes: choose other people.")})
    for helper in chosen.values():
        if not access.may_help(helper, space):
            raise ValidationError(
                {
                    "helpers": _("%(name)s is not a facilitator or practitioner in this space.")
                    % {"name": helper}
                }
            )
    current = {h.helper_id: h for h in Helper.objects.select_for_update().filter(person=person, space=space)}
    removed = [pk for pk in current if pk not in chosen]
    added = [pk for pk in chosen if pk not in current]
    if not removed and not added:
        return list(current.values())
    Helper.objects.filter(person=person, space=space, helper_id__in=removed).delete()
    Helper.objects.bulk_create(
        [Helper(person=person, space=space, helper=chosen[pk], granted_by=actor) for pk in added]
    )
    audit.record(
        actor=actor,
        on_behalf_of=_on_behalf(actor, person),
        action="outcomes.helpers.changed",
        target=person,
        space=space,
        summary=_("Who may see a person's outcomes changed: %(added)s added, %(removed)s removed")
        % {"added": len(added), "removed": len(removed)},
        changes={"helpers": [sorted(current), sorted(chosen)]},
    )
    return list(Helper.objects.filter(person=person, space=space))


def _check_ratings(ratings: Sequence[RatingIn]) -> None:
    errors: dict[str, str] = {}
    seen: set[str] = set()
    for rating in ratings:
        if rating.outcome not in PersonalOutcome.values:
            errors["ratings"] = _("“%(outcome)s” is not one of the outcomes.") % {"outcome": rating.outcome}
            continue
        if rating.outcome in seen:
            errors[f"score_{rating.outcome}"] = _("Each outcome is rated once in a conversation.")
        seen.add(rating.outcome)
        if isinstance(rating.score, bool) or not isinstance(rating.score, int) or not 1 <= rating.score <= 5:
            errors[f"score_{rating.outcome}"] = _("Choose a number from 1 to 5.")
        if len(rating.own_words or "") > 2000:
            errors[f"words_{rating.outcome}"] = _("Keep it to 2,000 characters.")
    if not ratings and not errors:
        errors["ratings"] = _("Rate at least one outcome that you talked about.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def conversation_record(
    *, actor: User, person: User, space: Space, held_on: dt.date, ratings: Sequence[RatingIn]
) -> Conversation:
    """One outcomes conversation: each outcome that came up, rated 1–5, in the person's own words."""
    access.require(access.can_record(actor, person, space))
    # Lock the consent: a withdrawal at the same moment waits, then deletes this conversation too.
    if (
        Consent.objects.select_for_update()
        .filter(person=person, space=space, withdrawn_at__isnull=True)
        .first()
        is None
    ):
        raise ValidationError(_("Nothing can be recorded until the person agrees to it."))
    try:
        check_sensible_date(held_on)
    except ValidationError as error:
        raise ValidationError({"held_on": error.messages}) from error
    _check_ratings(ratings)
    conversation = Conversation(person=person, space=space, held_on=held_on, recorded_by=actor)
    conversation.full_clean()
    conversation.save()
    rows = [
        Rating(
            conversation=conversation, outcome=r.outcome, score=r.score, own_words=(r.own_words or "").strip()
        )
        for r in ratings
    ]
    for row in rows:
        row.full_clean(exclude=["conversation"])
    Rating.objects.bulk_create(rows)
    audit.record(
        actor=actor,
        on_behalf_of=_on_behalf(actor, person),
        action="outcomes.conversation.recorded",
        target=conversation,
        space=space,
        summary=_("Outcomes conversation recorded (%(n)s outcomes)") % {"n": len(rows)},
    )
    return conversation


def _check_plan(plan: Plan) -> None:
    errors: dict[str, str] = {}
    if not isinstance(plan.outcomes, list) or any(o not in PersonalOutcome.values for o in plan.outcomes):
        errors["outcomes"] = _("Choose outcomes from the list.")
    elif len(set(plan.outcomes)) != len(plan.outcomes):
        plan.outcomes = list(dict.fromkeys(plan.outcomes))
    if plan.next_review_on and plan.last_reviewed_on and plan.next_review_on < plan.last_reviewed_on:
        errors["next_review_on"] = _("The next review comes after the last one.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def plan_save(*, actor: User, person: User, space: Space, **fields: Any) -> Plan:
    """The person or a helper they allow changes the plan; each change says who made it."""
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise ValueError(f"not a plan field: {', '.join(sorted(unknown))}")
    access.require(access.can_record(actor, person, space))
    # Lock: the person and their helper editing at once each see the other's change in the history.
    plan = Plan.objects.select_for_update().filter(person=person, space=space).first()
    created = plan is None
    if plan is None:
        plan = Plan(person=person, space=space)
    before = audit.snapshot(plan, PLAN_FIELDS)
    for name, value in fields.items():
        setattr(plan, name, value.strip() if isinstance(value, str) else value)
    _check_plan(plan)
    plan.full_clean()
    changed = [name for name in PLAN_FIELDS if getattr(plan, name) != before[name]]
    if not changed and not created:
        return plan
    plan.save()
    PlanChange.objects.create(
        plan=plan, changed_by=actor, changed_by_name=actor.display_name[:150], fields=changed
    )
    audit.record(
        actor=actor,
        on_behalf_of=_on_behalf(actor, person),
        action="outcomes.plan.saved",
        target=plan,
        space=space,
        summary=_("Personal plan changed: %(fields)s") % {"fields": audit.field_names(plan, changed)},
    )
    return plan


@transaction.atomic
def person_erase(*, actor: User, person: User) -> dict[str, int]:
    """Erase everything recorded about a person's outcomes, in every space: consents, conversations and
    ratings, plans, who could see them, and whom they helped. Summaries are worked out when read, so nothing
    of theirs stays in them. Offered to other modules as the "erase_person" hook."""
    access.require(access.can_erase(actor, person))
    counts = {
        "conversations": _delete(Conversation.objects.filter(person=person)),
        "plans": _delete(Plan.objects.filter(person=person)),
        "helpers": _delete(Helper.objects.filter(person=person))
        + _delete(Helper.objects.filter(helper=person)),
        "consents": _delete(Consent.objects.filter(person=person)),
    }
    audit.record(
        actor=actor,
        on_behalf_of=_on_behalf(actor, person),
        action="outcomes.person.erased",
        target=person,
        summary=_("Everything recorded about a person's outcomes erased"),
        changes={name: [count, 0] for name, count in counts.items()},
    )
    return counts
