"""Who may see which notification: every page and endpoint × every persona (and staff)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.api_client import Api
from tests.conftest import PERSONAS as CAST

PERSONAS = [*CAST, "staff"]
HELPERS = {"host", "facilitator"}


@pytest.mark.parametrize("name", PERSONAS)
def test_only_the_recipient_sees_a_notification(name, persona, client_for, space, member, approve):
    notification = approve(member)[0]
    client = client_for(persona(name))
    detail = client.get(reverse("notifications:detail", args=[notification.pk]))
    inbox = client.get(reverse("notifications:inbox"))
    if name == "anonymous":
        assert detail.status_code == 302 and inbox.status_code == 302
        return
    assert inbox.status_code == 200
    if name == "member":
        assert detail.status_code == 200
        assert "Your request to join" in inbox.content.decode()
    else:
        assert detail.status_code == 404  # staff too: it is personal
        assert "Your request to join" not in inbox.content.decode()


@pytest.mark.parametrize("name", PERSONAS)
def test_the_list_for_people_you_help_is_for_hosts_and_facilitators(
    name, persona, client_for, space, margaret, approve
):
    approve(margaret)
    response = client_for(persona(name)).get(reverse("notifications:helped"))
    if name == "anonymous":
        assert response.status_code == 302
    elif name in HELPERS:
        assert response.status_code == 200
        assert "For Margaret Brown: Your request to join Drop-in redesign was approved" in " ".join(
            response.content.decode().split()
        )
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("name", PERSONAS)
def test_the_api_is_personal_too(name, persona, space, member, approve):
    notification = approve(member)[0]
    api = Api(persona(name))
    listed = api.get("/notifications")
    read = api.post(f"/notifications/{notification.pk}/read")
    if name == "anonymous":
        assert listed.status_code == 401 and read.status_code == 401
    elif name == "member":
        assert listed.json()["count"] == 1 and read.status_code == 200
    else:
        assert listed.json()["count"] == 0 and read.status_code == 404
    assert (api.get("/notifications/preferences").status_code == 401) == (name == "anonymous")
