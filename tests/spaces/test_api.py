"""The spaces API at /api/v1/: token and session authentication, the same rules as the pages, and never
anyone else's email address."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from tests.conftest import make_members, make_person

from coproduce.core.models import AuditEvent
from coproduce.people.models import User
from coproduce.people.services import api_token_create, api_token_revoke
from coproduce.spaces import services
from coproduce.spaces.models import JoinRequest, Membership, Perspective, Role, Space, StageKind, StageStatus

API = "/api/v1"


def emails_in(text: str) -> set[str]:
    return {
        email for email in User.objects.exclude(email=None).values_list("email", flat=True) if email in text
    }


# --- Authentication -------------------------------------------------------------------------------


def test_a_token_authenticates_as_its_person(api_for, space, member):
    response = api_for(member).get(f"/spaces/{space.slug}")
    assert response.status_code == 200
    assert (response.json()["my_role"], response.json()["my_perspective"]) == ("member", "lived_experience")


@pytest.mark.parametrize("path", ["/spaces", "/spaces/drop-in-redesign", "/me", "/organisations"])
def test_a_wrong_token_is_refused_even_where_anonymous_people_may_read(api_for, space, path):
    response = api_for(raw="cp_not-a-real-token").get(path)
    assert response.status_code == 401


def test_a_revoked_token_stops_working(api_for, member):
    token, raw = api_token_create(actor=member, name="script")
    assert api_for(raw=raw).get("/me").status_code == 200
    api_token_revoke(actor=member, token=token)
    assert api_for(raw=raw).get("/me").status_code == 401


def test_anonymous_people_read_public_spaces_but_not_private_ones(api_for, space, private_space):
    anonymous = api_for()
    listed = [s["slug"] for s in anonymous.get("/spaces").json()]
    assert listed == [space.slug]
    assert anonymous.get(f"/spaces/{space.slug}").status_code == 200
    assert anonymous.get(f"/spaces/{private_space.slug}").status_code == 404
    assert anonymous.get(f"/spaces/{space.slug}/members").status_code == 401


def test_the_browser_session_works_and_writes_need_the_csrf_token(space, host):
    client = Client(enforce_csrf_checks=True)
    client.force_login(host, backend="coproduce.people.backends.ModelBackend")
    assert client.get(f"{API}/spaces/{space.slug}").json()["my_role"] == "host"

    refused = client.patch(
        f"{API}/spaces/{space.slug}", {"place": "Renfrew"}, content_type="application/json"
    )
    assert refused.status_code == 403
    client.get("/")  # sets the CSRF cookie, as the page that runs the script would
    allowed = client.patch(
        f"{API}/spaces/{space.slug}",
        {"place": "Renfrew"},
        content_type="application/json",
        headers={"X-CSRFToken": client.cookies["csrftoken"].value},
    )
    assert allowed.status_code == 200
    assert Space.objects.get(pk=space.pk).place == "Renfrew"


# --- Spaces ---------------------------------------------------------------------------------------


def test_create_a_space(api_for, outsider):
    response = api_for(outsider).post(
        "/spaces", {"title": "Lunch club", "purpose": "Together.", "perspective": "carer"}
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["slug"], body["my_role"], body["my_perspective"], body["member_count"]) == (
        "lunch-club",
        "host",
        "carer",
        1,
    )
    assert [s["kind"] for s in body["stages"]] == StageKind.values
    assert {s["status"] for s in body["stages"]} == {StageStatus.NOT_STARTED}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "T" * 121, "purpose": "Fine."}, "title"),
        ({"title": "Fine", "purpose": "P" * 2001}, "purpose"),
        ({"title": "", "purpose": "Fine."}, "title"),
        ({"title": "Fine", "purpose": "Fine.", "visibility": "secret"}, "visibility"),
        ({"title": "Fine", "purpose": "Fine.", "organisations": ["no-such-organisation"]}, "organisations"),
    ],
)
def test_bad_input_to_create_is_refused_and_saves_nothing(api_for, outsider, body, field):
    response = api_for(outsider).post("/spaces", body)
    assert response.status_code == 422
    assert field in json.dumps(response.json())
    assert not Space.objects.exists()


def test_markup_is_stored_as_typed_and_returned_as_json_text(api_for, outsider):
    response = api_for(outsider).post(
        "/spaces", {"title": "<script>alert(1)</script>", "purpose": "<b>x</b>"}
    )
    assert response.status_code == 201
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["title"] == "<script>alert(1)</script>"


def test_host_patches_a_space_and_the_change_is_audited(api_for, space, host):
    from coproduce.people.services import organisation_create

    organisation_create(actor=host, name="Open Door", kind="charity")
    response = api_for(host).patch(
        f"/spaces/{space.slug}", {"title": "New title", "organisations": ["open-door"]}
    )
    assert response.status_code == 200
    assert (response.json()["title"], response.json()["organisations"]) == ("New title", ["open-door"])
    event = AuditEvent.objects.get(space=space, action="space.updated")
    assert event.changes == {"title": ["Drop-in redesign", "New title"], "organisations": [[], ["Open Door"]]}


def test_patch_with_over_long_title_changes_nothing(api_for, space, host):
    response = api_for(host).patch(f"/spaces/{space.slug}", {"title": "T" * 121})
    assert response.status_code == 422
    assert Space.objects.get(pk=space.pk).title == "Drop-in redesign"


# --- Stages ---------------------------------------------------------------------------------------


def test_host_patches_a_stage(api_for, space, host):
    response = api_for(host).patch(
        f"/spaces/{space.slug}/stages/co_design",
        {"status": "open", "starts_on": "2026-03-01", "ends_on": "2026-04-30"},
    )
    assert response.status_code == 200
    assert response.json() | {"summary": ""} == {
        "kind": "co_design",
        "label": "Co-design",
        "position": 1,
        "status": "open",
        "starts_on": "2026-03-01",
        "ends_on": "2026-04-30",
        "summary": "",
    }
    stages = api_for().get(f"/spaces/{space.slug}/stages").json()
    assert [s["status"] for s in stages] == ["not_started", "open", "not_started", "not_started"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"starts_on": "2026-02-30"}, "date"),
        (
            {"starts_on": "2026-03-10", "ends_on": "2026-03-09"},
            "The end date must be on or after the start date.",
        ),
        ({"status": "paused"}, "status"),
    ],
)
def test_bad_stage_input_is_refused_and_changes_nothing(api_for, space, host, body, message):
    response = api_for(host).patch(f"/spaces/{space.slug}/stages/co_design", body)
    assert response.status_code == 422
    assert message in json.dumps(response.json())
    stage = space.stages.get(kind="co_design")
    assert (stage.status, stage.starts_on, stage.ends_on) == ("not_started", None, None)


def test_an_unknown_stage_kind_is_refused_and_an_unknown_space_is_not_found(api_for, space, host):
    hosting = api_for(host)
    # The kinds are the four of the Star, so naming them reveals nothing about which spaces exist.
    unknown_kind = hosting.patch(f"/spaces/{space.slug}/stages/co_dreaming", {"status": "open"})
    assert unknown_kind.status_code == 422 and "co_assessment" in unknown_kind.content.decode()
    assert (
        hosting.patch("/spaces/no-such-space/stages/co_dreaming", {"status": "open"}).json()
        == unknown_kind.json()
    )
    assert hosting.patch("/spaces/no-such-space/stages/co_design", {"status": "open"}).status_code == 404


# --- Joining --------------------------------------------------------------------------------------


def test_join_request_and_decision(api_for, space, host, outsider):
    asking = api_for(outsider)
    response = asking.post(
        f"/spaces/{space.slug}/join-requests", {"perspective": "community", "message": "Hi"}
    )
    assert response.status_code == 201
    request_id = response.json()["id"]
    assert response.json()["status"] == "pending"

    again = asking.post(f"/spaces/{space.slug}/join-requests", {"perspective": "carer"})
    assert again.status_code == 422
    assert again.json() == {
        "detail": {"__all__": ["You have already asked to join. A host will answer soon."]}
    }
    assert JoinRequest.objects.filter(space=space, user=outsider).count() == 1

    hosting = api_for(host)
    waiting = hosting.get(f"/spaces/{space.slug}/join-requests").json()
    assert [(r["id"], r["display_name"], r["message"]) for r in waiting] == [
        (request_id, "Otto Outsider", "Hi")
    ]

    decided = hosting.post(f"/spaces/{space.slug}/join-requests/{request_id}/decision", {"approve": True})
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
    assert Membership.objects.get(space=space, user=outsider).perspective == Perspective.COMMUNITY
    assert asking.get(f"/spaces/{space.slug}").json()["my_role"] == "member"


def test_declining_through_the_api_needs_a_reason(api_for, space, host, outsider):
    request = services.join_request_create(actor=outsider, space=space, perspective=Perspective.COMMUNITY)
    hosting = api_for(host)
    path = f"/spaces/{space.slug}/join-requests/{request.pk}/decision"

    refused = hosting.post(path, {"approve": False})
    assert refused.status_code == 422 and "reason" in refused.json()["detail"]
    assert JoinRequest.objects.get(pk=request.pk).status == "pending"

    declined = hosting.post(path, {"approve": False, "reason": "We are full"})
    assert declined.status_code == 200
    assert (declined.json()["status"], declined.json()["reason"]) == ("declined", "We are full")


def test_an_unknown_join_request_is_not_found(api_for, space, private_space, host, outsider):
    other = JoinRequest.objects.create(space=private_space, user=outsider, perspective="community")
    hosting = api_for(host)
    for request_id in (999999, other.pk):  # unknown, or of another space
        response = hosting.post(
            f"/spaces/{space.slug}/join-requests/{request_id}/decision", {"approve": True}
        )
        assert response.status_code == 404
    assert JoinRequest.objects.get(pk=other.pk).status == "pending"


# --- Members --------------------------------------------------------------------------------------


def test_members_are_listed_without_any_email(api_for, space, member, facilitator):
    services.assisted_person_add(actor=facilitator, space=space, display_name="Margaret", perspective="carer")
    response = api_for(member).get(f"/spaces/{space.slug}/members")
    assert response.status_code == 200
    people = {m["display_name"]: m for m in response.json()}
    assert set(people) == {"Hana Host", "Fergus Facilitator", "Lena Lived", "Pat Practitioner", "Margaret"}
    assert people["Margaret"]["takes_part_with_help"] and not people["Lena Lived"]["takes_part_with_help"]
    assert "@" not in response.content.decode()


def test_no_email_anywhere_in_space_answers(api_for, space, host, member, outsider):
    services.join_request_create(actor=outsider, space=space, perspective=Perspective.COMMUNITY)
    hosting = api_for(host)
    for path in [
        "/spaces",
        f"/spaces/{space.slug}",
        f"/spaces/{space.slug}/stages",
        f"/spaces/{space.slug}/members",
        f"/spaces/{space.slug}/join-requests",
        f"/spaces/{space.slug}/history",
    ]:
        response = hosting.get(path)
        assert response.status_code == 200, path
        assert not emails_in(response.content.decode()), path
        assert "@" not in response.content.decode(), path


def test_change_a_perspective_and_a_role_through_the_api(api_for, space, host, member):
    lena = Membership.objects.get(space=space, user=member)
    mine = api_for(member).patch(f"/spaces/{space.slug}/members/{lena.pk}", {"perspective": "carer"})
    assert mine.status_code == 200 and mine.json()["perspective"] == "carer"

    not_mine = api_for(member).patch(f"/spaces/{space.slug}/members/{lena.pk}", {"role": "host"})
    assert not_mine.status_code == 403

    promoted = api_for(host).patch(f"/spaces/{space.slug}/members/{lena.pk}", {"role": "facilitator"})
    assert promoted.status_code == 200 and promoted.json()["role"] == "facilitator"


def test_the_last_host_is_kept(api_for, space, host):
    me = Membership.objects.get(space=space, user=host)
    hosting = api_for(host)
    demoted = hosting.patch(f"/spaces/{space.slug}/members/{me.pk}", {"role": "member"})
    assert demoted.status_code == 422 and "at least one host" in json.dumps(demoted.json())
    left = hosting.delete(f"/spaces/{space.slug}/members/{me.pk}")
    assert left.status_code == 422
    assert Membership.objects.get(pk=me.pk).role == Role.HOST


def test_removing_a_member_needs_a_reason(api_for, space, host, practitioner):
    pat = Membership.objects.get(space=space, user=practitioner)
    hosting = api_for(host)
    assert hosting.delete(f"/spaces/{space.slug}/members/{pat.pk}").status_code == 422
    assert hosting.delete(f"/spaces/{space.slug}/members/{pat.pk}?reason=Moved+away").status_code == 204
    assert not Membership.objects.filter(pk=pat.pk).exists()


def test_unknown_members_are_not_found(api_for, space, private_space, host):
    hosting = api_for(host)
    elsewhere = Membership.objects.get(space=private_space, user=host).pk
    for member_id in (999999, elsewhere):
        assert (
            hosting.patch(f"/spaces/{space.slug}/members/{member_id}", {"perspective": "carer"}).status_code
            == 404
        )
        assert hosting.delete(f"/spaces/{space.slug}/members/{member_id}?reason=x").status_code == 404
    assert Membership.objects.filter(pk=elsewhere).exists()


# --- History --------------------------------------------------------------------------------------


def test_history_is_full_for_hosts_and_public_for_others(api_for, space, host, member):
    full = api_for(host).get(f"/spaces/{space.slug}/history").json()
    public = api_for(member).get(f"/spaces/{space.slug}/history").json()
    assert "membership.created" in {e["action"] for e in full}
    assert {e["action"] for e in public} == {"space.created"}
    assert "Lena Lived" in json.dumps(full) and "Lena Lived" not in json.dumps(public)


# --- Lists stay cheap -----------------------------------------------------------------------------


def test_the_space_list_uses_a_bounded_number_of_queries(
    api_for, host, member, django_assert_max_num_queries
):
    for i in range(30):
        space = services.space_create(actor=host, title=f"Space {i}", purpose="Together.")
        if i % 2:
            services._membership_add(
                actor=host, space=space, user=member, role=Role.MEMBER, perspective="carer"
            )
    for client in (api_for(member), api_for()):
        with django_assert_max_num_queries(8):
            response = client.get("/spaces")
        assert len(response.json()) == 30
    roles = [s["my_role"] for s in api_for(member).get("/spaces").json()]
    assert roles.count("member") == 15 and roles.count(None) == 15


# --- Documentation --------------------------------------------------------------------------------


def test_openapi_lists_every_path_and_the_docs_page_works(client):
    schema = client.get(f"{API}/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in [
        "/api/v1/spaces",
        "/api/v1/spaces/{slug}",
        "/api/v1/spaces/{slug}/stages",
        "/api/v1/spaces/{slug}/stages/{kind}",
        "/api/v1/spaces/{slug}/members",
        "/api/v1/spaces/{slug}/members/{member_id}",
        "/api/v1/spaces/{slug}/join-requests",
        "/api/v1/spaces/{slug}/join-requests/{request_id}/decision",
        "/api/v1/spaces/{slug}/history",
        "/api/v1/me",
        "/api/v1/organisations",
        "/api/v1/organisations/{slug}",
    ]:
        assert path in paths, path
    assert set(paths["/api/v1/spaces/{slug}"]) == {"get", "patch"}
    assert "bearer" in json.dumps(schema.json()["components"]["securitySchemes"]).lower()
    assert client.get(f"{API}/docs").status_code == 200


def test_members_and_history_use_a_bounded_number_of_queries(
    api_for, space, host, django_assert_max_num_queries
):
    make_members(space, host, 25)  # 25 members, each with their own "joined" event: one query per row shows
    for i in range(20):
        services.join_request_create(actor=make_person(f"Asker {i}"), space=space, perspective="community")
    api = api_for(host)
    with django_assert_max_num_queries(8):
        members = api.get(f"/spaces/{space.slug}/members").json()
    assert {f"Person {i}" for i in range(25)} <= {m["display_name"] for m in members}
    with django_assert_max_num_queries(8):
        events = api.get(f"/spaces/{space.slug}/history").json()
    assert {f"Asker {i}" for i in range(20)} <= {e["actor"] for e in events}
