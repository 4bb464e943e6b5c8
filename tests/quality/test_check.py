"""The check on spaces built with real records: levels, counts per module, the task path, bounded queries."""

from __future__ import annotations

import pytest
from tests.conftest import make_members

from coproduce.lib.quality.evidence import Measure
from coproduce.lib.quality.rules import Step
from coproduce.quality import selectors, services
from coproduce.quality.models import QualityCheck

from .conftest import build_consultation, build_coproduction, computed, meeting

pytestmark = pytest.mark.django_db


def test_a_coproduction_space_reaches_coproduction(space, host, facilitator, member, practitioner):
    build_coproduction(space, host, facilitator, member, practitioner)
    check = computed(space)
    assert check.judgement["level"] == Step.CO_PRODUCTION, check.judgement["suggestions"]
    assert check.judgement["arnstein"] == "citizen_power"
    assert not check.pending


def test_a_consultation_only_space_is_never_above_consultation(
    space, host, facilitator, member, practitioner
):
    build_consultation(space, host, facilitator, member, practitioner)
    check = computed(space)
    assert Step(check.judgement["level"]).rank <= Step.CONSULTATION.rank


def test_moving_the_actions_to_professionals_lowers_the_level(space, host, facilitator, member, practitioner):
    build_coproduction(space, host, facilitator, member, practitioner)
    from coproduce.actions.models import Action

    Action.objects.filter(space=space, owner=member).update(
        owner=practitioner, owner_perspective="practitioner"
    )
    check = computed(space)
    assert Step(check.judgement["level"]).rank < Step.CO_PRODUCTION.rank
    failing = {s["rule"] for s in check.judgement["suggestions"]}
    assert "lived_own_actions" in failing


def test_evidence_counts_each_module(space, host, facilitator, member, practitioner):
    build_coproduction(space, host, facilitator, member, practitioner)
    e = selectors.gather_evidence(space)
    assert e.count(Measure.AGENDA_ITEMS, stages=["co_design"], perspectives=["lived_experience"]) == 2
    assert e.count(Measure.AGENDA_ITEMS, stages=["co_design"], perspectives=["practitioner"]) == 2
    assert e.count(Measure.AGENDA_ITEMS, stages=["co_assessment"]) == 1
    assert e.count(Measure.DECISION_AGREE) == 2
    assert e.count(Measure.IDEAS_WRITTEN, perspectives=["lived_experience"]) == 2
    assert e.count(Measure.IDEAS_ADOPTED, perspectives=["lived_experience"]) == 1
    assert e.count(Measure.IDEAS_ADOPTED, perspectives=["practitioner"]) == 0
    assert e.count(Measure.ACTIONS_OWNED, stages=["co_delivery"], perspectives=["lived_experience"]) == 2
    assert e.count(Measure.ACTIONS_OWNED, stages=["co_delivery"], perspectives=["practitioner"]) == 3
    assert e.count(Measure.ACTIONS_COMPLETED) == 1
    assert e.count(Measure.ACTIVE, stages=["co_assessment"], perspectives=["lived_experience"]) == 1
    assert e.members["lived_experience"] == 1 and e.members["practitioner"] == 1
    assert "lived_experience" in e.first_joined
    assert {str(m) for m in e.milestones} == {"first_decision", "agenda_published"}
    assert sorted(t.count for t in e.per_person[Measure.AGENDA_ITEMS]) == [2, 3]


def test_gathering_evidence_takes_the_same_queries_however_much_data(
    space, host, facilitator, member, practitioner, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    build_coproduction(space, host, facilitator, member, practitioner)
    with CaptureQueriesContext(connection) as first:
        selectors.gather_evidence(space)
    people = make_members(space, host, 8)
    workshop = meeting(space, facilitator, 2, title="More")
    from coproduce.actions import services as actions
    from coproduce.ideas import services as ideas
    from coproduce.meetings import services as meetings

    for person in people:
        ideas.idea_create(actor=person, space=space, title=f"Idea of {person}", body="More.")
        meetings.agenda_item_propose(actor=person, meeting=workshop, title=f"Item of {person}")
        actions.action_create(actor=facilitator, space=space, title=f"Task of {person}", owner=person)
    with django_assert_max_num_queries(len(first.captured_queries)):
        e = selectors.gather_evidence(space)
    assert e.count(Measure.IDEAS_WRITTEN) == 3 + 8


def test_the_task_stores_the_check_and_the_page_never_computes(
    space, host, facilitator, member, practitioner
):
    build_coproduction(space, host, facilitator, member, practitioner)
    assert selectors.last_check(space) is None
    check = computed(space)
    assert check.computed_at is not None and check.evidence["version"] == 1
    # Asked for again, but the task has not run: the page shows the last result and says a newer one is coming.
    services.check_request(actor=None, space=space)  # the commit never happens in this test
    check.refresh_from_db()
    assert check.pending and check.judgement["level"] == Step.CO_PRODUCTION


def test_records_behind_a_number(space, host, facilitator, member, practitioner):
    build_coproduction(space, host, facilitator, member, practitioner)
    listed = selectors.records_for(
        space, Measure.ACTIONS_OWNED, ["co_delivery"], ["lived_experience", "carer"], names=True
    )
    assert sorted(r.title for r in listed.records) == ["Draft leaflet", "Find volunteers"]
    assert {r.person for r in listed.records} == {"Lena Lived"}
    hidden = selectors.records_for(
        space, Measure.IDEAS_WRITTEN, ["co_design"], ["lived_experience"], names=False
    )
    assert len(hidden.records) == 2 and {r.person for r in hidden.records} == {""}
    views = selectors.records_for(space, Measure.DECISION_AGREE, ["co_design"], ["practitioner"], names=True)
    assert len(views.records) == 1


def test_target_mix_is_stated_by_hosts_and_checked(space, host, facilitator):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(PermissionDenied):
        services.target_mix_set(actor=facilitator, space=space, shares={"lived_experience": 50})
    with pytest.raises(ValidationError):
        services.target_mix_set(actor=host, space=space, shares={"lived_experience": 70, "carer": 40})
    assert selectors.target_mix(space) == {}
    services.target_mix_set(
        actor=host, space=space, shares={"lived_experience": 60, "carer": 20, "community": 0}
    )
    assert selectors.target_mix(space) == {"lived_experience": 60, "carer": 20}
    assert QualityCheck.objects.filter(space=space, requested_at__isnull=False).exists()
    e = selectors.gather_evidence(space)
    assert e.target_mix == {"lived_experience": 0.6, "carer": 0.2}
