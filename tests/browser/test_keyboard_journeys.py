"""Keyboard-only journeys (issue 17, point 7): voting in a participatory budget and recording a timebank exchange
with nothing but Tab, Shift+Tab, Space, Enter, the arrow keys and typing — no clicks. At every step the focused
element must show a visible focus indicator (an outline or a box shadow, as site.css draws for :focus-visible),
and each journey must reach its confirmation. Every page is checked with axe (see conftest.py)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from coproduce.budgets import services
from coproduce.budgets.models import Ballot, Phase
from coproduce.people.models import User
from coproduce.spaces import services as space_services
from coproduce.spaces.models import Perspective, Role
from coproduce.timebank.models import Exchange, MemberStatus, TimebankMember

from .conftest import sign_in_cookie

MAX_TABS = 60

# What has the focus, what it is called, and whether its focus can be seen.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
    && style.outlineColor !== "transparent" && style.outlineColor !== "rgba(0, 0, 0, 0)";
  const shadow = style.boxShadow && style.boxShadow !== "none";
  const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
  const name = (label || el.getAttribute("aria-label") || el.innerText || el.value || "").trim();
  return {
    tag: el.tagName.toLowerCase(), name: name.replace(/\\s+/g, " "), id: el.id,
    visible: Boolean(outline || shadow) || el.id === "main",
  };
}"""


def focused(page: Page) -> dict:
    here = page.evaluate(FOCUSED)
    assert here is not None, f"the focus was lost on {page.url}"
    return here


def tab_to(page: Page, name: str | re.Pattern, *, tag: str | None = None, back: bool = False) -> dict:
    """Press Tab (or Shift+Tab) until the focused element's name matches (and its tag, if given); the focus must
    be visible at each step."""
    pattern = re.compile(re.escape(name)) if isinstance(name, str) else name
    key = "Shift+Tab" if back else "Tab"
    passed = []
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        here = focused(page)
        assert here["visible"], f"no visible focus on {here} at {page.url}"
        if pattern.search(here["name"]) and tag in (None, here["tag"]):
            return here
        passed.append(here["name"][:40])
    raise AssertionError(f"{key} never reached {pattern.pattern!r} on {page.url}; passed {passed}")


def press_to_load(page: Page, key: str, check_axe) -> None:
    """Press a key that loads a new page (Enter on a link or a submit button); wait for it, check it."""
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press(key)
    check_axe(page)


def skip_to_main(page: Page) -> None:
    page.keyboard.press("Tab")
    here = focused(page)
    assert here["name"] == "Skip to main content" and here["visible"], here
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"


@pytest.fixture
def vote_open(transactional_db):
    """A knapsack budget of £1,000 open for voting, three projects, and a member to vote."""
    host = User.objects.create_user("hana@example.org", display_name="Hana Host")
    voter = User.objects.create_user("lena@example.org", display_name="Lena Lived")
    space = space_services.space_create(
        actor=host, title="Park", purpose="Spend the park fund.", place="Paisley"
    )
    space_services._membership_add(
        actor=host, space=space, user=voter, role=Role.MEMBER, perspective=Perspective.LIVED_EXPERIENCE
    )
    budget = services.budget_create(
        actor=host,
        space=space,
        title="Park fund",
        amount=Decimal("1000"),
        ballot_type="knapsack",
        rule="greedy",
    )
    for title, cost in (("New playground", "600"), ("Street lights", "250"), ("Benches", "100")):
        project = services.project_submit(actor=host, budget=budget, title=title, cost=Decimal(cost))
        services.project_review(actor=host, project=project, feasible=True)
    services.budget_advance_phase(actor=host, budget=budget, to=Phase.REVIEW)
    services.budget_advance_phase(actor=host, budget=budget, to=Phase.VOTE)
    return budget, voter


def test_voting_in_a_budget_with_the_keyboard_only(page, live_server, visit, check_axe, vote_open):
    budget, voter = vote_open
    sign_in_cookie(page, voter, live_server.url)
    visit(page, budget.get_absolute_url())
    skip_to_main(page)
    tab_to(page, "Vote now")
    press_to_load(page, "Enter", check_axe)
    expect(page.get_by_role("heading", level=1)).to_have_text("Vote: Park fund")

    total = page.locator("#running-total")
    tab_to(page, "New playground", tag="input")
    page.keyboard.press("Space")
    expect(page.get_by_role("checkbox", name=re.compile("New playground"))).to_be_checked()
    expect(total).to_contain_text("Your projects cost £600 of £1,000.")
    tab_to(page, "Benches", tag="input")
    page.keyboard.press("Space")
    expect(total).to_contain_text("Your projects cost £700 of £1,000.")
    assert "Benches" in focused(page)["name"], "the running total's update must not move the focus"
    tab_to(page, "Street lights", tag="input", back=True)  # a change of mind: back up with Shift+Tab
    page.keyboard.press("Space")
    expect(total).to_contain_text("Your projects cost £950 of £1,000.")
    check_axe(page)

    tab_to(page, "Check my ballot")
    press_to_load(page, "Enter", check_axe)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your ballot")
    skip_to_main(page)
    tab_to(page, "Cast my ballot")
    press_to_load(page, "Enter", check_axe)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your ballot is recorded")
    assert Ballot.objects.filter(budget=budget).count() == 1


@pytest.fixture
def timebank_pair(transactional_db):
    """Two approved timebank members (conftest's `seeded_as_migrated` puts the categories back)."""
    people = []
    for email, name in (("rab@example.org", "Rab Receiver"), ("gita@example.org", "Gita Giver")):
        user = User.objects.create_user(email, display_name=name)
        TimebankMember.objects.create(user=user, status=MemberStatus.APPROVED, area="Paisley")
        people.append(user)
    return people


def test_recording_a_timebank_exchange_with_the_keyboard_only(
    page, live_server, visit, check_axe, timebank_pair
):
    receiver, giver = timebank_pair
    sign_in_cookie(page, receiver, live_server.url)
    visit(page, "/timebank/")
    skip_to_main(page)
    tab_to(page, "Record an exchange")
    press_to_load(page, "Enter", check_axe)
    expect(page.get_by_role("heading", level=1)).to_have_text("Record an exchange")

    # A radio group: Tab reaches it, an arrow key moves to (and chooses) the next answer.
    tab_to(page, "I gave my time")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("I received help")).to_be_checked()
    assert focused(page)["name"] == "I received help"
    tab_to(page, "The other person")
    page.keyboard.press("ArrowDown")  # a closed select changes its value with the arrow keys
    expect(page.get_by_label("The other person")).to_have_value(str(giver.pk))
    tab_to(page, "Hours")
    page.keyboard.type("2")
    expect(page.get_by_label("Hours")).to_have_value("2")
    tab_to(page, "What was done")
    page.keyboard.type("Two hours in the garden")
    expect(page.get_by_label("What was done")).to_have_value("Two hours in the garden")
    tab_to(page, "Record it")
    press_to_load(page, "Enter", check_axe)
    expect(page.get_by_text("Gita Giver will be asked to confirm it.")).to_be_visible()
    assert Exchange.objects.filter(what="Two hours in the garden").count() == 1
