"""/api/v1/outcomes/... and /api/v1/spaces/{slug}/outcomes/...: personal outcomes, with the same rules as
the pages (a person's outcomes: 404 to everyone but them and the helpers they choose)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Status

from coproduce.core.api import PUBLIC
from coproduce.people.models import User
from coproduce.spaces import access as space_access
from coproduce.spaces.models import Space

from . import access, selectors, services
from .models import OUTCOME_SETS, OutcomeSet, PersonalOutcome, Plan
from .schemas import (
    OutcomeConsentOut,
    OutcomeConversationIn,
    OutcomeConversationOut,
    OutcomeDefinitionOut,
    OutcomeHelpersIn,
    OutcomePlanIn,
    OutcomePlanOut,
    OutcomesErasedOut,
    OutcomeSummaryOut,
    PersonOutcomesOut,
)

router = Router(tags=["personal outcomes"])


def _plan(plan: Plan | None) -> dict[str, Any] | None:
    if plan is None:
        return None
    return {
        **{name: getattr(plan, name) for name in services.PLAN_FIELDS},
        "history": [
            {"at": c.at, "by": c.changed_by_name, "fields": c.fields} for c in selectors.plan_history(plan)
        ],
    }


def _person(space: Space, person: User) -> dict[str, Any]:
    consent = access.live_consent(person, space)
    return {
        "person": person.pk,
        "space": space.slug,
        "consent": {"given_at": consent.given_at if consent else None, "live": consent is not None},
        "helpers": [
            {"id": h.helper_id, "name": h.helper.display_name} for h in selectors.helpers(person, space)
        ],
        "conversations": [
            {
                "id": c.pk,
                "held_on": c.held_on,
                "recorded_by": c.recorded_by.display_name if c.recorded_by else None,
                "ratings": [
                    {
                        "outcome": r.outcome,
                        "label": selectors.label(r.outcome),
                        "score": r.score,
                        "own_words": r.own_words,
                    }
                    for r in c.ratings.all()
                ],
            }
            for c in selectors.conversations(person, space)
        ],
        "plan": _plan(selectors.plan(person, space)),
    }


def _member_space(request, slug: str) -> Space:
    space = space_access.get_space_for(request.user, slug)
    if not space_access.has_role(request.user, space, space_access.MEMBER):
        raise Http404
    return space


def _consent_person(request, space: Space, person_id: int) -> User:
    person = User.objects.filter(pk=person_id).first()
    if person is None:
        raise Http404
    if access.may_see(request.user, person, space) or access.can_consent(request.user, person, space):
        return person
    raise Http404


@router.get(
    "/outcomes/framework",
    response=list[OutcomeDefinitionOut],
    auth=PUBLIC,
    summary="The Talking Points outcomes",
)
def framework(request):
    return [
        {"code": o, "label": str(PersonalOutcome(o).label), "set": str(OutcomeSet(key).label)}
        for key, outcomes in OUTCOME_SETS.items()
        for o in outcomes
    ]


@router.get(
    "/spaces/{slug}/outcomes/people/{person_id}",
    response=PersonOutcomesOut,
    summary="A person's outcomes: consent, helpers, conversations, plan (the person and their helpers only)",
)
def person_detail(request, slug: str, person_id: int):
    space = _member_space(request, slug)
    return _person(space, access.get_person_for(request.user, space, person_id))


@router.post(
    "/spaces/{slug}/outcomes/people/{person_id}/consent",
    response={201: OutcomeConsentOut},
    summary="Agree that personal outcomes are recorded in this space",
)
def consent_give(request, slug: str, person_id: int):
    space = _member_space(request, slug)
    person = _consent_person(request, space, person_id)
    access.require_role(access.can_consent(request.user, person, space))
    consent = services.consent_give(actor=request.user, person=person, space=space)
    return Status(201, {"given_at": consent.given_at, "live": True})


@router.delete(
    "/spaces/{slug}/outcomes/people/{person_id}/consent",
    response={204: None},
    summary="Withdraw consent: what was recorded in this space is deleted",
)
def consent_withdraw(request, slug: str, person_id: int):
    space = _member_space(request, slug)
    person = _consent_person(request, space, person_id)
    access.require_role(access.can_consent(request.user, person, space))
    services.consent_withdraw(actor=request.user, person=person, space=space)
    return Status(204, None)


@router.put(
    "/spaces/{slug}/outcomes/people/{person_id}/helpers",
    response=PersonOutcomesOut,
    summary="Choose who may see the person's outcomes (the person)",
)
def helpers_set(request, slug: str, person_id: int, payload: OutcomeHelpersIn):
    space = _member_space(request, slug)
    person = access.get_person_for(request.user, space, person_id)
    access.require_role(access.can_choose_helpers(request.user, person, space))
    chosen = list(User.objects.filter(pk__in=payload.helper_ids))
    if len(chosen) != len(set(payload.helper_ids)):
        raise ValidationError({"helper_ids": [_("No such person.")]})
    services.helpers_set(actor=request.user, person=person, space=space, helpers=chosen)
    return _person(space, person)


@router.post(
    "/spaces/{slug}/outcomes/people/{person_id}/conversations",
    response={201: OutcomeConversationOut},
    summary="Record an outcomes conversation (the person or a helper, with consent)",
)
def conversation_create(request, slug: str, person_id: int, payload: OutcomeConversationIn):
    space = _member_space(request, slug)
    person = access.get_person_for(request.user, space, person_id)
    access.require_role(access.can_record(request.user, person, space))
    conversation = services.conversation_record(
        actor=request.user,
        person=person,
        space=space,
        held_on=payload.held_on,
        ratings=[services.RatingIn(**r.dict()) for r in payload.ratings],
    )
    return Status(
        201,
        {
            "id": conversation.pk,
            "held_on": conversation.held_on,
            "recorded_by": request.user.display_name,
            "ratings": [
                {
                    "outcome": r.outcome,
                    "label": selectors.label(r.outcome),
                    "score": r.score,
                    "own_words": r.own_words,
                }
                for r in conversation.ratings.all()
            ],
        },
    )


@router.put(
    "/spaces/{slug}/outcomes/people/{person_id}/plan",
    response=OutcomePlanOut,
    summary="Change the personal plan (the person or a helper); fields left out keep their value",
)
def plan_save(request, slug: str, person_id: int, payload: OutcomePlanIn):
    space = _member_space(request, slug)
    person = access.get_person_for(request.user, space, person_id)
    access.require_role(access.can_record(request.user, person, space))
    plan = services.plan_save(
        actor=request.user, person=person, space=space, **payload.dict(exclude_unset=True)
    )
    return _plan(plan)


@router.get(
    "/spaces/{slug}/outcomes/summary",
    response=OutcomeSummaryOut,
    summary="The space's anonymised outcomes (never for fewer than 5 people)",
)
def summary(request, slug: str):
    space = space_access.get_space_for(request.user, slug)
    access.require_role(access.can_see_summary(request.user, space))
    found = selectors.summary(space)
    return {
        "shown": found.shown,
        "people": found.people if found.shown else None,
        "rows": [vars(row) for row in found.rows],
        "hidden_outcomes": found.hidden_outcomes,
    }


@router.delete(
    "/outcomes/me", response=OutcomesErasedOut, summary="Erase everything recorded about my outcomes"
)
def erase_me(request):
    return services.person_erase(actor=request.user, person=request.user)
