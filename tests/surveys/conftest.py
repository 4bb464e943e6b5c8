import pytest

from coproduce.surveys import services
from coproduce.surveys.models import QuestionKind, SurveyStatus


def build_survey(
    space, facilitator, *, anonymous=True, audience="members", results_to="members", title="Drop-in"
):
    """An open survey with one question of each main kind and a conditional one. `survey.q` names them."""
    survey = services.survey_create(
        actor=facilitator,
        space=space,
        title=title,
        anonymous=anonymous,
        audience=audience,
        results_to=results_to,
    )
    section = survey.sections.get()
    q = {}
    q["single"] = services.question_add(
        actor=facilitator,
        survey=survey,
        section=section,
        kind=QuestionKind.SINGLE,
        text="Do you use it?",
        options=["Yes", "No"],
    )
    q["why"] = services.question_add(
        actor=facilitator,
        survey=survey,
        section=section,
        kind=QuestionKind.TEXT,
        text="Why not?",
        show_if_option=q["single"].options.get(label="No"),
    )
    q["multiple"] = services.question_add(
        actor=facilitator,
        survey=survey,
        section=section,
        kind=QuestionKind.MULTIPLE,
        text="Which days?",
        options=["Mon", "Tue", "Wed"],
    )
    second = services.section_add(actor=facilitator, survey=survey, title="How it feels")
    q["scale"] = services.question_add(
        actor=facilitator,
        survey=survey,
        section=second,
        kind=QuestionKind.SCALE5,
        text="How welcome do you feel?",
    )
    q["text"] = services.question_add(
        actor=facilitator,
        survey=survey,
        section=second,
        kind=QuestionKind.TEXT,
        text="Anything else?",
        required=False,
    )
    q["grid"] = services.question_add(
        actor=facilitator,
        survey=survey,
        section=second,
        kind=QuestionKind.MATRIX,
        text="Rate these",
        options=["Staff", "Rooms"],
        required=False,
    )
    q["number"] = services.question_add(
        actor=facilitator,
        survey=survey,
        section=second,
        kind=QuestionKind.NUMBER,
        text="Visits a month",
        required=False,
    )
    q["date"] = services.question_add(
        actor=facilitator,
        survey=survey,
        section=second,
        kind=QuestionKind.DATE,
        text="First visit",
        required=False,
    )
    survey = services.survey_set_status(actor=facilitator, survey=survey, status=SurveyStatus.OPEN)
    survey.q = q
    return survey


def answers(survey, *, uses="Yes", days=("Mon",), scale=4, text="", why=""):
    q = survey.q
    sent = {
        q["single"].pk: q["single"].options.get(label=uses).pk,
        q["multiple"].pk: [q["multiple"].options.get(label=d).pk for d in days],
        q["scale"].pk: scale,
    }
    if text:
        sent[q["text"].pk] = text
    if why:
        sent[q["why"].pk] = why
    return sent


@pytest.fixture
def survey(space, facilitator):
    return build_survey(space, facilitator)


@pytest.fixture
def named_survey(space, facilitator):
    return build_survey(space, facilitator, anonymous=False, title="Named")


@pytest.fixture
def private_survey(private_space, facilitator):
    return build_survey(private_space, facilitator, title="Private")
