"""The timebank journey in a real browser: a member offers help, another asks for it and finds the offer
among the suggested matches, they record and confirm an exchange and both see their balances; a
coordinator opens the dashboard. Every page is checked with axe (see conftest.py)."""

from __future__ import annotations

import importlib
import re

import pytest
from playwright.sync_api import Page, expect

from coproduce.people.models import User
from coproduce.timebank.models import MemberStatus, TimebankMember

PASSWORD = "a-long-test-password-1"


def person(email: str, name: str, **member) -> User:
    user = User.objects.create_user(email, PASSWORD, display_name=name)
    TimebankMember.objects.create(user=user, status=MemberStatus.APPROVED, area="Paisley", **member)
    return user


@pytest.fixture
def cast(transactional_db):
    # Tests with a live server empty the tables after each test, which removes the categories that a data
    # migration adds; put them back so the journey does not depend on running first.
    from coproduce.timebank.models import Category

    seeded = importlib.import_module("coproduce.timebank.migrations.0002_categories")
    for slug, name in seeded.CATEGORIES:
        Category.objects.get_or_create(slug=slug, defaults={"name": name})
    return {
        "giver": person("gita@example.org", "Gita Giver"),
        "receiver": person("rab@example.org", "Rab Receiver"),
        "coordinator": person("cora@example.org", "Cora Coordinator", is_coordinator=True),
    }


def sign_in(page: Page, visit, follow, email: str) -> None:
    visit(page, "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    follow(page, page.get_by_role("button", name=re.compile("sign in", re.I)))
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_offer_request_exchange_confirm_and_dashboard(new_page, visit, follow, screenshot, cast):
    # Gita offers help with gardening.
    gita = new_page()
    sign_in(gita, visit, follow, "gita@example.org")
    follow(gita, gita.get_by_role("navigation", name="Main").get_by_role("link", name="Timebank"))
    follow(gita, gita.get_by_role("link", name="Offer help").first)
    expect(gita.get_by_label("Offer", exact=True)).to_be_checked()
    gita.get_by_label("Title").fill("Help in the garden")
    gita.get_by_label("Category").select_option(label="Gardening")
    gita.get_by_label("Tags").fill("weeding, digging")
    follow(gita, gita.get_by_role("button", name="Post it"))
    expect(gita.get_by_role("heading", name="Help in the garden")).to_be_visible()

    # Rab, with JavaScript off, asks for help and finds Gita's offer among the suggestions, with the reason.
    rab = new_page(javascript=False)
    sign_in(rab, visit, follow, "rab@example.org")
    follow(rab, rab.get_by_role("navigation", name="Main").get_by_role("link", name="Timebank"))
    follow(rab, rab.get_by_role("link", name="Ask for help").first)
    rab.get_by_label("Title").fill("My garden is overgrown")
    rab.get_by_label("Category").select_option(label="Gardening")
    rab.get_by_label("Tags").fill("weeding")
    follow(rab, rab.get_by_role("button", name="Post it"))
    expect(rab.get_by_text("same category: Gardening; shared tags: weeding")).to_be_visible()
    follow(rab, rab.get_by_role("link", name="Help in the garden"))
    follow(rab, rab.get_by_role("link", name="Record help you received"))

    # The form already knows who helped and what with; Rab says how long it took, with a slip first.
    expect(rab.get_by_label("I received help")).to_be_checked()
    rab.get_by_label("Hours").fill("2.1")
    follow(rab, rab.get_by_role("button", name="Record it"))
    expect(rab.get_by_role("alert")).to_contain_text("quarter hours")
    rab.get_by_label("Hours").fill("2")
    follow(rab, rab.get_by_role("button", name="Record it"))
    expect(rab.get_by_text("Gita Giver will be asked to confirm it.")).to_be_visible()
    screenshot(rab, "recorded")

    # Gita sees it waiting on her timebank page and confirms it.
    visit(gita, "/timebank/")
    waiting = gita.get_by_role("region", name="Waiting for you to confirm")
    follow(gita, waiting.get_by_role("link", name="Help in the garden"))
    follow(gita, gita.get_by_role("button", name="Confirm: this is right"))
    expect(gita.get_by_text("The exchange is confirmed")).to_be_visible()
    follow(gita, gita.get_by_role("link", name="My hours"))
    expect(gita.locator(".balance")).to_contain_text("2 h")
    expect(gita.get_by_text("asking for help is part of timebanking")).to_be_visible()
    screenshot(gita, "balance")

    visit(rab, "/timebank/me/")
    expect(rab.locator(".balance")).to_contain_text("−2 h")

    # A coordinator opens the dashboard.
    cora = new_page()
    sign_in(cora, visit, follow, "cora@example.org")
    visit(cora, "/timebank/")
    follow(cora, cora.get_by_role("link", name="Coordinate"))
    expect(cora.get_by_role("heading", name="Coordinate the timebank")).to_be_visible()
    expect(cora.get_by_text("Gardening")).to_be_visible()
    screenshot(cora, "dashboard")
