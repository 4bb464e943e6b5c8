"""The survey pages: building without JavaScript, answering a section a page with an error summary and
"check your answers", saved drafts, paper answers, one-time links, results with charts, and the CSV."""

from __future__ import annotations

from django.urls import reverse
from tests.conftest import make_members

from coproduce.surveys import services
from coproduce.surveys.models import Answer, Question, Response

from .conftest import answers, build_survey


def test_a_facilitator_builds_a_survey_in_the_browser(client_for, space, facilitator):
    client = client_for(facilitator)
    page = client.post(
        reverse("surveys:create", args=[space.slug]),
        {"title": "Evening opening", "anonymous": "1", "audience": "members", "results_to": "members"},
    )
    assert page.status_code == 302
    survey = space.surveys.get()
    section = survey.sections.get()
    add = reverse("surveys:question_add", args=[space.slug, survey.pk])
    bad = client.post(add, {"section": section.pk, "kind": "single", "text": "Which?", "options": "Only one"})
    assert bad.status_code == 400
    assert "at least two choices" in bad.content.decode() and 'value="Which?"' in bad.content.decode()
    for text in ("First?", "Second?"):
        assert (
            client.post(
                add, {"section": section.pk, "kind": "scale5", "text": text, "required": "on"}
            ).status_code
            == 302
        )
    second = survey.questions.get(text="Second?")
    client.post(
        reverse("surveys:question_move", args=[space.slug, survey.pk, second.pk]), {"direction": "up"}
    )
    assert list(survey.questions.order_by("position").values_list("text", flat=True)) == ["Second?", "First?"]
    page = client.get(reverse("surveys:build", args=[space.slug, survey.pk]))
    assert "Move up" in page.content.decode()
    client.post(reverse("surveys:status", args=[space.slug, survey.pk]), {"status": "open"})
    survey.refresh_from_db()
    assert survey.status == "open"


def test_changing_an_answered_question_is_refused_with_a_new_version_offered(
    client_for, space, facilitator, survey, member
):
    services.response_create(actor=member, survey=survey, sent=answers(survey))
    question = survey.q["scale"]
    url = reverse("surveys:question_edit", args=[space.slug, survey.pk, question.pk])
    opened = client_for(facilitator).get(url)  # only opening it is no error: the page explains
    assert opened.status_code == 200 and "never rewritten" in opened.content.decode()
    page = client_for(facilitator).post(url, {"text": "Rewritten", "required": "on"})
    assert page.status_code == 400
    body = page.content.decode()
    assert "never rewritten" in body and "Make a new version" in body
    question.refresh_from_db()
    assert question.text == "How welcome do you feel?"


def test_answering_a_page_at_a_time_with_errors_kept_and_checked_before_sending(
    client_for, space, survey, member
):
    client = client_for(member)
    first = reverse("surveys:answer", args=[space.slug, survey.pk, 1])
    q = survey.q
    page = client.post(first, {f"q{q['multiple'].pk}": [str(q["multiple"].options.first().pk)]})
    assert page.status_code == 400
    body = page.content.decode()
    assert "There is a problem" in body and f'href="#id_q{q["single"].pk}_0"' in body
    assert "<fieldset" in body and "<legend" in body
    assert "checked" in body  # the day chosen is kept
    yes = q["single"].options.get(label="Yes").pk
    page = client.post(
        first,
        {f"q{q['single'].pk}": str(yes), f"q{q['multiple'].pk}": [str(q["multiple"].options.first().pk)]},
    )
    assert page.status_code == 302 and page["Location"].endswith("/answer/2/")
    # Saved to come back to: leaving half way keeps the draft.
    second = reverse("surveys:answer", args=[space.slug, survey.pk, 2])
    page = client.post(second, {"later": "1"})
    assert page.status_code == 302
    assert (
        "Carry on answering"
        in client.get(reverse("surveys:detail", args=[space.slug, survey.pk])).content.decode()
    )
    bad = client.post(second, {f"q{q['scale'].pk}": "9"})
    assert bad.status_code == 400 and "Select a valid choice" in bad.content.decode()
    assert client.post(second, {f"q{q['scale'].pk}": "4"}).status_code == 302
    check = reverse("surveys:check", args=[space.slug, survey.pk])
    body = client.get(check).content.decode()
    assert "Check your answers" in body and "Yes" in body
    assert client.post(check).status_code == 302
    response = Response.objects.get(survey=survey)
    assert not response.is_draft and response.respondent is None
    assert "You have already answered" in client.get(first, follow=True).content.decode()


def test_paper_answers_through_the_facilitator(client_for, space, facilitator, survey, margaret):
    client = client_for(facilitator)
    url = reverse("surveys:paper", args=[space.slug, survey.pk])
    assert "Margaret Brown" in client.get(url).content.decode()
    q = survey.q
    data = {
        f"q{q['single'].pk}": str(q["single"].options.first().pk),
        f"q{q['multiple'].pk}": [str(q["multiple"].options.first().pk)],
        f"q{q['scale'].pk}": "3",
    }
    missing = client.post(url, data)
    assert missing.status_code == 400 and "Choose the member" in missing.content.decode()
    done = client.post(url, {**data, "on_behalf_of": str(margaret.pk)})
    assert done.status_code == 302
    assert Response.objects.get(survey=survey).entered_by == facilitator


