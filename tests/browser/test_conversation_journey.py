"""The conversation journey in a real browser: a member votes on ten statements with the keyboard only, adds a
statement, then reads the report and "where I sit". Every page is checked with axe; the report is captured at
phone width."""

from __future__ import annotations

import re

import pytest
from huey.contrib.djhuey import HUEY
from huey.storage import MemoryStorage
from playwright.sync_api import Page, expect

from coproduce.conversations import services
from coproduce.people.models import User
from coproduce.spaces import services as space_services
from coproduce.spaces.models import Perspective, Role

PASSWORD = "a-long-test-password-1"
STATEMENTS = [f"Statement number {i}: the drop-in should change in this way." for i in range(12)]


@pytest.fixture
def cast(transactional_db):
    was_immediate, was_storage = HUEY.immediate, HUEY.storage
    HUEY.storage, HUEY.immediate = MemoryStorage("conversation-journey"), True
    host = User.objects.create_user("hana@example.org", PASSWORD, display_name="Hana Host")
    lena = User.objects.create_user("lena@example.org", PASSWORD, display_name="Lena Lived")
    space = space_services.space_create(
        actor=host, title="Drop-in redesign", place="Paisley", purpose="Decide what replaces the drop-in."
    )
    space_services._membership_add(
        actor=host, space=space, user=lena, role=Role.MEMBER, perspective=Perspective.LIVED_EXPERIENCE
    )
    conversation = services.conversation_create(
        actor=host, space=space, question="What should replace the drop-in?", seeds=STATEMENTS
    )
    statements = list(conversation.statements.order_by("pk"))
    for i in range(10):
        person = User.objects.create_user(f"p{i}@example.org", PASSWORD, display_name=f"Person {i}")
        space_services._membership_add(
            actor=host,
            space=space,
            user=person,
            role=Role.MEMBER,
            perspective=[Perspective.PRACTITIONER, Perspective.CARER][i % 2],
        )
        for j, statement in enumerate(statements):
            value = 1 if (i < 5) == (j < 6) else -1
            services.vote_cast(actor=person, conversation=conversation, statement=statement, value=value)
    yield {"space": space, "conversation": conversation}
    HUEY.immediate, HUEY.storage = was_immediate, was_storage


def sign_in(page: Page, visit, follow, email: str) -> None:
    visit(page, "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    follow(page, page.get_by_role("button", name=re.compile("sign in", re.I)))


def test_vote_with_the_keyboard_add_a_statement_and_see_where_i_sit(
    new_page, visit, follow, check_axe, screenshot, cast
):
    space, conversation = cast["space"], cast["conversation"]
    lena = new_page()
    sign_in(lena, visit, follow, "lena@example.org")
    visit(lena, f"/spaces/{space.slug}/conversations/")
    follow(lena, lena.get_by_role("link", name="What should replace the drop-in?"))
    for n in range(1, 11):
        expect(lena.get_by_text(f"Statement {n} of 12")).to_be_visible()
        button = lena.get_by_role("button", name="Agree" if n <= 6 else "Disagree", exact=True)
        button.focus()
        with lena.expect_navigation(wait_until="load"):
            lena.keyboard.press("Enter")
        check_axe(lena)
    expect(lena.get_by_text("Statement 11 of 12")).to_be_visible()

    lena.get_by_label("Your statement").focus()
    lena.keyboard.type("Keep a quiet room for one-to-one chats.")
    lena.get_by_role("button", name="Add my statement").focus()
    with lena.expect_navigation(wait_until="load"):
        lena.keyboard.press("Enter")
    check_axe(lena)
    expect(lena.get_by_text("a moderator will look at your statement")).to_be_visible()

    follow(lena, lena.get_by_role("link", name=re.compile("See the report")))
    expect(lena.get_by_role("heading", name="Where I sit")).to_be_visible()
    expect(lena.get_by_text(re.compile(r"You are in group [AB]"))).to_be_visible()
    expect(lena.get_by_role("img", name=re.compile("Opinion map"))).to_be_visible()
    expect(lena.get_by_role("heading", name="Participation by perspective")).to_be_visible()
    screenshot(lena, "report-390")
    visit(lena, f"/spaces/{space.slug}/conversations/{conversation.pk}/moderation-log/")
