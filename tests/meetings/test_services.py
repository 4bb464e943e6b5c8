"""Services for meetings: planning, places and the waiting list, agendas set by members with dots,
attendance with time credits, decisions by perspective, and the calendar link."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from tests.conftest import make_person

from coproduce.core.models import AuditEvent
from coproduce.meetings import selectors, services
from coproduce.meetings.models import (
    DOTS_PER_MEMBER,
    AgendaItem,
    AgendaItemStatus,
    Attendance,
    CreditStatus,
    Decision,
    Dot,
    Meeting,
    Registration,
    RegistrationStatus,
    Stance,
)
from coproduce.people import services as people_services
from coproduce.spaces import services as space_services
from coproduce.spaces.models import Perspective, Role

from .conftest import when


def statuses(meeting) -> dict[str, str]:
    return {
        r.user.display_name: r.status
        for r in Registration.objects.filter(meeting=meeting).select_related("user")
    }


def add_member(space, host, name: str, perspective=Perspective.COMMUNITY):
    person = make_person(name)
    space_services._membership_add(
        actor=host, space=space, user=person, role=Role.MEMBER, perspective=perspective
    )
    return person


# --- Planning -------------------------------------------------------------------------------------


def test_facilitators_plan_meetings_with_place_and_access_information(space, facilitator, member):
    meeting = services.meeting_create(
        actor=facilitator,
        space=space,
        title="  Workshop ",
        format="hybrid",
        place_name="Library",
        online_url="https://meet.example.org/x",
        bsl=True,
        childcare=True,
        travel_expenses=True,
        **when(),
    )
    assert meeting.title == "Workshop" and meeting.is_in_person and meeting.is_online
    assert meeting.access_offers() == [
        "British Sign Language interpreter",
        "travel expenses paid",
        "childcare offered",
    ]
    event = AuditEvent.objects.get(action="meeting.created")
    assert event.public and event.space == space
    with pytest.raises(PermissionDenied):
        services.meeting_create(actor=member, space=space, title="Mine", **when())


def test_bad_meetings_are_refused_with_the_field_named(space, facilitator):
    times = when()
    with pytest.raises(ValidationError) as error:
        services.meeting_create(
            actor=facilitator,
            space=space,
            title="Backwards",
            format="in_person",
            place_name="Hall",
            starts_at=times["ends_at"],
            ends_at=times["starts_at"],
        )
    assert "ends_at" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.meeting_create(actor=facilitator, space=space, title="Nowhere", format="in_person", **times)
    assert "place_name" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.meeting_create(
            actor=facilitator, space=space, title="Zero", format="online", capacity=0, **times
        )
    assert "capacity" in error.value.message_dict
    assert not Meeting.objects.exists()


def test_the_database_keeps_meetings_sensible(meeting):
    for change in (
        {"ends_at": meeting.starts_at},
        {"capacity": 0},
        {"credit_minutes": 60},
        {"cancelled_at": timezone.now()},
        {"title": ""},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Meeting.objects.filter(pk=meeting.pk).update(**change)


def test_changing_the_time_tells_the_people_registered(
    meeting, member, facilitator, mailoutbox, tasks_now, django_capture_on_commit_callbacks
):
    services.registration_create(actor=member, meeting=meeting)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(
            actor=facilitator,
            meeting=meeting,
            starts_at=meeting.starts_at + dt.timedelta(hours=1),
            ends_at=meeting.ends_at + dt.timedelta(hours=1),
        )
    assert [m.to for m in mailoutbox] == [[member.email]]
    assert mailoutbox[0].subject == "The meeting “Design workshop” has changed"
    assert Meeting.objects.get(pk=meeting.pk).sequence == 1
    with django_capture_on_commit_callbacks(execute=True):  # a change nobody needs to hear about
        services.meeting_update(actor=facilitator, meeting=meeting, description="Bring a friend")
    assert len(mailoutbox) == 1


def test_cancelling_needs_a_reason_and_tells_everyone(
    meeting, member, practitioner, facilitator, mailoutbox, tasks_now, django_capture_on_commit_callbacks
):
    services.registration_create(actor=member, meeting=meeting)
    with pytest.raises(ValidationError):
        services.meeting_cancel(actor=facilitator, meeting=meeting, reason="")
    with pytest.raises(PermissionDenied):
        services.meeting_cancel(actor=practitioner, meeting=meeting, reason="Bored")
    with django_capture_on_commit_callbacks(execute=True):
        meeting = services.meeting_cancel(actor=facilitator, meeting=meeting, reason="The hall flooded")
    assert meeting.is_cancelled and [m.to for m in mailoutbox] == [[member.email]]
    assert "is cancelled" in mailoutbox[0].subject and "The hall flooded" in mailoutbox[0].body
    with pytest.raises(ValidationError):
        services.registration_create(actor=practitioner, meeting=meeting)


# --- Registration and the waiting list -----------------------------------------------------------


def test_capacity_then_a_waiting_list_then_promotion_on_cancel(
    space, host, facilitator, member, practitioner, mailoutbox, tasks_now, django_capture_on_commit_callbacks
):
    meeting = services.meeting_create(
        actor=facilitator, space=space, title="Small", format="online", capacity=2, **when()
    )
    first = services.registration_create(actor=member, meeting=meeting, access_needs="Hearing loop please")
    services.registration_create(actor=practitioner, meeting=meeting)
    third = add_member(space, host, "Third")
    fourth = add_member(space, host, "Fourth")
    assert services.registration_create(actor=third, meeting=meeting).status == RegistrationStatus.WAITING
    assert services.registration_create(actor=fourth, meeting=meeting).status == RegistrationStatus.WAITING
    with pytest.raises(ValidationError, match="waiting list"):
        services.registration_create(actor=third, meeting=meeting)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(actor=member, registration=first)
    assert statuses(meeting) == {
        "Lena Lived": "cancelled",
        "Pat Practitioner": "registered",
        "Third": "registered",
        "Fourth": "waiting",
    }
    assert [m.to for m in mailoutbox] == [[third.email]] and "You have a place" in mailoutbox[0].subject
    # Coming back does not jump the queue.
    assert services.registration_create(actor=member, meeting=meeting).status == RegistrationStatus.WAITING
    # More places promote the people waiting, in order.
    services.meeting_update(actor=facilitator, meeting=meeting, capacity=3)
    assert statuses(meeting)["Fourth"] == "registered" and statuses(meeting)["Lena Lived"] == "waiting"


def test_only_members_register_and_only_you_or_a_facilitator_cancel(
    meeting, outsider, member, practitioner, facilitator
):
    with pytest.raises(PermissionDenied):
        services.registration_create(actor=outsider, meeting=meeting)
    registration = services.registration_create(actor=member, meeting=meeting)
    with pytest.raises(PermissionDenied):
        services.registration_cancel(actor=practitioner, registration=registration)
    services.registration_cancel(actor=facilitator, registration=registration)
    with pytest.raises(ValidationError):
        services.registration_cancel(actor=member, registration=registration)


def test_one_registration_per_person_in_the_database(meeting, member):
    Registration.objects.create(meeting=meeting, user=member, status=RegistrationStatus.REGISTERED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(meeting=meeting, user=member, status=RegistrationStatus.WAITING)


def test_nobody_registers_once_the_meeting_has_started(meeting, member):
    with time_machine.travel(meeting.starts_at + dt.timedelta(minutes=1)), pytest.raises(ValidationError):
        services.registration_create(actor=member, meeting=meeting)


# --- Agendas set by members ------------------------------------------------------------------------


def test_members_propose_and_the_proposers_perspective_is_kept(meeting, member, outsider, space):
    item = services.agenda_item_propose(
        actor=member, meeting=meeting, title="Opening hours", description="Evenings"
    )
    assert (
        item.proposer_perspective == Perspective.LIVED_EXPERIENCE and item.status == AgendaItemStatus.PROPOSED
    )
    space_services.membership_update(
        actor=member, membership=space.memberships.get(user=member), perspective=Perspective.CARER
    )
    assert AgendaItem.objects.get(pk=item.pk).proposer_perspective == Perspective.LIVED_EXPERIENCE
    with pytest.raises(PermissionDenied):
        services.agenda_item_propose(actor=outsider, meeting=meeting, title="Mine")
    with pytest.raises(ValidationError):
        services.agenda_item_propose(actor=member, meeting=meeting, title="  ")


def test_each_member_has_three_dots_per_meeting(meeting, member, practitioner):
    first = services.agenda_item_propose(actor=member, meeting=meeting, title="Opening hours")
    second = services.agenda_item_propose(actor=practitioner, meeting=meeting, title="Staffing")
    services.dot_add(actor=member, item=first)
    services.dot_add(actor=member, item=first)  # several dots on one item are allowed
    services.dot_add(actor=member, item=second)
    with pytest.raises(ValidationError, match="all 3 dots"):
        services.dot_add(actor=member, item=second)
    services.dot_remove(actor=member, item=first)
    services.dot_add(actor=member, item=second)
    assert sorted(Dot.objects.filter(user=member).values_list("slot", flat=True)) == [1, 2, 3]
    with pytest.raises(ValidationError):
        services.dot_remove(actor=practitioner, item=first)


def test_the_database_refuses_a_fourth_dot(meeting, member):
    item = services.agenda_item_propose(actor=member, meeting=meeting, title="Opening hours")
    for slot in range(1, DOTS_PER_MEMBER + 1):
        Dot.objects.create(meeting=meeting, item=item, user=member, perspective="lived_experience", slot=slot)
    with pytest.raises(IntegrityError), transaction.atomic():
        Dot.objects.create(meeting=meeting, item=item, user=member, perspective="lived_experience", slot=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        Dot.objects.create(meeting=meeting, item=item, user=member, perspective="lived_experience", slot=1)


def test_publishing_orders_the_agenda_by_dots_and_freezes_it(
    space, meeting, member, practitioner, facilitator, host
):
    late = services.agenda_item_propose(actor=practitioner, meeting=meeting, title="Staffing")
    popular = services.agenda_item_propose(actor=member, meeting=meeting, title="Opening hours")
    duplicate = services.agenda_item_propose(actor=host, meeting=meeting, title="Opening times")
    for person in (member, practitioner):
        services.dot_add(actor=person, item=popular)
    services.dot_add(actor=member, item=duplicate)
    with pytest.raises(PermissionDenied):
        services.agenda_publish(actor=member, meeting=meeting)
    with pytest.raises(ValidationError):
        services.agenda_item_leave_off(actor=facilitator, item=duplicate, reason="")
    services.agenda_item_leave_off(actor=facilitator, item=duplicate, reason="Same as “Opening hours”")
    assert not Dot.objects.filter(item=duplicate).exists()  # the dot went back to its owner
    items = services.agenda_publish(actor=facilitator, meeting=meeting)
    assert [(i.title, i.position, i.dot_count) for i in items] == [
        ("Opening hours", 1, 2),
        ("Staffing", 2, 0),
    ]
    assert AgendaItem.objects.get(pk=late.pk).status == AgendaItemStatus.ON_AGENDA
    meeting.refresh_from_db()
    assert meeting.agenda_is_published and not meeting.agenda_is_open
    event = AuditEvent.objects.get(action="meeting.agenda_published")
    assert event.public and event.changes["items"] == [None, ["Opening hours", "Staffing"]]
    with pytest.raises(ValidationError):
        services.agenda_item_propose(actor=member, meeting=meeting, title="Too late")
    with pytest.raises(ValidationError):
        services.dot_add(actor=member, item=popular)
    with pytest.raises(ValidationError):
        services.agenda_publish(actor=facilitator, meeting=meeting)


def test_an_empty_agenda_cannot_be_published(meeting, facilitator):
    with pytest.raises(ValidationError, match="Nobody has proposed"):
        services.agenda_publish(actor=facilitator, meeting=meeting)


def test_facilitators_propose_and_vote_for_assisted_members(space, meeting, facilitator):
    margaret = space_services.assisted_person_add(
        actor=facilitator, space=space, display_name="Margaret", perspective=Perspective.CARER
    ).user
    item = services.agenda_item_propose(
        actor=facilitator, meeting=meeting, title="Respite", on_behalf_of=margaret
    )
    services.dot_add(actor=facilitator, item=item, on_behalf_of=margaret)
    assert item.proposed_by == margaret and item.proposer_perspective == Perspective.CARER
    assert Dot.objects.get().user == margaret
    event = AuditEvent.objects.get(action="meeting.dot_added")
    assert (event.actor, event.on_behalf_of) == (facilitator, margaret)


# --- After the meeting: minutes, attendance, credits, decisions -----------------------------------


@pytest.fixture
def held(meeting, member, practitioner, facilitator):
    """The meeting with a published agenda, an hour after it started."""
    item = services.agenda_item_propose(actor=member, meeting=meeting, title="Opening hours")
    services.dot_add(actor=practitioner, item=item)
    services.agenda_publish(actor=facilitator, meeting=meeting)
    meeting.refresh_from_db()
    traveller = time_machine.travel(meeting.starts_at + dt.timedelta(hours=1))
    traveller.start()
    yield meeting
    traveller.stop()


def test_minutes_per_item_by_facilitators(held, facilitator, member):
    item = held.agenda_items.get()
    with pytest.raises(PermissionDenied):
        services.minutes_record(actor=member, item=item, minutes="Mine")
    services.minutes_record(actor=facilitator, item=item, minutes="We agreed to try Thursdays.")
    assert AgendaItem.objects.get(pk=item.pk).minutes == "We agreed to try Thursdays."


def test_attendance_without_credits(held, facilitator, member, practitioner, outsider):
    with pytest.raises(PermissionDenied):
        services.attendance_confirm(actor=member, meeting=held, people=[member])
    with pytest.raises(ValidationError):
        services.attendance_confirm(actor=facilitator, meeting=held, people=[outsider])
    assert not Attendance.objects.exists()
    result = services.attendance_confirm(actor=facilitator, meeting=held, people=[member, practitioner])
    assert result == {"recorded": 2, "paid": 0, "owed": 0}
    assert services.attendance_confirm(actor=facilitator, meeting=held, people=[member])["recorded"] == 0
    assert set(Attendance.objects.values_list("perspective", flat=True)) == {
        "lived_experience",
        "practitioner",
    }


def test_attendance_cannot_be_confirmed_before_the_meeting(meeting, facilitator, member):
    with pytest.raises(ValidationError, match="not started"):
        services.attendance_confirm(actor=facilitator, meeting=meeting, people=[member])


@pytest.fixture
def charity(space, host):
    organisation = people_services.organisation_create(actor=host, name="Drop-in Trust", kind="charity")
    space.organisations.add(organisation)
    return organisation


def test_only_hosts_set_time_credits_from_one_of_the_spaces_organisations(
    meeting, host, facilitator, charity
):
    with pytest.raises(PermissionDenied):
        services.meeting_set_credits(actor=facilitator, meeting=meeting, organisation=charity, minutes=120)
    other = people_services.organisation_create(actor=host, name="Elsewhere", kind="charity")
    with pytest.raises(ValidationError):
        services.meeting_set_credits(actor=host, meeting=meeting, organisation=other, minutes=120)
    with pytest.raises(ValidationError):
        services.meeting_set_credits(actor=host, meeting=meeting, organisation=None, minutes=120)
    with pytest.raises(ValidationError):
        services.meeting_set_credits(
            actor=host, meeting=meeting, organisation=charity, minutes=50
        )  # quarter hours
    meeting = services.meeting_set_credits(actor=host, meeting=meeting, organisation=charity, minutes=120)
    assert (meeting.credit_minutes, meeting.credit_organisation) == (120, charity)


def test_credits_are_owed_when_the_timebank_cannot_pay(held, host, facilitator, member, charity, reward_hook):
    reward_hook(None)
    services.meeting_set_credits(actor=host, meeting=held, organisation=charity, minutes=90)
    result = services.attendance_confirm(actor=facilitator, meeting=held, people=[member])
    assert result == {"recorded": 1, "paid": 0, "owed": 1}
    attendance = Attendance.objects.get()
    assert (attendance.credit_status, attendance.credit_minutes) == (CreditStatus.OWED, 90)
    assert "not available" in attendance.credit_note
    with pytest.raises(ValidationError):  # the amount is fixed once attendance is confirmed
        services.meeting_set_credits(actor=host, meeting=held, organisation=charity, minutes=60)


def test_confirmed_attendance_pays_credits_through_the_timebank_once(
    held, host, facilitator, member, practitioner, charity, reward_hook
):
    calls = []

    def fake_reward(**kwargs):
        calls.append(kwargs)

    reward_hook(fake_reward)
    services.meeting_set_credits(actor=host, meeting=held, organisation=charity, minutes=120)
    result = services.attendance_confirm(actor=facilitator, meeting=held, people=[member, practitioner])
    assert result == {"recorded": 2, "paid": 2, "owed": 0}
    assert {c["key"] for c in calls} == {
        f"meeting:{held.pk}:attendance:{member.pk}",
        f"meeting:{held.pk}:attendance:{practitioner.pk}",
    }
    assert all(
        c["hours_minutes"] == 120 and c["organisation"] == charity and c["space"] == held.space for c in calls
    )
    services.attendance_confirm(actor=facilitator, meeting=held, people=[member, practitioner])
    assert len(calls) == 2  # nobody is paid twice
    assert set(Attendance.objects.values_list("credit_status", flat=True)) == {CreditStatus.PAID}


def test_owed_credits_are_paid_later_and_a_refusal_is_noted(
    held, host, facilitator, member, charity, reward_hook
):
    reward_hook(None)
    services.meeting_set_credits(actor=host, meeting=held, organisation=charity, minutes=60)
    services.attendance_confirm(actor=facilitator, meeting=held, people=[member])

    def refusing(**kwargs):
        raise ValidationError("The organisation's account is empty.")

    reward_hook(refusing)
    assert services.credits_pay_owed(actor=facilitator, meeting=held) == {"paid": 0, "owed": 1}
    assert Attendance.objects.get().credit_note == "The organisation's account is empty."
    reward_hook(lambda **kwargs: None)
    assert services.credits_pay_owed(actor=facilitator, meeting=held) == {"paid": 1, "owed": 0}
    assert Attendance.objects.get().credit_status == CreditStatus.PAID


def test_the_real_timebank_pays_the_attendees_once(held, host, facilitator, member, charity):
    from coproduce.core import registry

    if registry.hook("reward_participation") is None:
        pytest.skip("no installed module offers the reward_participation hook (the timebank's manifest)")
    from coproduce.timebank.services import account_for_user

    services.meeting_set_credits(actor=host, meeting=held, organisation=charity, minutes=60)
    result = services.attendance_confirm(actor=facilitator, meeting=held, people=[member])
    assert result == {"recorded": 1, "paid": 1, "owed": 0}
    assert Attendance.objects.get().credit_status == CreditStatus.PAID
    assert account_for_user(member).balance == 60
    services.credits_pay_owed(actor=facilitator, meeting=held)  # nothing owed: nothing paid again
    assert account_for_user(member).balance == 60


def test_decisions_record_who_agreed_by_perspective_and_dissent(
    held, facilitator, member, practitioner, host
):
    item = held.agenda_items.get()
    with pytest.raises(ValidationError) as error:
        services.decision_record(
            actor=facilitator,
            meeting=held,
            text="Open Thursdays",
            agenda_item=item,
            voices={member: Stance.AGREE, practitioner: Stance.DISAGREE},
        )
    assert "dissent" in error.value.message_dict
    assert not Decision.objects.exists()
    with pytest.raises(PermissionDenied):
        services.decision_record(actor=member, meeting=held, text="Mine")
    decision = services.decision_record(
        actor=facilitator,
        meeting=held,
        text="Open Thursdays until 9pm",
        agenda_item=item,
        dissent="Pat: we cannot staff it yet.",
        voices={member: Stance.AGREE, host: Stance.AGREE, practitioner: Stance.DISAGREE},
    )
    rows = set(decision.voices.values_list("perspective", "stance"))
    assert rows == {("lived_experience", "agree"), ("facilitator", "agree"), ("practitioner", "disagree")}
    event = AuditEvent.objects.get(action="meeting.decision_recorded")
    assert event.public and "agreed 2, disagreed 1" in event.summary and "Lena" not in event.summary


def test_decisions_wait_for_the_meeting(meeting, facilitator):
    with pytest.raises(ValidationError):
        services.decision_record(actor=facilitator, meeting=meeting, text="Too early")


# --- The calendar link ----------------------------------------------------------------------------


def test_the_calendar_link_is_a_secret_kept_as_a_hash(member):
    token = services.calendar_feed_create(actor=member)
    assert selectors.user_for_calendar_token(token) == member
    assert token not in member.calendar_feed.token_hash
    newer = services.calendar_feed_create(actor=member)
    assert (
        selectors.user_for_calendar_token(token) is None
        and selectors.user_for_calendar_token(newer) == member
    )
    assert selectors.user_for_calendar_token("") is None
