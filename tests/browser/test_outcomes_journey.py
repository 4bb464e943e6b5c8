"""Co-assessment evidence in a real browser: the facilitator builds the space's social value analysis (a
proxy without a source is refused beside its field, then fixed) and reads it in plain words with the
sensitivity table; a member agrees to record their outcomes, records a conversation with the keyboard only,
and reads their chart of change. Every page is checked with axe and must fit a 390 px phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from coproduce.people.models import User
from coproduce.spaces import services as space_services
from coproduce.spaces.models import Perspective, Role
from coproduce.sroi.models import UnitCost

PASSWORD = "a-long-test-password-1"


@pytest.fixture
def cast(transactional_db):
    host = User.objects.create_user("hana@example.org", PASSWORD, display_name="Hana Host")
    fergus = User.objects.create_user("fergus@example.org", PASSWORD, display_name="Fergus Facilitator")
    lena = User.objects.create_user("lena@example.org", PASSWORD, display_name="Lena Lived")
    space = space_services.space_create(
        actor=host,
        title="Review of the peer support service",
        place="Paisley",
        purpose="Look at what changed.",
    )
    for person, perspective, role in (
        (fergus, Perspective.FACILITATOR, Role.FACILITATOR),
        (lena, Perspective.LIVED_EXPERIENCE, Role.MEMBER),
    ):
        space_services._membership_add(
            actor=host, space=space, user=person, role=role, perspective=perspective
        )
    # A transactional test flushes the tables, and with them the seeded unit costs: the one needed is made here.
    bed_day, _ = UnitCost.objects.get_or_create(
        name="Mental health inpatient bed day",
        defaults={
            "unit": "bed day",
            "value": 429,
            "source": "GMCA Unit Cost Database",
            "price_year": "2019/20",
        },
    )
    return {"space": space, "bed_day": bed_day}


def sign_in(page: Page, visit, follow, email: str) -> None:
    visit(page, "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    follow(page, page.get_by_role("button", name=re.compile("sign in", re.I)))
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width} px wide on a 390 px screen"


def test_social_value_and_personal_outcomes(new_page, visit, follow, screenshot, cast):
    space = cast["space"]

    fergus = new_page()
    sign_in(fergus, visit, follow, "fergus@example.org")
    visit(fergus, f"/spaces/{space.slug}/social-value/")
    follow(fergus, fergus.get_by_role("link", name="Start: say what was put in"))
    fergus.get_by_label("Money put in (£)").fill("2000")
    fergus.get_by_label("Volunteer hours").fill("100")
    follow(fergus, fergus.get_by_role("button", name="Save"))
    follow(fergus, fergus.get_by_role("link", name="Add an outcome"))
    fergus.get_by_label("Who benefits").fill("People using the service")
    fergus.get_by_label("The outcome", exact=True).fill("Fewer crisis admissions")
    fergus.get_by_label("How we know (indicator)").fill("Bed days in the year before and after")
    fergus.get_by_label("How many, each year").fill("20")
    fergus.get_by_label("Or your own value of one (£)").fill("429")
    fergus.get_by_label("Attribution (%)").fill("30")
    follow(fergus, fergus.get_by_role("button", name="Save"))
    expect(fergus.locator("#id_own_source_error")).to_contain_text("Say where your value comes from")
    expect(fergus.get_by_role("alert")).to_contain_text("There is a problem")
    fits(fergus)
    fergus.get_by_label("Or your own value of one (£)").fill("")
    fergus.get_by_label("Value of one: a unit cost").select_option(str(cast["bed_day"].pk))
    follow(fergus, fergus.get_by_role("button", name="Save"))
    expect(fergus.get_by_text("20 × £429.00 = £8,580.00")).to_be_visible()
    expect(fergus.get_by_role("heading", name="How sure is it? (sensitivity)")).to_be_visible()
    fits(fergus)
    screenshot(fergus, "social-value")

    lena = new_page()
    sign_in(lena, visit, follow, "lena@example.org")
    visit(lena, f"/spaces/{space.slug}/outcomes/")
    follow(lena, lena.get_by_role("link", name="Your outcomes"))
    lena.get_by_label("I agree that what I say about my outcomes is recorded here").check()
    follow(lena, lena.get_by_role("button", name="Agree"))
    follow(lena, lena.get_by_role("link", name="Record a conversation"))
    # The answering path by keyboard only: Tab to a score, choose it with the arrow keys, type the words.
    lena.get_by_label("When we talked").fill("2026-01-15")
    safe = lena.get_by_role("group", name="Feeling safe")
    safe.get_by_label("We did not talk about this").focus()
    lena.keyboard.press("ArrowDown")
    lena.keyboard.press("ArrowDown")
    expect(safe.get_by_label("2 – poor")).to_be_checked()
    lena.keyboard.press("Tab")
    lena.keyboard.type("I stay in after dark")
    expect(lena.get_by_label("Feeling safe, in your own words")).to_have_value("I stay in after dark")
    fits(lena)
    follow(lena, lena.get_by_role("button", name="Save the conversation"))
    expect(lena.get_by_text("The conversation is recorded.")).to_be_visible()
    expect(lena.get_by_role("img", name="Feeling safe")).to_be_visible()
    expect(lena.get_by_role("table").first).to_contain_text("Feeling safe")
    fits(lena)
    screenshot(lena, "outcomes")
