"""The invariants hold in the database itself, even for code that skips the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from coproduce.spaces.models import Invitation, JoinRequest, Membership, Perspective, Role, Stage, StageKind


def refused(make) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_one_membership_per_person_per_space(space, member):
    refused(
        lambda: Membership.objects.create(
            space=space, user=member, role=Role.MEMBER, perspective=Perspective.CARER
        )
    )
    assert Membership.objects.filter(space=space, user=member).count() == 1


def test_one_pending_join_request_per_person_per_space(space, outsider):
    JoinRequest.objects.create(space=space, user=outsider, perspective=Perspective.COMMUNITY)
    refused(lambda: JoinRequest.objects.create(space=space, user=outsider, perspective=Perspective.CARER))
    # Answered requests do not block a new one.
    JoinRequest.objects.filter(space=space, user=outsider).update(status=JoinRequest.Status.WITHDRAWN)
    JoinRequest.objects.create(space=space, user=outsider, perspective=Perspective.CARER)
    assert JoinRequest.objects.filter(space=space, user=outsider).count() == 2


def test_a_declined_join_request_has_a_reason(space, outsider):
    refused(
        lambda: JoinRequest.objects.create(
            space=space, user=outsider, perspective=Perspective.COMMUNITY, status=JoinRequest.Status.DECLINED
        )
    )
    request = JoinRequest.objects.create(space=space, user=outsider, perspective=Perspective.COMMUNITY)
    refused(lambda: JoinRequest.objects.filter(pk=request.pk).update(status=JoinRequest.Status.DECLINED))
    JoinRequest.objects.filter(pk=request.pk).update(status=JoinRequest.Status.DECLINED, reason="Full")


def test_a_stage_cannot_end_before_it_starts(space):
    stage = space.stages.get(kind=StageKind.CO_DESIGN)
    refused(
        lambda: Stage.objects.filter(pk=stage.pk).update(
            starts_on=dt.date(2026, 3, 2), ends_on=dt.date(2026, 3, 1)
        )
    )
    Stage.objects.filter(pk=stage.pk).update(starts_on=dt.date(2026, 3, 2), ends_on=dt.date(2026, 3, 2))


def test_one_stage_of_each_kind_per_space(space):
    refused(lambda: Stage.objects.create(space=space, kind=StageKind.CO_DESIGN, position=9))
    refused(lambda: Stage.objects.create(space=space, kind="co_dreaming", position=9))
    assert space.stages.count() == 4


def test_an_invitation_is_never_used_more_than_max_uses(space, host):
    invitation = Invitation.objects.create(
        space=space,
        token_hash=Invitation.hash("t"),
        created_by=host,
        max_uses=2,
        expires_at=timezone.now() + dt.timedelta(days=1),
    )
    Invitation.objects.filter(pk=invitation.pk).update(uses=2)
    refused(lambda: Invitation.objects.filter(pk=invitation.pk).update(uses=3))
    refused(lambda: Invitation.objects.filter(pk=invitation.pk).update(max_uses=0, uses=0))
    invitation.refresh_from_db()
    assert (invitation.uses, invitation.max_uses) == (2, 2)


def test_only_known_roles_and_perspectives(space, outsider):
    refused(
        lambda: Membership.objects.create(
            space=space, user=outsider, role="owner", perspective=Perspective.CARER
        )
    )
    refused(
        lambda: Membership.objects.create(
            space=space, user=outsider, role=Role.MEMBER, perspective="bystander"
        )
    )
    assert not Membership.objects.filter(space=space, user=outsider).exists()


def test_a_space_has_a_title_and_a_known_visibility(space):
    from coproduce.spaces.models import Space

    refused(lambda: Space.objects.filter(pk=space.pk).update(title=""))
    refused(lambda: Space.objects.filter(pk=space.pk).update(visibility="secret"))
