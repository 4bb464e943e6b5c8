"""The pages: inbox, one notification, mark all read, email choices, and the header's unread count."""

from __future__ import annotations

import re

from django.urls import reverse

from coproduce.core.models import AuditEvent
from coproduce.notifications import services
from coproduce.notifications.kinds import GROUPS, KINDS
from coproduce.notifications.models import Notification, Preference

from ..ideas.helpers import text


def test_the_inbox_is_newest_first_with_unread_said_in_words(client_for, space, member, approve):
    approve(member, 1)
    approve(member, 2)
    services.notify(
        kind="idea_status_changed",
        recipients=[member],
        params={"title": "Evening opening"},
        url="/spaces/x/ideas/1/",
        space=space,
        key="idea:1",
    )
    services.notification_mark_read(
        actor=member, notification=Notification.objects.get(key=f"join_request_approved:{space.pk}:1")
    )
    page = text(client_for(member).get(reverse("notifications:inbox")))
    assert "3 notifications" in page
    assert page.index("Evening opening") < page.index("Your request to join")
    assert page.count("Unread") == 2


def test_the_inbox_is_paginated(client_for, space, member, approve):
    for n in range(30):
        approve(member, n)
    client = client_for(member)
    assert text(client.get(reverse("notifications:inbox"))).count("Your request to join") == 25
    second = text(client.get(reverse("notifications:inbox") + "?page=2"))
    assert second.count("Your request to join") == 5 and "Page 2 of 2" in second


def test_opening_a_notification_marks_it_read_and_links_to_its_object(client_for, space, member, approve):
    notification = approve(member)[0]
    response = client_for(member).get(reverse("notifications:detail", args=[notification.pk]))
    assert response.status_code == 200
    assert f'href="{space.get_absolute_url()}"' in response.content.decode()
    assert Notification.objects.get().read_at is not None


def test_a_notification_about_a_space_the_reader_left_does_not_link_to_it(
    client_for, private_space, host, member, approve
):
    from coproduce.spaces import services as space_services

    notification = approve(member, about=private_space, text="Secret plans")[0]
    space_services.membership_end(
        actor=host, membership=private_space.memberships.get(user=member), reason="x"
    )
    client = client_for(member)
    for url in (reverse("notifications:inbox"), reverse("notifications:detail", args=[notification.pk])):
        page = client.get(url).content.decode()
        assert "Peer review" not in page and "Secret plans" not in page
        assert private_space.get_absolute_url() not in page
        assert "a space you can no longer see" in page


def test_mark_all_as_read_is_a_post(client_for, space, member, approve):
    approve(member, 1)
    approve(member, 2)
    client = client_for(member)
    assert client.get(reverse("notifications:read_all")).status_code == 405
    response = client.post(reverse("notifications:read_all"), follow=True)
    assert "All your notifications are marked as read." in text(response)
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_choices_are_saved_with_a_message_and_audited(client_for, member):
    client = client_for(member)
    form = client.get(reverse("notifications:settings"))
    page = form.content.decode()
    assert page.count("<fieldset") >= len(GROUPS) + len(KINDS)  # a fieldset per group, radios in one per kind
    assert "<legend>Timebank</legend>" in page
    data = dict(re.findall(r'name="(\w+)" value="(\w+)"[^>]*checked', page))
    assert len(data) == len(KINDS)  # every kind, each with its choice
    data["idea_commented"] = "never"
    response = client.post(reverse("notifications:settings"), data, follow=True)
    assert "Your choices are saved." in text(response)
    assert Preference.objects.get(user=member).delivery == "never"
    assert AuditEvent.objects.filter(action="notifications.preferences_changed", actor=member).exists()


def test_bad_choices_keep_the_form_and_say_what_is_wrong(client_for, member):
    client = client_for(member)
    page = client.get(reverse("notifications:settings")).content.decode()
    data = dict(re.findall(r'name="(\w+)" value="(\w+)"[^>]*checked', page))
    data["idea_commented"] = "sometimes"
    data["stage_opened"] = "weekly"
    response = client.post(reverse("notifications:settings"), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert (
        "There is a problem" in body
        and 'href="#id_idea_commented_0"' in body
        or 'href="#id_idea_commented"' in body
    )
    assert "Select a valid choice" in body
    assert re.search(r'name="stage_opened" value="weekly"[^>]*checked', body)  # kept what was typed
    assert not Preference.objects.exists()


def test_the_inbox_takes_a_bounded_number_of_queries(
    client_for, space, private_space, host, member, approve, django_assert_max_num_queries
):
    client = client_for(member)
    client.get(reverse("notifications:inbox"))  # warm up the session and the like
    for n in range(25):
        approve(member, n)
        approve(member, n, about=private_space)
    assert Notification.objects.filter(recipient=member).count() == 50
    with django_assert_max_num_queries(10):
        response = client.get(reverse("notifications:inbox"))
    assert text(response).count("Your request to join") == 25


def test_the_header_shows_the_unread_count(client_for, space, member, approve, django_assert_num_queries):
    for n in range(3):
        approve(member, n)
    client = client_for(member)
    page = client.get(reverse("spaces:directory")).content.decode()
    assert re.search(
        r'href="/notifications/"[^>]*>Notifications \(3\)<span class="visually-hidden"> unread</span></a>',
        page,
    )
    services.notifications_mark_all_read(actor=member)
    page = client.get(reverse("spaces:directory")).content.decode()
    assert re.search(r'href="/notifications/"[^>]*>Notifications</a>', page)
    anonymous = client_for(None).get(reverse("spaces:directory")).content.decode()
    assert 'href="/notifications/"' not in anonymous


def test_the_unread_count_is_one_query_and_only_when_shown(rf, member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from coproduce.notifications.context_processors import unread

    request = rf.get("/")
    request.user = member
    with CaptureQueriesContext(connection) as queries:
        context = unread(request)
        assert len(queries) == 0  # nothing until a page shows it
        assert context["notifications_unread"].count == 0
        assert context["notifications_unread"].count == 0
    assert len(queries) == 1


def test_the_unread_count_comes_with_the_person_and_follows_reading(client_for, space, member, approve):
    """Read in the same query as the signed-in person (people/backends.py): a page asks nothing more for it;
    opening a notification counts again, so its own page already shows one fewer."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(2):
        approve(member, n)
    client = client_for(member)
    client.get(reverse("spaces:directory"))
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("spaces:directory")).content.decode()
    assert "Notifications (2)" in page
    assert not [
        q for q in queries if "notifications_notification" in q["sql"] and "people_user" not in q["sql"]
    ]
    first = member.notifications.order_by("pk").first()
    opened = client.get(reverse("notifications:detail", args=[first.pk])).content.decode()
    assert "Notifications (1)" in opened
