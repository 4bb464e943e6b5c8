"""The case study journey in a real browser, on the demo: the host of the peer support review drafts a case
study from the space's records, changes a field, publishes it and finds it in the list; then uploads a
resource (a PNG) and publishes it. Every page is checked with axe and must fit a 390 px phone."""

from __future__ import annotations

import re

import pytest
from huey.contrib.djhuey import HUEY
from huey.storage import MemoryStorage
from playwright.sync_api import Page, expect
from tests.resources.conftest import png_bytes

from coproduce.demo.loader import DEMO_PASSWORD, load_demo
from coproduce.spaces.models import Role, Space


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    """The demo, loaded as `coproduce demo` does (see test_quality_journey.py), its files in a temporary
    MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    was_immediate, was_storage = HUEY.immediate, HUEY.storage
    HUEY.storage, HUEY.immediate = MemoryStorage("casestudy-journey"), True
    load_demo()
    yield Space.objects.get(title__startswith="Review of the peer support")
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


def test_a_host_drafts_edits_and_publishes_a_case_study_and_uploads_a_resource(
    new_page, visit, follow, screenshot, demo, tmp_path
):
    space = demo
    host_email = space.memberships.get(role=Role.HOST).user.email
    page = new_page()
    sign_in(page, visit, follow, host_email)

    visit(page, space.get_absolute_url())
    follow(page, page.get_by_role("link", name="Draft a case study from this space"))
    fits(page)
    follow(page, page.get_by_role("button", name="Draft the case study"))
    expect(page.get_by_role("heading", name="Change the case study")).to_be_visible()
    expect(page.get_by_label("What happened")).to_contain_text("took part")
    fits(page)
    page.get_by_label("Title").fill("Peer support, a year on: what we learnt")
    page.get_by_label("What was hard").fill("Counting paper surveys took longer than we planned.")
    follow(page, page.get_by_role("button", name="Save"))
    expect(page.get_by_role("heading", name="What was hard")).to_be_visible()
    follow(page, page.get_by_role("button", name="Publish"))
    expect(page.get_by_text("Published: everyone can read it now.")).to_be_visible()
    fits(page)
    screenshot(page, "detail")

    visit(page, "/case-studies/?stage=co_assessment")
    expect(page.get_by_role("link", name="Peer support, a year on: what we learnt")).to_be_visible()
    fits(page)
    screenshot(page, "list")

    # Found by the network search as soon as it is published.
    visit(page, "/search/")
    page.get_by_label("Search for").fill("peer support year on")
    follow(page, page.get_by_role("button", name="Search"))
    follow(page, page.get_by_role("link", name="Peer support, a year on: what we learnt"))
    expect(page.get_by_role("heading", name="What was hard")).to_be_visible()

    poster = tmp_path / "our poster.png"
    poster.write_bytes(png_bytes())
    visit(page, "/resources/")
    follow(page, page.get_by_role("link", name="Add a resource"))
    page.get_by_label("Title").fill("Peer support leaflet")
    page.get_by_label("Summary in plain words").fill("What peer support is and how to get it, on one page.")
    page.get_by_label("Or a file").set_input_files(str(poster))
    page.get_by_label("Tags").fill("peer support, leaflet")
    follow(page, page.get_by_role("button", name="Save as a draft"))
    expect(page.get_by_role("link", name=re.compile("Download our-poster.png"))).to_be_visible()
    follow(page, page.get_by_role("button", name="Publish"))
    fits(page)
    screenshot(page, "resource")
    visit(page, "/resources/?tag=leaflet")
    expect(page.get_by_role("link", name="Peer support leaflet")).to_be_visible()
