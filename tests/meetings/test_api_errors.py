"""Meeting API input beyond what the database holds is refused, and nothing is written (issue 10, point 4)."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.test import Client

from coproduce.meetings.models import Attendance
from coproduce.people.services import api_token_create


def test_an_id_beyond_64_bits_in_the_attendance_list_is_refused(meeting, facilitator, member):
    token = api_token_create(actor=facilitator, name="tests")[1]
    response = Client().post(
        f"/api/v1/meetings/{meeting.pk}/attendance",
        data={"person_ids": [member.pk, 2**63]},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 422 and "person_ids.1" in response.json()["detail"], response.content
    assert not Attendance.objects.filter(meeting=meeting).exists()


def test_a_person_who_is_not_a_member_is_reported_on_person_ids(meeting, facilitator, outsider):
    token = api_token_create(actor=facilitator, name="tests")[1]
    with time_machine.travel(meeting.starts_at + dt.timedelta(hours=2)):
        response = Client().post(
            f"/api/v1/meetings/{meeting.pk}/attendance",
            data={"person_ids": [outsider.pk]},
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )
    assert response.status_code == 422 and list(response.json()["detail"]) == ["person_ids"], response.content
