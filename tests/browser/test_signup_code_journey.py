"""A facilitator makes a sign-up code for someone who takes part with help and prints the handout; the person
types the code (lower case, with spaces) on their phone and sets up their own sign-in; a network administrator
looks over the network. Every page is checked with axe on a 390 px phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from coproduce.people.models import User
from coproduce.spaces import services as space_services
from coproduce.spaces.models import Perspective, Role

PASSWORD = "a-long-test-password-1"


@pytest.fixture
def people(transactional_db):
    host = User.objects.create_user("hana@example.org", PASSWORD, display_name="Hana Host")
    User.objects.create_user("ada@example.org", PASSWORD, display_name="Ada Admin", is_staff=True)
    space = space_services.space_create(actor=host, title="Drop-in redesign", purpose="Decide together.")
    added = space_services.assisted_person_add(
        actor=host, space=space, display_name="Margaret Brown", perspective=Perspective.CARER
    )
    assert added.role == Role.MEMBER
    return space, added


def sign_in(page: Page, visit, follow, email: str) -> None:
    visit(page, "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    follow(page, page.get_by_role("button", name=re.compile("sign in", re.I)))
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_a_code_on_paper_becomes_a_sign_in(new_page, visit, follow, screenshot, people):
    space, membership = people
    facilitator = new_page()
    sign_in(facilitator, visit, follow, "hana@example.org")
    visit(facilitator, f"/spaces/{space.slug}/members/{membership.pk}/")
    follow(facilitator, facilitator.get_by_role("button", name=re.compile("Make a sign-up code")))
    expect(facilitator.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    code = facilitator.locator(".handout__code strong").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    screenshot(facilitator, "handout")
    width = facilitator.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the handout is {width}px wide on a 390px phone"

    person = new_page()
    visit(person, "/accounts/login/")
    follow(person, person.get_by_role("link", name="Have a code from a facilitator?"))
    person.get_by_label("Your code").fill(" ".join(code.replace("-", "").lower()))
    follow(person, person.get_by_role("button", name="Continue"))
    expect(person.get_by_role("heading", level=1)).to_contain_text("Margaret Brown")
    person.get_by_label("Your email address").fill("margaret@example.org")
    person.get_by_label("Choose a password").fill(PASSWORD)
    person.get_by_label("Type the password again").fill(PASSWORD)
    follow(person, person.get_by_role("button", name=re.compile("Set up my sign-in")))
    expect(person.get_by_role("button", name="Sign out")).to_be_visible()

    again = new_page()
    visit(again, "/signup/code/")
    again.get_by_label("Your code").fill(code)
    with again.expect_navigation(wait_until="load"):
        again.get_by_role("button", name="Continue").click()
    expect(again.get_by_text("It has already been used")).to_be_visible()


def test_the_network_admin_screen_on_a_phone(new_page, visit, follow, screenshot, people):
    page = new_page()
    sign_in(page, visit, follow, "ada@example.org")
    visit(page, "/network/")
    expect(page.get_by_role("heading", name="Spaces by stage")).to_be_visible()
    screenshot(page, "network")
    follow(page, page.get_by_role("link", name="Find and manage members"))
    follow(page, page.get_by_role("link", name="Margaret Brown"))
    page.get_by_label("Why").fill("Moved away")
    follow(page, page.get_by_role("button", name="Deactivate Margaret Brown"))
    expect(page.get_by_text("Margaret Brown is deactivated.")).to_be_visible()
    visit(page, "/network/organisations/")
