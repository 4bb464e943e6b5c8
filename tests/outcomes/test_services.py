"""Personal outcomes services: consent first, withdrawing deletes, helpers chosen by the person, plans
with a history, erasure, and audit records that never hold what the person said."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from tests.conftest import make_person

from coproduce.core.models import AuditEvent
from coproduce.outcomes import services
from coproduce.outcomes.models import Consent, Conversation, Helper, Plan, PlanChange, Rating
from coproduce.outcomes.services import RatingIn


def test_nothing_is_recorded_without_consent(space, member):
    with pytest.raises(ValidationError) as caught:
        services.conversation_record(
            actor=member,
            person=member,
            space=space,
            held_on=dt.date(2026, 1, 1),
            ratings=[RatingIn("skills", 3)],
        )
    assert "agrees" in caught.value.messages[0]
    with pytest.raises(ValidationError):
        services.plan_save(actor=member, person=member, space=space, my_part="Walk daily")
    assert not Conversation.objects.exists() and not Plan.objects.exists()


def test_a_person_records_their_own_conversation(consent, space, member):
    conversation = services.conversation_record(
        actor=member,
        person=member,
        space=space,
        held_on=dt.date(2026, 2, 1),
        ratings=[RatingIn("confidence", 4, "Better")],
    )
    assert conversation.ratings.get().own_words == "Better"


def test_the_audit_never_holds_what_the_person_said(conversation):
    event = AuditEvent.objects.get(action="outcomes.conversation.recorded")
    assert "dark" not in event.summary and "dark" not in str(event.changes)
    assert event.summary == "Outcomes conversation recorded (2 outcomes)"


def test_only_the_person_and_their_helpers_record(consent, space, member, facilitator, practitioner, host):
    for stranger in (facilitator, practitioner, host):
        with pytest.raises(PermissionDenied):
            services.conversation_record(
                actor=stranger,
                person=member,
                space=space,
                held_on=dt.date(2026, 1, 1),
                ratings=[RatingIn("skills", 3)],
            )
    services.helpers_set(actor=member, person=member, space=space, helpers=[practitioner])
    services.conversation_record(
        actor=practitioner,
        person=member,
        space=space,
        held_on=dt.date(2026, 1, 1),
        ratings=[RatingIn("skills", 3)],
    )


@pytest.mark.parametrize(
    "ratings, field",
    [
        ([RatingIn("skills", 6)], "score_skills"),
        ([RatingIn("skills", 0)], "score_skills"),
        ([RatingIn("flying", 3)], "ratings"),
        ([RatingIn("skills", 3), RatingIn("skills", 4)], "score_skills"),
        ([], "ratings"),
    ],
)
def test_bad_ratings_are_refused_and_nothing_is_written(consent, space, member, ratings, field):
    with pytest.raises(ValidationError) as caught:
        services.conversation_record(
            actor=member, person=member, space=space, held_on=dt.date(2026, 1, 1), ratings=ratings
        )
    assert field in caught.value.message_dict
    assert not Conversation.objects.exists()


def test_a_future_date_is_refused(consent, space, member):
    with pytest.raises(ValidationError) as caught:
        services.conversation_record(
            actor=member,
            person=member,
            space=space,
            held_on=dt.date(2099, 1, 1),
            ratings=[RatingIn("skills", 3)],
        )
    assert "held_on" in caught.value.message_dict


def test_withdrawing_consent_deletes_what_was_recorded_and_stops_recording(
    conversation, space, member, allowed
):
    services.plan_save(actor=member, person=member, space=space, my_part="Join the walking group")
    services.consent_withdraw(actor=member, person=member, space=space)
    assert not Conversation.objects.exists() and not Rating.objects.exists()
    assert not Plan.objects.exists() and not Helper.objects.exists()
    consent = Consent.objects.get()
    assert consent.withdrawn_at is not None and consent.withdrawn_by == member
    with pytest.raises(PermissionDenied):  # the facilitator is no longer allowed
        services.conversation_record(
            actor=allowed,
            person=member,
            space=space,
            held_on=dt.date(2026, 1, 1),
            ratings=[RatingIn("skills", 3)],
        )
    with pytest.raises(ValidationError):
        services.conversation_record(
            actor=member,
            person=member,
            space=space,
            held_on=dt.date(2026, 1, 1),
            ratings=[RatingIn("skills", 3)],
        )
    assert AuditEvent.objects.filter(action="outcomes.consent.withdrawn").exists()
    # A new consent starts afresh.
    services.consent_give(actor=member, person=member, space=space)
    assert Consent.objects.filter(withdrawn_at__isnull=True).count() == 1


def test_consent_is_given_by_the_person_only(space, member, facilitator, outsider, practitioner):
    with pytest.raises(ValidationError, match="has not asked to be helped"):
        services.consent_give(actor=facilitator, person=member, space=space)
    with pytest.raises(PermissionDenied):
        services.consent_give(actor=practitioner, person=member, space=space)
    assert not Consent.objects.exists()
    with pytest.raises(ValidationError):  # not a member of the space
        services.consent_give(actor=outsider, person=outsider, space=space)


def test_a_facilitator_records_consent_for_someone_who_takes_part_with_help(
    space, margaret, facilitator, host
):
    services.consent_give(actor=facilitator, person=margaret, space=space)
    assert Helper.objects.filter(person=margaret, helper=facilitator).exists()
    event = AuditEvent.objects.get(action="outcomes.consent.given")
    assert event.on_behalf_of == margaret
    services.conversation_record(
        actor=facilitator,
        person=margaret,
        space=space,
        held_on=dt.date(2026, 1, 1),
        ratings=[RatingIn("carer_health", 2)],
    )
    with pytest.raises(PermissionDenied):  # the host is not one of her helpers
        services.conversation_record(
            actor=host,
            person=margaret,
            space=space,
            held_on=dt.date(2026, 1, 1),
            ratings=[RatingIn("skills", 2)],
        )


def test_one_live_consent_per_person_and_space_in_the_database(consent, space, member):
    with pytest.raises(IntegrityError), transaction.atomic():
        Consent.objects.create(person=member, space=space, given_by=member)


def test_the_database_holds_scores_to_1_to_5(conversation):
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(conversation=conversation, outcome="skills", score=6)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(conversation=conversation, outcome="feeling_safe", score=3)  # rated twice


def test_helpers_must_be_facilitators_or_practitioners(consent, space, member, host):
    other = make_person("Mo Member")
    from coproduce.spaces import services as space_services
    from coproduce.spaces.models import Perspective, Role

    space_services._membership_add(
        actor=host, space=space, user=other, role=Role.MEMBER, perspective=Perspective.COMMUNITY
    )
    with pytest.raises(ValidationError) as caught:
        services.helpers_set(actor=member, person=member, space=space, helpers=[other])
    assert "helpers" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.helpers_set(actor=member, person=member, space=space, helpers=[member])
    with pytest.raises(PermissionDenied):
        services.helpers_set(actor=host, person=member, space=space, helpers=[host])


def test_the_plan_is_co_produced_and_each_change_says_who(consent, allowed, space, member):
    services.plan_save(
        actor=member,
        person=member,
        space=space,
        outcomes=["seeing_people"],
        my_part="Go to the drop-in on Tuesdays",
    )
    services.plan_save(
        actor=allowed,
        person=member,
        space=space,
        others_part="Fergus books the room",
        next_review_on=dt.date(2026, 6, 1),
    )
    plan = Plan.objects.get()
    assert plan.my_part.startswith("Go to") and plan.others_part == "Fergus books the room"
    history = list(PlanChange.objects.order_by("at", "id"))
    assert [(c.changed_by_name, c.fields) for c in history] == [
        ("Lena Lived", ["outcomes", "my_part"]),
        ("Fergus Facilitator", ["others_part", "next_review_on"]),
    ]
    with pytest.raises(ValidationError) as caught:
        services.plan_save(actor=member, person=member, space=space, outcomes=["flying"])
    assert "outcomes" in caught.value.message_dict


def test_erasing_a_person_removes_their_outcomes(conversation, space, member, allowed):
    services.plan_save(actor=member, person=member, space=space, my_part="x")
    counts = services.person_erase(actor=member, person=member)
    assert counts["conversations"] == 1 and counts["consents"] == 1
    assert not Conversation.objects.exists() and not Rating.objects.exists() and not Plan.objects.exists()
    assert not Consent.objects.exists() and not Helper.objects.exists()
    with pytest.raises(PermissionDenied):
        services.person_erase(actor=allowed, person=member)


def test_deleting_the_account_removes_their_outcomes(conversation, member):
    member.delete()
    assert not Conversation.objects.exists() and not Consent.objects.exists()


def test_the_erase_hook(conversation, member, admin_user):
    from coproduce.core import registry

    hook = registry.hook("erase_person")
    assert hook is not None
    assert hook(actor=admin_user, person=member)["conversations"] == 1
