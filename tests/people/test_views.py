"""People pages: your profile, what was done on your behalf, claiming an account, tokens and organisations."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from tests.conftest import PASSWORD

from coproduce.core.models import AuditEvent
from coproduce.people import selectors, services
from coproduce.people.models import ApiToken, Organisation, OrganisationMembership, User
from coproduce.spaces import services as space_services
from coproduce.spaces.models import Perspective

MARKUP = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def html(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


PROFILE = {
    "display_name": "Lena",
    "pronouns": "she/her",
    "bio": "",
    "what_i_bring": "",
    "accessibility_needs": "",
    "contact_preference": "email",
    "skills": "",
    "interests": "",
}


@pytest.mark.parametrize(
    "name", ["people:me", "people:on_my_behalf", "people:tokens", "people:organisation_create"]
)
def test_your_own_pages_need_you_to_sign_in(client_for, name):
    response = client_for(None).get(reverse(name))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


# --- Profile --------------------------------------------------------------------------------------


def test_saving_your_profile(client_for, member):
    client = client_for(member)
    assert "Lena Lived" in html(client.get(reverse("people:me")))
    response = client.post(reverse("people:me"), {**PROFILE, "skills": "Cooking, BSL", "bio": "Hello"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.display_name, member.bio) == ("Lena", "Hello")
    assert [t.name for t in member.skills.all()] == ["bsl", "cooking"]
    assert "bsl, cooking" in html(client.get(reverse("people:me")))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("display_name", "n" * 81, "Ensure this value has at most 80 characters (it has 81)."),
        ("bio", "b" * 1001, "Ensure this value has at most 1000 characters (it has 1001)."),
        ("skills", "x" * 41, "Keep each tag under 40 characters"),
        ("display_name", "", "This field is required."),
    ],
)
def test_bad_profile_input_is_explained_kept_and_not_saved(client_for, member, field, value, message):
    response = client_for(member).post(
        reverse("people:me"), {**PROFILE, "pronouns": "they/them", field: value}
    )
    assert response.status_code == 200
    assert message in html(response)
    assert value in html(response) and "they/them" in html(response)
    fresh = User.objects.get(pk=member.pk)
    assert (fresh.display_name, fresh.pronouns, fresh.bio) == ("Lena Lived", "", "")
    assert not AuditEvent.objects.filter(action="profile.updated").exists()


# --- Profiles of others ---------------------------------------------------------------------------


def test_profiles_are_seen_by_people_who_share_a_space(client_for, space, member, practitioner, outsider):
    services.profile_update(
        actor=member, user=member, bio="I like gardens", accessibility_needs="Large print"
    )
    path = reverse("people:person", args=[member.pk])
    for viewer in (member, practitioner):
        page = html(client_for(viewer).get(path))
        assert "I like gardens" in page
        assert "Large print" not in page and member.email not in page
    assert client_for(outsider).get(path).status_code == 404
    assert client_for(None).get(path).status_code == 404
    assert client_for(member).get(reverse("people:person", args=[999999])).status_code == 404


def test_markup_in_a_name_or_bio_is_shown_as_text(client_for, space, member):
    services.profile_update(actor=member, user=member, display_name=MARKUP, bio=MARKUP)
    for path in [
        reverse("people:person", args=[member.pk]),
        reverse("people:me"),
        reverse("spaces:members", args=[space.slug]),
    ]:
        page = html(client_for(member).get(path))
        assert ESCAPED in page and MARKUP not in page, path


@pytest.fixture
def fast_passwords(settings, host):
    """Argon2 is slow on purpose. Tests that set passwords hash them quickly; older hashes still check.

    It asks for `host` so that the shared persona password hash is made first, with the real hashers.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]


# --- Taking part with help, then claiming the account ---------------------------------------------


