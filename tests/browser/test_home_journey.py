"""The personal home on a phone: what waits for a busy person, with and without JavaScript, checked with axe,
never wider than the screen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from tests.conftest import PASSWORD, make_person
from tests.home_data import fill


@pytest.fixture
def busy(transactional_db):
    person = make_person("Busy Person With A Rather Long Name")
    fill(person, 2)
    return person


def sign_in(page: Page, visit, follow, email: str) -> None:
    visit(page, "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    follow(page, page.get_by_role("button", name=re.compile("sign in", re.I)))
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


@pytest.mark.parametrize("javascript", [True, False])
def test_the_home_lists_what_waits_and_fits_a_phone(new_page, visit, follow, screenshot, busy, javascript):
    page = new_page(javascript=javascript)
    sign_in(page, visit, follow, busy.email)
    visit(page, "/")
    expect(page.get_by_role("heading", level=1, name="Waiting for you")).to_be_visible()
    items = page.locator(".waiting-item")
    expect(items.first).to_be_visible()
    assert items.count() >= 12
    expect(page.get_by_role("link", name="Notifications for people you help")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the home page is {width}px wide on a 390px phone"
    screenshot(page, "home")
    follow(page, page.get_by_role("link", name=re.compile("^Vote in Fund")).first)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
