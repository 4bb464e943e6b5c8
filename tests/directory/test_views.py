"""The pages: listing, leaving, asking for help and messaging a suggested person, blocking, reporting and the
rate limit, with no email address anywhere."""

from __future__ import annotations

import re

from django.core import mail
from django.urls import reverse

from coproduce.directory import services
from coproduce.directory.models import Block, HelpRequest, Listing, Message, Report
from coproduce.notifications import mailing
from coproduce.notifications.models import Notification

from .conftest import assert_no_email


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_joining_changing_and_leaving_the_directory(client_for, dee):
    client = client_for(dee)
    form = client.get(reverse("directory:my_listing"))
    assert "special category" in text(form) and "Never your address" in text(form)
    bad = client.post(reverse("directory:my_listing"), {"intro": "", "place": "Paisley"})
    assert (
        bad.status_code == 400
        and "There is a problem" in text(bad)
        and 'value="Paisley"' in bad.content.decode()
    )
    assert not Listing.objects.exists()
    saved = client.post(
        reverse("directory:my_listing"),
        {
            "intro": "Carer in Paisley.",
            "offers": ["peer_support"],
            "stages": ["co_design"],
            "place": "Paisley",
        },
    )
    assert saved.status_code == 302
    page = client.get(reverse("directory:person", args=[dee.pk]))
    assert "Carer in Paisley." in text(page) and "Peer support" in text(page) and "Co-design" in text(page)
    assert client.post(reverse("directory:leave")).status_code == 302
    assert not Listing.objects.filter(person=dee).exists()
    assert client.get(reverse("directory:person", args=[dee.pk])).status_code == 404


def test_filters_by_stage_offer_place_and_skill(client_for, ann, ben, cat, dee):
    client = client_for(dee)

    def names(**query) -> list[str]:
        page = text(client.get(reverse("directory:list"), query))
        return [n for n in ["Ann Mentor", "Ben Peer", "Cat Critical"] if n in page]

    assert names() == ["Ann Mentor", "Ben Peer", "Cat Critical"]
    assert names(stage="co_design") == ["Ann Mentor", "Cat Critical"]
    assert names(offer="peer_support") == ["Ben Peer"]
    assert names(place="glasgow") == ["Ben Peer"]
    assert names(q="evaluation") == ["Cat Critical"]
    assert names(stage="co_design", offer="mentoring", place="Renfrew") == ["Ann Mentor"]


def test_ask_for_mentoring_see_the_reason_and_message_the_mentor(client_for, ann, ben, cat, dee, mailoutbox):
    client = client_for(dee)
    bad = client.post(reverse("directory:request_new"), {"kind": "mentoring", "description": ""})
    assert bad.status_code == 400 and not HelpRequest.objects.exists()
    made = client.post(
        reverse("directory:request_new"),
        {
            "kind": "mentoring",
            "description": "Our first co-design session",
            "stage": "co_design",
            "place": "Renfrewshire",
        },
    )
    page = client.get(made["Location"])
    assert "Knows co-design; offers mentoring; also in Renfrewshire" in text(page)
    assert_no_email(page.content.decode())
    request = HelpRequest.objects.get()
    write = reverse("directory:write", args=[ann.pk])
    assert f"{write}?request={request.pk}" in page.content.decode()
    sent = client.post(write, {"body": "Could you mentor me?", "help_request": request.pk})
    message = Message.objects.get()
    assert sent["Location"] == reverse("directory:thread", args=[message.thread_id])
    assert message.thread.help_request == request
    # Ann is told, by name, with a link to the conversation; never Dee's email.
    [told] = Notification.objects.filter(recipient=ann, kind="directory_message")
    mailing.send_one(told.pk)
    email = mail.outbox[-1]
    whole = email.message().as_string()
    # The email links to the notification, which opens the conversation (its url).
    assert (
        "Dee Asker sent you a message" in whole and reverse("notifications:detail", args=[told.pk]) in whole
    )
    assert told.url == reverse("directory:thread", args=[message.thread_id])
    assert "dee.private.address" not in whole
    inbox = client_for(ann).get(reverse("notifications:inbox"))
    assert "Dee Asker sent you a message" in text(inbox)
    assert "dee.private.address" not in inbox.content.decode()
    # Ann's home page says so; opening the thread reads it.
    home = client_for(ann).get("/")
    assert "Dee Asker sent you a message" in text(home)
    thread = client_for(ann).get(message.thread.get_absolute_url())
    assert "Could you mentor me?" in text(thread)
    assert_no_email(thread.content.decode())
    assert Message.objects.get().read_at is not None
    reply = client_for(ann).post(message.thread.get_absolute_url(), {"body": "Yes, gladly."})
    assert reply.status_code == 302
    for url in [
        reverse("directory:inbox"),
        reverse("directory:list"),
        reverse("directory:person", args=[ann.pk]),
    ]:
        assert_no_email(client.get(url).content.decode())


