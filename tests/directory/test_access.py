"""Who sees what: signed-in members only; blocks hide listings both ways; a conversation is for its two
people (404 for a third, also a network admin, on pages and in the API)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.api_client import Api

from coproduce.directory import services


def test_anonymous_people_are_sent_to_sign_in_and_the_api_says_401(client_for, ann, dee):
    request = services.help_request_create(actor=dee, kind="mentoring", description="Help")
    thread = services.message_send(actor=dee, recipient=ann, body="Hello").thread
    anonymous = client_for(None)
    for url in [
        reverse("directory:list"),
        reverse("directory:person", args=[ann.pk]),
        reverse("directory:my_listing"),
        reverse("directory:request", args=[request.pk]),
        reverse("directory:inbox"),
        reverse("directory:thread", args=[thread.pk]),
        reverse("directory:write", args=[ann.pk]),
        reverse("directory:moderation"),
    ]:
        response = anonymous.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url
        assert b"Ann Mentor" not in response.content
    api = Api(None)
    for path in ["/directory/listings", f"/directory/listings/{ann.pk}", "/directory/threads"]:
        assert api.get(path).status_code == 401


def test_a_block_hides_the_listing_both_ways(client_for, ann, ben, dee):
    services.block_add(actor=ann, person=dee)
    for viewer, hidden in [(dee, ann), (ann, dee)]:
        services.listing_save(actor=dee, intro="Dee here.") if hidden == dee else None
        assert client_for(viewer).get(reverse("directory:person", args=[hidden.pk])).status_code == 404
        assert Api(viewer).get(f"/directory/listings/{hidden.pk}").status_code == 404
        names = [x["name"] for x in Api(viewer).get("/directory/listings").json()]
        assert hidden.display_name not in names and "Ben Peer" in names
        page = client_for(viewer).get(reverse("directory:list")).content.decode()
        assert hidden.display_name not in page


@pytest.mark.parametrize("who", ["eve", "admin_user"])
def test_a_third_person_never_sees_a_conversation(request, client_for, ann, dee, who):
    third = request.getfixturevalue(who)
    message = services.message_send(actor=dee, recipient=ann, body="Private words")
    thread = message.thread
    client = client_for(third)
    assert client.get(reverse("directory:thread", args=[thread.pk])).status_code == 404
    assert client.post(reverse("directory:thread", args=[thread.pk]), {"body": "x"}).status_code == 404
    assert client.get(reverse("directory:report_message", args=[message.pk])).status_code == 404
    api = Api(third)
    assert api.get(f"/directory/threads/{thread.pk}").status_code == 404
    assert api.post(f"/directory/threads/{thread.pk}/messages", {"body": "x"}).status_code == 404
    assert api.post(f"/directory/messages/{message.pk}/report", {"reason": "x"}).status_code == 404
    assert api.get("/directory/threads").json() == []


def test_a_request_for_help_is_the_askers_only(client_for, dee, eve):
    request = services.help_request_create(actor=dee, kind="mentoring", description="Help")
    assert client_for(eve).get(reverse("directory:request", args=[request.pk])).status_code == 404
    assert Api(eve).get(f"/directory/help-requests/{request.pk}").status_code == 404
    assert client_for(dee).get(reverse("directory:request", args=[request.pk])).status_code == 200


def test_moderation_is_for_network_admins_only(client_for, ann, dee, admin_user):
    report = services.report_create(actor=dee, reason="Odd", listed_person=ann)
    assert client_for(dee).get(reverse("directory:moderation")).status_code == 404
    assert client_for(dee).post(reverse("directory:resolve", args=[report.pk])).status_code == 404
    page = client_for(admin_user).get(reverse("directory:moderation"))
    assert page.status_code == 200 and "Odd" in page.content.decode()


def test_an_unlisted_person_cannot_be_written_to_out_of_the_blue(client_for, ann, eve):
    assert client_for(ann).get(reverse("directory:write", args=[eve.pk])).status_code == 404
    assert Api(ann).post(f"/directory/people/{eve.pk}/messages", {"body": "Hi"}).status_code == 404
