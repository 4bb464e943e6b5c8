"""The search journey in a real browser, on a phone: from the site header, search for a word in another form
than the one written, narrow the results to ideas, and open one. A private space's idea is never shown to
someone outside it. Every page is checked with axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from coproduce.ideas import services as idea_services
from coproduce.people.models import User
from coproduce.spaces import services as space_services

PASSWORD = "a-long-test-password-1"


@pytest.fixture
def indexed(transactional_db):
    # Made through the services: each tells the search after it commits, as on the real site.
    host = User.objects.create_user("hana@example.org", PASSWORD, display_name="Hana Host")
    space = space_services.space_create(
        actor=host,
        title="Community transport",
        place="Paisley",
        purpose="Volunteer drivers for appointments.",
    )
    idea = idea_services.idea_create(
        actor=host,
        space=space,
        title="Volunteer driver rota",
        body="A <b>shared</b> rota so nobody is let down.",
    )
    hidden = space_services.space_create(
        actor=host, title="Staff only", purpose="Private planning.", visibility="private"
    )
    idea_services.idea_create(actor=host, space=hidden, title="Volunteer expenses", body="Paying mileage.")
    return {"space": space, "idea": idea}


def test_search_from_the_header_filter_and_open_a_result(
    page: Page, visit, follow, check_axe, screenshot, indexed
):
    visit(page, "/")
    follow(page, page.get_by_role("banner").get_by_role("link", name="Search"))
    expect(page.get_by_role("heading", name="Search", level=1)).to_be_visible()

    page.get_by_label("Search for").fill("volunteering")
    follow(page, page.get_by_role("button", name="Search", exact=True))
    expect(page.get_by_role("heading", name=re.compile("2 results for “volunteering”"))).to_be_visible()
    expect(page.get_by_label("Search for")).to_have_value("volunteering")
    expect(page.locator("mark").first).to_have_text(re.compile("volunteer", re.I))
    expect(page.get_by_text("Volunteer expenses")).to_have_count(0)  # a private space's idea
    expect(page.locator("#results b")).to_have_count(0)  # written as text, never made HTML
    screenshot(page, "results-390")

    page.locator("summary", has_text="Narrow it down").click()  # the filters are folded until in use
    page.get_by_label("What").select_option(label="Ideas")
    follow(page, page.get_by_role("button", name="Apply"))
    expect(page.get_by_role("heading", name=re.compile("1 result for"))).to_be_visible()
    follow(page, page.get_by_role("link", name="Volunteer driver rota"))
    expect(page).to_have_url(re.compile(rf"/ideas/{indexed['idea'].pk}/"))
    check_axe(page)


def test_no_results_and_no_javascript(new_page, visit, follow, indexed):
    page = new_page(javascript=False)
    visit(page, "/search/?q=zebra+crossing")
    expect(page.get_by_role("heading", name="No results for “zebra crossing”")).to_be_visible()
    expect(page.get_by_text("Try fewer words")).to_be_visible()
    page.get_by_label("Search for").fill('"driver* (rota')
    follow(page, page.get_by_role("button", name="Search", exact=True))
    expect(page.get_by_role("heading", name=re.compile("1 result for"))).to_be_visible()
