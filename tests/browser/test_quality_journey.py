"""The quality check in a real browser, on the demo itself: the host of the drop-in redesign opens its check
(co-production), follows one number to the records it counted, and records a National Standards
self-assessment agreed with a member, who is then named on the page; the library consultation's check reads
"consultation" and its staff's high ratings disagree with the records. Every page is checked with axe and must
fit a 390 px phone."""

from __future__ import annotations

import re

import pytest
from huey.contrib.djhuey import HUEY
from huey.storage import MemoryStorage
from playwright.sync_api import Page, expect

from coproduce.demo.loader import DEMO_HOST_EMAIL, DEMO_PASSWORD, load_demo
from coproduce.demo.quality import LIBRARY_TITLE
from coproduce.lib.quality.standards import STANDARDS
from coproduce.quality.models import SelfAssessment
from coproduce.spaces.models import Role, Space


@pytest.fixture
def demo(transactional_db, settings):
    """The demo, loaded as `coproduce demo` does; the checks it asks for on commit run at once, in memory.
    What the migrations seed is put back after every flush (tests/conftest.py)."""
    was_immediate, was_storage = HUEY.immediate, HUEY.storage
    HUEY.storage, HUEY.immediate = MemoryStorage("quality-journey"), True
    load_demo()
    yield Space.objects.get(title__startswith="Redesign")
    HUEY.immediate, HUEY.storage = was_immediate, was_storage


def sign_in(page: Page, visit, follow, email: str) -> None:
    visit(page, "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    follow(page, page.get_by_role("button", name=re.compile("sign in", re.I)))
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width} px wide on a 390 px screen"


def test_a_host_reads_the_check_follows_a_number_and_records_a_self_assessment(
    new_page, visit, follow, screenshot, demo
):
    space = demo
    host = new_page()
    sign_in(host, visit, follow, DEMO_HOST_EMAIL)
    visit(host, f"/spaces/{space.slug}/quality/")
    expect(host.get_by_role("heading", name="Level: Co-production")).to_be_visible()
    expect(
        host.get_by_role("img", name="Bovaird's matrix of professional and community roles")
    ).to_be_visible()
    fits(host)
    screenshot(host, "check")

    # One number: the people with lived experience or carers active in co-assessment (the review meeting).
    evaluate = host.locator("li", has_text="active in co-assessment").get_by_role("link").first
    count = int(evaluate.inner_text())
    assert count >= 1
    follow(host, evaluate)
    expect(host.get_by_role("heading", name="The records behind a number")).to_be_visible()
    rows = host.get_by_role("row")
    assert rows.count() >= 2  # a header and at least one record
    expect(host.get_by_role("table")).to_contain_text("Jamie Stewart")  # names: the host is a member
    fits(host)
    screenshot(host, "records")

    follow(host, host.get_by_role("link", name="Co-production quality check"))
    follow(host, host.get_by_role("link", name=re.compile("own assessment against the National Standards")))
    expect(host.get_by_role("heading", name="National Standards self-assessment")).to_be_visible()
    expect(host.get_by_text("The latest ratings do not disagree with the records.")).to_be_visible()
    fits(host)
    follow(host, host.get_by_role("link", name="Record a self-assessment agreed with members"))

    # A mistake first: no rating for impact, nobody named. The form comes back with the errors beside them.
    host.get_by_role("checkbox", name="Jamie Stewart").uncheck()
    follow(host, host.get_by_role("button", name="Record the self-assessment"))
    expect(host.get_by_role("alert")).to_contain_text("There is a problem")
    fits(host)
    screenshot(host, "form-errors")
    host.get_by_role("checkbox", name="Jamie Stewart").check()
    for standard, rating in zip(STANDARDS, (5, 5, 5, 6, 4, 5, 4), strict=True):
        group = host.get_by_role("group", name=re.compile(f"^{re.escape(standard.name)}:"))
        group.get_by_label(str(rating), exact=True).check()
    host.get_by_label("Evidence and notes for impact").fill("The pilot opens in spring: we will look again.")
    fits(host)
    follow(host, host.get_by_role("button", name="Record the self-assessment"))
    expect(host.get_by_role("heading", name="National Standards self-assessment")).to_be_visible()
    expect(host.get_by_text(re.compile("Agreed by .*Jamie Stewart"))).to_be_visible()
    expect(host.get_by_role("img", name="Ratings of the seven standards")).to_be_visible()
    fits(host)
    screenshot(host, "standards")
    newest = SelfAssessment.objects.filter(space=space).first()
    assert newest is not None and newest.participants.filter(display_name="Jamie Stewart").exists()
    assert {r.standard: r.rating for r in newest.ratings.all()}["working_together"] == 6

    # The consultation dressed up as co-production, read by its own host.
    library = Space.objects.get(title=LIBRARY_TITLE)
    library_host = library.memberships.get(role=Role.HOST).user
    other = new_page()
    sign_in(other, visit, follow, library_host.email)
    visit(other, f"/spaces/{library.slug}/quality/")
    expect(other.get_by_role("heading", name="Level: Consultation")).to_be_visible()
    fits(other)
    screenshot(other, "consultation")
    visit(other, f"/spaces/{library.slug}/quality/standards/")
    expect(other.get_by_text(re.compile("Members rate inclusion 6 but"))).to_be_visible()
    fits(other)
    screenshot(other, "consultation-standards")
