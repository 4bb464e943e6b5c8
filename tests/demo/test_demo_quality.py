"""The demo shows one space that is honestly co-production (the drop-in redesign) and one that is consultation
dressed up as it (the library opening hours), each with its check stored at load, the community it says it
serves, and a National Standards self-assessment; the library's staff rate themselves highly, so the records
disagree with them."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from coproduce.demo.quality import LIBRARY_TITLE
from coproduce.quality import selectors
from coproduce.quality.models import QualityCheck
from coproduce.spaces.models import Perspective, Role, Space


def _results(check: QualityCheck) -> dict[str, dict]:
    return {r["rule"]: r for r in check.judgement["results"]}


def test_the_drop_in_is_co_production_and_the_library_consultation(demo):
    drop_in, library = demo, Space.objects.get(title=LIBRARY_TITLE)
    # Every space's check was worked out at load, and none is waiting for the queue.
    checks = {c.space_id: c for c in QualityCheck.objects.all()}
    assert set(checks) == set(Space.objects.exclude(slug="network-events").values_list("pk", flat=True))
    assert all(not c.pending for c in checks.values())

    honest = checks[drop_in.pk]
    assert honest.judgement["level"] == "co_production"
    assert honest.judgement["arnstein"] == "citizen_power"
    assert not honest.judgement["self_help"]
    met = {rule for rule, r in _results(honest).items() if r["outcome"] == "met"}
    assert {"lived_evaluate", "lived_own_actions", "professional_planning", "professional_delivery"} <= met
    assert {"plans_not_before", "lived_decide", "lived_adopted", "mix_matches_community"} <= met

    dressed_up = checks[library.pk]
    assert dressed_up.judgement["level"] == "consultation"
    library_results = _results(dressed_up)
    assert library_results["community_influence"]["outcome"] == "not_met"
    assert library_results["plans_not_before"]["outcome"] == "not_met"
    assert library_results["plans_not_before"]["finding"].startswith("The budget opened on")
    assert dressed_up.judgement["bovaird"]["cell"] == "traditional"  # professionals plan and deliver
    # It calls itself co-production.
    assert "co-producing" in library.purpose


def test_each_has_a_community_mix_and_a_self_assessment_and_only_the_library_disagrees(demo):
    drop_in, library = demo, Space.objects.get(title=LIBRARY_TITLE)
    assert selectors.target_mix(drop_in)[Perspective.LIVED_EXPERIENCE] == 40
    assert selectors.target_mix(library)[Perspective.COMMUNITY] == 70

    disagreements = {}
    for space in (drop_in, library):
        (assessment,) = selectors.assessments(space)
        ratings = {r.standard: r.rating for r in assessment.ratings.all()}
        assert len(ratings) == 7
        disagreements[space.pk] = selectors.disagreements(space.quality_check, ratings)
    assert disagreements[drop_in.pk] == []
    assert {d.standard for d in disagreements[library.pk]} >= {"inclusion", "planning", "impact"}
    # The drop-in's round was agreed with people who use it (one of them on paper); the library's by staff only.
    (taking_part,) = [a.participants.all() for a in selectors.assessments(drop_in)]
    perspectives = set(drop_in.memberships.filter(user__in=taking_part).values_list("perspective", flat=True))
    assert {Perspective.LIVED_EXPERIENCE, Perspective.CARER} <= perspectives
    (staff,) = [a.participants.all() for a in selectors.assessments(library)]
    assert set(library.memberships.filter(user__in=staff).values_list("perspective", flat=True)) <= {
        Perspective.COMMISSIONER,
        Perspective.PRACTITIONER,
    }


def test_the_pages_show_the_two_levels(demo):
    library = Space.objects.get(title=LIBRARY_TITLE)
    host = demo.memberships.get(role=Role.HOST).user
    client = Client()
    client.force_login(host)
    page = client.get(reverse("quality:check", args=[demo.slug]))
    assert page.status_code == 200 and "Co-production" in page.content.decode()
    library_host = library.memberships.get(role=Role.HOST).user
    client.force_login(library_host)
    page = client.get(reverse("quality:check", args=[library.slug]))
    assert page.status_code == 200 and "Consultation" in page.content.decode()
    standards = client.get(reverse("quality:standards", args=[library.slug])).content.decode()
    assert "Members rate inclusion 6" in standards


def test_a_number_of_active_people_lists_exactly_the_people_it_counted(demo):
    """The lived experience and carers active in the drop-in's co-assessment: the people at the review, not
    every member with those perspectives (Shona, a carer, was not there)."""
    from coproduce.lib.quality.evidence import LIVED, Measure
    from coproduce.lib.quality.serialise import evidence_from_dict

    evidence = evidence_from_dict(demo.quality_check.evidence)
    counted = evidence.count(Measure.ACTIVE, stages=("co_assessment",), perspectives=LIVED)
    listed = selectors.records_for(demo, Measure.ACTIVE, ("co_assessment",), LIVED, names=True).records
    assert len(listed) == counted == 8
    names = {r.person for r in listed}
    assert "Jamie Stewart" in names and "Shona Grant" not in names
    assert all("came to meetings" in r.title.lower() for r in listed)
    assert (
        next(r for r in listed if r.person == "Jamie Stewart").title
        == "Proposed agenda items, came to meetings"
    )
    hidden = selectors.records_for(demo, Measure.ACTIVE, ("co_assessment",), LIVED, names=False).records
    assert {r.person for r in hidden} == {""}
