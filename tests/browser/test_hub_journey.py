"""The hub journey in a real browser: a member posts in a category and comments, and sees the post on the
hub's home; a new member's first post waits for a network admin, who lets it through from the moderation page.
Every page is checked with axe; the home page is photographed at 390 px."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from coproduce.hub.models import Category, Post, PostStatus
from coproduce.hub.selectors import recount
from coproduce.people.models import User

PASSWORD = "a-long-test-password-1"


@pytest.fixture
def cast(transactional_db):
    lena = User.objects.create_user("lena@example.org", PASSWORD, display_name="Lena Lived")
    lena.date_joined = timezone.now() - dt.timedelta(days=90)
    lena.save()
    general = Category.objects.get(slug="general-chat")
    for i in range(2):
        Post.objects.create(
            category=general,
            author=lena,
            kind="news",
            title=f"Earlier news {i}",
            body="Hello",
            status=PostStatus.PUBLISHED,
            published_at=timezone.now() - dt.timedelta(days=20 - i),
        )
    recount()  # the posts above bypass the services that keep the categories' counts
    User.objects.create_user("nina@example.org", PASSWORD, display_name="Nina Newcomer")
    User.objects.create_superuser("ada@example.org", PASSWORD, display_name="Ada Admin")


def sign_in(page: Page, visit, follow, email: str) -> None:
    visit(page, "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    follow(page, page.get_by_role("button", name=re.compile("sign in", re.I)))


def test_post_in_a_category_comment_and_see_it_on_the_hub(new_page, visit, follow, screenshot, cast):
    lena = new_page()
    sign_in(lena, visit, follow, "lena@example.org")
    follow(lena, lena.get_by_role("link", name="Hub", exact=True))
    follow(lena, lena.get_by_role("link", name="Housing"))
    follow(lena, lena.get_by_role("link", name="Write a post here"))
    lena.get_by_label("Question").check()
    lena.get_by_label("Title").fill("Tenants' panels that change things")
    lena.get_by_label("Your post").fill(
        "Has anyone moved a panel towards real decisions?\n\nSee https://example.org"
    )
    follow(lena, lena.get_by_role("button", name="Publish my post"))
    expect(lena.get_by_text("Your post is published.")).to_be_visible()
    expect(lena.get_by_text("Question added by Lena Lived under Housing")).to_be_visible()
    lena.get_by_label("Your comment").fill("We started with the repairs list.")
    follow(lena, lena.get_by_role("button", name="Post comment"))
    expect(lena.get_by_text("We started with the repairs list.")).to_be_visible()
    follow(lena, lena.get_by_role("button", name="This helped").first)
    follow(lena, lena.get_by_role("link", name="The hub"))
    expect(lena.get_by_role("link", name="Tenants' panels that change things")).to_be_visible()
    screenshot(lena, "hub-home-390")

    # A new member's first post waits for a moderator.
    nina = new_page()
    sign_in(nina, visit, follow, "nina@example.org")
    visit(nina, "/hub/write/")
    nina.get_by_label("Category").select_option(label="Community")
    nina.get_by_label("Event report").check()
    nina.get_by_label("Title").fill("Poetry evening")
    nina.get_by_label("Your post").fill("We wrote poems about the places we love.")
    follow(nina, nina.get_by_role("button", name="Publish my post"))
    expect(nina.get_by_text("Waiting for a moderator", exact=False).first).to_be_visible()

    ada = new_page()
    sign_in(ada, visit, follow, "ada@example.org")
    visit(ada, "/hub/moderation/")
    follow(ada, ada.get_by_role("button", name=re.compile("Let it through")))
    expect(ada.get_by_text("The post is public")).to_be_visible()
    visit(ada, "/hub/c/community/")
    expect(ada.get_by_role("link", name="Poetry evening")).to_be_visible()
