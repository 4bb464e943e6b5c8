"""Acting for someone else, decided once (`spaces.access.can_act_for`): facilitators and hosts act only for
members without an account, or members who asked, themself, to be helped in person — a choice they make,
see and withdraw on their "Done on my behalf" page. And the public history names nobody (`shows_names`)."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from tests.api_client import Api

from coproduce.actions import services as action_services
from coproduce.core.models import AuditEvent
from coproduce.ideas import services as idea_services
from coproduce.spaces import access, services
from coproduce.spaces.access import Refused
from coproduce.spaces.models import HelpConsent, Membership

from ..ideas.helpers import html, text


def on_my_behalf(client):
    return client.get(reverse("people:on_my_behalf"))


# --- The rule ---------------------------------------------------------------------------------------


def test_who_a_facilitator_may_act_for(space, host, facilitator, member, practitioner, margaret, elsewhere):
    assert access.can_act_for(facilitator, margaret, space)  # no account of her own
    assert access.can_act_for(host, margaret, space)
    assert access.can_act_for(facilitator, facilitator, space)  # oneself
    refused = access.can_act_for(facilitator, practitioner, space)
    assert not refused and not refused.role
    assert "Pat Practitioner has their own account and has not asked to be helped" in refused.reason
    assert not access.can_act_for(facilitator, elsewhere, space)  # not a member here
    by_member = access.can_act_for(member, margaret, space)
    assert not by_member and by_member.role  # the actor's own role is what is missing
    with pytest.raises(PermissionDenied):
        by_member.enforce()
    with pytest.raises(Refused) as caught:
        refused.enforce("member")
    assert set(caught.value.message_dict) == {"member"}

    services.help_consent_set(actor=practitioner, space=space, accepts=True)
    assert access.can_act_for(facilitator, practitioner, space)
    assert not access.can_act_for(member, practitioner, space)  # still only facilitators and hosts
    assert [m.user for m in access.people_to_act_for(facilitator, space)] == [margaret, practitioner]
    assert access.people_to_act_for(member, space) == []

    services.help_consent_set(actor=practitioner, space=space, accepts=False)
    assert not access.can_act_for(facilitator, practitioner, space)
    assert [m.user for m in access.people_to_act_for(facilitator, space)] == [margaret]


def test_consent_is_for_one_space_and_ends_when_the_person_leaves(
    space, private_space, facilitator, practitioner
):
    services.help_consent_set(actor=practitioner, space=space, accepts=True)
    assert not access.can_act_for(facilitator, practitioner, private_space)
    services.membership_end(
        actor=practitioner, membership=Membership.objects.get(space=space, user=practitioner)
    )
    assert not HelpConsent.objects.filter(user=practitioner).exists()


def test_only_the_person_themself_gives_consent(space, outsider, margaret):
    with pytest.raises(PermissionDenied):
        services.help_consent_set(actor=outsider, space=space, accepts=True)  # not a member
    with pytest.raises(PermissionDenied):
        services.help_consent_set(actor=margaret, space=space, accepts=True)  # cannot sign in
    assert not HelpConsent.objects.exists()


# --- Asking for help on one's own page ---------------------------------------------------------------


def test_a_member_asks_for_help_sees_it_and_withdraws_it(client_for, space, private_space, practitioner):
    client = client_for(practitioner)
    page = text(on_my_behalf(client))
    assert "Being helped in person" in page and "Drop-in redesign : only you take part for yourself." in page
    response = client.post(
        reverse("people:on_my_behalf"), {"where": space.slug, "accepts": "yes"}, follow=True
    )
    page = text(response)
    assert "Facilitators in Drop-in redesign can now record things for you" in page
    assert "Drop-in redesign : facilitators can record things for you (you asked on" in page
    assert "Peer review : only you take part for yourself." in page
    event = AuditEvent.objects.get(action="help.accepted")
    assert (event.actor, event.space, event.public) == (practitioner, space, False)

    client.post(reverse("people:on_my_behalf"), {"where": space.slug, "accepts": "no"})
    assert not HelpConsent.objects.exists() and AuditEvent.objects.filter(action="help.withdrawn").exists()
    assert "Drop-in redesign : only you take part for yourself." in text(on_my_behalf(client))


def test_nobody_asks_for_help_in_a_space_they_are_not_in(client_for, private_space, outsider):
    response = client_for(outsider).post(
        reverse("people:on_my_behalf"), {"where": private_space.slug, "accepts": "yes"}
    )
    assert response.status_code == 404 and not HelpConsent.objects.exists()


# --- Ideas: the same rule, the same list ------------------------------------------------------------


def test_ideas_for_a_member_with_an_account_only_once_they_asked(
    client_for, space, facilitator, practitioner
):
    with pytest.raises(Refused) as caught:
        idea_services.idea_create(
            actor=facilitator,
            space=space,
            title="A ramp",
            body="At the side door.",
            on_behalf_of=practitioner,
        )
    assert set(caught.value.message_dict) == {"on_behalf_of"}
    client = client_for(facilitator)
    create = reverse("ideas:create", args=[space.slug])
    assert "Pat Practitioner" not in html(client.get(create))
    forged = client.post(create, {"on_behalf_of": practitioner.pk, "title": "A ramp", "body": "B"})
    assert forged.status_code == 403 and not AuditEvent.objects.filter(on_behalf_of=practitioner).exists()

    services.help_consent_set(actor=practitioner, space=space, accepts=True)
    page = html(client.get(create))
    assert f'<option value="{practitioner.pk}">Pat Practitioner (practitioner)</option>' in page
    response = client.post(create, {"on_behalf_of": practitioner.pk, "title": "A ramp", "body": "B"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="idea.created")
    assert (event.actor, event.on_behalf_of) == (facilitator, practitioner)
    page = text(on_my_behalf(client_for(practitioner)))
    assert "Idea “A ramp” posted" in page and "Fergus Facilitator" in page


def test_the_ideas_api_follows_the_same_rule(space, facilitator, practitioner):
    api = Api(facilitator)
    payload = {"title": "A ramp", "body": "At the side door.", "on_behalf_of": practitioner.pk}
    response = api.post(f"/spaces/{space.slug}/ideas", payload)
    assert response.status_code == 403 and "on_behalf_of" in json.loads(response.content)["detail"]
    services.help_consent_set(actor=practitioner, space=space, accepts=True)
    assert api.post(f"/spaces/{space.slug}/ideas", payload).status_code == 201


# --- The public history names nobody -------------------------------------------------------------------


@pytest.fixture
def acted(space, host, facilitator, member):
    """A public event whose summary gives the owner's perspective."""
    action_services.action_create(actor=facilitator, space=space, title="Quiet room", owner=member)
    return space


