"""Issue 12's journey: what waits for people reaches them. A member asks to join; the host finds the request on
her home page and in her inbox, and approves it; the member is told; the host prints a paper ballot for a
drop-in session. On a phone, every page checked with axe; the print view screenshotted for a person to look at.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from coproduce.budgets import services as budget_services
from coproduce.budgets.models import Phase
from coproduce.people.models import User
from coproduce.spaces import services as space_services

PASSWORD = "a-long-test-password-1"
A4 = {"width": 794, "height": 1123}  # 210 × 297 mm at 96 dpi


@pytest.fixture
def ferguslie(transactional_db):
    host = User.objects.create_user("hana@example.org", PASSWORD, display_name="Hana Host")
    User.objects.create_user("nadia@example.org", PASSWORD, display_name="Nadia Newcomer")
    space = space_services.space_create(
        actor=host, title="Ferguslie Park", purpose="Decide how the park fund is spent.", place="Paisley"
    )
    budget = budget_services.budget_create(
        actor=host,
        space=space,
        title="Park fund",
        amount=Decimal("10000"),
        ballot_type="approval",
        min_projects=1,
        max_projects=2,
    )
    for title, cost in (("Street lights", "2500"), ("Benches", "1000")):
        project = budget_services.project_submit(
            actor=host,
            budget=budget,
            title=title,
            cost=Decimal(cost),
            description="For the park.",
            category="park",
        )
        budget_services.project_review(actor=host, project=project, feasible=True)
    budget_services.budget_advance_phase(actor=host, budget=budget, to=Phase.REVIEW)
    return space, budget


def sign_in(page: Page, visit, follow, email: str) -> None:
    visit(page, "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    follow(page, page.get_by_role("button", name=re.compile("sign in", re.I)))
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def unread(count: int) -> re.Pattern[str]:
    return re.compile(rf"^Notifications \({count}\)\s*unread$")


def test_a_join_request_reaches_the_host_and_the_answer_reaches_the_member(
    new_page, visit, follow, check_axe, screenshot, ferguslie
):
    space, budget = ferguslie

    # The member asks to join.
    member = new_page()
    sign_in(member, visit, follow, "nadia@example.org")
    visit(member, space.get_absolute_url())
    follow(member, member.get_by_role("link", name="Ask to join"))
    member.get_by_label("Person with lived experience").check()
    member.get_by_label("A few words to the hosts").fill("I walk my dog in the park every day.")
    follow(member, member.get_by_role("button", name="Send my request"))
    expect(member.get_by_text("You have asked to join.")).to_be_visible()

    # The host's home page says what waits for her, and her inbox has it too.
    host = new_page()
    sign_in(host, visit, follow, "hana@example.org")
    visit(host, "/")
    expect(host.get_by_role("heading", level=1, name="Waiting for you")).to_be_visible()
    request_item = host.get_by_role("link", name=re.compile("Answer Nadia Newcomer.s request to join"))
    expect(request_item).to_be_visible()
    screenshot(host, "1-host-home")
    follow(host, host.get_by_role("link", name=unread(1)))
    expect(host.get_by_text("Nadia Newcomer asked to join Ferguslie Park")).to_be_visible()
    screenshot(host, "2-host-inbox")

    # She answers from her home page.
    visit(host, "/")
    follow(host, host.get_by_role("link", name=re.compile("Answer Nadia Newcomer.s request to join")))
    request = host.get_by_role("region", name="Nadia Newcomer")
    expect(request).to_contain_text("I walk my dog in the park every day.")
    follow(host, request.get_by_role("button", name="Approve Nadia Newcomer"))
    expect(host.get_by_text("Nadia Newcomer is now a member.")).to_be_visible()
    visit(host, "/")
    expect(
        host.get_by_role("link", name=re.compile("Answer Nadia Newcomer.s request to join"))
    ).to_have_count(0)

    # The member is told.
    visit(member, "/")
    follow(member, member.get_by_role("link", name=unread(1)))
    expect(member.get_by_text("Your request to join Ferguslie Park was approved")).to_be_visible()
    screenshot(member, "3-member-inbox")

    # The host prints paper ballots for the drop-in session.
    printing = new_page(viewport=A4)
    sign_in(printing, visit, follow, "hana@example.org")
    visit(printing, budget.get_absolute_url())
    follow(printing, printing.get_by_role("link", name="Print ballot sheets"))
    printing.emulate_media(media="print")
    check_axe(printing)
    assert printing.locator("nav:visible, header:visible, footer:visible").count() == 0
    expect(printing.get_by_role("heading", name="Ballot paper: Park fund").first).to_be_visible()
    expect(printing.get_by_text("Street lights").first).to_be_visible()
    screenshot(printing, "4-print-ballot")
