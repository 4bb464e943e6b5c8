"""Services for spaces: every change validated, atomic, kept in history and audited."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from tests.conftest import make_person

from coproduce.core.models import AuditEvent
from coproduce.people.models import User
from coproduce.spaces import selectors, services
from coproduce.spaces.models import (
    Invitation,
    JoinRequest,
    Membership,
    MembershipChange,
    Perspective,
    Role,
    Space,
    Stage,
    StageKind,
    StageStatus,
)


def actions(space: Space) -> list[str]:
    return list(AuditEvent.objects.filter(space=space).order_by("at", "id").values_list("action", flat=True))


def history_of(space: Space, user) -> list[tuple[str, str, str]]:
    return list(
        MembershipChange.objects.filter(space=space, user=user)
        .order_by("at", "id")
        .values_list("kind", "role", "perspective")
    )


def membership(space: Space, user) -> Membership:
    return Membership.objects.get(space=space, user=user)


# --- Spaces ---------------------------------------------------------------------------------------


def test_space_create_makes_four_stages_a_host_history_and_audit_events(host):
    space = services.space_create(
        actor=host,
        title="  Lunch club  ",
        purpose="Run it together.",
        place="Renfrew",
        perspective=Perspective.CARER,
    )

    assert space.title == "Lunch club"
    assert space.slug == "lunch-club"
    stages = list(space.stages.order_by("position").values_list("kind", "position", "status"))
    assert stages == [(kind.value, i, StageStatus.NOT_STARTED) for i, kind in enumerate(StageKind)]
    host_membership = membership(space, host)
    assert (host_membership.role, host_membership.perspective) == (Role.HOST, Perspective.CARER)
    assert history_of(space, host) == [("joined", Role.HOST, Perspective.CARER)]
    assert actions(space) == ["space.created", "membership.created"]
    created = AuditEvent.objects.get(space=space, action="space.created")
    assert created.actor == host and created.public
    assert created.changes["title"] == [None, "Lunch club"]


def test_space_create_gives_each_space_its_own_slug(host):
    first = services.space_create(actor=host, title="Lunch club", purpose="One.")
    second = services.space_create(actor=host, title="Lunch club", purpose="Two.")
    assert (first.slug, second.slug) == ("lunch-club", "lunch-club-2")


def test_space_create_refuses_an_empty_title_and_saves_nothing(host):
    with pytest.raises(ValidationError) as error:
        services.space_create(actor=host, title="   ", purpose="Something.")
    assert "title" in error.value.message_dict
    assert not Space.objects.exists() and not Stage.objects.exists() and not AuditEvent.objects.exists()


def test_space_update_audits_what_changed(space, host):
    services.space_update(actor=host, space=space, title="Drop-in, redesigned", purpose=space.purpose)

    space.refresh_from_db()
    assert space.title == "Drop-in, redesigned"
    event = AuditEvent.objects.filter(space=space, action="space.updated").get()
    assert event.actor == host and event.public
    assert event.changes == {"title": ["Drop-in redesign", "Drop-in, redesigned"]}


def test_space_update_records_nothing_when_nothing_changed(space, host):
    before = AuditEvent.objects.count()
    services.space_update(actor=host, space=space, title=space.title, purpose=space.purpose, organisations=[])
    assert AuditEvent.objects.count() == before


def test_space_update_refuses_a_person_who_is_not_a_host(space, member):
    with pytest.raises(PermissionDenied):
        services.space_update(actor=member, space=space, title="Taken over")
    space.refresh_from_db()
    assert space.title == "Drop-in redesign"


# --- Join requests --------------------------------------------------------------------------------


def test_join_request_approved_makes_a_member_with_history(space, host, outsider):
    request = services.join_request_create(
        actor=outsider, space=space, perspective=Perspective.COMMUNITY, message=" I live nearby. "
    )
    assert request.status == JoinRequest.Status.PENDING and request.message == "I live nearby."

    services.join_request_decide(actor=host, join_request=request, approve=True)

    request.refresh_from_db()
    assert request.status == JoinRequest.Status.APPROVED and request.decided_by == host
    joined = membership(space, outsider)
    assert (joined.role, joined.perspective) == (Role.MEMBER, Perspective.COMMUNITY)
    assert history_of(space, outsider) == [("joined", Role.MEMBER, Perspective.COMMUNITY)]
    assert actions(space)[-3:] == ["join_request.created", "join_request.approved", "membership.created"]


def test_declining_needs_a_reason_and_the_declined_request_keeps_it(space, host, outsider):
    request = services.join_request_create(actor=outsider, space=space, perspective=Perspective.COMMUNITY)

    with pytest.raises(ValidationError) as error:
        services.join_request_decide(actor=host, join_request=request, approve=False, reason="   ")
    assert "reason" in error.value.message_dict
    request.refresh_from_db()
    assert request.status == JoinRequest.Status.PENDING

    services.join_request_decide(
        actor=host, join_request=request, approve=False, reason=" The space is full. "
    )
    request.refresh_from_db()
    assert (request.status, request.reason) == (JoinRequest.Status.DECLINED, "The space is full.")
    assert not Membership.objects.filter(space=space, user=outsider).exists()
    assert AuditEvent.objects.filter(space=space, action="join_request.declined").count() == 1


def test_a_request_cannot_be_answered_twice(space, host, outsider):
    request = services.join_request_create(actor=outsider, space=space, perspective=Perspective.COMMUNITY)
    services.join_request_decide(actor=host, join_request=request, approve=True)
    with pytest.raises(ValidationError, match="already been answered"):
        services.join_request_decide(
            actor=host, join_request=request, approve=False, reason="Changed my mind"
        )


@pytest.mark.parametrize("who", ["facilitator", "member", "outsider"])
def test_only_a_host_answers_requests(space, outsider, persona, who):
    request = services.join_request_create(actor=outsider, space=space, perspective=Perspective.COMMUNITY)
    with pytest.raises(PermissionDenied):
        services.join_request_decide(actor=persona(who), join_request=request, approve=True)
    request.refresh_from_db()
    assert request.status == JoinRequest.Status.PENDING


def test_a_second_join_request_gives_a_clear_error_and_creates_nothing(space, outsider):
    services.join_request_create(actor=outsider, space=space, perspective=Perspective.COMMUNITY)
    events = AuditEvent.objects.count()

    with pytest.raises(ValidationError, match="already asked to join"):
        services.join_request_create(actor=outsider, space=space, perspective=Perspective.CARER)

    assert JoinRequest.objects.filter(space=space, user=outsider).count() == 1
    assert AuditEvent.objects.count() == events


def test_a_member_cannot_ask_to_join(space, member):
    with pytest.raises(ValidationError, match="already a member"):
        services.join_request_create(actor=member, space=space, perspective=Perspective.CARER)
    assert not JoinRequest.objects.filter(space=space, user=member, status="pending").exists()


def test_nobody_asks_to_join_a_private_space(private_space, outsider):
    with pytest.raises(PermissionDenied):
        services.join_request_create(actor=outsider, space=private_space, perspective=Perspective.COMMUNITY)
    assert not JoinRequest.objects.filter(space=private_space).exists()


def test_withdrawing_a_request_lets_the_person_ask_again(space, outsider):
    request = services.join_request_create(actor=outsider, space=space, perspective=Perspective.COMMUNITY)
    services.join_request_withdraw(actor=outsider, join_request=request)
    request.refresh_from_db()
    assert request.status == JoinRequest.Status.WITHDRAWN
    assert "join_request.withdrawn" in actions(space)

    again = services.join_request_create(actor=outsider, space=space, perspective=Perspective.CARER)
    assert again.pk != request.pk


def test_only_the_person_withdraws_their_request(space, outsider, host):
    request = services.join_request_create(actor=outsider, space=space, perspective=Perspective.COMMUNITY)
    with pytest.raises(PermissionDenied):
        services.join_request_withdraw(actor=host, join_request=request)
    services.join_request_decide(actor=host, join_request=request, approve=True)
    with pytest.raises(ValidationError, match="already been answered"):
        services.join_request_withdraw(actor=outsider, join_request=request)


# --- Memberships ----------------------------------------------------------------------------------


def test_role_and_perspective_changes_keep_their_history(space, host, member):
    lena = membership(space, member)
    services.membership_update(actor=host, membership=lena, role=Role.FACILITATOR)
    services.membership_update(actor=member, membership=lena, perspective=Perspective.CARER)

    lena.refresh_from_db()
    assert (lena.role, lena.perspective) == (Role.FACILITATOR, Perspective.CARER)
    assert history_of(space, member) == [
        ("joined", Role.MEMBER, Perspective.LIVED_EXPERIENCE),
        ("changed", Role.FACILITATOR, Perspective.LIVED_EXPERIENCE),
        ("changed", Role.FACILITATOR, Perspective.CARER),
    ]
    changed = AuditEvent.objects.filter(space=space, action="membership.changed", target_id=lena.pk).order_by(
        "id"
    )
    assert [e.changes for e in changed] == [
        {"role": [Role.MEMBER, Role.FACILITATOR]},
        {"perspective": [Perspective.LIVED_EXPERIENCE, Perspective.CARER]},
    ]


def test_an_update_that_changes_nothing_leaves_no_trace(space, host, member):
    lena = membership(space, member)
    rows, events = MembershipChange.objects.count(), AuditEvent.objects.count()
    services.membership_update(actor=host, membership=lena, role=Role.MEMBER, perspective=lena.perspective)
    assert (MembershipChange.objects.count(), AuditEvent.objects.count()) == (rows, events)


@pytest.mark.parametrize("who", ["facilitator", "member", "practitioner"])
def test_only_a_host_changes_roles(space, member, persona, who):
    with pytest.raises(PermissionDenied):
        services.membership_update(actor=persona(who), membership=membership(space, member), role=Role.HOST)
    assert membership(space, member).role == Role.MEMBER


def test_a_facilitator_cannot_change_the_perspective_of_someone_with_an_account(space, facilitator, member):
    with pytest.raises(PermissionDenied):
        services.membership_update(
            actor=facilitator, membership=membership(space, member), perspective=Perspective.COMMUNITY
        )


def test_a_space_always_keeps_a_host(space, host):
    mine = membership(space, host)
    with pytest.raises(ValidationError, match="at least one host"):
        services.membership_update(actor=host, membership=mine, role=Role.MEMBER)
    with pytest.raises(ValidationError, match="at least one host"):
        services.membership_end(actor=host, membership=mine)  # leaving
    assert membership(space, host).role == Role.HOST
    assert history_of(space, host) == [("joined", Role.HOST, Perspective.FACILITATOR)]


def test_the_last_host_cannot_be_removed_by_another_host(space, host, member):
    # A second host makes the first one leave room to be removed; then the second is the last one.
    services.membership_update(actor=host, membership=membership(space, member), role=Role.HOST)
    services.membership_end(actor=member, membership=membership(space, host), reason="Handing over")
    with pytest.raises(ValidationError, match="at least one host"):
        services.membership_end(actor=member, membership=membership(space, member))
    assert list(space.memberships.filter(role=Role.HOST).values_list("user", flat=True)) == [member.pk]


def test_with_two_hosts_one_may_step_down(space, host, facilitator):
    services.membership_update(actor=host, membership=membership(space, facilitator), role=Role.HOST)
    services.membership_update(actor=host, membership=membership(space, host), role=Role.MEMBER)
    assert membership(space, host).role == Role.MEMBER


def test_leaving_keeps_the_history(space, practitioner):
    services.membership_end(actor=practitioner, membership=membership(space, practitioner))
    assert not Membership.objects.filter(space=space, user=practitioner).exists()
    assert history_of(space, practitioner)[-1] == ("left", Role.MEMBER, Perspective.PRACTITIONER)
    event = AuditEvent.objects.get(space=space, action="membership.ended")
    assert event.actor == practitioner and "left the space" in event.summary


def test_removing_someone_needs_a_host_and_a_reason(space, host, facilitator, practitioner):
    with pytest.raises(PermissionDenied):
        services.membership_end(
            actor=facilitator, membership=membership(space, practitioner), reason="Because"
        )
    with pytest.raises(ValidationError) as error:
        services.membership_end(actor=host, membership=membership(space, practitioner), reason="  ")
    assert "reason" in error.value.message_dict
    assert Membership.objects.filter(space=space, user=practitioner).exists()

    services.membership_end(
        actor=host, membership=membership(space, practitioner), reason="Asked to be removed"
    )
    assert not Membership.objects.filter(space=space, user=practitioner).exists()
    assert "Asked to be removed" in AuditEvent.objects.get(space=space, action="membership.ended").summary


# --- Invitations ----------------------------------------------------------------------------------


def test_an_invitation_gives_the_role_it_was_made_for(private_space, host, outsider):
    invitation, token = services.invitation_create(
        actor=host, space=private_space, role=Role.FACILITATOR, note="For Otto", days=7
    )
    assert invitation.token_hash == Invitation.hash(token) and token not in invitation.token_hash
    assert "invitation.created" in actions(private_space)

    joined = services.invitation_accept(actor=outsider, token=token, perspective=Perspective.PRACTITIONER)

    assert (joined.role, joined.perspective) == (Role.FACILITATOR, Perspective.PRACTITIONER)
    invitation.refresh_from_db()
    assert invitation.uses == 1
    assert history_of(private_space, outsider) == [("joined", Role.FACILITATOR, Perspective.PRACTITIONER)]


def test_accepting_an_invitation_withdraws_a_waiting_request(space, host, outsider):
    request = services.join_request_create(actor=outsider, space=space, perspective=Perspective.COMMUNITY)
    _invitation, token = services.invitation_create(actor=host, space=space)
    services.invitation_accept(actor=outsider, token=token, perspective=Perspective.COMMUNITY)
    request.refresh_from_db()
    assert request.status == JoinRequest.Status.WITHDRAWN


NOT_WORKING = "expired or has already been used"


def test_an_expired_invitation_is_refused(private_space, host, outsider):
    _invitation, token = services.invitation_create(actor=host, space=private_space, days=3)
    with (
        time_machine.travel(timezone.now() + dt.timedelta(days=3, seconds=1), tick=False),
        pytest.raises(ValidationError, match=NOT_WORKING),
    ):
        services.invitation_accept(actor=outsider, token=token, perspective=Perspective.COMMUNITY)
    assert not Membership.objects.filter(space=private_space, user=outsider).exists()


def test_an_invitation_still_works_just_before_it_expires(private_space, host, outsider):
    _invitation, token = services.invitation_create(actor=host, space=private_space, days=3)
    with time_machine.travel(timezone.now() + dt.timedelta(days=3, seconds=-60), tick=False):
        services.invitation_accept(actor=outsider, token=token, perspective=Perspective.COMMUNITY)
    assert Membership.objects.filter(space=private_space, user=outsider).exists()


def test_a_revoked_invitation_is_refused(private_space, host, outsider):
    invitation, token = services.invitation_create(actor=host, space=private_space)
    services.invitation_revoke(actor=host, invitation=invitation)
    assert selectors.invitation_for_token(token) is None
    with pytest.raises(ValidationError, match=NOT_WORKING):
        services.invitation_accept(actor=outsider, token=token, perspective=Perspective.COMMUNITY)
    assert "invitation.revoked" in actions(private_space)


def test_an_unknown_invitation_token_is_refused(outsider):
    with pytest.raises(ValidationError, match=NOT_WORKING):
        services.invitation_accept(actor=outsider, token="not-a-token", perspective=Perspective.COMMUNITY)


def test_max_uses_is_enforced(private_space, host, outsider):
    invitation, token = services.invitation_create(actor=host, space=private_space, max_uses=2)
    first, second = make_person("First Guest"), make_person("Second Guest")
    services.invitation_accept(actor=first, token=token, perspective=Perspective.COMMUNITY)
    services.invitation_accept(actor=second, token=token, perspective=Perspective.CARER)

    with pytest.raises(ValidationError, match=NOT_WORKING):
        services.invitation_accept(actor=outsider, token=token, perspective=Perspective.COMMUNITY)
    invitation.refresh_from_db()
    assert invitation.uses == 2
    assert not Membership.objects.filter(space=private_space, user=outsider).exists()


def test_a_member_cannot_use_an_invitation_to_the_same_space(private_space, host, member):
    invitation, token = services.invitation_create(actor=host, space=private_space)
    with pytest.raises(ValidationError, match="already a member"):
        services.invitation_accept(actor=member, token=token, perspective=Perspective.COMMUNITY)
    invitation.refresh_from_db()
    assert invitation.uses == 0


@pytest.mark.parametrize(
    ("days", "max_uses", "field"),
    [(0, 1, "days"), (91, 1, "days"), (14, 0, "max_uses"), (14, 501, "max_uses")],
)
def test_invitation_limits(private_space, host, days, max_uses, field):
    with pytest.raises(ValidationError) as error:
        services.invitation_create(actor=host, space=private_space, days=days, max_uses=max_uses)
    assert field in error.value.message_dict
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("who", ["facilitator", "member", "outsider"])
def test_only_hosts_invite_and_revoke(private_space, host, persona, who):
    with pytest.raises(PermissionDenied):
        services.invitation_create(actor=persona(who), space=private_space)
    invitation, _token = services.invitation_create(actor=host, space=private_space)
    with pytest.raises(PermissionDenied):
        services.invitation_revoke(actor=persona(who), invitation=invitation)
    invitation.refresh_from_db()
    assert not invitation.revoked


# --- Stages ---------------------------------------------------------------------------------------


def test_stage_update_changes_status_and_dates_and_audits_publicly(space, host):
    stage = space.stages.get(kind=StageKind.CO_DESIGN)
    services.stage_update(
        actor=host,
        stage=stage,
        status=StageStatus.OPEN,
        starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2026, 3, 31),
    )
    stage.refresh_from_db()
    assert (stage.status, stage.starts_on, stage.ends_on) == (
        StageStatus.OPEN,
        dt.date(2026, 3, 1),
        dt.date(2026, 3, 31),
    )
    event = AuditEvent.objects.get(space=space, action="stage.updated")
    assert event.public and "now open" in event.summary
    assert event.changes["starts_on"] == [None, "2026-03-01"]


def test_a_stage_cannot_end_before_it_starts(space, host):
    stage = space.stages.get(kind=StageKind.CO_DESIGN)
    with pytest.raises(ValidationError) as error:
        services.stage_update(
            actor=host, stage=stage, starts_on=dt.date(2026, 3, 10), ends_on=dt.date(2026, 3, 9)
        )
    assert "ends_on" in error.value.message_dict
    stage.refresh_from_db()
    assert (stage.starts_on, stage.ends_on) == (None, None)
    assert not AuditEvent.objects.filter(action="stage.updated").exists()


def test_a_stage_may_start_and_end_on_the_same_day(space, host):
    stage = space.stages.get(kind=StageKind.CO_DESIGN)
    services.stage_update(
        actor=host, stage=stage, starts_on=dt.date(2026, 3, 10), ends_on=dt.date(2026, 3, 10)
    )
    stage.refresh_from_db()
    assert stage.ends_on == dt.date(2026, 3, 10)


def test_stage_update_refuses_unknown_status_and_non_hosts(space, host, facilitator):
    stage = space.stages.get(kind=StageKind.CO_DESIGN)
    with pytest.raises(ValidationError):
        services.stage_update(actor=host, stage=stage, status="paused")
    with pytest.raises(PermissionDenied):
        services.stage_update(actor=facilitator, stage=stage, status=StageStatus.OPEN)
    stage.refresh_from_db()
    assert stage.status == StageStatus.NOT_STARTED


def test_stage_update_with_no_change_records_nothing(space, host):
    stage = space.stages.get(kind=StageKind.CO_DESIGN)
    services.stage_update(actor=host, stage=stage, status=StageStatus.NOT_STARTED, summary="")
    assert not AuditEvent.objects.filter(action="stage.updated").exists()


# --- Assisted participation -----------------------------------------------------------------------


def test_assisted_person_add_makes_an_email_less_member_audited_on_their_behalf(space, facilitator):
    added = services.assisted_person_add(
        actor=facilitator,
        space=space,
        display_name=" Margaret ",
        perspective=Perspective.LIVED_EXPERIENCE,
        contact_preference="post",
    )
    person = added.user
    assert person.email is None and person.is_assisted and not person.has_usable_password()
    assert (person.display_name, person.assisted_by, person.contact_preference) == (
        "Margaret",
        facilitator,
        "post",
    )
    assert (added.role, added.perspective) == (Role.MEMBER, Perspective.LIVED_EXPERIENCE)
    events = AuditEvent.objects.filter(on_behalf_of=person).order_by("id")
    assert [(e.action, e.actor) for e in events] == [
        ("person.added_with_help", facilitator),
        ("membership.created", facilitator),
    ]


def test_two_assisted_people_can_both_have_no_email(space, facilitator):
    services.assisted_person_add(
        actor=facilitator, space=space, display_name="A", perspective=Perspective.CARER
    )
    services.assisted_person_add(
        actor=facilitator, space=space, display_name="B", perspective=Perspective.CARER
    )
    assert User.objects.filter(email__isnull=True).count() == 2


def test_only_facilitators_and_hosts_add_people_with_help(space, member):
    with pytest.raises(PermissionDenied):
        services.assisted_person_add(
            actor=member, space=space, display_name="M", perspective=Perspective.CARER
        )
    assert not User.objects.filter(email__isnull=True).exists()


def test_a_facilitator_changing_an_assisted_persons_perspective_is_audited_on_their_behalf(
    space, facilitator
):
    added = services.assisted_person_add(
        actor=facilitator, space=space, display_name="Margaret", perspective=Perspective.LIVED_EXPERIENCE
    )
    services.membership_update(actor=facilitator, membership=added, perspective=Perspective.CARER)

    event = AuditEvent.objects.get(action="membership.changed", target_id=added.pk)
    assert (event.actor, event.on_behalf_of) == (facilitator, added.user)
    assert event.changes == {"perspective": [Perspective.LIVED_EXPERIENCE, Perspective.CARER]}
    assert history_of(space, added.user)[-1] == ("changed", Role.MEMBER, Perspective.CARER)


def test_a_member_changing_their_own_perspective_is_not_on_anyones_behalf(space, member):
    services.membership_update(
        actor=member, membership=membership(space, member), perspective=Perspective.CARER
    )
    lena = membership(space, member)
    assert AuditEvent.objects.get(action="membership.changed", target_id=lena.pk).on_behalf_of is None


def test_text_over_its_limit_is_refused_by_the_service_not_only_the_form(host):
    from django.core.exceptions import ValidationError

    from coproduce.spaces.models import Space

    with pytest.raises(ValidationError) as error:
        services.space_create(actor=host, title="Too long", purpose="x" * 2001)
    assert "purpose" in error.value.message_dict
    assert not Space.objects.filter(title="Too long").exists()


def test_a_slug_taken_between_the_check_and_the_insert_gets_a_fresh_one(host, monkeypatch):
    first = services.space_create(actor=host, title="Same title", purpose="One.")
    # Simulate the race: the uniqueness check sees the slug free although it is taken.
    monkeypatch.setattr(services.spaces, "_unique_slug", lambda title: "same-title")
    second = services.space_create(actor=host, title="Same title", purpose="Two.")
    assert second.slug != first.slug
    assert second.slug.startswith("same-title-")