def test_an_assisted_person_claims_their_account_and_sees_what_was_done_for_them(
    client_for, space, facilitator, fast_passwords
):
    margaret = space_services.assisted_person_add(
        actor=facilitator, space=space, display_name="Margaret", perspective=Perspective.LIVED_EXPERIENCE
    )
    space_services.membership_update(actor=facilitator, membership=margaret, perspective=Perspective.CARER)
    page = html(
        client_for(facilitator).post(
            reverse("spaces:claim_link", args=[space.slug, margaret.pk]), follow=True
        )
    )
    link = re.search(r"/claim/[^/<\s]+/", page).group(0)

    visitor = client_for(None)
    assert "Hello Margaret" in html(visitor.get(link))
    response = visitor.post(
        link, {"email": "margaret@example.org", "password1": PASSWORD, "password2": PASSWORD}
    )

    assert response.status_code == 302 and response.url == reverse("people:on_my_behalf")
    person = User.objects.get(pk=margaret.user_id)
    assert person.email == "margaret@example.org" and person.check_password(PASSWORD)
    page = html(visitor.get(response.url))  # signed in as Margaret now
    assert "Fergus Facilitator added Margaret, who takes part with help" in page
    assert "Margaret is now Member, taking part as Carer or family member" in page
    assert "made a sign-up link and code for Margaret" in page
    assert space.title in page
    used = visitor.get(link)  # the link worked once
    assert used.status_code == 410 and "It has already been used" in html(used)


def test_nothing_on_my_behalf_for_people_who_take_part_themselves(client_for, space, member):
    page = html(client_for(member).get(reverse("people:on_my_behalf")))
    assert "Nobody has acted on your behalf." in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"email": "margaret@example.org", "password1": PASSWORD, "password2": PASSWORD + "x"},
            "The two passwords are not the same.",
        ),
        (
            {"email": "hana.host@example.org", "password1": PASSWORD, "password2": PASSWORD},
            "This email address is already used by another account.",
        ),
        (
            {"email": "margaret@example.org", "password1": "password", "password2": "password"},
            "This password is too common.",
        ),
        (
            {"email": "not-an-email", "password1": PASSWORD, "password2": PASSWORD},
            "Enter a valid email address.",
        ),
    ],
)
def test_a_claim_with_bad_input_is_explained_and_changes_nothing(
    client_for, space, host, facilitator, data, message, fast_passwords
):
    margaret = space_services.assisted_person_add(
        actor=facilitator, space=space, display_name="Margaret", perspective=Perspective.LIVED_EXPERIENCE
    ).user
    token = space_services.claim_link_create(actor=facilitator, person=margaret).token
    response = client_for(None).post(reverse("people:claim", args=[token]), data)
    assert response.status_code == 400
    assert message in html(response)
    assert User.objects.get(pk=margaret.pk).email is None
    assert selectors.person_for_claim(token) is not None


def test_an_unknown_claim_link_says_so(client_for):
    response = client_for(None).get(reverse("people:claim", args=["nope"]))
    assert response.status_code == 404 and "This link or code is not working" in html(response)


# --- API tokens -----------------------------------------------------------------------------------


def test_a_token_is_shown_once_listed_by_prefix_and_revoked(client_for, member, host):
    client = client_for(member)
    page = html(client.post(reverse("people:tokens"), {"name": "My script"}))
    raw = re.search(r"cp_[A-Za-z0-9_-]+", page).group(0)
    token = ApiToken.objects.get(user=member)
    assert services.user_for_api_token(raw) == member

    page = html(client.get(reverse("people:tokens")))
    assert raw not in page and token.prefix in page and "My script" in page

    assert client_for(host).post(reverse("people:token_revoke", args=[token.pk])).status_code == 404
    assert client.post(reverse("people:token_revoke", args=[token.pk])).status_code == 302
    assert not ApiToken.objects.exists()


def test_a_token_needs_a_name(client_for, member):
    response = client_for(member).post(reverse("people:tokens"), {"name": ""})
    assert response.status_code == 200 and "This field is required." in html(response)
    assert not ApiToken.objects.exists()


# --- Organisations --------------------------------------------------------------------------------


ORG = {
    "name": "Open Door",
    "kind": "charity",
    "description": "Drop-ins",
    "place": "Paisley",
    "website": "https://opendoor.example.org",
}


