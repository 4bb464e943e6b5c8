"""What spaces tell people, through the notifications app's "notify" hook (spaces does not import it)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.conftest import make_person
from tests.notifications.conftest import tasks_now  # noqa: F401  (emails are sent by a task)

from coproduce.core import registry
from coproduce.notifications import selectors
from coproduce.notifications.models import Notification
from coproduce.spaces import services
from coproduce.spaces.models import JoinRequest, Perspective, Role, StageKind, StageStatus


def told(kind: str) -> dict[int, Notification]:
    return {n.recipient_id: n for n in Notification.objects.filter(kind=kind)}


@pytest.fixture
def newcomer(db):
    return make_person("Nell Newcomer")


def ask(space, person) -> JoinRequest:
    return services.join_request_create(
        actor=person, space=space, perspective=Perspective.CARER, message="I care for my dad"
    )


def test_the_hosts_hear_of_a_request_to_join_and_nobody_else(space, host, facilitator, member, newcomer):
    request = ask(space, newcomer)
    rows = told("join_request_received")
    assert set(rows) == {host.pk}  # hosts answer requests; facilitators and members do not
    row = rows[host.pk]
    assert (row.url, row.text, row.space, row.actor) == (
        reverse("spaces:requests", args=[space.slug]),
        "I care for my dad",
        space,
        newcomer,
    )
    assert row.key == f"join_request_received:{request.pk}"
    assert selectors.sentence(row) == "Nell Newcomer asked to join Drop-in redesign"


def test_the_person_hears_that_they_were_approved(space, host, newcomer):
    request = services.join_request_decide(actor=host, join_request=ask(space, newcomer), approve=True)
    rows = told("join_request_approved")
    assert set(rows) == {newcomer.pk}
    assert rows[newcomer.pk].url == space.get_absolute_url()
    assert rows[newcomer.pk].key == f"join_request_approved:{request.pk}"
    assert not told("membership_changed")  # joining is not a change of role


def test_the_person_hears_that_they_were_declined_with_the_reason(space, host, newcomer):
    services.join_request_decide(
        actor=host, join_request=ask(space, newcomer), approve=False, reason="This group is for tenants"
    )
    rows = told("join_request_declined")
    assert set(rows) == {newcomer.pk}
    assert rows[newcomer.pk].text == "This group is for tenants"
    shown = selectors.present(selectors.inbox(newcomer), newcomer)[0]  # a public space: still readable
    assert "Drop-in redesign" in shown.title and shown.text == "This group is for tenants"


def test_a_member_hears_their_role_or_perspective_changed_but_not_the_host_who_changed_it(
    space, host, member, practitioner
):
    membership = space.memberships.get(user=member)
    services.membership_update(actor=host, membership=membership, role=Role.FACILITATOR)
    services.membership_update(actor=host, membership=membership, perspective=Perspective.CARER)
    assert [n.recipient for n in Notification.objects.filter(kind="membership_changed")] == [member, member]
    assert Notification.objects.filter(kind="membership_changed").values("key").distinct().count() == 2
    # Changing your own perspective tells nobody: you did it.
    own = space.memberships.get(user=practitioner)
    services.membership_update(actor=practitioner, membership=own, perspective=Perspective.COMMUNITY)
    assert not Notification.objects.filter(kind="membership_changed", recipient=practitioner).exists()


def test_members_hear_a_stage_open_and_close_and_each_opening_is_its_own_event(
    space, host, facilitator, member, practitioner, outsider
):
    stage = space.stages.get(kind=StageKind.CO_DESIGN)
    services.stage_update(actor=host, stage=stage, status=StageStatus.OPEN)
    opened = told("stage_opened")
    assert set(opened) == {facilitator.pk, member.pk, practitioner.pk}  # not the host, not outsiders
    assert opened[member.pk].url == f"{space.get_absolute_url()}#stage-co_design"
    assert selectors.sentence(opened[member.pk]) == "The Co-design stage of Drop-in redesign has opened"
    services.stage_update(actor=host, stage=stage, summary="Workshops on Tuesdays")  # not a status change
    assert Notification.objects.count() == 3
    services.stage_update(actor=host, stage=stage, status=StageStatus.CLOSED)
    services.stage_update(actor=host, stage=stage, status=StageStatus.OPEN)
    assert set(told("stage_closed")) == {facilitator.pk, member.pk, practitioner.pk}
    assert Notification.objects.filter(kind="stage_opened", recipient=member).count() == 2


def test_without_the_notifications_app_nothing_is_sent_and_the_change_is_made(
    space, host, member, newcomer, monkeypatch
):
    real = registry.hook
    monkeypatch.setattr(registry, "hook", lambda name: None if name == "notify" else real(name))
    request = services.join_request_decide(actor=host, join_request=ask(space, newcomer), approve=True)
    assert request.status == JoinRequest.Status.APPROVED and space.memberships.filter(user=newcomer).exists()
    assert not Notification.objects.exists()


def test_emails_go_only_when_the_change_is_committed(
    space,
    host,
    newcomer,
    mailoutbox,
    tasks_now,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ask(space, newcomer)
    assert mailoutbox == [] and len(callbacks) == 1  # queued for the commit, not sent inside it
    callbacks[0]()
    assert [m.to for m in mailoutbox] == [[host.email]]
    assert "Nell Newcomer asked to join Drop-in redesign" in mailoutbox[0].subject


def test_a_member_removed_from_a_private_space_no_longer_sees_what_its_stage_notice_said(
    private_space, host, member
):
    stage = private_space.stages.get(kind=StageKind.CO_DELIVERY)
    services.stage_update(actor=host, stage=stage, status=StageStatus.OPEN)
    assert told("stage_opened")[member.pk]
    services.membership_end(
        actor=host, membership=private_space.memberships.get(user=member), reason="Moved away"
    )
    member.refresh_from_db()
    shown = selectors.present(selectors.inbox(member), member)[0]
    assert private_space.title not in shown.title
    assert (shown.url, shown.space_title, shown.text) == ("", "", "")
