"""/api/v1/directory/...: the same rules and services as the pages, clear errors, never an email."""

from __future__ import annotations

from tests.api_client import Api

from coproduce.core.models import AuditEvent
from coproduce.directory import services
from coproduce.directory.models import Block, Listing, Message, Report

from .conftest import assert_no_email


def test_listing_crud_and_leaving(dee):
    api = Api(dee)
    assert api.get("/directory/me/listing").status_code == 404
    bad = api.put("/directory/me/listing", {"intro": "", "stages": ["nowhere"]})
    assert bad.status_code == 422 and not Listing.objects.exists()
    made = api.put(
        "/directory/me/listing",
        {"intro": "Peer worker.", "stages": ["co_delivery"], "offers": ["peer_support"], "place": "Paisley"},
    )
    assert made.status_code == 200, made.content
    assert made.json()["stages"] == ["co_delivery"] and made.json()["name"] == "Dee Asker"
    changed = api.put("/directory/me/listing", {"intro": "Peer worker and trainer."})
    assert changed.json()["intro"] == "Peer worker and trainer." and changed.json()["stages"] == []
    assert api.delete("/directory/me/listing").status_code == 204
    assert not Listing.objects.exists() and api.delete("/directory/me/listing").status_code == 404
    assert list(
        AuditEvent.objects.filter(actor=dee, action__startswith="directory.")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [
        "directory.listed",
        "directory.listing_changed",
        "directory.left",
    ]


def test_search_listings_with_filters(ann, ben, cat, dee):
    api = Api(dee)
    assert [x["name"] for x in api.get("/directory/listings?stage=co_design").json()] == [
        "Ann Mentor",
        "Cat Critical",
    ]
    assert [x["name"] for x in api.get("/directory/listings?offer=peer_support&place=glas").json()] == [
        "Ben Peer"
    ]
    assert [x["name"] for x in api.get("/directory/listings?q=evaluation").json()] == ["Cat Critical"]
    assert_no_email(api.get("/directory/listings").content.decode())


def test_ask_for_help_get_suggestions_and_write(ann, ben, cat, dee):
    api = Api(dee)
    made = api.post(
        "/directory/help-requests",
        {"kind": "mentoring", "description": "First session", "stage": "co_design", "place": "Renfrewshire"},
    )
    assert made.status_code == 201, made.content
    data = made.json()
    assert [(s["name"], s["reasons"]) for s in data["suggestions"]] == [
        ("Ann Mentor", "Knows co-design; offers mentoring; also in Renfrewshire"),
        ("Cat Critical", "Knows co-design"),
    ]
    assert api.get(f"/directory/help-requests/{data['id']}").json()["suggestions"][0]["person"] == ann.pk
    sent = api.post(f"/directory/people/{ann.pk}/messages", {"body": "Hello Ann", "help_request": data["id"]})
    assert sent.status_code == 201, sent.content
    thread = sent.json()["thread"]
    threads = Api(ann).get("/directory/threads").json()
    assert threads == [
        {
            "id": thread,
            "other": dee.pk,
            "other_name": "Dee Asker",
            "unread": 1,
            "last_message_at": threads[0]["last_message_at"],
        }
    ]
    messages = Api(ann).get(f"/directory/threads/{thread}")
    assert [m["body"] for m in messages.json()] == ["Hello Ann"] and messages.json()[0]["mine"] is False
    assert Api(ann).get("/directory/threads").json()[0]["unread"] == 0
    reply = Api(ann).post(f"/directory/threads/{thread}/messages", {"body": "Hi Dee"})
    assert reply.status_code == 201
    for response in [messages, reply, Api(dee).get(f"/directory/threads/{thread}"), made]:
        assert_no_email(response.content.decode())
    assert api.post(f"/directory/help-requests/{data['id']}/close").json()["is_open"] is False
    assert api.post("/directory/help-requests", {"kind": "mentoring", "description": ""}).status_code == 422


def test_block_unblock_and_report(ann, dee):
    sent = Api(dee).post(f"/directory/people/{ann.pk}/messages", {"body": "Buy my course"}).json()
    assert Api(ann).post(f"/directory/people/{dee.pk}/block").status_code == 204
    assert Block.objects.filter(blocker=ann, blocked=dee).exists()
    refused = Api(dee).post(f"/directory/threads/{sent['thread']}/messages", {"body": "Hello?"})
    assert refused.status_code == 403 and Message.objects.count() == 1
    assert Api(dee).get(f"/directory/listings/{ann.pk}").status_code == 404
    assert Api(ann).delete(f"/directory/people/{dee.pk}/block").status_code == 204
    assert Api(ann).delete(f"/directory/people/{dee.pk}/block").status_code == 404
    assert Api(dee).post(f"/directory/messages/{sent['id']}/report", {"reason": "x"}).status_code == 422
    assert Api(ann).post(f"/directory/messages/{sent['id']}/report", {"reason": "Spam"}).status_code == 201
    assert Api(dee).post(f"/directory/people/{ann.pk}/report", {"reason": ""}).status_code == 422
    assert Api(dee).post(f"/directory/people/{ann.pk}/report", {"reason": "Fake"}).status_code == 201
    assert Report.objects.count() == 2


def test_the_rate_limit_answers_429(ann, dee, monkeypatch):
    monkeypatch.setattr(services, "MESSAGES_PER_HOUR", 1)
    api = Api(dee)
    assert api.post(f"/directory/people/{ann.pk}/messages", {"body": "One"}).status_code == 201
    again = api.post(f"/directory/people/{ann.pk}/messages", {"body": "Two"})
    assert again.status_code == 429 and "Please wait a while" in again.json()["detail"]
    assert Message.objects.count() == 1
