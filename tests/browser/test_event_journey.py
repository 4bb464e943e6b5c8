"""The network events journey in a real browser, on a phone-sized screen: someone finds a network event,
filters the list, registers with an access need and sees it noted; the organiser sees the need on the
organisers' page, and planning an event that ends before it starts is refused with the form kept. Every page
is checked with axe."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from coproduce.meetings import services
from coproduce.meetings.models import Meeting, Registration
from coproduce.people.models import User

PASSWORD = "a-long-test-password-1"


@pytest.fixture
def cast(transactional_db):
    admin = User.objects.create_user("ada@example.org", PASSWORD, display_name="Ada Admin", is_staff=True)
    User.objects.create_user("lena@example.org", PASSWORD, display_name="Lena Lived")
    starts = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(days=30)
    conference = services.event_create(
        actor=admin,
        event_kind="conference",
        title="National co-production conference",
        description="A day shaped by members.",
        format="hybrid",
        place_name="Glasgow City Chambers",
        address="George Square\nGlasgow",
        online_url="https://meet.example.org/conference",
        step_free=True,
        hearing_loop=True,
        capacity=50,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=6),
    )
    services.event_create(
        actor=admin,
        event_kind="masterclass",
        title="Evaluation masterclass",
        format="online",
        starts_at=starts + dt.timedelta(days=5),
        ends_at=starts + dt.timedelta(days=5, hours=2),
    )
    return {"conference": conference}


def sign_in(page: Page, visit, follow, email: str) -> None:
    visit(page, "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    follow(page, page.get_by_role("button", name=re.compile("sign in", re.I)))


def test_register_for_a_network_event_with_an_access_need(new_page, visit, follow, screenshot, cast):
    conference = cast["conference"]
    lena = new_page()
    sign_in(lena, visit, follow, "lena@example.org")
    visit(lena, "/events/")
    screenshot(lena, "1-events")
    lena.get_by_label("Kind of event").select_option("masterclass")
    follow(lena, lena.get_by_role("button", name="Show events"))
    expect(lena.get_by_role("link", name="Evaluation masterclass")).to_be_visible()
    expect(lena.get_by_role("link", name=conference.title)).to_have_count(0)
    visit(lena, "/events/")
    follow(lena, lena.get_by_role("link", name=conference.title))
    expect(lena.get_by_text("50 places left")).to_be_visible()
    lena.get_by_label("Anything that would help you take part?").fill(
        "Live captions and a seat near the front"
    )
    follow(lena, lena.get_by_role("button", name="Register", exact=True))
    expect(lena.get_by_text("You are registered.", exact=True)).to_be_visible()
    expect(lena.get_by_text("Live captions and a seat near the front")).to_be_visible()
    expect(lena.get_by_role("link", name="Join online")).to_be_visible()
    screenshot(lena, "2-registered")
    assert Registration.objects.get(meeting=conference).access_needs.startswith("Live captions")

    ada = new_page()
    sign_in(ada, visit, follow, "ada@example.org")
    visit(ada, f"/events/{conference.pk}/")
    follow(ada, ada.get_by_role("link", name=re.compile("Who is coming")))
    expect(ada.get_by_role("cell", name="Live captions and a seat near the front")).to_be_visible()
    screenshot(ada, "3-organisers")

    visit(ada, "/events/new/")
    ada.get_by_label("Masterclass").check()
    ada.get_by_label("Title").fill("Practice exchange: paying people for their time")
    ada.get_by_label("Online", exact=True).check()
    ada.get_by_label("Starts").fill("2030-05-01T14:00")
    ada.get_by_label("Ends").fill("2030-05-01T12:00")
    follow(ada, ada.get_by_role("button", name="Plan the event"))
    expect(ada.get_by_text("The event ends before it starts. Check the end time.").first).to_be_visible()
    expect(ada.get_by_label("Title")).to_have_value("Practice exchange: paying people for their time")
    assert Meeting.objects.count() == 2
