"""The paper ballot as it prints: a facilitator opens the ballot sheets from the budget page; on screen a bar
offers the options and a Print button (JavaScript, with the page's CSP nonce); printed on A4 there is no site
navigation and no bar, only the numbered sheets. Checked with axe, and screenshotted for a person to look at."""

from __future__ import annotations

import os
import re
import shutil
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from coproduce.budgets import services
from coproduce.budgets.models import Phase
from coproduce.people.models import User
from coproduce.spaces import services as space_services
from coproduce.spaces.models import Perspective, Role

PASSWORD = "a-long-test-password-1"
A4 = {"width": 794, "height": 1123}  # 210 × 297 mm at 96 dpi


@pytest.fixture
def park_fund(transactional_db):
    host = User.objects.create_user("hana@example.org", PASSWORD, display_name="Hana Host")
    facilitator = User.objects.create_user("fergus@example.org", PASSWORD, display_name="Fergus Facilitator")
    space = space_services.space_create(
        actor=host, title="Ferguslie Park", purpose="Decide how the park fund is spent.", place="Paisley"
    )
    space_services._membership_add(
        actor=host, space=space, user=facilitator, role=Role.FACILITATOR, perspective=Perspective.FACILITATOR
    )
    budget = services.budget_create(
        actor=host,
        space=space,
        title="Park fund",
        amount=Decimal("10000"),
        ballot_type="approval",
        min_projects=1,
        max_projects=2,
    )
    for title, cost in (
        ("New playground with a roundabout that children using wheelchairs can ride", "6000"),
        ("Street lights", "2500"),
        ("Benches", "1000"),
    ):
        project = services.project_submit(
            actor=host,
            budget=budget,
            title=title,
            cost=Decimal(cost),
            description="For the park.",
            category="park",
        )
        services.project_review(actor=facilitator, project=project, feasible=True)
    return services.budget_advance_phase(actor=host, budget=budget, to=Phase.REVIEW)


def test_the_ballot_sheets_print_on_a4_without_the_site_navigation(
    new_page, visit, follow, check_axe, park_fund, tmp_path
):
    budget = park_fund
    page = new_page(viewport=A4)
    visit(page, f"/accounts/login/?next={budget.get_absolute_url()}")
    page.get_by_label("Email").fill("fergus@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    follow(page, page.get_by_role("button", name=re.compile("sign in", re.I)))
    follow(page, page.get_by_role("link", name="Print ballot sheets"))

    # On screen: the options and a Print button (its script runs under the CSP nonce), and no site header.
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    page.get_by_label("How many sheets").fill("2")
    follow(page, page.get_by_role("button", name="Show these sheets"))
    expect(page.locator(".sheet")).to_have_count(2)

    page.emulate_media(media="print")
    check_axe(page)
    expect(page.locator(".print-bar")).to_be_hidden()
    assert page.locator("nav:visible, header:visible, footer:visible").count() == 0
    expect(page.get_by_text(f"{budget.pk}-001").first).to_be_visible()
    expect(page.get_by_role("heading", name="Ballot paper: Park fund").first).to_be_visible()
    expect(page.get_by_text("Choose between 1 and 2 projects.").first).to_be_visible()
    # Black on white.
    colours = page.evaluate(
        "() => [getComputedStyle(document.body).color, getComputedStyle(document.body).backgroundColor]"
    )
    assert colours == ["rgb(0, 0, 0)", "rgb(255, 255, 255)"]
    # The second sheet starts a new page, and no table row splits across pages.
    assert (
        page.evaluate("() => getComputedStyle(document.querySelectorAll('.sheet')[1]).breakBefore") == "page"
    )
    assert page.evaluate("() => getComputedStyle(document.querySelector('tbody tr')).breakInside") == "avoid"

    shot = tmp_path / "print-ballot.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 0
    notes = os.environ.get("COPRODUCE_PRINT_SCREENSHOT")
    if notes:  # a copy for a person to look at (the test's tmp dir is removed)
        shutil.copy(shot, notes)
