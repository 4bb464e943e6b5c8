"""Meeting API input beyond what the database holds is refused, and nothing is written (issue 10, point 4)."""

from __future__ import annotations

import datetime as dt

import time_machine
from tests.api_client import Api

from coproduce.meetings.models import Attendance


def test_an_id_beyond_64_bits_in_the_attendance_list_is_refused(meeting, facilitator, member):
    response = Api(facilitator).post(f"/meetings/{meeting.pk}/attendance", {"person_ids": [member.pk, 2**63]})
    assert response.status_code == 422 and "person_ids.1" in response.json()["detail"], response.content
    assert not Attendance.objects.filter(meeting=meeting).exists()


def test_a_person_who_is_not_a_member_is_reported_on_person_ids(meeting, facilitator, outsider):
    api = Api(facilitator)
    with time_machine.travel(meeting.starts_at + dt.timedelta(hours=2)):
        response = api.post(f"/meetings/{meeting.pk}/attendance", {"person_ids": [outsider.pk]})
    assert response.status_code == 422 and list(response.json()["detail"]) == ["person_ids"], response.content
