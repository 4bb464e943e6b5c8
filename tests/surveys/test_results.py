"""Results: multiple choice counted per option, scales, small groups hidden in anonymous surveys, CSV
export with formulas neutralised, and a number of queries that does not grow with the answers."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.conftest import make_members

from coproduce.surveys import selectors, services

from .conftest import answers, build_survey


def _result(found, question):
    return next(r for r in found["questions"] if r.question.pk == question.pk)


def test_multiple_choice_is_counted_per_option_as_a_share_of_people(survey, member, practitioner, host):
    services.response_create(actor=member, survey=survey, sent=answers(survey, days=("Mon", "Tue")))
    services.response_create(actor=practitioner, survey=survey, sent=answers(survey, days=("Mon",), scale=2))
    services.response_create(
        actor=host, survey=survey, sent=answers(survey, days=("Wed",), uses="No", why="x", scale=5)
    )
    found = selectors.results(survey)
    assert found["respondents"] == 3
    days = _result(found, survey.q["multiple"])
    assert [(b.label, b.count, b.percent) for b in days.bars] == [
        ("Mon", 2, 66.7),
        ("Tue", 1, 33.3),
        ("Wed", 1, 33.3),
    ]
    uses = _result(found, survey.q["single"])
    assert [(b.label, b.count) for b in uses.bars] == [("Yes", 2), ("No", 1)]
    scale = _result(found, survey.q["scale"])
    assert scale.average == round((4 + 2 + 5) / 3, 2)
    assert [b.count for b in scale.bars] == [0, 1, 0, 1, 1]
    assert scale.bars[3].width == pytest.approx(300 * 33.3 / 100, abs=0.1)  # drawn to scale


def test_drafts_are_not_counted(survey, member):
    response = services.draft_for(actor=member, survey=survey)
    services.draft_save(
        actor=member,
        response=response,
        questions=[survey.q["scale"]],
        sent={survey.q["scale"].pk: 2},
        reached=1,
    )
    assert selectors.results(survey)["respondents"] == 0
    assert _result(selectors.results(survey), survey.q["scale"]).answered == 0


def test_perspective_groups_under_five_are_not_shown_in_an_anonymous_survey(survey, space, host):
    people = make_members(space, host, 8)  # 2 of each of four perspectives
    extra = make_members(space, host, 4, name="Lived")  # lived experience: 2 + ... see below
    for person in people + extra:
        services.response_create(actor=person, survey=survey, sent=answers(survey))
    groups = selectors.perspective_groups(survey)
    found = selectors.results(survey)
    shown = {label for label, _n in found["groups"]}
    assert found["suppressed"]
    for perspective, n in groups.items():
        label = dict(__import__("coproduce.spaces.models", fromlist=["Perspective"]).Perspective.choices)[
            perspective
        ]
        assert (label in shown) == (n >= 5)
    breakdown = _result(found, survey.q["single"]).groups
    assert all(row.respondents >= 5 for row in breakdown)


def test_a_named_survey_shows_every_group(named_survey, member, practitioner):
    services.response_create(actor=member, survey=named_survey, sent=answers(named_survey))
    services.response_create(actor=practitioner, survey=named_survey, sent=answers(named_survey))
    found = selectors.results(named_survey)
    assert not found["suppressed"] and len(found["groups"]) == 2


@pytest.mark.parametrize("text", ['=HYPERLINK("x")', "+1", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_safe_cell_prefixes_formula_starts(text):
    assert selectors.safe_cell(text) == "'" + text
    assert selectors.safe_cell("plain " + text) == "plain " + text


@pytest.mark.parametrize("text", ['=HYPERLINK("x")', "+1", "-2", "@SUM(A1)"])
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(survey, member, text):
    services.response_create(actor=member, survey=survey, sent=answers(survey, text=text))
    rows = list(
        csv.reader(io.StringIO("".join(selectors.csv_lines(selectors.export_rows(survey, names=False)))))
    )
    column = rows[0].index("Anything else?")
    assert rows[1][column] == "'" + text


def test_csv_has_one_row_per_response_and_a_column_per_grid_row(named_survey, member):
    sent = answers(named_survey, days=("Mon", "Wed"))
    grid = named_survey.q["grid"]
    sent[grid.pk] = {o.pk: i + 2 for i, o in enumerate(grid.options.all())}
    services.response_create(actor=member, survey=named_survey, sent=sent)
    lines = list(selectors.csv_lines(selectors.export_rows(named_survey, names=True), excel=True))
    assert lines[0] == "\ufeff"
    rows = list(csv.reader(io.StringIO("".join(lines[1:]))))
    header, row = rows
    assert row[header.index("name")] == "Lena Lived"
    assert row[header.index("Which days?")] == "Mon; Wed"
    assert row[header.index("Rate these: Staff")] == "2" and row[header.index("Rate these: Rooms")] == "3"


def _queries(survey) -> int:
    with CaptureQueriesContext(connection) as ctx:
        selectors.results(survey, show_hidden=True)
    return len(ctx.captured_queries)


def test_results_take_a_fixed_number_of_queries(space, host, facilitator):
    survey = build_survey(space, facilitator)
    people = make_members(space, host, 12)
    services.response_create(actor=people[0], survey=survey, sent=answers(survey, text="a"))
    few = _queries(survey)
    for person in people[1:]:
        services.response_create(
            actor=person, survey=survey, sent=answers(survey, text="b", days=("Tue", "Wed"))
        )
    assert _queries(survey) == few <= 15
    # Nothing changed: the counts come from the cache.
    assert _queries(survey) < few


def test_cached_counts_follow_every_change(survey, member, practitioner, host):
    services.response_create(actor=member, survey=survey, sent=answers(survey, text="First"))
    assert selectors.results(survey)["respondents"] == 1
    services.response_create(actor=practitioner, survey=survey, sent=answers(survey, text="Second"))
    assert selectors.results(survey)["respondents"] == 2  # the same (stale) survey object, fresh counts
    from coproduce.surveys.models import Answer

    hidden = Answer.objects.get(text="Second")
    services.answer_hide(actor=host, answer=hidden, reason="Names someone")
    texts = _result(selectors.results(survey), survey.q["text"]).texts
    assert [t.text for t in texts] == ["First"]
    shown_to_hosts = _result(selectors.results(survey, show_hidden=True), survey.q["text"]).texts
    assert [t.text for t in shown_to_hosts] == ["Second", "First"]


def test_place_standard_scores_and_radar(space, host, member, practitioner):
    survey = services.place_standard_create(actor=host, space=space)
    services.survey_set_status(actor=host, survey=survey, status="open")
    scales = list(survey.questions.filter(kind="scale7").order_by("section__position"))
    for person, score in ((member, 3), (practitioner, 6)):
        services.response_create(actor=person, survey=survey, sent={q.pk: score for q in scales})
    scores = selectors.place_scores(survey)
    assert len(scores) == 14 and all(value == 4.5 for _c, _l, value in scores)
    chart = selectors.radar(scores)
    assert len(chart["axes"]) == 14 and len(chart["rings"]) == 7
    first_x, first_y = (float(v) for v in chart["polygon"].split()[0].split(","))
    assert first_x == 200 and first_y == pytest.approx(200 - 140 * 4.5 / 7, abs=0.1)  # the top axis, to scale


def test_a_small_group_cannot_be_worked_out_from_the_others():
    from coproduce.surveys.selectors.results import shown_perspectives

    # Carers (2) are hidden; showing the 8 people with lived experience would let anyone take them from
    # the whole and read the carers' answers: so they are hidden too.
    assert shown_perspectives({"lived_experience": 8, "carer": 2}, anonymous=True) == []
    assert shown_perspectives({"lived_experience": 8, "practitioner": 6, "carer": 2}, anonymous=True) == [
        "lived_experience"
    ]
    assert shown_perspectives({"lived_experience": 8, "practitioner": 6}, anonymous=True) == [
        "lived_experience",
        "practitioner",
    ]
    assert shown_perspectives({"lived_experience": 8, "carer": 2}, anonymous=False) == [
        "lived_experience",
        "carer",
    ]


def test_place_standard_by_perspective_shows_only_groups_of_five(space, host):
    survey = services.place_standard_create(actor=host, space=space)
    services.survey_set_status(actor=host, survey=survey, status="open")
    scales = list(survey.questions.filter(kind="scale7").order_by("section__position"))
    people = make_members(space, host, 12)  # four perspectives in turn: 3 each
    more = make_members(space, host, 8, name="More")  # 2 more each: 5 each
    for i, person in enumerate(people + more):
        services.response_create(actor=person, survey=survey, sent={q.pk: 1 + i % 7 for q in scales})
    found = selectors.place_by_perspective(survey)
    assert len(found["headings"]) == 4 and len(found["rows"]) == 14
    assert all(value is not None for _label, values in found["rows"] for value in values)


def test_place_standard_by_area_shows_only_areas_of_five(space, host):
    survey = services.place_standard_create(
        actor=host, space=space, areas=["Town centre", "Spateston", "Quarrelton"]
    )
    area_question = survey.questions.get(code="area")
    assert area_question.kind == "single" and not area_question.required
    area = {o.label: o.pk for o in area_question.options.all()}
    services.survey_set_status(actor=host, survey=survey, status="open")
    scales = list(survey.questions.filter(kind="scale7").order_by("section__position"))
    people = make_members(space, host, 16)
    # 7 in the town centre (score 2), 6 in Spateston (score 6), 2 in Quarrelton, 1 who did not say.
    where = ["Town centre"] * 7 + ["Spateston"] * 6 + ["Quarrelton"] * 2 + [None]
    for person, place in zip(people, where, strict=True):
        score = {"Town centre": 2, "Spateston": 6}.get(place or "", 4)
        sent = {q.pk: score for q in scales}
        if place:
            sent[area_question.pk] = area[place]
        services.response_create(actor=person, survey=survey, sent=sent)
    # Quarrelton (2) and "did not say" (1) are hidden; together 3, so the smallest shown area goes too.
    found = selectors.place_by_area(survey)
    assert [(a["area"], a["people"]) for a in found] == [("Town centre", 7)]
    assert all(value == 2 for _c, _l, value in found[0]["scores"])
    assert len(found[0]["chart"]["axes"]) == 14

    two_more = make_members(space, host, 2, name="Late")
    for person in two_more:
        sent = {q.pk: 4 for q in scales} | {area_question.pk: area["Quarrelton"]}
        services.response_create(actor=person, survey=survey, sent=sent)
    # Quarrelton now has 4 and "did not say" 1: 5 hidden, so both larger areas are shown.
    found = selectors.place_by_area(survey)
    assert [(a["area"], a["people"]) for a in found] == [("Town centre", 7), ("Spateston", 6)]
    assert all(value == 6 for _c, _l, value in found[1]["scores"])


def test_place_standard_areas_are_checked(space, host):
    from django.core.exceptions import ValidationError

    for areas, message in (
        (["Only one"], "at least two"),
        (["Paisley", "paisley"], "different"),
        (["x" * 101, "Paisley"], "under 100"),
    ):
        with pytest.raises(ValidationError) as error:
            services.place_standard_create(actor=host, space=space, areas=areas)
        assert message in str(error.value.message_dict["areas"])
    assert not space.surveys.exists()  # nothing half-written
    plain = services.place_standard_create(actor=host, space=space)
    assert not plain.questions.filter(code="area").exists()
    assert selectors.place_by_area(plain) == []
