"""Meeting pages: planning with clear errors, registration and the waiting list, dot voting with and without
htmx, the published agenda by perspective, attendance and credits, decisions, calendar feeds."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse
from tests.conftest import make_members

from coproduce.meetings import services
from coproduce.meetings.models import AgendaItem, Attendance, Decision, Dot, Meeting, Registration
from coproduce.people import services as people_services

from ..ideas.helpers import html, text


def url(name, meeting, *extra):
    return reverse(f"meetings:{name}", args=[meeting.space.slug, meeting.pk, *extra])


@time_machine.travel(dt.datetime(2026, 5, 1, 12, tzinfo=dt.UTC), tick=False)  # the meeting is still to come
def test_planning_a_meeting_and_bad_input(client_for, space, facilitator):
    create = reverse("meetings:create", args=[space.slug])
    bad = client_for(facilitator).post(
        create,
        {
            "title": "Workshop",
            "format": "in_person",
            "starts_at": "2026-06-01T18:00",
            "ends_at": "2026-06-01T17:00",
        },
    )
    assert bad.status_code == 400
    page = html(bad)
    assert "There is a problem" in page and "must end after it starts" in page and 'value="Workshop"' in page
    assert not Meeting.objects.exists()
    no_place = client_for(facilitator).post(
        create,
        {
            "title": "Workshop",
            "format": "in_person",
            "starts_at": "2026-06-01T18:00",
            "ends_at": "2026-06-01T20:00",
        },
    )
    assert no_place.status_code == 400 and "Say where people meet" in html(no_place)
    good = client_for(facilitator).post(
        create,
        {
            "title": "Workshop",
            "format": "hybrid",
            "starts_at": "2026-06-01T18:00",
            "ends_at": "2026-06-01T20:00",
            "place_name": "Library",
            "online_url": "meet.example.org/w",
            "step_free": "on",
            "bsl": "on",
            "capacity": "12",
        },
    )
    meeting = Meeting.objects.get()
    assert good.status_code == 302 and meeting.online_url == "https://meet.example.org/w"
    page = text(client_for(None).get(meeting.get_absolute_url()))
    assert "step-free access" in page and "British Sign Language interpreter" in page and "of 12" in page


def test_registering_with_access_needs_and_the_waiting_list(
    client_for, space, facilitator, member, practitioner
):
    meeting = services.meeting_create(
        actor=facilitator,
        space=space,
        title="Small",
        format="online",
        capacity=1,
        starts_at=_soon(),
        ends_at=_soon(hours=2),
    )
    response = client_for(member).post(url("register", meeting), {"access_needs": "Large print"})
    assert response.status_code == 302
    assert "You are registered." in text(client_for(member).get(meeting.get_absolute_url()))
    client_for(practitioner).post(url("register", meeting), {})
    assert "waiting list" in text(client_for(practitioner).get(meeting.get_absolute_url()))
    client_for(member).post(url("unregister", meeting))
    assert Registration.objects.get(user=practitioner).status == "registered"
    again = client_for(practitioner).post(url("register", meeting), {}, follow=True)
    assert "You are already registered." in text(again)
    too_long = client_for(member).post(url("register", meeting), {"access_needs": "x" * 1001})
    assert too_long.status_code == 400 and "There is a problem" in html(too_long)


def test_dot_voting_with_a_plain_post_and_with_htmx(client_for, space, meeting, member, practitioner):
    item = services.agenda_item_propose(actor=practitioner, meeting=meeting, title="Transport")
    client = client_for(member)
    assert client.post(url("dot", meeting, item.pk)).status_code == 302
    fragment = client.post(url("dot", meeting, item.pk), headers={"HX-Request": "true"})
    body = html(fragment)
    assert (
        fragment.status_code == 200 and body.startswith('<div id="proposed-items">') and "<html" not in body
    )
    assert "You have 1 dot left." in body and "2 dots" in body
    client.post(url("dot", meeting, item.pk), headers={"HX-Request": "true"})
    full = client.post(url("dot", meeting, item.pk), headers={"HX-Request": "true"})
    assert full.status_code == 400 and "used all 3 dots" in html(full)
    taken_off = client.post(url("dot", meeting, item.pk), {"remove": "1"}, headers={"HX-Request": "true"})
    assert "You have 1 dot left." in html(taken_off) and Dot.objects.count() == 2


def test_proposing_with_bad_input_keeps_the_form(client_for, space, meeting, member):
    response = client_for(member).post(url("propose", meeting), {"title": "", "description": "Kept words"})
    assert (
        response.status_code == 400
        and "There is a problem" in html(response)
        and "Kept words" in html(response)
    )
    assert not AgendaItem.objects.exists()


def test_the_published_agenda_shows_whose_items_by_perspective(
    client_for, space, meeting, member, practitioner, facilitator
):
    popular = services.agenda_item_propose(actor=member, meeting=meeting, title="Opening hours")
    services.agenda_item_propose(actor=practitioner, meeting=meeting, title="Staffing")
    services.dot_add(actor=practitioner, item=popular)
    assert client_for(facilitator).post(url("publish", meeting)).status_code == 302
    page = text(client_for(None).get(meeting.get_absolute_url()))
    assert page.index("Opening hours") < page.index("Staffing")
    assert "Proposed by: person with lived experience (1), practitioner (1)." in page
    assert "Proposed by person with lived experience · 1 dot" in page


def test_after_the_meeting_minutes_attendance_and_a_decision(
    client_for, space, meeting, member, practitioner, facilitator, host
):
    item = services.agenda_item_propose(actor=member, meeting=meeting, title="Opening hours")
    services.agenda_publish(actor=facilitator, meeting=meeting)
    with time_machine.travel(meeting.starts_at + dt.timedelta(hours=3)):
        client = client_for(facilitator)
        assert (
            client.post(
                url("minutes", meeting, item.pk), {"minutes": "We talked about Thursdays."}
            ).status_code
            == 302
        )
        assert (
            client.post(url("attendance", meeting), {"people": [member.pk, practitioner.pk]}).status_code
            == 302
        )
        assert Attendance.objects.count() == 2
        # once it is over, the list says who took part rather than who registered
        listing = text(client_for(None).get(reverse("meetings:list", args=[space.slug])))
        assert "2 people took part" in listing and "registered" not in listing
        form = html(client.get(url("decision_create", meeting)))
        assert "Lena Lived" in form and "Hana Host" not in form  # the people who were there
        missing = client.post(
            url("decision_create", meeting),
            {
                "text": "Open on Thursdays",
                f"stance_{member.pk}": "agree",
                f"stance_{practitioner.pk}": "disagree",
            },
        )
        assert missing.status_code == 400 and "record their dissent" in html(missing)
        assert not Decision.objects.exists()
        done = client.post(
            url("decision_create", meeting),
            {
                "text": "Open on Thursdays",
                "agenda_item": item.pk,
                "dissent": "Staffing is not sorted yet.",
                f"stance_{member.pk}": "agree",
                f"stance_{practitioner.pk}": "disagree",
            },
        )
        assert done.status_code == 302
        public = text(client_for(None).get(meeting.get_absolute_url()))
    assert (
        "Agreed: 1 (person with lived experience 1)" in public and "Disagreed: 1 (practitioner 1)" in public
    )
    assert "Dissent: Staffing is not sorted yet." in public
    # The minutes of the published agenda are shown to whoever may see the decisions.
    assert "We talked about Thursdays." in public
    assert "We talked about Thursdays." in text(client_for(member).get(meeting.get_absolute_url()))


def test_a_past_meeting_page_reports_what_happened(
    client_for, space, meeting, member, practitioner, facilitator
):
    meeting = services.meeting_update(
        actor=facilitator, meeting=meeting, capacity=30, access_notes="Tell us about anything."
    )
    with time_machine.travel(meeting.starts_at + dt.timedelta(days=1)):
        services.attendance_confirm(actor=facilitator, meeting=meeting, people=[member, practitioner])
        for viewer in (None, member, facilitator):
            page = html(client_for(viewer).get(meeting.get_absolute_url()))
            words = text(client_for(viewer).get(meeting.get_absolute_url()))
            assert "2 people attended" in words and "registered of 30" not in words, viewer
            assert "Tell us about anything" not in words  # an invitation for people still to come
            assert "Access offered" in words and "step-free access" in words
            # No empty box where registering was.
            assert 'id="registration"' not in page or "You had a place" in words
    # Before the meeting, the invitation and the places are there.
    words = text(client_for(None).get(meeting.get_absolute_url()))
    assert "Tell us about anything" in words and "0 registered of 30" in words


def test_attendance_earns_time_credits_or_says_they_are_owed(
    client_for, space, meeting, member, facilitator, host, reward_hook
):
    reward_hook(None)
    charity = people_services.organisation_create(actor=host, name="Drop-in Trust", kind="charity")
    space.organisations.add(charity)
    bad = client_for(host).post(url("credits", meeting), {"organisation": charity.pk, "hours": "1.1"})
    assert bad.status_code == 400 and "quarter hours" in html(bad)
    assert (
        client_for(host)
        .post(url("credits", meeting), {"organisation": charity.pk, "hours": "1.5"})
        .status_code
        == 302
    )
    with time_machine.travel(meeting.starts_at + dt.timedelta(hours=3)):
        client_for(facilitator).post(url("attendance", meeting), {"people": [member.pk]})
        page = text(client_for(member).get(meeting.get_absolute_url()))
    # Hours written as the timebank writes them (one formatter: coproduce.lib.ledger.format_minutes).
    assert "Attending earns 1.5 h of time credits from Drop-in Trust." in page
    assert "Credits are owed to 1 person" in page and "timebank is not available yet" in page
    assert Attendance.objects.get().credit_status == "owed"


def test_calendar_feeds_for_the_space_and_for_a_person(client_for, space, meeting, member):
    feed = client_for(None).get(reverse("meetings:calendar", args=[space.slug]))
    assert feed["Content-Type"].startswith("text/calendar")
    body = feed.content.decode()
    assert "BEGIN:VEVENT" in body and "SUMMARY:Design workshop" in body and "\r\n" in body
    page = client_for(member).post(reverse("my_calendar:page"), follow=True)
    link = page.context["feed_url"]
    assert link and "/calendar/" in link
    token_path = link.split("testserver", 1)[1]
    assert "BEGIN:VEVENT" not in client_for(None).get(token_path).content.decode()  # nothing registered yet
    services.registration_create(actor=member, meeting=meeting)
    personal = client_for(None).get(token_path).content.decode()
    assert "SUMMARY:Design workshop" in personal
    assert client_for(None).get("/calendar/not-a-token.ics").status_code == 404


def test_the_meeting_list_and_space_page(client_for, space, meeting):
    listing = text(client_for(None).get(reverse("meetings:list", args=[space.slug])))
    assert "Design workshop" in listing and "Coming up" in listing
    assert reverse("meetings:detail", args=[space.slug, meeting.pk]) in html(
        client_for(None).get(space.get_absolute_url())
    )


def test_the_meeting_page_costs_a_bounded_number_of_queries(
    client_for, space, meeting, member, host, django_assert_max_num_queries
):
    for i, person in enumerate(make_members(space, host, 20)):
        item = services.agenda_item_propose(actor=person, meeting=meeting, title=f"Item {i}")
        services.dot_add(actor=person, item=item)
        services.registration_create(actor=person, meeting=meeting)
    client = client_for(member)
    with django_assert_max_num_queries(16):
        response = client.get(meeting.get_absolute_url())
    assert "Item 19" in html(response)


def _soon(hours: float = 0):
    from django.utils import timezone

    return timezone.now().replace(microsecond=0) + dt.timedelta(days=3, hours=hours)


def test_the_meetings_list_costs_a_bounded_number_of_queries(
    client_for, space, host, facilitator, member, django_assert_max_num_queries
):
    people = make_members(space, host, 25)  # one registrant each, so one query per row shows
    with time_machine.travel(dt.datetime.now(dt.UTC) - dt.timedelta(days=60), tick=False):
        for i in range(25):
            services.meeting_create(
                actor=facilitator, space=space, title=f"Past {i}", format="online", **_when_from_now(i + 1)
            )
    for i, person in enumerate(people):
        meeting = services.meeting_create(
            actor=facilitator,
            space=space,
            title=f"Coming {i}",
            format="in_person",
            place_name=f"Hall {i}",
            **_when_from_now(i + 1),
        )
        services.registration_create(actor=person, meeting=meeting)
    for viewer in (None, member):
        client = client_for(viewer)
        with django_assert_max_num_queries(10):
            response = client.get(reverse("meetings:list", args=[space.slug]))
        page = text(response)
        assert page.count("1 registered") == 25 and "Hall 24" in page
        assert len(response.context["past"].object_list) == 20


def _when_from_now(days: int) -> dict:
    from django.utils import timezone

    starts = timezone.now().replace(microsecond=0) + dt.timedelta(days=days)
    return {"starts_at": starts, "ends_at": starts + dt.timedelta(hours=2)}


def test_the_links_other_modules_offer_on_decisions_cost_no_query_per_decision(
    client_for, meeting, facilitator
):
    """Each decision asks the registry what other modules make of it ("Make it an action")."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(facilitator)
    counts = []
    with time_machine.travel(meeting.starts_at + dt.timedelta(hours=1)):
        for wanted in (1, 8):
            while meeting.decisions.count() < wanted:
                services.decision_record(actor=facilitator, meeting=meeting, text=f"Decision {wanted}")
            client.get(meeting.get_absolute_url())  # the session and the person, once
            with CaptureQueriesContext(connection) as queries:
                page = html(client.get(meeting.get_absolute_url()))
            counts.append(len(queries.captured_queries))
            assert page.count(">Make it an action</a>") == wanted
    assert counts[0] == counts[1], counts
