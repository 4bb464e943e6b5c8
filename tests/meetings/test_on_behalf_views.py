"""Assisted participation from the meeting page: a facilitator or host registers a member who takes part with
help (with their access needs) and proposes agenda items for them, by choosing "Who is this for?". The act is
theirs to see on /me/on-my-behalf/, the log names both people, and nobody else can choose or forge the choice."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coproduce.core.models import AuditEvent
from coproduce.meetings import services
from coproduce.meetings.models import AgendaItem, Registration
from coproduce.spaces.access import Refused
from coproduce.spaces.models import Perspective

from ..ideas.helpers import html, text


def url(name, meeting, *extra):
    return reverse(f"meetings:{name}", args=[meeting.space.slug, meeting.pk, *extra])


def writes() -> tuple[int, int, int]:
    return (
        Registration.objects.count(),
        AgendaItem.objects.count(),
        AuditEvent.objects.filter(action__in=["meeting.registered", "meeting.agenda_item_proposed"]).count(),
    )


def their_page(client_for, person) -> str:
    return text(client_for(person).get(reverse("people:on_my_behalf")))


# --- The facilitator acts for an assisted member --------------------------------------------------


def test_both_forms_offer_a_labelled_choice_with_distinct_ids(client_for, meeting, facilitator, margaret):
    page = html(client_for(facilitator).get(meeting.get_absolute_url()))
    assert '<label for="register_on_behalf_of">Who is this for?' in page
    assert '<label for="item_on_behalf_of">Who is this for?' in page
    assert f'<option value="{facilitator.pk}" selected>Me (Fergus Facilitator)</option>' in page
    assert f'<option value="{margaret.pk}">Margaret Brown (carer or family member)</option>' in page
    assert "Lena Lived (" not in page  # members with their own account speak for themselves


@pytest.mark.parametrize("who", ["facilitator", "host"])
def test_registering_an_assisted_member_with_their_access_needs(client_for, persona, meeting, margaret, who):
    actor = persona(who)
    response = client_for(actor).post(
        url("register", meeting), {"on_behalf_of": margaret.pk, "access_needs": "A hearing loop"}, follow=True
    )
    assert "Margaret Brown is registered." in text(response)
    registration = Registration.objects.get()
    assert registration.user == margaret and registration.access_needs == "A hearing loop"
    event = AuditEvent.objects.get(action="meeting.registered")
    assert (event.actor, event.on_behalf_of) == (actor, margaret)
    mine = their_page(client_for, margaret)
    assert "Margaret Brown registered for “Design workshop”" in mine and actor.display_name in mine
    # The person who registered her has no place themself: the normal form is still there for them.
    assert "Come to this meeting" in text(client_for(actor).get(meeting.get_absolute_url()))


def test_a_registered_facilitator_can_still_register_someone_else(client_for, meeting, facilitator, margaret):
    services.registration_create(actor=facilitator, meeting=meeting)
    page = html(client_for(facilitator).get(meeting.get_absolute_url()))
    assert "You are registered." in text(client_for(facilitator).get(meeting.get_absolute_url()))
    assert "Register someone who takes part with help" in page
    assert f'<option value="{margaret.pk}" selected>' in page  # not themself: they have a place
    client_for(facilitator).post(url("register", meeting), {"on_behalf_of": margaret.pk})
    assert Registration.objects.get(user=margaret).status == "registered"
    again = client_for(facilitator).post(url("register", meeting), {"on_behalf_of": margaret.pk}, follow=True)
    assert "Margaret Brown is already registered." in text(again)
    assert Registration.objects.count() == 2


def test_proposing_an_agenda_item_for_an_assisted_member(client_for, meeting, facilitator, margaret):
    response = client_for(facilitator).post(
        url("propose", meeting),
        {"on_behalf_of": margaret.pk, "title": "Respite care", "description": "Time off for carers."},
        follow=True,
    )
    assert "The item is proposed for Margaret Brown." in text(response)
    item = AgendaItem.objects.get()
    assert item.proposed_by == margaret and item.proposer_perspective == Perspective.CARER
    event = AuditEvent.objects.get(action="meeting.agenda_item_proposed")
    assert (event.actor, event.on_behalf_of) == (facilitator, margaret)
    assert "Agenda item “Respite care” proposed" in their_page(client_for, margaret)


def test_the_facilitator_still_acts_as_themself_by_default(client_for, meeting, facilitator, margaret):
    client_for(facilitator).post(url("propose", meeting), {"on_behalf_of": facilitator.pk, "title": "Mine"})
    client_for(facilitator).post(url("register", meeting), {"on_behalf_of": facilitator.pk})
    assert AgendaItem.objects.get().proposed_by == facilitator
    assert Registration.objects.get().user == facilitator
    assert not AuditEvent.objects.filter(action__startswith="meeting.", on_behalf_of__isnull=False).exists()


# --- Members do not see the choice and cannot forge it --------------------------------------------


def test_members_do_not_see_the_choice(client_for, meeting, member, margaret):
    page = html(client_for(member).get(meeting.get_absolute_url()))
    assert "on_behalf_of" not in page and "Who is this for?" not in page


def test_a_forged_choice_from_a_member_is_refused_and_nothing_is_written(
    client_for, meeting, member, margaret
):
    client = client_for(member)
    before = writes()
    register = client.post(url("register", meeting), {"on_behalf_of": margaret.pk, "access_needs": "Lift"})
    propose = client.post(url("propose", meeting), {"on_behalf_of": margaret.pk, "title": "Forged"})
    assert register.status_code == propose.status_code == 403
    assert writes() == before


# --- Only members of the space who take part with help can be chosen ------------------------------


@pytest.mark.parametrize("target", ["elsewhere", "outsider", "member"])
def test_someone_who_cannot_be_acted_for_is_refused_with_the_form_kept(
    client_for, request, meeting, facilitator, margaret, target
):
    person = request.getfixturevalue(target)
    client = client_for(facilitator)
    before = writes()
    register = client.post(
        url("register", meeting), {"on_behalf_of": person.pk, "access_needs": "Large print"}
    )
    assert register.status_code == 400
    page = html(register)
    assert "Large print</textarea>" in page and "There is a problem" in page
    assert 'href="#register_on_behalf_of"' in page and 'id="register_on_behalf_of_error"' in page
    assert "Choose yourself or a member of this space who takes part with help." in page
    propose = client.post(url("propose", meeting), {"on_behalf_of": person.pk, "title": "Kept title"})
    assert propose.status_code == 400
    page = html(propose)
    assert 'value="Kept title"' in page and 'id="item_on_behalf_of_error"' in page
    assert 'aria-invalid="true"' in page
    assert writes() == before


# --- Anonymous ------------------------------------------------------------------------------------


def test_anonymous_people_are_sent_to_sign_in(client_for, meeting, margaret):
    client = client_for(None)
    for response in (
        client.post(url("register", meeting), {"on_behalf_of": margaret.pk}),
        client.post(url("propose", meeting), {"on_behalf_of": margaret.pk, "title": "T"}),
    ):
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert writes() == (0, 0, 0)


# --- A member with an account who asked to be helped (spaces.access.can_act_for) -------------------


def test_a_member_with_an_account_is_registered_for_only_once_they_asked(
    client_for, meeting, facilitator, member
):
    with pytest.raises(Refused):
        services.registration_create(actor=facilitator, meeting=meeting, on_behalf_of=member)
    with pytest.raises(Refused):
        services.agenda_item_propose(actor=facilitator, meeting=meeting, title="Forged", on_behalf_of=member)
    assert writes() == (0, 0, 0)

    client_for(member).post(reverse("people:on_my_behalf"), {"where": meeting.space.slug, "accepts": "yes"})
    client = client_for(facilitator)
    assert "Lena Lived (person with lived experience)" in html(client.get(meeting.get_absolute_url()))
    response = client.post(
        url("register", meeting), {"on_behalf_of": member.pk, "access_needs": "A hearing loop"}, follow=True
    )
    assert "Lena Lived is registered." in text(response)
    registration = Registration.objects.get()
    assert registration.user == member and registration.access_needs == "A hearing loop"
    assert AuditEvent.objects.get(action="meeting.registered").on_behalf_of == member
    assert "Lena Lived registered for “Design workshop”" in their_page(client_for, member)

    client_for(member).post(reverse("people:on_my_behalf"), {"where": meeting.space.slug, "accepts": "no"})
    propose = client.post(url("propose", meeting), {"on_behalf_of": member.pk, "title": "Too late"})
    assert propose.status_code == 403 and not AgendaItem.objects.exists()  # nobody left to offer
