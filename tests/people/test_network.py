"""The network admin screen (/network/ and /api/v1/network): who may see it, each module's section, members
(deactivating and reactivating, audited, and what it does to signing in), organisations' admins."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from tests.conftest import EVERYONE, PASSWORD, make_members, make_person

from coproduce.core import registry
from coproduce.core.models import AuditEvent
from coproduce.ideas import services as idea_services
from coproduce.people import access, selectors, services
from coproduce.people.models import OrganisationMembership, User
from coproduce.timebank import services as timebank_services
from coproduce.timebank.models import TimebankMember


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def org(host):
    return services.organisation_create(actor=host, name="Open Door", kind="charity")


# --- Who may see it ----------------------------------------------------------------------------------

PAGES = {
    "network": lambda w: ("get", reverse("people:network"), None),
    "members": lambda w: ("get", reverse("people:network_members") + "?q=Lena", None),
    "member": lambda w: ("get", reverse("people:network_member", args=[w["member"].pk]), None),
    "organisations": lambda w: ("get", reverse("people:network_organisations"), None),
    "organisation": lambda w: (
        "get",
        reverse("people:network_organisation", args=[w["org"].slug]) + "?q=P",
        None,
    ),
    "deactivate": lambda w: (
        "post",
        reverse("people:network_member", args=[w["practitioner"].pk]),
        {"action": "deactivate", "reason": "Asked to leave"},
    ),
    "admin_add": lambda w: (
        "post",
        reverse("people:network_organisation_admin", args=[w["org"].slug]),
        {"person": w["member"].pk, "action": "add"},
    ),
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("who", EVERYONE)
def test_only_network_administrators_see_the_screen(page, who, persona, space, org, member, practitioner):
    user = persona(who)
    client = Client()
    if user is not None:
        client.force_login(user, backend="coproduce.people.backends.ModelBackend")
    method, path, data = PAGES[page]({"member": member, "practitioner": practitioner, "org": org})
    response = getattr(client, method)(path, data or {})
    if who == "staff":
        assert response.status_code == (302 if method == "post" else 200)
        if method == "post":
            assert not response.url.startswith(reverse("account_login"))
    elif who == "anonymous":
        assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    else:
        assert response.status_code == 404
    assert User.objects.get(pk=practitioner.pk).is_active == (not (who == "staff" and page == "deactivate"))


def test_the_rule_is_one_function(admin_user, host, outsider):
    assert access.can_admin_network(admin_user)
    assert not access.can_admin_network(host) and not access.can_admin_network(outsider)
    admin_user.is_active = False
    assert not access.can_admin_network(admin_user)


def test_the_profile_page_links_to_the_screen_for_administrators_only(client_for, admin_user, host):
    link = f'href="{reverse("people:network")}"'
    assert link in html(client_for(admin_user).get(reverse("people:me")))
    assert link not in html(client_for(host).get(reverse("people:me")))


# --- The sections ------------------------------------------------------------------------------------


def test_every_module_adds_its_section_and_none_for_others(admin_user, host, space):
    modules = {m.name for m in registry.manifests() if m.network_admin}
    assert {"spaces", "ideas", "timebank", "notifications"} <= modules
    for manifest in registry.manifests():
        if manifest.network_admin:
            assert manifest.network_admin(host) is None  # each asks the one rule itself
            assert manifest.network_admin(admin_user).module == manifest.name


def test_reported_comments_are_counted_and_link_to_their_moderation_page(
    client_for, admin_user, space, member, practitioner, host
):
    idea = idea_services.idea_create(actor=member, space=space, title="A quiet room", body="Somewhere calm.")
    comment = idea_services.comment_create(actor=member, idea=idea, body="Rude words here.")
    idea_services.comment_report(actor=practitioner, comment=comment, reason="Unkind")
    idea_services.comment_report(actor=host, comment=comment, reason="Not on")
    page = html(client_for(admin_user).get(reverse("people:network")))
    assert "Reported comments" in page and "2 need attention" in page
    moderation = reverse("ideas:moderation", args=[space.slug])
    assert f'<a href="{moderation}">A comment on “A quiet room” in Drop-in redesign: 2 reports</a>' in page


def test_the_timebank_section_lists_coordinators_and_people_waiting(
    client_for, admin_user, member, practitioner
):
    waiting = timebank_services.member_join(actor=member, area="Paisley")
    record = timebank_services.member_join(actor=practitioner)
    timebank_services.member_decide(actor=admin_user, member=record, approve=True)
    timebank_services.coordinator_set(actor=admin_user, member=record, is_coordinator=True)
    page = html(client_for(admin_user).get(reverse("people:network")))
    assert "1 needs attention" in page
    assert (
        f'<a href="{reverse("timebank:member", args=[waiting.pk])}">Waiting to join: Lena Lived</a>' in page
    )
    assert (
        f'<a href="{reverse("timebank:member", args=[record.pk])}">Coordinator: Pat Practitioner</a>' in page
    )
    assert f'href="{reverse("timebank:members")}"' in page
    assert TimebankMember.objects.count() == 2


def test_the_numbers(client_for, admin_user, space, margaret, member):
    Client().post(reverse("account_login"), {"login": member.email, "password": PASSWORD})  # a recent sign-in
    page = html(client_for(admin_user).get(reverse("people:network")))
    members = User.objects.filter(is_active=True).count()
    assert f"{members} members" in page
    assert "1 takes part with help" in page
    assert "signed in during the last 30 days" in page
    assert "1 space</li>" in page and "Co-design open: 0 spaces" in page
    assert "Notifications in the last 30 days" in page and "Sent: " in page
    numbers = selectors.network_numbers()
    assert numbers.active_recently >= 1 and numbers.taking_part_with_help == 1


def test_the_screen_asks_a_bounded_number_of_queries(
    client_for, admin_user, space, host, django_assert_max_num_queries
):
    client = client_for(admin_user)
    client.get(reverse("people:network"))
    make_members(space, host, 30)
    with django_assert_max_num_queries(25):
        assert client.get(reverse("people:network")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("people:network_members")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("people:network_organisations")).status_code == 200


# --- Members -----------------------------------------------------------------------------------------


def test_members_are_listed_with_their_spaces_and_never_an_email(
    client_for, admin_user, space, private_space, member, margaret
):
    page = html(client_for(admin_user).get(reverse("people:network_members")))
    assert "Lena Lived" in page and "Margaret Brown" in page and "takes part with help" in page
    assert "@example.org" not in page
    row = next(line for line in page.split("<tr>") if "Lena Lived" in line)
    assert "<td>2</td>" in row  # both spaces
    found = html(client_for(admin_user).get(reverse("people:network_members") + "?q=marg"))
    assert "Margaret Brown" in found and "Lena Lived" not in found


def test_deactivating_is_audited_and_the_person_cannot_sign_in(client_for, admin_user, member, api_for):
    session = client_for(member)
    token_client = api_for(member)
    assert session.get(reverse("people:me")).status_code == 200

    response = client_for(admin_user).post(
        reverse("people:network_member", args=[member.pk]),
        {"action": "deactivate", "reason": " Asked   to leave "},
    )
    assert response.status_code == 302
    assert not User.objects.get(pk=member.pk).is_active
    event = AuditEvent.objects.get(action="person.deactivated")
    assert event.actor == admin_user and event.target_id == member.pk
    assert event.summary == "Lena Lived was deactivated: Asked to leave"
    assert event.changes == {"is_active": [True, False]}

    signing_in = Client().post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    assert "_auth_user_id" not in signing_in.wsgi_request.session
    assert session.get(reverse("people:me")).status_code == 302  # the open session ends too
    assert token_client.get("/me").status_code == 401  # and their API tokens stop working

    services.person_set_active(actor=admin_user, person=member, active=True, reason="Came back")
    assert AuditEvent.objects.filter(action="person.reactivated").exists()
    signing_in = Client().post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    assert signing_in.status_code == 302


def test_a_reason_is_needed_and_the_form_says_so(client_for, admin_user, member):
    response = client_for(admin_user).post(
        reverse("people:network_member", args=[member.pk]), {"action": "deactivate", "reason": "  "}
    )
    assert response.status_code == 400 and "This field is required." in html(response)
    assert User.objects.get(pk=member.pk).is_active
    assert not AuditEvent.objects.filter(action="person.deactivated").exists()


def test_the_rules_of_deactivating(admin_user, member, host):
    with pytest.raises(ValidationError, match="Say why"):
        services.person_set_active(actor=admin_user, person=member, active=False, reason=" ")
    with pytest.raises(ValidationError, match="your own account"):
        services.person_set_active(actor=admin_user, person=admin_user, active=False, reason="Testing")
    with pytest.raises(ValidationError, match="already active"):
        services.person_set_active(actor=admin_user, person=member, active=True, reason="Testing")
    with pytest.raises(PermissionDenied):
        services.person_set_active(actor=host, person=member, active=False, reason="Not mine to do")
    assert User.objects.get(pk=member.pk).is_active


# --- Organisations and their admins ------------------------------------------------------------------


def test_organisations_are_listed_with_their_admins(client_for, admin_user, org):
    page = html(client_for(admin_user).get(reverse("people:network_organisations")))
    row = next(line for line in page.split("<tr>") if "Open Door" in line)
    assert "Hana Host" in row and "<td>1</td>" in row


def test_adding_and_removing_an_organisation_admin_is_audited(client_for, admin_user, org, member, host):
    client = client_for(admin_user)
    page = html(client.get(reverse("people:network_organisation", args=[org.slug]) + "?q=lena"))
    assert "Make Lena Lived an admin" in page
    path = reverse("people:network_organisation_admin", args=[org.slug])

    client.post(path, {"person": member.pk, "action": "add"})
    membership = OrganisationMembership.objects.get(organisation=org, user=member)
    assert membership.is_admin and membership.approved
    added = AuditEvent.objects.get(action="organisation_admin.added")
    assert added.actor == admin_user and "Lena Lived was made an admin of Open Door" in added.summary

    client.post(path, {"person": host.pk, "action": "remove"})
    assert not OrganisationMembership.objects.get(organisation=org, user=host).is_admin
    assert AuditEvent.objects.filter(action="organisation_admin.removed", actor=admin_user).count() == 1

    # The last admin stays, with a plain reason.
    response = client.post(path, {"person": member.pk, "action": "remove"}, follow=True)
    assert "An organisation needs at least one admin." in html(response)
    assert OrganisationMembership.objects.get(organisation=org, user=member).is_admin


def test_a_bad_choice_of_person_is_explained(client_for, admin_user, org):
    path = reverse("people:network_organisation_admin", args=[org.slug])
    for data in ({"person": "abc", "action": "add"}, {"person": 999999, "action": "add"}, {"action": "add"}):
        response = client_for(admin_user).post(path, data, follow=True)
        assert "Choose a person from the list." in html(response)
    assert not AuditEvent.objects.filter(action__startswith="organisation_admin.").exists()


# --- The API -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", EVERYONE)
def test_the_api_has_the_same_rule(who, persona, api_for, space, member, org):
    api = api_for(persona(who))
    expected = {"staff": 200, "anonymous": 401}.get(who, 404)
    assert api.get("/network").status_code == expected
    assert api.get("/network/members").status_code == expected
    change = api.post(f"/network/members/{member.pk}/deactivate", {"reason": "Testing"})
    assert change.status_code == expected
    assert User.objects.get(pk=member.pk).is_active == (who != "staff")
    add = api.post(f"/network/organisations/{org.slug}/admins", {"person_id": member.pk})
    assert add.status_code == {"staff": 422}.get(who, expected)  # deactivated just now: reactivate first


def test_the_api_sections_and_changes(api_for, admin_user, space, member, org, host):
    api = api_for(admin_user)
    body = api.get("/network").json()
    assert body["numbers"]["organisations"] == 1
    assert {s["module"] for s in body["sections"]} >= {"spaces", "ideas", "timebank", "notifications"}
    members = api.get("/network/members?q=lena").json()
    assert members == [
        {
            "id": member.pk,
            "display_name": "Lena Lived",
            "contact_preference": "email",
            "takes_part_with_help": False,
            "space_count": 1,
            "is_active": True,
        }
    ]
    assert api.post(f"/network/members/{member.pk}/deactivate", {"reason": ""}).status_code == 422
    assert (
        api.post(f"/network/members/{member.pk}/deactivate", {"reason": "Left"}).json()["is_active"] is False
    )
    assert (
        api.post(f"/network/members/{member.pk}/reactivate", {"reason": "Back"}).json()["is_active"] is True
    )

    added = api.post(f"/network/organisations/{org.slug}/admins", {"person_id": member.pk})
    assert added.status_code == 201
    assert {a["display_name"] for a in added.json()["admins"]} == {"Hana Host", "Lena Lived"}
    removed = api.delete(f"/network/organisations/{org.slug}/admins/{host.pk}")
    assert [a["display_name"] for a in removed.json()["admins"]] == ["Lena Lived"]
    assert api.delete(f"/network/organisations/{org.slug}/admins/{member.pk}").status_code == 422
    assert api.post(f"/network/organisations/{org.slug}/admins", {"person_id": 999999}).status_code == 404
    assert AuditEvent.objects.filter(action__startswith="organisation_admin.").count() == 2
    assert "@" not in str(added.json()) and "@" not in str(api.get("/network/members").json())


def test_a_stranger_made_admin_is_made_a_confirmed_member(admin_user, org):
    stranger = make_person("Sam Stranger")
    services.organisation_admin_set(actor=admin_user, organisation=org, person=stranger, admin=True)
    assert OrganisationMembership.objects.get(organisation=org, user=stranger).approved
    with pytest.raises(ValidationError, match="already an admin"):
        services.organisation_admin_set(actor=admin_user, organisation=org, person=stranger, admin=True)
