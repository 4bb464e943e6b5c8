"""Meeting papers for a meeting in a room: the agenda to hand out and the attendance sheet to sign."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.conftest import PERSONAS

from coproduce.meetings import services
from coproduce.meetings.views.printing import SPARE_ROWS

from ..ideas.helpers import html, text


def address(name, meeting):
    return reverse(f"meetings:{name}", args=[meeting.space.slug, meeting.pk])


@pytest.mark.parametrize("name", ["print_agenda", "print_attendance"])
@pytest.mark.parametrize("persona_name", PERSONAS)
def test_only_facilitators_and_hosts_print_meeting_papers(
    name, persona_name, persona, client_for, meeting, private_meeting
):
    client = client_for(persona(persona_name))
    public_status = client.get(address(name, meeting)).status_code
    private_status = client.get(address(name, private_meeting)).status_code
    want = {
        "host": 200,
        "facilitator": 200,
        "member": 403,
        "practitioner": 403,
        "outsider": 403,
        "anonymous": 302,
    }
    assert public_status == want[persona_name]
    if persona_name == "outsider":
        assert private_status == 404  # never reveal that it exists
    else:
        assert private_status == want[persona_name]


def test_the_agenda_lists_items_in_order_with_time_place_and_access(
    client_for, facilitator, member, practitioner, margaret, meeting
):
    first = services.agenda_item_propose(actor=member, meeting=meeting, title="Opening hours")
    second = services.agenda_item_propose(
        actor=facilitator, meeting=meeting, title="Transport", on_behalf_of=margaret
    )
    services.dot_add(actor=practitioner, item=second)
    services.dot_add(actor=member, item=second)
    services.agenda_publish(actor=facilitator, meeting=meeting)
    page = text(client_for(facilitator).get(address("print_agenda", meeting)))
    assert page.index("Transport") < page.index("Opening hours")  # the most dots first, as published
    assert "Town Hall" in page and "1 High Street" in page
    starts, ends = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    assert f"{starts:%H:%M}–{ends:%H:%M}" in page
    assert "Step-free access" in page and "Hearing loop" in page
    assert "written with help from a facilitator" in page  # the item proposed for Margaret
    assert "Margaret" not in page and "Lena" not in page  # a handout: perspectives, never names
    assert first.title in page


def test_the_attendance_sheet_has_a_row_per_person_coming_and_spare_rows(
    client_for, facilitator, member, practitioner, meeting
):
    services.registration_create(actor=member, meeting=meeting, access_needs="A quiet corner, please")
    services.registration_create(actor=practitioner, meeting=meeting)
    response = client_for(facilitator).get(address("print_attendance", meeting))
    page, markup = text(response), html(response)
    assert "Lena Lived" in page and "Pat Practitioner" in page
    assert "Signature" in page and "Access needs met" in page
    assert "A quiet corner" not in page  # access needs are private: this sheet is passed round
    assert markup.count('class="spare"') == SPARE_ROWS
    assert (
        markup.count('<tr class="spare">') + 2
        == markup.count("<tr>") + markup.count('<tr class="spare">') - 1
    )


def test_the_attendance_sheet_names_people_only_where_the_space_shows_names(
    client_for, monkeypatch, facilitator, member, meeting
):
    services.registration_create(actor=member, meeting=meeting)
    monkeypatch.setattr("coproduce.spaces.access.shows_names", lambda user, space: False)
    page = text(client_for(facilitator).get(address("print_attendance", meeting)))
    assert "Lena Lived" not in page and "Registered person 1" in page


def test_the_meeting_page_links_to_its_papers_for_facilitators_only(client_for, facilitator, member, meeting):
    assert address("print_agenda", meeting) in html(client_for(facilitator).get(meeting.get_absolute_url()))
    assert address("print_agenda", meeting) not in html(client_for(member).get(meeting.get_absolute_url()))