def test_creating_an_organisation(client_for, host):
    response = client_for(host).post(reverse("people:organisation_create"), ORG)
    org = Organisation.objects.get(name="Open Door")
    assert response.status_code == 302 and response.url == reverse("people:organisation", args=[org.slug])
    page = html(client_for(None).get(reverse("people:organisations")))
    assert "Open Door" in page and "1 member" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "n" * 121, "Ensure this value has at most 120 characters (it has 121)."),
        ("website", "not a site", "Enter a valid URL."),
        ("kind", "cartel", "Select a valid choice."),
    ],
)
def test_bad_organisation_input_is_explained_and_not_saved(client_for, host, field, value, message):
    response = client_for(host).post(reverse("people:organisation_create"), {**ORG, field: value})
    assert response.status_code == 200 and message in html(response)
    assert not Organisation.objects.exists()


@pytest.fixture
def org(host):
    return services.organisation_create(actor=host, name="Open Door", kind="charity")


def test_only_organisation_admins_change_it(client_for, org, host, member):
    path = reverse("people:organisation_edit", args=[org.slug])
    assert client_for(member).get(path).status_code == 403
    assert client_for(member).post(path, {**ORG, "place": "Renfrew"}).status_code == 403
    assert client_for(host).get(path).status_code == 200
    assert client_for(host).post(path, {**ORG, "place": "Renfrew"}).status_code == 302
    assert Organisation.objects.get(pk=org.pk).place == "Renfrew"


def test_joining_an_organisation_and_being_confirmed(client_for, org, host, member, outsider):
    joining = client_for(member)
    response = joining.post(reverse("people:organisation_join", args=[org.slug]), follow=True)
    assert "Your request has been sent to the organisation's admins." in messages_of(response)
    assert "Your request to join is waiting for an admin." in html(response)
    again = joining.post(reverse("people:organisation_join", args=[org.slug]), follow=True)
    assert "You have already asked to join this organisation." in messages_of(again)

    lena = OrganisationMembership.objects.get(organisation=org, user=member)
    action = reverse("people:organisation_member", args=[org.slug, lena.pk])
    assert joining.post(action, {"action": "approve"}).status_code == 403
    assert client_for(outsider).post(action, {"action": "approve"}).status_code == 403
    assert not OrganisationMembership.objects.get(pk=lena.pk).approved

    assert client_for(host).post(action, {"action": "approve"}).status_code == 302
    assert OrganisationMembership.objects.get(pk=lena.pk).approved
    assert client_for(host).post(action, {"action": "make_admin"}).status_code == 302
    assert OrganisationMembership.objects.get(pk=lena.pk).is_admin


def test_the_last_admin_is_told_they_cannot_step_down(client_for, org, host):
    mine = OrganisationMembership.objects.get(organisation=org, user=host)
    action = reverse("people:organisation_member", args=[org.slug, mine.pk])
    for what in ("remove_admin", "leave"):
        response = client_for(host).post(action, {"action": what}, follow=True)
        assert "An organisation needs at least one admin." in messages_of(response)
    assert OrganisationMembership.objects.get(pk=mine.pk).is_admin


def test_only_confirmed_people_are_listed_to_others(client_for, org, host, member, outsider):
    services.organisation_join(actor=member, organisation=org)
    assert "Lena Lived" not in html(client_for(outsider).get(reverse("people:organisation", args=[org.slug])))
    assert "Lena Lived" in html(client_for(host).get(reverse("people:organisation", args=[org.slug])))


def test_an_unknown_organisation_is_not_found(client_for, host):
    client = client_for(host)
    assert client.get(reverse("people:organisation", args=["no-such-org"])).status_code == 404
    assert client.post(reverse("people:organisation_join", args=["no-such-org"])).status_code == 404
    assert client.get(reverse("people:organisation_edit", args=["no-such-org"])).status_code == 404


def test_the_organisation_page_lists_only_public_spaces(client_for, org, space, private_space, host):
    space_services.space_update(actor=host, space=space, organisations=[org])
    space_services.space_update(actor=host, space=private_space, organisations=[org])
    page = html(client_for(None).get(reverse("people:organisation", args=[org.slug])))
    assert space.title in page and private_space.title not in page
