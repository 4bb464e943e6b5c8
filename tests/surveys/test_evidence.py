"""What surveys tell the quality check: people who answered, by the stage open on the day and the
perspective kept on the answer; anonymous answers counted and listed without anyone's name."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from tests.conftest import make_members

from coproduce.core.registry import manifests
from coproduce.lib.quality.evidence import Measure
from coproduce.spaces.models import Stage
from coproduce.surveys import services
from coproduce.surveys.evidence import evidence, evidence_records

from .conftest import answers


def _lines(space):
    return sorted(
        (line.measure, line.stage, line.perspective, line.n, line.person) for line in evidence(space).counts
    )


def test_anonymous_answers_count_by_perspective_and_never_name_anyone(space, survey, member, practitioner):
    services.response_create(actor=member, survey=survey, sent=answers(survey))
    services.response_create(actor=practitioner, survey=survey, sent=answers(survey))
    # No stage is dated: surveys' evidence belongs to co-assessment.
    assert _lines(space) == [
        (Measure.SURVEY_RESPONDENTS, "co_assessment", "lived_experience", 1, None),
        (Measure.SURVEY_RESPONDENTS, "co_assessment", "practitioner", 1, None),
    ]
    records = evidence_records(
        space, Measure.SURVEY_RESPONDENTS, ["co_assessment"], ["lived_experience", "practitioner"], limit=10
    )
    assert [(r.title, r.perspective, r.person) for r in records] == [
        (f"“{survey.title}”: 1 answer (anonymous)", "lived_experience", ""),
        (f"“{survey.title}”: 1 answer (anonymous)", "practitioner", ""),
    ]
    assert all(r.url == survey.get_absolute_url() for r in records)
    assert not any(member.display_name in r.title or practitioner.display_name in r.title for r in records)
    # The manifest offers both functions to the quality app.
    surveys = next(m for m in manifests() if m.name == "surveys")
    assert surveys.evidence is not None and surveys.evidence(space).counts
    assert surveys.evidence_records is not None


def test_named_answers_are_one_line_per_person_in_the_stage_open_that_day(
    space, named_survey, member, practitioner
):
    today = timezone.localdate()
    Stage.objects.filter(space=space, kind="co_design").update(
        starts_on=today - dt.timedelta(days=5), ends_on=today + dt.timedelta(days=5)
    )
    services.response_create(actor=member, survey=named_survey, sent=answers(named_survey))
    services.response_create(actor=practitioner, survey=named_survey, sent=answers(named_survey))
    assert _lines(space) == [
        (Measure.SURVEY_RESPONDENTS, "co_design", "lived_experience", 1, member.pk),
        (Measure.SURVEY_RESPONDENTS, "co_design", "practitioner", 1, practitioner.pk),
    ]
    records = evidence_records(space, Measure.SURVEY_RESPONDENTS, ["co_design"], ["practitioner"], limit=10)
    assert [(r.person, r.stage, r.when) for r in records] == [(practitioner.display_name, "co_design", today)]
    # Another stage, another perspective, another measure: nothing.
    assert (
        evidence_records(space, Measure.SURVEY_RESPONDENTS, ["co_assessment"], ["practitioner"], limit=9)
        == []
    )
    assert evidence_records(space, Measure.IDEAS_WRITTEN, ["co_design"], ["practitioner"], limit=9) == []


def test_link_answers_drafts_and_other_spaces_are_not_counted(space, private_space, facilitator, member):
    link = services.survey_create(actor=facilitator, space=space, title="Link", audience="link")
    services.question_add(
        actor=facilitator, survey=link, section=link.sections.get(), kind="scale5", text="How was it?"
    )
    link = services.survey_set_status(actor=facilitator, survey=link, status="open")
    raw = services.tokens_issue(actor=facilitator, survey=link, count=1)[0]
    question = link.questions.get()
    services.response_create(actor=None, survey=link, sent={question.pk: 3}, token=raw)  # no perspective
    services.draft_for(actor=member, survey=link)  # a draft is not an answer
    assert _lines(space) == []
    assert _lines(private_space) == []


def test_the_evidence_takes_the_same_queries_however_many_answered(space, host, survey):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            evidence(space)
            evidence_records(space, Measure.SURVEY_RESPONDENTS, ["co_assessment"], ["carer"], limit=50)
        return len(captured.captured_queries)

    people = make_members(space, host, 4)
    for person in people:
        services.response_create(actor=person, survey=survey, sent=answers(survey))
    few = queries()
    for person in make_members(space, host, 12, name="More"):
        services.response_create(actor=person, survey=survey, sent=answers(survey))
    assert queries() == few
    assert sum(line.n for line in evidence(space).counts) == 16
