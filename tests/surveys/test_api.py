"""The surveys API: answering in one go, bad input named by field, paper answers, results and CSV."""

from __future__ import annotations

from tests.api_client import Api

from coproduce.surveys.models import Response

from .conftest import answers


def _sent(survey, **kwargs):
    return {str(k): v for k, v in answers(survey, **kwargs).items()}


def test_a_member_answers_and_reads_the_results(survey, member):
    assert Api(member).get(f"/surveys/{survey.pk}/results").json()["place_standard"] is None
    api = Api(member)
    detail = api.get(f"/surveys/{survey.pk}").json()
    assert [q["kind"] for q in detail["questions"]][:3] == ["single", "text", "multiple"]
    assert detail["questions"][1]["show_if_option"] == survey.q["single"].options.get(label="No").pk
    made = api.post(f"/surveys/{survey.pk}/responses", {"answers": _sent(survey, days=("Mon", "Tue"))})
    assert made.status_code == 201 and made.json()["entered_on_behalf"] is False
    again = api.post(f"/surveys/{survey.pk}/responses", {"answers": _sent(survey)})
    assert again.status_code == 409
    results = api.get(f"/surveys/{survey.pk}/results").json()
    days = next(q for q in results["questions"] if q["id"] == survey.q["multiple"].pk)
    assert [(c["label"], c["count"], c["percent"]) for c in days["counts"]] == [
        ("Mon", 1, 100.0),
        ("Tue", 1, 100.0),
        ("Wed", 0, 0.0),
    ]


def test_a_scale_out_of_range_is_named_and_nothing_is_written(survey, member):
    sent = _sent(survey)
    sent[str(survey.q["scale"].pk)] = 8
    answer = Api(member).post(f"/surveys/{survey.pk}/responses", {"answers": sent})
    assert answer.status_code == 422
    assert "from 1 to 5" in str(answer.json()["detail"])
    assert not Response.objects.exists()


def test_a_missing_required_answer_is_named(survey, member):
    sent = _sent(survey)
    del sent[str(survey.q["single"].pk)]
    answer = Api(member).post(f"/surveys/{survey.pk}/responses", {"answers": sent})
    assert answer.status_code == 422 and "Do you use it?" in str(answer.json()["detail"])


def test_paper_answers_for_someone_who_did_not_ask_are_refused(survey, facilitator, member, margaret):
    api = Api(facilitator)
    refused = api.post(
        f"/surveys/{survey.pk}/responses", {"answers": _sent(survey), "on_behalf_of": member.pk}
    )
    assert refused.status_code == 403
    made = api.post(
        f"/surveys/{survey.pk}/responses", {"answers": _sent(survey), "on_behalf_of": margaret.pk}
    )
    assert made.status_code == 201 and made.json()["entered_on_behalf"] is True


def test_the_csv_export(survey, host, member):
    Api(member).post(f"/surveys/{survey.pk}/responses", {"answers": _sent(survey, text="@danger")})
    page = Api(host).get(f"/surveys/{survey.pk}/results.csv?excel=true")
    body = b"".join(page.streaming_content).decode()
    assert body.startswith("\ufeff") and "'@danger" in body


def test_a_place_standard_round_by_area_through_the_api(space, host, member):
    from tests.conftest import make_members

    from coproduce.surveys import services

    survey = services.place_standard_create(actor=host, space=space, areas=["North", "South"])
    survey = services.survey_set_status(actor=host, survey=survey, status="open")
    area = survey.questions.get(code="area")
    north = area.options.get(label="North").pk
    scales = list(survey.questions.filter(kind="scale7"))
    for person in make_members(space, host, 5):
        services.response_create(
            actor=person, survey=survey, sent={q.pk: 5 for q in scales} | {area.pk: north}
        )
    found = Api(member).get(f"/surveys/{survey.pk}/results").json()["place_standard"]
    assert len(found["themes"]) == 14 and found["themes"][0]["average"] == 5
    assert [(a["area"], a["respondents"]) for a in found["by_area"]] == [("North", 5)]  # South: nobody