def api_history(user, space):
    response = Api(user).get(f"/spaces/{space.slug}/history")
    assert response.status_code == 200
    return response.content.decode()


NAMES = ["Hana Host", "Fergus Facilitator", "Lena Lived", "Pat Practitioner"]


@pytest.mark.parametrize("viewer", ["anonymous", "outsider"])
def test_the_public_history_shows_perspectives_and_no_names(client_for, persona, acted, viewer):
    person = persona(viewer)
    page = text(client_for(person).get(reverse("spaces:history", args=[acted.slug])))
    found = api_history(person, acted)
    for where in (page, found):
        assert "owned by a member taking part as person with lived experience" in where
        for name in NAMES:
            assert name not in where, name
    assert all(event["actor"] is None for event in json.loads(found))


def test_members_see_who_did_what_in_the_history(client_for, acted, practitioner):
    page = text(client_for(practitioner).get(reverse("spaces:history", args=[acted.slug])))
    assert "Fergus Facilitator" in page and "taking part as person with lived experience" in page
    events = json.loads(api_history(practitioner, acted))
    assert "Fergus Facilitator" in [event["actor"] for event in events]


def test_asking_for_help_through_the_api(space, facilitator, practitioner, outsider):
    own = Api(practitioner)
    path = f"/spaces/{space.slug}/my-help"
    assert json.loads(own.get(path).content) == {"accepts_help": False}
    assert json.loads(own.put(path, {"accepts_help": True}).content) == {"accepts_help": True}
    assert access.can_act_for(facilitator, practitioner, space)
    assert json.loads(own.put(path, {"accepts_help": False}).content) == {"accepts_help": False}
    assert not access.can_act_for(facilitator, practitioner, space)
    assert Api(outsider).put(path, {"accepts_help": True}).status_code == 403
    assert not HelpConsent.objects.exists()


# --- The timebank's place on the page, asked of the timebank through its hook --------------------------


@pytest.fixture
def timebank_says(monkeypatch):
    """Make the "profile_timebank" hook answer `answer` (whatever the installed timebank would say)."""
    from coproduce.core import registry

    hook, calls = registry.hook, []

    def set_answer(answer):
        def profile_timebank(viewer, person):
            calls.append((viewer, person))
            return answer

        monkeypatch.setattr(
            registry, "hook", lambda name: profile_timebank if name == "profile_timebank" else hook(name)
        )
        return calls

    return set_answer


def test_a_timebank_member_asks_the_timebank_coordinators_for_help(timebank_says, client_for, practitioner):
    calls = timebank_says({"name": "The timebank"})
    client = client_for(practitioner)
    assert "The timebank : only you take part for yourself." in text(on_my_behalf(client))
    assert calls[0] == (practitioner, practitioner)
    client.post(reverse("people:on_my_behalf"), {"where": "timebank", "accepts": "yes"})
    assert HelpConsent.objects.filter(user=practitioner, space=None).exists()


def test_someone_outside_the_timebank_sees_no_timebank_place_and_cannot_ask(
    timebank_says, client_for, practitioner
):
    timebank_says(None)
    client = client_for(practitioner)
    assert "The timebank" not in text(on_my_behalf(client))
    response = client.post(reverse("people:on_my_behalf"), {"where": "timebank", "accepts": "yes"})
    assert response.status_code == 403 and not HelpConsent.objects.exists()
