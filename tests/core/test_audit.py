"""The audit log: who changed what, on whose behalf, and when — and who may read it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from tests.conftest import PASSWORD

from coproduce.core import audit
from coproduce.core.models import AuditEvent
from coproduce.people import services as people_services
from coproduce.spaces import services
from coproduce.spaces.models import Membership, Perspective, Role


@pytest.fixture
def fast_passwords(settings, host):
    """Argon2 is slow on purpose. Tests that set passwords hash them quickly; older hashes still check.

    It asks for `host` so that the shared persona password hash is made first, with the real hashers.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]


# --- Recording ------------------------------------------------------------------------------------


def test_diff_lists_only_changed_fields_as_plain_values(space, host):
    stage = space.stages.get(kind="co_design")
    before = audit.snapshot(stage, ["status", "starts_on", "summary"])
    stage.starts_on = dt.date(2026, 5, 1)
    stage.status = "open"
    assert audit.diff(stage, before, ["status", "starts_on", "summary"]) == {
        "status": ["not_started", "open"],
        "starts_on": [None, "2026-05-01"],
    }
    membership = Membership.objects.get(space=space, user=host)
    assert audit.diff(membership, {"user": None}, ["user"]) == {"user": [None, "Hana Host"]}


def test_record_keeps_actor_target_and_a_bounded_summary(space, host):
    event = audit.record(
        actor=host,
        action="test.done",
        target=space,
        space=space,
        summary="s" * 400,
        changes={"when": [dt.date(2026, 1, 1), None]},
    )
    event.refresh_from_db()
    assert (event.actor, event.target_type, event.target_id) == (host, "spaces.space", space.pk)
    assert len(event.summary) == 300
    assert event.changes == {"when": ["2026-01-01", None]}
    assert not event.public and event.on_behalf_of is None


def test_an_anonymous_actor_is_recorded_as_nobody(space):
    event = audit.record(actor=AnonymousUser(), action="test.done", target=space, summary="x")
    assert event.actor is None


def test_events_are_listed_newest_first(space, host):
    first = audit.record(actor=host, action="test.first", target=space, space=space, summary="1")
    second = audit.record(actor=host, action="test.second", target=space, space=space, summary="2")
    assert list(AuditEvent.objects.filter(action__startswith="test."))[:2] == [second, first]


# --- Reading the history of a space ---------------------------------------------------------------

MEMBER_NAMES = ["Lena Lived", "Pat Practitioner", "Fergus Facilitator"]


def history(client, space) -> str:
    response = client.get(reverse("spaces:history", args=[space.slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_hosts_see_the_full_log_with_membership_events(client_for, space, host, member, outsider):
    request = services.join_request_create(actor=outsider, space=space, perspective=Perspective.COMMUNITY)
    services.join_request_decide(actor=host, join_request=request, approve=True)
    services.membership_update(
        actor=member,
        membership=Membership.objects.get(space=space, user=member),
        perspective=Perspective.CARER,
    )
    page = history(client_for(host), space)
    assert "Full log of changes" in page and "On behalf of" in page
    assert "Lena Lived joined as Member, taking part as Person with lived experience" in page
    assert "Lena Lived is now Member, taking part as Carer or family member" in page
    assert "Request from Otto Outsider approved" in page
    assert "Space “Drop-in redesign” created" in page


@pytest.mark.parametrize("viewer", ["facilitator", "member", "practitioner", "outsider", "anonymous"])
def test_everyone_else_sees_only_public_events_and_no_member_names(client_for, persona, space, host, viewer):
    services.stage_update(actor=host, stage=space.stages.get(kind="co_design"), status="open")
    page = history(client_for(persona(viewer)), space)
    assert "Full log of changes" not in page and "On behalf of" not in page
    assert "Space “Drop-in redesign” created" in page and "Co-design: now open" in page
    names = viewer not in ("outsider", "anonymous")  # spaces.access.shows_names: members see names
    assert ("Hana Host" in page) is names  # hosts are members: their perspective may be in a summary too
    for name in MEMBER_NAMES:
        assert name not in page, name
    assert "joined as" not in page and "asked to join" not in page


def test_private_space_history_is_for_members_only(client_for, private_space, member, outsider):
    assert "Lena Lived" not in history(client_for(member), private_space)
    assert client_for(outsider).get(reverse("spaces:history", args=[private_space.slug])).status_code == 404


def test_the_host_sees_who_acted_on_whose_behalf(client_for, space, host, facilitator):
    added = services.assisted_person_add(
        actor=facilitator, space=space, display_name="Margaret", perspective=Perspective.LIVED_EXPERIENCE
    )
    services.membership_update(actor=facilitator, membership=added, perspective=Perspective.CARER)
    page = history(client_for(host), space)
    row = next(line for line in page.splitlines() if "Margaret is now Member" in line)
    assert "Fergus Facilitator" in row and "<td>Margaret</td>" in row


# --- What was done on my behalf -------------------------------------------------------------------


def test_on_behalf_events_appear_for_that_person_only(client_for, space, facilitator, host, fast_passwords):
    added = services.assisted_person_add(
        actor=facilitator, space=space, display_name="Margaret", perspective=Perspective.LIVED_EXPERIENCE
    )
    services.membership_update(actor=host, membership=added, role=Role.FACILITATOR)
    token = services.claim_link_create(actor=facilitator, person=added.user).token
    margaret = people_services.account_claim(token=token, email="margaret@example.org", password=PASSWORD)

    page = client_for(margaret).get(reverse("people:on_my_behalf")).content.decode()
    assert page.count("<tr><td>") == 4
    assert "Fergus Facilitator added Margaret, who takes part with help" in page
    assert "Margaret is now Facilitator" in page and "Hana Host" in page
    assert "made a sign-up link and code for Margaret" in page
    for other in (facilitator, host):
        assert "Margaret" not in client_for(other).get(reverse("people:on_my_behalf")).content.decode()
