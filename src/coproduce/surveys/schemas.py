"""The surveys API's models (names unique across the project: see tests/core/test_api.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from .models import Audience, QuestionKind, ResultsTo, SurveyStatus


class SurveyOptionOut(Schema):
    id: int
    label: str


class SurveyQuestionOut(Schema):
    id: int
    section: str
    kind: QuestionKind
    text: str
    hint: str
    required: bool
    options: list[SurveyOptionOut] = Field(description="Choices, or the rows of a grid")
    scale_max: int = Field(description="The top of the scale (5 or 7; grids 5); 0 for other kinds")
    show_if_option: int | None = Field(
        description="Shown only when this option of an earlier question is chosen"
    )


class SurveyOut(Schema):
    id: int
    space: str
    title: str
    intro: str
    anonymous: bool
    status: SurveyStatus
    audience: Audience
    results_to: ResultsTo
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None
    version: int
    template: str
    url: str


class SurveyDetailOut(SurveyOut):
    questions: list[SurveyQuestionOut]


class SurveyAnswersIn(Schema):
    answers: dict[int, Any] = Field(
        ...,
        description="By question id: an option id (one answer), a list of option ids (any answers), 1–5 or 1–7 "
        "(a scale), text, a number, an ISO date, or {row option id: 1–5} (a grid)",
    )
    on_behalf_of: int | None = Field(None, description="A facilitator entering a member's paper answers")


class SurveyResponseOut(Schema):
    id: int
    submitted_at: dt.datetime
    entered_on_behalf: bool


class SurveyBarOut(Schema):
    label: str
    count: int
    percent: float


class SurveyGroupOut(Schema):
    perspective: str
    respondents: int
    cells: list[str]


class SurveyQuestionResultOut(Schema):
    id: int
    text: str
    kind: QuestionKind
    answered: int
    counts: list[SurveyBarOut]
    average: float | None
    rows: dict[str, list[SurveyBarOut]] = Field(description="A grid: the counts of each row")
    texts: list[str]
    by_perspective: list[SurveyGroupOut]


class PlaceThemeOut(Schema):
    code: str
    theme: str
    average: float | None = Field(description="The average score, 1 to 7; null when nobody scored it")


class PlaceAreaOut(Schema):
    area: str
    respondents: int
    themes: list[PlaceThemeOut]


class PlaceStandardOut(Schema):
    themes: list[PlaceThemeOut]
    by_area: list[PlaceAreaOut] = Field(
        description="The areas the round asks about that may be shown (in an anonymous round, never one "
        "where fewer than 5 people answered, nor one that could be worked out from the others)"
    )


class SurveyResultsOut(Schema):
    respondents: int
    small_groups_hidden: bool
    questions: list[SurveyQuestionResultOut]
    place_standard: PlaceStandardOut | None = Field(None, description="A Place Standard round's themes")
