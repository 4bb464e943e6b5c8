"""Issue 16's mentoring journey on a phone: Dee joins the directory, asks for mentoring on co-design, sees
Ann suggested with the reason, and messages her; Ann finds the message waiting on her home page, reads it and
replies. Every page is checked with axe; the directory and the suggestions are screenshotted at 390 px."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from coproduce.directory import services
from coproduce.directory.models import Message
from coproduce.people.models import User

PASSWORD = "a-long-test-password-1"


@pytest.fixture
def people(transactional_db):
    ann = User.objects.create_user("ann.private@example.org", PASSWORD, display_name="Ann Mentor")
    User.objects.create_user("dee.private@example.org", PASSWORD, display_name="Dee Asker")
    services.listing_save(
        actor=ann,
        intro="Peer researcher who has run co-design workshops.",
        skills="facilitation, easy read",
        stages=["co_design"],
        offers=["mentoring"],
        place="Renfrewshire",
    )
    ben = User.objects.create_user("ben.private@example.org", PASSWORD, display_name="Ben Peer")
    services.listing_save(
        actor=ben,
        intro="Carer and peer supporter.",
        stages=["co_delivery"],
        offers=["peer_support"],
        place="Glasgow",
    )


def sign_in(page: Page, visit, follow, email: str) -> None:
    visit(page, "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    follow(page, page.get_by_role("button", name=re.compile("sign in", re.I)))
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_ask_for_mentoring_and_message_a_suggested_mentor(new_page, visit, follow, screenshot, people):
    dee = new_page()
    sign_in(dee, visit, follow, "dee.private@example.org")
    visit(dee, "/directory/")
    expect(dee.get_by_role("heading", name="People to learn from")).to_be_visible()
    screenshot(dee, "directory")

    # Dee joins the directory: the form says what is shared and that leaving deletes it.
    follow(dee, dee.get_by_role("link", name="Join the directory"))
    expect(dee.get_by_text("special category data")).to_be_visible()
    follow(dee, dee.get_by_role("button", name="List me in the directory"))
    expect(dee.get_by_role("alert")).to_contain_text("This field is required")
    dee.get_by_label("A short introduction").fill("New to co-production, working with young people.")
    dee.get_by_label("Peer support").check()
    dee.get_by_label("Town or area").fill("Paisley")
    follow(dee, dee.get_by_role("button", name="List me in the directory"))
    expect(dee.get_by_text("Your listing is saved.")).to_be_visible()
    screenshot(dee, "listing")

    # Dee asks for mentoring on co-design.
    visit(dee, "/directory/")
    follow(dee, dee.get_by_role("link", name="Ask for help"))
    dee.get_by_label("Mentoring").check()
    dee.get_by_label("What would you like help with?").fill("I am running my first co-design workshop.")
    dee.get_by_label("Which stage is it about?").select_option(label="Co-design")
    dee.get_by_label("Town or area").fill("Renfrewshire")
    follow(dee, dee.get_by_role("button", name="Find people who can help"))
    card = dee.get_by_role("listitem").filter(has_text="Ann Mentor")
    expect(card).to_contain_text("Knows co-design; offers mentoring; also in Renfrewshire")
    expect(dee.get_by_text("Ben Peer")).to_have_count(0)
    screenshot(dee, "suggestions")
    follow(dee, card.get_by_role("link", name="Message Ann Mentor"))
    expect(dee.get_by_text("They see your name, never your email address.")).to_be_visible()
    dee.get_by_label("Your message").fill("Hello Ann, could you mentor me on running a co-design workshop?")
    follow(dee, dee.get_by_role("button", name="Send the message"))
    expect(dee.get_by_role("heading", name="Conversation with Ann Mentor")).to_be_visible()
    assert "ann.private" not in dee.content()

    # Ann finds it waiting on her home page, reads it and replies.
    ann = new_page()
    sign_in(ann, visit, follow, "ann.private@example.org")
    visit(ann, "/")
    follow(ann, ann.get_by_role("link", name="Dee Asker sent you a message"))
    expect(ann.get_by_text("could you mentor me")).to_be_visible()
    assert "dee.private" not in ann.content()
    ann.get_by_label("Your message").fill("Gladly. Shall we meet on Tuesday?")
    follow(ann, ann.get_by_role("button", name="Send", exact=True))
    expect(ann.get_by_text("Your message is sent.")).to_be_visible()
    visit(ann, "/directory/messages/")
    expect(ann.get_by_role("link", name="Dee Asker")).to_be_visible()
    screenshot(ann, "thread-list")
    assert Message.objects.count() == 2