def test_a_one_time_link_answers_without_an_account(client_for, space, facilitator):
    survey = build_survey(space, facilitator, audience="link")
    page = client_for(facilitator).post(
        reverse("surveys:links", args=[space.slug, survey.pk]), {"count": "2"}
    )
    links = page.content.decode().split("<code>")[1:]
    url = links[0].split("</code>")[0].replace("http://testserver", "")
    visitor = client_for(None)
    assert visitor.get(url)["Location"].endswith("/answer/1/")
    q = survey.q
    visitor.post(
        reverse("surveys:answer", args=[space.slug, survey.pk, 1]),
        {
            f"q{q['single'].pk}": str(q["single"].options.first().pk),
            f"q{q['multiple'].pk}": [str(q["multiple"].options.first().pk)],
        },
    )
    visitor.post(reverse("surveys:answer", args=[space.slug, survey.pk, 2]), {f"q{q['scale'].pk}": "5"})
    assert visitor.post(reverse("surveys:check", args=[space.slug, survey.pk])).status_code == 302
    assert Response.objects.get(survey=survey).token.used_at is not None
    # The link is used up.
    again = client_for(None)
    again.get(url)
    assert (
        again.get(reverse("surveys:answer", args=[space.slug, survey.pk, 1]), follow=True).status_code == 200
    )
    assert Response.objects.filter(submitted_at__isnull=False).count() == 1


def test_results_page_has_charts_beside_tables_and_hosts_can_hide_text(
    client_for, space, host, survey, member
):
    services.response_create(actor=member, survey=survey, sent=answers(survey, text="Names someone"))
    page = client_for(host).get(reverse("surveys:results", args=[space.slug, survey.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert 'role="img"' in body and "<title id=" in body and "<desc id=" in body and "<table" in body
    answer = Answer.objects.get(question=survey.q["text"])
    hide = reverse("surveys:hide_answer", args=[space.slug, survey.pk, answer.pk])
    assert client_for(host).post(hide, {"reason": "Names a person"}).status_code == 302
    member_view = (
        client_for(member).get(reverse("surveys:results", args=[space.slug, survey.pk])).content.decode()
    )
    assert "Names someone" not in member_view


def test_csv_download_neutralises_formulas(client_for, space, host, survey, member):
    services.response_create(actor=member, survey=survey, sent=answers(survey, text="=1+1"))
    page = client_for(host).get(reverse("surveys:results_csv", args=[space.slug, survey.pk]))
    body = b"".join(page.streaming_content).decode()
    assert "'=1+1" in body and page["Content-Type"].startswith("text/csv")


def test_the_paper_version_keeps_each_question_on_one_page(client_for, space, survey, member):
    body = client_for(member).get(reverse("surveys:print", args=[space.slug, survey.pk])).content.decode()
    assert "paper-question" in body and "surveys/print.css" in body


def test_the_place_standard_in_one_click_and_its_chart(client_for, space, host, member):
    client = client_for(host)
    assert client.post(reverse("surveys:place_standard", args=[space.slug])).status_code == 302
    survey = space.surveys.get()
    services.survey_set_status(actor=host, survey=survey, status="open")
    scales = Question.objects.filter(survey=survey, kind="scale7")
    services.response_create(actor=member, survey=survey, sent={q.pk: 5 for q in scales})
    old = services.place_standard_create(actor=host, space=space, title="Last year")
    services.survey_set_status(actor=host, survey=old, status="open")
    body = client.get(
        reverse("surveys:results", args=[space.slug, survey.pk]) + f"?compare={old.pk}"
    ).content.decode()
    assert "radar-chart" in body and "Influence and sense of control" in body and "radar-shape--other" in body


def test_a_public_survey_is_answered_once_per_browser_without_an_account(client_for, space, facilitator):
    survey = build_survey(space, facilitator, audience="public")
    visitor = client_for(None)
    q = survey.q
    first = reverse("surveys:answer", args=[space.slug, survey.pk, 1])
    one = str(q["multiple"].options.first().pk)
    assert (
        visitor.post(
            first, {f"q{q['single'].pk}": str(q["single"].options.first().pk), f"q{q['multiple'].pk}": [one]}
        ).status_code
        == 302
    )
    visitor.post(reverse("surveys:answer", args=[space.slug, survey.pk, 2]), {f"q{q['scale'].pk}": "2"})
    assert visitor.post(reverse("surveys:check", args=[space.slug, survey.pk])).status_code == 302
    sent = Response.objects.get(survey=survey)
    assert sent.respondent is None and sent.token.used_at is not None and sent.perspective == ""
    again = visitor.get(first, follow=True)
    assert "You have already answered" in again.content.decode()
    assert Response.objects.filter(survey=survey).count() == 1


def test_a_place_standard_round_by_area_from_the_form(client_for, space, host):
    client = client_for(host)
    url = reverse("surveys:place_standard", args=[space.slug])
    page = client.get(url)
    assert page.status_code == 200 and 'for="id_areas"' in page.content.decode()
    bad = client.post(url, {"title": "Our place", "areas": "Paisley\npaisley"})
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "Each area must be different." in text and "Our place" in text  # beside the field, form kept
    assert not space.surveys.exists()
    assert client.post(url, {"title": "Our place", "areas": "Paisley\nRenfrew\n\n"}).status_code == 302
    survey = space.surveys.get()
    assert list(survey.questions.get(code="area").options.values_list("label", flat=True)) == [
        "Paisley",
        "Renfrew",
    ]
    services.survey_set_status(actor=host, survey=survey, status="open")
    area = survey.questions.get(code="area")
    paisley = area.options.get(label="Paisley").pk
    scales = list(Question.objects.filter(survey=survey, kind="scale7"))
    for person in make_members(space, host, 5):
        services.response_create(
            actor=person, survey=survey, sent={q.pk: 3 for q in scales} | {area.pk: paisley}
        )
    body = client.get(reverse("surveys:results", args=[space.slug, survey.pk])).content.decode()
    assert "By area" in body and "Average score of each theme in Paisley" in body
    assert "Average score of each theme in Renfrew" not in body  # nobody there: never shown
