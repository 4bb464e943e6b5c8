"""Building and answering surveys through the services: what is refused, and what the database refuses."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from tests.conftest import make_members

from coproduce.core.errors import Conflict
from coproduce.core.models import AuditEvent
from coproduce.surveys import services
from coproduce.surveys.models import Answer, AnswerToken, Participation, QuestionKind, Response, SurveyStatus

from .conftest import answers, build_survey


def test_a_member_cannot_build_a_survey(space, member):
    with pytest.raises(PermissionDenied):
        services.survey_create(actor=member, space=space, title="Mine")


def test_a_choice_question_needs_two_choices(space, facilitator):
    survey = services.survey_create(actor=facilitator, space=space, title="S")
    with pytest.raises(ValidationError) as error:
        services.question_add(
            actor=facilitator,
            survey=survey,
            section=survey.sections.get(),
            kind="single",
            text="Q",
            options=["One"],
        )
    assert "options" in error.value.message_dict
    assert not survey.questions.exists()


def test_a_draft_without_questions_cannot_open(space, facilitator):
    survey = services.survey_create(actor=facilitator, space=space, title="S")
    with pytest.raises(ValidationError, match="at least one question"):
        services.survey_set_status(actor=facilitator, survey=survey, status=SurveyStatus.OPEN)


def test_answers_are_stored_one_row_per_chosen_option(survey, member):
    response = services.response_create(
        actor=member, survey=survey, sent=answers(survey, days=("Mon", "Wed"))
    )
    rows = Answer.objects.filter(response=response, question=survey.q["multiple"])
    assert sorted(r.option.label for r in rows) == ["Mon", "Wed"]
    assert response.respondent is None  # anonymous: who answered is kept apart
    assert Participation.objects.filter(survey=survey, user=member).exists()
    assert response.perspective == "lived_experience"
    event = AuditEvent.objects.get(action="survey.answered")
    assert event.target_type == "surveys.survey"  # never the response: it would name who said what


@pytest.mark.parametrize(
    "kind_key,value,message",
    [
        ("scale", 6, "from 1 to 5"),
        ("scale", 0, "from 1 to 5"),
        ("scale", "x", "from 1 to 5"),
        ("single", 999999, "Choose one of the answers"),
        ("number", "lots", "Enter a number"),
        ("date", "2026-02-30", "real date"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_written(survey, member, kind_key, value, message):
    sent = answers(survey)
    sent[survey.q[kind_key].pk] = value
    with pytest.raises(ValidationError, match=message):
        services.response_create(actor=member, survey=survey, sent=sent)
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_a_required_answer_must_be_given(survey, member):
    sent = answers(survey)
    del sent[survey.q["scale"].pk]
    with pytest.raises(ValidationError) as error:
        services.response_create(actor=member, survey=survey, sent=sent)
    assert f"q{survey.q['scale'].pk}" in error.value.message_dict


def test_a_conditional_question_is_needed_only_when_shown(survey, member, practitioner):
    why = survey.q["why"]
    with pytest.raises(ValidationError) as error:
        services.response_create(actor=member, survey=survey, sent=answers(survey, uses="No"))
    assert f"q{why.pk}" in error.value.message_dict
    response = services.response_create(
        actor=member, survey=survey, sent=answers(survey, uses="No", why="Too far")
    )
    assert Answer.objects.get(response=response, question=why).text == "Too far"
    # Answered "Yes": the hidden question's answer is dropped, not kept.
    response = services.response_create(
        actor=practitioner, survey=survey, sent=answers(survey, why="ignored")
    )
    assert not Answer.objects.filter(response=response, question=why).exists()


def test_one_answer_per_person(survey, member):
    services.response_create(actor=member, survey=survey, sent=answers(survey))
    with pytest.raises(Conflict):
        services.response_create(actor=member, survey=survey, sent=answers(survey))
    assert Response.objects.filter(submitted_at__isnull=False).count() == 1


def test_named_survey_database_allows_one_response_per_person(named_survey, member):
    services.response_create(actor=member, survey=named_survey, sent=answers(named_survey))
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(survey=named_survey, respondent=member)


def test_a_question_with_answers_cannot_change_and_a_new_version_keeps_the_old(survey, member, facilitator):
    services.response_create(actor=member, survey=survey, sent=answers(survey))
    question = survey.q["scale"]
    with pytest.raises(ValidationError, match="new version"):
        services.question_edit(actor=facilitator, question=question, text="Changed")
    with pytest.raises(ValidationError, match="new version"):
        services.question_delete(actor=facilitator, question=question)
    question.refresh_from_db()
    assert question.text == "How welcome do you feel?"
    copy = services.survey_new_version(actor=facilitator, survey=survey)
    assert copy.version == 2 and copy.replaces == survey and copy.status == SurveyStatus.DRAFT
    assert copy.questions.count() == survey.questions.count()
    why = copy.questions.get(text="Why not?")
    assert why.show_if_option.question.survey == copy  # the condition points into the copy
    new_scale = copy.questions.get(kind=QuestionKind.SCALE5)
    services.question_edit(actor=facilitator, question=new_scale, text="How at home do you feel?")
    assert Answer.objects.filter(question=question).exists()


def test_reordering_moves_within_a_section(survey, facilitator):
    multiple = survey.q["multiple"]
    services.question_move(actor=facilitator, question=multiple, direction="up")
    order = list(survey.sections.first().questions.order_by("position").values_list("text", flat=True))
    assert order == ["Do you use it?", "Which days?", "Why not?"]
    # A question never moves above the one it depends on.
    with pytest.raises(ValidationError, match="depends on"):
        services.question_move(actor=facilitator, question=survey.q["single"], direction="down")
        services.question_move(actor=facilitator, question=survey.q["single"], direction="down")


def test_drafts_are_saved_by_section_and_sent_after_checking(survey, member):
    response = services.draft_for(actor=member, survey=survey)
    first = [survey.q["single"], survey.q["why"], survey.q["multiple"]]
    services.draft_save(
        actor=member, response=response, questions=first, sent=answers(survey), reached=1, complete=True
    )
    assert response.is_draft
    with pytest.raises(ValidationError):  # the scale, in the second section, is still needed
        services.response_submit(actor=member, response=response)
    second = [survey.q["scale"]]
    services.draft_save(
        actor=member, response=response, questions=second, sent={survey.q["scale"].pk: 3}, reached=2
    )
    sent = services.response_submit(actor=member, response=response)
    assert not sent.is_draft and sent.respondent is None
    assert Answer.objects.filter(response=sent, counted=True).count() == 3


def test_paper_answers_are_entered_for_an_assisted_member(survey, facilitator, margaret):
    response = services.response_create(
        actor=facilitator, survey=survey, sent=answers(survey), on_behalf_of=margaret
    )
    assert response.entered_by == facilitator
    event = AuditEvent.objects.get(action="survey.answered_on_paper")
    assert event.on_behalf_of == margaret and event.actor == facilitator
    assert Participation.objects.get(survey=survey, user=margaret).entered_by == facilitator


def test_paper_answers_need_permission_to_act_for_the_person(survey, facilitator, member, practitioner):
    with pytest.raises(ValidationError, match="has not asked to be helped"):
        services.response_create(actor=facilitator, survey=survey, sent=answers(survey), on_behalf_of=member)
    with pytest.raises(PermissionDenied):
        services.response_create(actor=practitioner, survey=survey, sent=answers(survey), on_behalf_of=member)


def test_a_one_time_link_answers_once(space, facilitator):
    survey = build_survey(space, facilitator, audience="link")
    raw = services.tokens_issue(actor=facilitator, survey=survey, count=2)[0]
    assert services.token_survey_id(raw) == survey.pk
    assert not AnswerToken.objects.filter(token_hash=raw).exists()  # only the hash is kept
    from django.contrib.auth.models import AnonymousUser

    services.response_create(actor=AnonymousUser(), survey=survey, sent=answers(survey), token=raw)
    with pytest.raises(Conflict):
        services.response_create(actor=AnonymousUser(), survey=survey, sent=answers(survey), token=raw)
    with pytest.raises(ValidationError, match="not valid"):
        services.response_create(actor=AnonymousUser(), survey=survey, sent=answers(survey), token=raw + "x")


def test_a_closed_survey_takes_no_answers(survey, facilitator, member):
    services.survey_set_status(actor=facilitator, survey=survey, status=SurveyStatus.CLOSED)
    survey.refresh_from_db()
    with pytest.raises(ValidationError, match="not open"):
        services.response_create(actor=member, survey=survey, sent=answers(survey))


def test_anonymity_cannot_change_after_answers(survey, facilitator, member):
    services.response_create(actor=member, survey=survey, sent=answers(survey))
    with pytest.raises(ValidationError) as error:
        services.survey_update(actor=facilitator, survey=survey, anonymous=False)
    assert "anonymous" in error.value.message_dict


def test_hiding_free_text_needs_a_reason_and_is_audited(survey, member, host):
    response = services.response_create(actor=member, survey=survey, sent=answers(survey, text="Ann is rude"))
    answer = Answer.objects.get(response=response, question=survey.q["text"])
    with pytest.raises(ValidationError):
        services.answer_hide(actor=host, answer=answer, reason=" ")
    services.answer_hide(actor=host, answer=answer, reason="Names a person")
    assert AuditEvent.objects.filter(action="survey.answer_hidden").exists()


def test_the_place_standard_has_fourteen_themes(space, host):
    survey = services.place_standard_create(actor=host, space=space)
    assert survey.sections.count() == 14
    assert survey.questions.filter(kind=QuestionKind.SCALE7).count() == 14
    assert survey.questions.filter(kind=QuestionKind.TEXT).count() == 28


def test_waiting_for_lists_open_surveys_not_yet_answered(survey, space, member, host):
    from coproduce.surveys import selectors

    items = selectors.waiting_for(member)
    assert [i.title for i in items] == ["Answer the survey “Drop-in”"]
    services.response_create(actor=member, survey=survey, sent=answers(survey))
    assert selectors.waiting_for(member) == []
    make_members(space, host, 1)
