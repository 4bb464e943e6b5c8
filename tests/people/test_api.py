"""The people API: your own profile (the only place your email appears) and organisations."""

from __future__ import annotations

import json

import pytest
from tests.api_client import Api

from coproduce.people import services
from coproduce.people.models import Organisation, User

# Who may call which endpoint: the matrix in test_access.py.


def test_me_shows_my_own_email_and_nobody_elses(space, member):
    services.profile_update(actor=member, user=member, accessibility_needs="Large print", skills="Cooking")
    response = Api(member).get("/me")
    body = response.json()
    assert (body["email"], body["display_name"], body["skills"]) == (
        "lena.lived@example.org",
        "Lena Lived",
        ["cooking"],
    )
    assert body["accessibility_needs"] == "Large print"
    others = set(User.objects.exclude(pk=member.pk).values_list("email", flat=True))
    assert not {email for email in others if email and email in response.content.decode()}


def test_patch_me(member):
    response = Api(member).patch(
        "/me", {"display_name": "Lena", "skills": ["BSL", "cooking"], "contact_preference": "phone"}
    )
    assert response.status_code == 200
    assert (response.json()["display_name"], response.json()["skills"]) == ("Lena", ["bsl", "cooking"])
    member.refresh_from_db()
    assert member.contact_preference == "phone"


@pytest.mark.parametrize(
    "body",
    [
        {"display_name": "n" * 81},
        {"display_name": ""},
        {"bio": "b" * 1001},
        {"contact_preference": "pigeon"},
        {"skills": ["x" * 41]},
        {"email": "new@example.org", "display_name": "New"},
    ],
)
def test_bad_profile_input_changes_nothing(member, body):
    response = Api(member).patch("/me", body)
    if "email" in body:  # not a profile field: ignored, never a way to change the sign-in address
        assert response.status_code == 200 and response.json()["email"] == "lena.lived@example.org"
    else:
        assert response.status_code == 422
    fresh = User.objects.get(pk=member.pk)
    assert (fresh.email, fresh.bio, fresh.contact_preference) == ("lena.lived@example.org", "", "email")
    assert not fresh.skills.exists()


def test_organisations_through_the_api(host, member):
    created = Api(member).post(
        "/organisations", {"name": "Voices of Experience", "kind": "user_led", "place": "Johnstone"}
    )
    assert created.status_code == 201
    assert created.json() | {"member_count": None} == {
        "slug": "voices-of-experience",
        "name": "Voices of Experience",
        "kind": "user_led",
        "description": "",
        "place": "Johnstone",
        "website": "",
        "member_count": None,
    }
    assert created.json()["member_count"] == 1
    listed = Api().get("/organisations").json()
    assert [o["slug"] for o in listed] == ["voices-of-experience"]
    assert Api().get("/organisations/no-such-org").status_code == 404
    refused = Api(host).patch("/organisations/voices-of-experience", {"name": "Taken", "kind": "charity"})
    assert refused.status_code == 403
    assert Organisation.objects.get().name == "Voices of Experience"


@pytest.mark.parametrize(
    "body",
    [
        {"name": "n" * 121, "kind": "charity"},
        {"name": "Fine", "kind": "cartel"},
        {"name": "Fine", "kind": "charity", "website": "not a website"},
    ],
)
def test_bad_organisation_input_is_refused(member, body):
    response = Api(member).post("/organisations", body)
    assert response.status_code == 422
    assert not Organisation.objects.exists()


def test_a_duplicate_organisation_name_is_explained(member):
    Api(member).post("/organisations", {"name": "Open Door", "kind": "charity"})
    again = Api(member).post("/organisations", {"name": "Open Door", "kind": "charity"})
    assert again.status_code == 422 and "name" in json.dumps(again.json())
    assert Organisation.objects.count() == 1


def test_patching_an_organisation_changes_only_what_was_sent(host):
    services.organisation_create(
        actor=host,
        name="Open Door",
        kind="charity",
        description="Drop-ins",
        website="https://opendoor.example.org",
    )
    response = Api(host).patch("/organisations/open-door", {"place": "Renfrew"})
    assert response.status_code == 200
    org = Organisation.objects.get()
    assert (org.name, org.kind, org.place) == ("Open Door", "charity", "Renfrew")
    assert (org.description, org.website) == ("Drop-ins", "https://opendoor.example.org")
    assert Api(host).patch("/organisations/open-door", {"kind": "cartel"}).status_code == 422
    assert Api(host).patch("/organisations/open-door", {"name": ""}).status_code == 422
    assert Organisation.objects.get().name == "Open Door"
