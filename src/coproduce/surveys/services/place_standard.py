"""The Place Standard (Scotland): 14 themes, each scored from 1 (a lot of room for improvement) to 7 (very
little), with what is good now and what could be better. A ready survey, made in one step."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from coproduce.people.models import User
from coproduce.spaces.models import Space

from ..models import Audience, QuestionKind, ResultsTo, Survey, Template
from .building import question_add, section_add, survey_create

THEMES = [
    ("moving_around", _l("Moving around")),
    ("public_transport", _l("Public transport")),
    ("traffic_and_parking", _l("Traffic and parking")),
    ("streets_and_spaces", _l("Streets and spaces")),
    ("natural_space", _l("Natural space")),
    ("play_and_recreation", _l("Play and recreation")),
    ("facilities_and_amenities", _l("Facilities and amenities")),
    ("work_and_local_economy", _l("Work and local economy")),
    ("housing_and_community", _l("Housing and community")),
    ("social_interaction", _l("Social interaction")),
    ("identity_and_belonging", _l("Identity and belonging")),
    ("feeling_safe", _l("Feeling safe")),
    ("care_and_maintenance", _l("Care and maintenance")),
    ("influence_and_sense_of_control", _l("Influence and sense of control")),
]


@transaction.atomic
def place_standard_create(*, actor: User, space: Space, title: str = "") -> Survey:
    """A draft Place Standard survey: a section per theme, each with its 1–7 score and two free-text
    questions. The host sets the dates and opens it."""
    survey = survey_create(
        actor=actor,
        space=space,
        title=title or _("The Place Standard: how good is our place?"),
        intro=_(
            "For each of the 14 themes, give a score from 1 (there is a lot of room for improvement) to 7 "
            "(there is very little room for improvement), and say what is good now and what could be better."
        ),
        anonymous=True,
        audience=Audience.MEMBERS,
        results_to=ResultsTo.MEMBERS,
        template=Template.PLACE_STANDARD,
    )
    first = survey.sections.get()
    first.delete()
    for code, label in THEMES:
        section = section_add(actor=actor, survey=survey, title=str(label))
        question_add(
            actor=actor,
            survey=survey,
            section=section,
            kind=QuestionKind.SCALE7,
            text=str(label),
            hint=_("1 means there is a lot of room for improvement; 7 means there is very little."),
            code=code,
        )
        question_add(
            actor=actor,
            survey=survey,
            section=section,
            kind=QuestionKind.TEXT,
            text=_("What is good now?"),
            required=False,
            code=f"{code}_good"[:40],
        )
        question_add(
            actor=actor,
            survey=survey,
            section=section,
            kind=QuestionKind.TEXT,
            text=_("What could be better?"),
            required=False,
            code=f"{code}_better"[:40],
        )
    return survey
