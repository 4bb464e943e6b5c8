"""The survey journey in a real browser: a facilitator builds a survey; a member answers it a page at a time,
with the keyboard only on the answering path; another member's paper answers are typed in by the
facilitator; the host reads the results with their charts and tables. Every page is checked with axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from coproduce.people.models import User
from coproduce.spaces import services as space_services
from coproduce.spaces.models import Perspective, Role
from coproduce.surveys.models import Response

PASSWORD = "a-long-test-password-1"


@pytest.fixture
def cast(transactional_db):
    host = User.objects.create_user("hana@example.org", PASSWORD, display_name="Hana Host")
    fergus = User.objects.create_user("fergus@example.org", PASSWORD, display_name="Fergus Facilitator")
    lena = User.objects.create_user("lena@example.org", PASSWORD, display_name="Lena Lived")
    space = space_services.space_create(
        actor=host, title="Peer support review", place="Paisley", purpose="Look together at what changed."
    )
    space_services._membership_add(
        actor=host, space=space, user=fergus, role=Role.FACILITATOR, perspective=Perspective.FACILITATOR
    )
    space_services._membership_add(
        actor=host, space=space, user=lena, role=Role.MEMBER, perspective=Perspective.LIVED_EXPERIENCE
    )
    space_services.assisted_person_add(
        actor=fergus, space=space, display_name="Margaret Brown", perspective=Perspective.CARER
    )
    return {"space": space}


def sign_in(page: Page, visit, follow, email: str) -> None:
    visit(page, "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    follow(page, page.get_by_role("button", name=re.compile("sign in", re.I)))


def test_a_survey_is_built_answered_on_screen_and_on_paper_and_read(new_page, visit, follow, check_axe, cast):
    space = cast["space"]

    fergus = new_page()
    sign_in(fergus, visit, follow, "fergus@example.org")
    visit(fergus, f"/spaces/{space.slug}/surveys/")
    follow(fergus, fergus.get_by_role("link", name="New survey"))
    fergus.get_by_label("Title").fill("How was the peer support?")
    fergus.get_by_label("Members of the space", exact=True).first.check()
    follow(fergus, fergus.get_by_role("button", name="Draft the survey"))
    follow(fergus, fergus.get_by_role("link", name=re.compile("Add a question here")))
    fergus.get_by_label("One answer from a list").check()
    fergus.get_by_label("Question", exact=True).fill("Did you feel listened to?")
    fergus.get_by_label("Choices, or the rows of a grid").fill("Yes\nSometimes\nNo")
    follow(fergus, fergus.get_by_role("button", name="Add the question"))
    follow(fergus, fergus.get_by_role("link", name=re.compile("Add a question here")))
    fergus.get_by_label("A scale from 1 to 5").check()
    fergus.get_by_label("Question", exact=True).fill("How much has your confidence grown?")
    follow(fergus, fergus.get_by_role("button", name="Add the question"))
    follow(fergus, fergus.get_by_role("button", name="Open for answers"))
    expect(fergus.get_by_text("The survey is now open.")).to_be_visible()
    survey_url = fergus.url.replace("build/", "")

    # Lena answers with the keyboard only.
    lena = new_page()
    sign_in(lena, visit, follow, "lena@example.org")
    visit(lena, survey_url)
    lena.get_by_role("link", name="Start now").focus()
    with lena.expect_navigation(wait_until="load"):
        lena.keyboard.press("Enter")
    check_axe(lena)
    lena.get_by_role("button", name="Save and check your answers").focus()
    with lena.expect_navigation(wait_until="load"):
        lena.keyboard.press("Enter")
    check_axe(lena)
    summary = lena.get_by_role("alert")
    expect(summary).to_contain_text("Choose an answer to “Did you feel listened to?”")
    lena.get_by_role("radio", name="Yes").focus()
    lena.keyboard.press("Space")
    lena.get_by_role("radio", name="4").focus()
    lena.keyboard.press("Space")
    lena.get_by_role("button", name="Save and check your answers").focus()
    with lena.expect_navigation(wait_until="load"):
        lena.keyboard.press("Enter")
    check_axe(lena)
    expect(lena.get_by_role("heading", name="Check your answers before sending them")).to_be_visible()
    lena.get_by_role("button", name="Send my answers").focus()
    with lena.expect_navigation(wait_until="load"):
        lena.keyboard.press("Enter")
    check_axe(lena)
    expect(lena.get_by_role("heading", name="Your answers are sent")).to_be_visible()

    # Margaret answered on paper; Fergus types it in for her.
    visit(fergus, survey_url + "paper/")
    fergus.get_by_label("Whose answers are these?").select_option(
        label="Margaret Brown (Carer or family member)"
    )
    fergus.get_by_role("radio", name="Sometimes").check()
    fergus.get_by_role("radio", name="3").check()
    follow(fergus, fergus.get_by_role("button", name="Save these paper answers"))
    expect(fergus.get_by_text("Margaret Brown's paper answers are saved.")).to_be_visible()
    assert Response.objects.filter(entered_by__display_name="Fergus Facilitator").count() == 1

    # The host reads the results: a chart beside a table for each question.
    hana = new_page()
    sign_in(hana, visit, follow, "hana@example.org")
    visit(hana, survey_url + "results/")
    expect(hana.get_by_text("2 people answered.")).to_be_visible()
    expect(
        hana.get_by_role("img", name=re.compile(re.escape("Answers to “Did you feel listened to?”")))
    ).to_be_visible()
    expect(hana.get_by_role("row", name=re.compile("Sometimes 1 50.0%"))).to_be_visible()
    expect(hana.locator("p", has_text="Average:")).to_contain_text("Average: 3.5 out of 5")
    visit(hana, survey_url + "print/")


def test_a_place_standard_round_by_area(new_page, visit, follow, check_axe, cast):
    from tests.conftest import make_members

    from coproduce.surveys import services
    from coproduce.surveys.models import Survey

    space = cast["space"]
    fergus = new_page()
    sign_in(fergus, visit, follow, "fergus@example.org")
    visit(fergus, f"/spaces/{space.slug}/surveys/")
    follow(fergus, fergus.get_by_role("link", name="New Place Standard survey"))
    check_axe(fergus)
    fergus.get_by_label("Areas people can choose from (optional)").fill("Ferguslie\nFerguslie")
    follow(fergus, fergus.get_by_role("button", name="Draft the survey"))
    expect(fergus.get_by_text("Each area must be different.").first).to_be_visible()  # beside the field
    check_axe(fergus)
    fergus.get_by_label("Areas people can choose from (optional)").fill("Ferguslie\nGlenburn")
    follow(fergus, fergus.get_by_role("button", name="Draft the survey"))

    survey = Survey.objects.get(space=space)
    fergus_user = User.objects.get(email="fergus@example.org")
    survey = services.survey_set_status(actor=fergus_user, survey=survey, status="open")
    area = survey.questions.get(code="area")
    glenburn = area.options.get(label="Glenburn").pk
    scales = list(survey.questions.filter(kind="scale7"))
    host = User.objects.get(email="hana@example.org")
    for i, person in enumerate(make_members(space, host, 6)):
        services.response_create(
            actor=person, survey=survey, sent={q.pk: 2 + i % 4 for q in scales} | {area.pk: glenburn}
        )
    visit(fergus, f"/spaces/{space.slug}/surveys/{survey.pk}/results/")
    expect(fergus.get_by_role("heading", name="By area")).to_be_visible()
    expect(fergus.get_by_role("img", name="Average score of each theme in Glenburn")).to_be_visible()
    check_axe(fergus)
