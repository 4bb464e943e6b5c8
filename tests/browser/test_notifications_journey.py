"""Notifications in a real browser: the header count, the inbox, one notification, email choices, and the
one-click unsubscribe page opened from an email with no sign-in. Every page is checked with axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from coproduce.notifications import mailing, services
from coproduce.people.models import User
from coproduce.spaces import services as space_services

from .test_foundation_journey import PASSWORD, sign_in


@pytest.fixture
def people(transactional_db):
    host = User.objects.create_user("hana@example.org", PASSWORD, display_name="Hana Host")
    member = User.objects.create_user("lena@example.org", PASSWORD, display_name="Lena Lived")
    space = space_services.space_create(
        actor=host, title="Drop-in redesign", purpose="Decide together.", place="Paisley"
    )
    for n in range(3):
        services.notify(
            kind="join_request_approved",
            recipients=[member],
            params={},
            url=space.get_absolute_url(),
            space=space,
            actor=host,
            text="Welcome! We meet on Tuesdays." if n == 0 else "",
            key=f"journey:{n}",
        )
    return host, member


def test_inbox_choices_and_unsubscribe(new_page, visit, follow, check_axe, screenshot, people):
    _host, member = people
    page = new_page()
    visit(page, "/accounts/login/")
    sign_in(page, follow, member.email)
    header_link = page.get_by_role("link", name=re.compile(r"^Notifications \(3\)\s*unread$"))
    expect(header_link).to_be_visible()
    follow(page, header_link)
    expect(page.get_by_role("heading", name="3 notifications")).to_be_visible()
    screenshot(page, "inbox")
    follow(page, page.get_by_role("link", name=re.compile("Unread Your request to join")).first)
    expect(page.get_by_role("link", name="Go to it")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"^Notifications \(2\)\s*unread$"))).to_be_visible()
    visit(page, "/notifications/settings/")
    page.get_by_role("group", name="Someone comments on your idea").get_by_label("In a weekly email").check()
    follow(page, page.get_by_role("button", name="Save my choices"))
    expect(page.get_by_text("Your choices are saved.")).to_be_visible()

    # From an email, in a browser where nobody is signed in, with JavaScript off.
    anonymous = new_page(javascript=False)
    token = mailing.unsubscribe_token(member, ["join_request_approved"])
    visit(anonymous, f"/notifications/unsubscribe/{token}/")
    follow(anonymous, anonymous.get_by_role("button", name="Stop these emails"))
    expect(anonymous.get_by_role("heading", name="You will not get these emails any more")).to_be_visible()
    response = anonymous.goto(f"/notifications/unsubscribe/{token[:-4]}abcd/")
    assert response is not None and response.status == 400
    check_axe(anonymous)
    expect(anonymous.get_by_role("heading", name="This link does not work")).to_be_visible()
