"""Who may see and do what with surveys: every page and endpoint × every persona, public and private."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.api_client import Api
from tests.conftest import PERSONAS

from coproduce.surveys import services

from .conftest import answers

MEMBERS = {"host", "facilitator", "member", "practitioner"}
RUNNERS = {"host", "facilitator"}


def expected(persona: str, allowed: set[str], login: bool) -> int:
    if persona in allowed:
        return 200
    if persona == "anonymous" and login:
        return 302
    return 403


def pages(space, survey):
    args = [space.slug, survey.pk]
    return [
        ("list", reverse("surveys:list", args=[space.slug]), set(PERSONAS), False),
        ("detail", reverse("surveys:detail", args=args), set(PERSONAS), False),
        ("print", reverse("surveys:print", args=args), set(PERSONAS), False),
        ("results", reverse("surveys:results", args=args), MEMBERS, False),
        ("answer", reverse("surveys:answer", args=[*args, 1]), MEMBERS, False),
        ("check", reverse("surveys:check", args=args), MEMBERS, False),
        ("build", reverse("surveys:build", args=args), RUNNERS, True),
        ("settings", reverse("surveys:settings", args=args), RUNNERS, True),
        ("question_add", reverse("surveys:question_add", args=args), RUNNERS, True),
        (
            "question_edit",
            reverse("surveys:question_edit", args=[*args, survey.q["scale"].pk]),
            RUNNERS,
            True,
        ),
        ("links", reverse("surveys:links", args=args), RUNNERS, True),
        ("paper", reverse("surveys:paper", args=args), RUNNERS, True),
        ("create", reverse("surveys:create", args=[space.slug]), RUNNERS, True),
        ("csv", reverse("surveys:results_csv", args=args), RUNNERS, False),
    ]


@pytest.mark.parametrize("persona_name", PERSONAS)
def test_every_survey_page_in_a_public_space(persona_name, persona, client_for, space, survey):
    client = client_for(persona(persona_name))
    for name, url, allowed, login in pages(space, survey):
        assert client.get(url).status_code == expected(persona_name, allowed, login), (name, persona_name)


@pytest.mark.parametrize("persona_name", PERSONAS)
def test_every_survey_page_in_a_private_space_is_hidden_from_outsiders(
    persona_name, persona, client_for, private_space, private_survey
):
    client = client_for(persona(persona_name))
    for name, url, allowed, login in pages(private_space, private_survey):
        status = client.get(url).status_code
        if persona_name == "outsider":
            assert status == 404, name
        elif persona_name == "anonymous":
            assert status == (302 if login else 404), name
        else:
            assert status == expected(persona_name, allowed, login), (name, persona_name)


@pytest.mark.parametrize("persona_name", PERSONAS)
def test_a_draft_is_seen_only_by_those_who_build_it(persona_name, persona, client_for, space, facilitator):
    draft = services.survey_create(actor=facilitator, space=space, title="Not yet")
    status = (
        client_for(persona(persona_name))
        .get(reverse("surveys:detail", args=[space.slug, draft.pk]))
        .status_code
    )
    assert status == (200 if persona_name in RUNNERS else 404)


@pytest.mark.parametrize("persona_name", PERSONAS)
def test_only_builders_change_a_survey(persona_name, persona, client_for, space, survey):
    client = client_for(persona(persona_name))
    url = reverse("surveys:status", args=[space.slug, survey.pk])
    status = client.post(url, {"status": "closed"}).status_code
    if persona_name in RUNNERS:
        assert status == 302
    elif persona_name == "anonymous":
        assert status == 302 and "login" in client.post(url, {})["Location"]
    else:
        assert status == 403
    survey.refresh_from_db()
    assert (survey.status == "closed") == (persona_name in RUNNERS)


@pytest.mark.parametrize("persona_name", PERSONAS)
def test_the_api_follows_the_same_rules(persona_name, persona, space, private_space, survey, private_survey):
    user = persona(persona_name)
    api = Api(user)
    is_member = persona_name in MEMBERS
    assert api.get(f"/spaces/{space.slug}/surveys").status_code == 200
    assert api.get(f"/surveys/{survey.pk}").status_code == 200
    assert api.get(f"/surveys/{survey.pk}/results").status_code == (200 if is_member else 403)
    assert api.get(f"/surveys/{survey.pk}/results.csv").status_code == (
        200 if persona_name in RUNNERS else 403
    )
    assert api.get(f"/spaces/{private_space.slug}/surveys").status_code == (200 if is_member else 404)
    assert api.get(f"/surveys/{private_survey.pk}").status_code == (200 if is_member else 404)
    sent = {str(k): v for k, v in answers(survey).items()}
    status = api.post(f"/surveys/{survey.pk}/responses", {"answers": sent}).status_code
    assert status == (201 if is_member else 401 if persona_name == "anonymous" else 403)


def test_results_published_to_the_public_are_read_by_anyone(space, facilitator, client_for):
    survey = services.survey_create(actor=facilitator, space=space, title="Open book", results_to="public")
    services.question_add(
        actor=facilitator, survey=survey, section=survey.sections.get(), kind="scale5", text="How good?"
    )
    services.survey_set_status(actor=facilitator, survey=survey, status="open")
    assert client_for(None).get(reverse("surveys:results", args=[space.slug, survey.pk])).status_code == 200
    assert Api().get(f"/surveys/{survey.pk}/results").status_code == 200
    assert Api().get(f"/surveys/{survey.pk}/results.csv").status_code == 403


def test_free_text_of_a_named_survey_is_read_only_by_those_who_run_it(
    named_survey, member, practitioner, host, client_for
):
    services.response_create(
        actor=practitioner, survey=named_survey, sent=answers(named_survey, text="My own words")
    )
    url = reverse("surveys:results", args=[named_survey.space.slug, named_survey.pk])
    assert "My own words" in client_for(host).get(url).content.decode()
    assert "My own words" not in client_for(member).get(url).content.decode()
    api_text = Api(member).get(f"/surveys/{named_survey.pk}/results").json()["questions"]
    assert all(q["texts"] == [] for q in api_text)
