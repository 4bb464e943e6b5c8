"""The people API: your own profile (the only place your email appears) and organisations."""

from __future__ import annotations

import json

import pytest
from django.db import transaction
from django.test import Client

from coproduce.people import services
from coproduce.people.models import Organisation, User
from coproduce.people.services import api_token_create

PERSONAS = ["host", "facilitator", "member", "practitioner", "outsider", "anonymous"]


def call(method: str, path: str, user=None, body=None):
    headers = {}
    if user is not None:
        headers["Authorization"] = f"Bearer {api_token_create(actor=user, name='tests')[1]}"
    kwargs = {"content_type": "application/json", "data": body} if body is not None else {}
    return getattr(Client(), method)("/api/v1" + path, headers=headers, **kwargs)


# Everyone is signed in with a token except "anonymous"; the host is the organisation's admin.
# Columns:                                              host fac  mem  prac out  anon
MATRIX = {
    "me": ("get", "/me", None, "200  200  200  200  200  401"),
    "me_update": ("patch", "/me", {"pronouns": "they/them"}, "200  200  200  200  200  401"),
    "organisations": ("get", "/organisations", None, "200  200  200  200  200  200"),
    "organisation": ("get", "/organisations/open-door", None, "200  200  200  200  200  200"),
    "organisation_create": (
        "post",
        "/organisations",
        {"name": "Carers Together", "kind": "charity"},
        "201  201  201  201  201  401",
    ),
    "organisation_update": (
        "patch",
        "/organisations/open-door",
        {"place": "Renfrew"},
        "200  403  403  403  403  401",
    ),
}


def test_people_api(persona, host):
    services.organisation_create(actor=host, name="Open Door", kind="charity")
    tokens = {name: api_token_create(actor=persona(name), name="matrix")[1] for name in PERSONAS[:-1]}
    client = Client()
    wrong = []
    for endpoint, (method, path, body, expected) in MATRIX.items():
        for name, want in zip(PERSONAS, expected.split(), strict=True):
            with transaction.atomic():  # each cell starts from the same state
                headers = {"Authorization": f"Bearer {tokens[name]}"} if name in tokens else {}
                kwargs = {"content_type": "application/json", "data": body} if body is not None else {}
                got = str(getattr(client, method)("/api/v1" + path, headers=headers, **kwargs).status_code)
                transaction.set_rollback(True)
            if got != want:
                wrong.append(f"{endpoint} as {name}: expected {want}, got {got}")
    assert not wrong, "\n".join(wrong)


def test_every_people_endpoint_is_in_the_matrix():
    from coproduce.people.api import router

    operations = {
        (method.lower(), path.replace("{slug}", "open-door"))
        for path, view in router.path_operations.items()
        for operation in view.operations
        for method in operation.methods
    }
    assert operations <= {(m, p) for m, p, *_ in MATRIX.values()}


def test_me_shows_my_own_email_and_nobody_elses(space, member):
    services.profile_update(actor=member, user=member, accessibility_needs="Large print", skills="Cooking")
    response = call("get", "/me", member)
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
    response = call(
        "patch",
        "/me",
        member,
        {"display_name": "Lena", "skills": ["BSL", "cooking"], "contact_preference": "phone"},
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
    response = call("patch", "/me", member, body)
    if "email" in body:  # not a profile field: ignored, never a way to change the sign-in address
        assert response.status_code == 200 and response.json()["email"] == "lena.lived@example.org"
    else:
        assert response.status_code == 422
    fresh = User.objects.get(pk=member.pk)
    assert (fresh.email, fresh.bio, fresh.contact_preference) == ("lena.lived@example.org", "", "email")
    assert not fresh.skills.exists()


def test_organisations_through_the_api(host, member):
    created = call(
        "post",
        "/organisations",
        member,
        {"name": "Voices of Experience", "kind": "user_led", "place": "Johnstone"},
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
    listed = call("get", "/organisations").json()
    assert [o["slug"] for o in listed] == ["voices-of-experience"]
    assert call("get", "/organisations/no-such-org").status_code == 404
    refused = call("patch", "/organisations/voices-of-experience", host, {"name": "Taken", "kind": "charity"})
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
    response = call("post", "/organisations", member, body)
    assert response.status_code == 422
    assert not Organisation.objects.exists()


def test_a_duplicate_organisation_name_is_explained(member):
    call("post", "/organisations", member, {"name": "Open Door", "kind": "charity"})
    again = call("post", "/organisations", member, {"name": "Open Door", "kind": "charity"})
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
    response = call("patch", "/organisations/open-door", host, {"place": "Renfrew"})
    assert response.status_code == 200
    org = Organisation.objects.get()
    assert (org.name, org.kind, org.place) == ("Open Door", "charity", "Renfrew")
    assert (org.description, org.website) == ("Drop-ins", "https://opendoor.example.org")
    assert call("patch", "/organisations/open-door", host, {"kind": "cartel"}).status_code == 422
    assert call("patch", "/organisations/open-door", host, {"name": ""}).status_code == 422
    assert Organisation.objects.get().name == "Open Door"