def test_blocking_from_a_conversation_stops_messages(client_for, ann, dee):
    thread = services.message_send(actor=dee, recipient=ann, body="Hello").thread
    ann_client = client_for(ann)
    assert ann_client.post(reverse("directory:block", args=[dee.pk])).status_code == 302
    assert Block.objects.filter(blocker=ann, blocked=dee).exists()
    refused = client_for(dee).post(thread.get_absolute_url(), {"body": "Still there?"})
    assert refused.status_code == 400 and Message.objects.count() == 1
    page = text(client_for(dee).get(thread.get_absolute_url()))
    assert "You cannot send messages in this conversation any more." in page and "Unblock" not in page
    assert "Unblock Dee Asker" in text(ann_client.get(thread.get_absolute_url()))
    assert ann_client.post(reverse("directory:unblock", args=[dee.pk])).status_code == 302
    assert not Block.objects.exists()


def test_reporting_a_message_and_a_listing(client_for, ann, dee, admin_user):
    message = services.message_send(actor=dee, recipient=ann, body="Buy my course")
    services.message_send(actor=ann, thread=message.thread, body="Unreported private words")
    client = client_for(ann)
    empty = client.post(reverse("directory:report_message", args=[message.pk]), {"reason": ""})
    assert empty.status_code == 400 and not Report.objects.exists()
    assert (
        client.post(reverse("directory:report_message", args=[message.pk]), {"reason": "Spam"}).status_code
        == 302
    )
    # Dee sent it: the sender does not report their own message.
    assert client_for(dee).get(reverse("directory:report_message", args=[message.pk])).status_code == 404
    assert (
        client_for(dee)
        .post(reverse("directory:report_listing", args=[ann.pk]), {"reason": "Fake"})
        .status_code
        == 302
    )
    admin = client_for(admin_user)
    page = admin.get(reverse("directory:moderation"))
    assert "Buy my course" in text(page) and "Spam" in text(page) and "Fake" in text(page)
    assert "Unreported private words" not in text(page)  # admins see reported messages only
    assert_no_email(page.content.decode())
    network = admin.get(reverse("people:network"))
    assert "Reports on messages and the directory" in text(network)
    report = Report.objects.get(message=message)
    admin.post(reverse("directory:resolve", args=[report.pk]), {"remove": "1"})
    assert "removed by the network" in text(client.get(message.thread.get_absolute_url()))


def test_the_rate_limit_is_a_plain_message_beside_the_form(client_for, ann, dee, settings, monkeypatch):
    monkeypatch.setattr(services, "MESSAGES_PER_HOUR", 2)
    client = client_for(dee)
    write = reverse("directory:write", args=[ann.pk])
    client.post(write, {"body": "One"})
    thread = Message.objects.get().thread.get_absolute_url()
    client.post(thread, {"body": "Two"})
    third = client.post(thread, {"body": "Three"})
    assert third.status_code == 400 and "Please wait a while and try again." in text(third)
    assert "Three" in third.content.decode()  # the form keeps what they wrote
    assert Message.objects.count() == 2
