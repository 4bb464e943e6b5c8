"""The Place Standard (Scotland): 14 themes, each scored from 1 (a lot of room for improvement) to 7 (very
little), with what is good now and what could be better. A ready survey, made in one step."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from coproduce.people.models import User
from coproduce.spaces.models import Space

from ..models import Audience, QuestionKind, ResultsTo, Survey, Template
from .answering import AREA_CODE
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


AREAS_MAX = 30


def clean_areas(areas: list[str] | None) -> list[str]:
    """The areas a host lists (neighbourhoods, postcode districts): none, or two to 30 different short names."""
    names = [" ".join(name.split()) for name in areas or [] if name and name.strip()]
    if not names:
        return []
    if len(names) < 2:
        raise ValidationError({"areas": _("Give at least two areas, one a line, or none.")})
    if len(names) > AREAS_MAX:
        raise ValidationError({"areas": _("Give at most %(n)s areas.") % {"n": AREAS_MAX}})
    if len({name.casefold() for name in names}) != len(names):
        raise ValidationError({"areas": _("Each area must be different.")})
    if any(len(name) > 100 for name in names):
        raise ValidationError({"areas": _("Keep each area under 100 characters.")})
    return names


@transaction.atomic
def place_standard_create(
    *, actor: User, space: Space, title: str = "", areas: list[str] | None = None
) -> Survey:
    """A draft Place Standard survey: a section per theme, each with its 1–7 score and two free-text
    questions. With `areas` (the neighbourhoods or postcode districts the host lists), a first question asks
    which one the person lives in, and the results are shown by area too. The host sets the dates and opens
    it."""
    names = clean_areas(areas)
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
    if names:
        first.title = _("Where you live")
        first.save(update_fields=["title"])
        question_add(
            actor=actor,
            survey=survey,
            section=first,
            kind=QuestionKind.SINGLE,
            text=_("Which area do you live in?"),
            hint=_(
                "So that the results can be shown by area. Groups of fewer than 5 people are never shown."
            ),
            required=False,
            options=names,
            code=AREA_CODE,
        )
    else:
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
