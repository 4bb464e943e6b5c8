"""The participatory-budgeting journey on a phone-sized screen (390 px): a member proposes a project, votes with a
knapsack ballot (the running total updates as boxes are ticked, and a ballot over the budget is refused), confirms
it, and reads the results with the reason for every project. Every page is checked with axe (see conftest.py)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from huey.contrib.djhuey import HUEY
from huey.storage import MemoryStorage
from playwright.sync_api import Page, expect

from coproduce.budgets import services
from coproduce.budgets.models import Ballot, Phase, Voter
from coproduce.people.models import User
from coproduce.spaces import services as space_services
from coproduce.spaces.models import Perspective, Role

PASSWORD = "a-long-test-password-1"


@pytest.fixture(autouse=True)
def _count_as_voting_closes():
    """The count of a closed vote (or an imported file) is a task queued when the change commits: run it
    then, in memory, as a site's task consumer would (and never in a developer's real queue in var/)."""
    was_immediate, was_storage = HUEY.immediate, HUEY.storage
    HUEY.storage = MemoryStorage("budget-journey")
    HUEY.immediate = True
    yield
    HUEY.immediate, HUEY.storage = was_immediate, was_storage


@pytest.fixture
def people(transactional_db):
    """Own people rather than the shared personas, which need `db`: the live server needs `transactional_db`."""
    return {
        name: User.objects.create_user(f"{name}@example.org", PASSWORD, display_name=display)
        for name, display in (
            ("hana", "Hana Host"),
            ("fergus", "Fergus Facilitator"),
            ("lena", "Lena Lived"),
            ("pat", "Pat Practitioner"),
        )
    }


@pytest.fixture
def park_fund(people):
    """A public space with a knapsack budget of £10,000 (spend at least half) and three projects on the way."""
    host, facilitator = people["hana"], people["fergus"]
    space = space_services.space_create(
        actor=host, title="Ferguslie Park", purpose="Decide how the park fund is spent.", place="Paisley"
    )
    for person, role, perspective in (
        (facilitator, Role.FACILITATOR, Perspective.FACILITATOR),
        (people["lena"], Role.MEMBER, Perspective.LIVED_EXPERIENCE),
        (people["pat"], Role.MEMBER, Perspective.PRACTITIONER),
    ):
        space_services._membership_add(
            actor=host, space=space, user=person, role=role, perspective=perspective
        )
    budget = services.budget_create(
        actor=host,
        space=space,
        title="Park fund",
        amount=Decimal("10000"),
        ballot_type="knapsack",
        min_share_percent=50,
        rule="mes-add1",
    )
    for title, cost in (("New playground", "6000"), ("Street lights", "2500"), ("Benches", "1000")):
        project = services.project_submit(
            actor=people["pat"],
            budget=budget,
            title=title,
            cost=Decimal(cost),
            description=f"{title} for the park.",
            category="park",
        )
        services.project_review(actor=facilitator, project=project, feasible=True)
    return budget


def sign_in(page: Page, visit, follow, email: str, next_url: str) -> None:
    visit(page, f"/accounts/login/?next={next_url}")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    follow(page, page.get_by_role("button", name=re.compile("sign in", re.I)))
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_member_proposes_votes_with_a_knapsack_ballot_on_a_phone_and_reads_the_results(
    page, visit, follow, check_axe, screenshot, people, park_fund
):
    budget, host, facilitator = park_fund, people["hana"], people["fergus"]
    assert page.viewport_size == {"width": 390, "height": 844}

    # Lena finds the budget from the space's co-commissioning stage and proposes a project.
    sign_in(page, visit, follow, "lena@example.org", budget.space.get_absolute_url())
    follow(page, page.locator("#stage-co_commissioning").get_by_role("link", name="Park fund"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Park fund")
    follow(page, page.get_by_role("link", name="Propose a project"))
    page.get_by_label("Title").fill("Community garden")
    page.get_by_label("Description").fill("Raised beds by the play area, looked after by the tenants' group.")
    page.get_by_label("Cost").fill("3000")
    page.get_by_label("Category").fill("park")
    follow(page, page.get_by_role("button", name="Propose this project"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Community garden")
    expect(page.get_by_text("Waiting for review")).to_be_visible()
    screenshot(page, "1-project-proposed")

    # A facilitator finds it feasible and the host opens voting (their own pages are tested elsewhere).
    garden = budget.projects.get(title="Community garden")
    services.project_review(
        actor=facilitator, project=garden, feasible=True, reason="The tenants' group agreed."
    )
    services.budget_advance_phase(actor=host, budget=budget, to=Phase.REVIEW)
    services.budget_advance_phase(actor=host, budget=budget, to=Phase.VOTE)

    # Lena votes on her phone: the running total follows each tick (htmx), and says what is still allowed.
    visit(page, budget.get_absolute_url())
    follow(page, page.get_by_role("link", name="Vote now"))
    total = page.locator("#running-total")
    expect(total).to_contain_text("Your projects cost £0 of £10,000.")
    page.get_by_role("checkbox", name=re.compile("New playground")).check()
    expect(total).to_contain_text("Your projects cost £6,000 of £10,000.")
    expect(total).to_contain_text("£4,000 is left to spend.")
    page.get_by_role("checkbox", name=re.compile("Community garden")).check()
    expect(total).to_contain_text("Your projects cost £9,000 of £10,000.")
    expect(total).to_contain_text("Your ballot can be cast.")
    check_axe(page)
    screenshot(page, "2-ballot-with-running-total")

    # One more is over the budget: the total says so, and checking the ballot explains it and keeps the ticks.
    page.get_by_role("checkbox", name=re.compile("Street lights")).check()
    expect(total).to_contain_text("more than the budget")
    follow(page, page.get_by_role("button", name="Check my ballot"))
    expect(page.get_by_role("alert")).to_contain_text("more than the budget of £10,000")
    expect(page.get_by_role("checkbox", name=re.compile("Street lights"))).to_be_checked()
    expect(page.get_by_role("checkbox", name=re.compile("New playground"))).to_be_checked()
    assert not Voter.objects.exists()
    page.get_by_role("checkbox", name=re.compile("Street lights")).uncheck()
    expect(total).to_contain_text("Your projects cost £9,000 of £10,000.")

    # The ballot is confirmed on its own page before it is cast.
    follow(page, page.get_by_role("button", name="Check my ballot"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your ballot")
    expect(page.get_by_text("Your ballot is not cast yet")).to_be_visible()
    expect(page.locator(".chosen")).to_contain_text("New playground")
    expect(page.locator(".chosen")).to_contain_text("Community garden")
    screenshot(page, "3-confirm-ballot")
    follow(page, page.get_by_role("button", name="Cast my ballot"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your ballot is recorded")
    assert Voter.objects.filter(user=people["lena"]).count() == 1 and Ballot.objects.count() == 1
    screenshot(page, "4-ballot-recorded")

    # Others vote, and the host closes voting: the ballots are counted.
    lights, benches = budget.projects.get(title="Street lights"), budget.projects.get(title="Benches")
    services.ballot_submit(
        actor=people["pat"], budget=budget, choices=[(lights.pk, 1), (benches.pk, 1), (garden.pk, 1)]
    )
    services.paper_ballot_record(
        actor=facilitator,
        budget=budget,
        member=facilitator,
        choices=[(lights.pk, 1), (benches.pk, 1), (garden.pk, 1)],
    )
    services.budget_advance_phase(actor=host, budget=budget, to=Phase.CLOSED, confirm=True)
    services.budget_advance_phase(actor=host, budget=budget, to=Phase.RESULTS)

    # Lena reads the results: what was funded, why the rest was not, and what other rules would have done.
    visit(page, budget.get_absolute_url())
    follow(page, page.get_by_role("link", name="See the results"))
    expect(page.get_by_role("heading", name="Funded projects")).to_be_visible()
    funded = page.locator("table").first
    expect(funded).to_contain_text("Community garden")
    expect(page.get_by_role("heading", name="Projects not funded, and why")).to_be_visible()
    expect(page.locator(".not-funded")).to_contain_text("New playground")
    expect(page.get_by_role("heading", name="What each rule would have funded")).to_be_visible()
    expect(page.get_by_text("voters got at least one project they voted for").first).to_be_visible()
    screenshot(page, "5-results")


def test_voting_works_without_javascript(new_page, visit, follow, people, park_fund):
    budget, host = park_fund, people["hana"]
    services.budget_advance_phase(actor=host, budget=budget, to=Phase.REVIEW)
    services.budget_advance_phase(actor=host, budget=budget, to=Phase.VOTE)
    page = new_page(javascript=False)
    sign_in(page, visit, follow, "lena@example.org", budget.get_absolute_url())
    follow(page, page.get_by_role("link", name="Vote now"))
    page.get_by_role("checkbox", name=re.compile("New playground")).check()
    page.get_by_role("checkbox", name=re.compile("Benches")).check()
    follow(page, page.get_by_role("button", name="Update the total"))
    expect(page.locator("#running-total")).to_contain_text("Your projects cost £7,000 of £10,000.")
    expect(page.get_by_role("checkbox", name=re.compile("Benches"))).to_be_checked()
    follow(page, page.get_by_role("button", name="Check my ballot"))
    follow(page, page.get_by_role("button", name="Cast my ballot"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your ballot is recorded")
    assert Ballot.objects.count() == 1


def test_the_pages_hosts_and_facilitators_use_pass_axe(
    new_page, visit, follow, screenshot, people, park_fund, tmp_path
):
    """Creating a budget (with its error summary), importing a file (with a bad file), reviewing a project, the
    paper ballot form, and ranked and points ballots: each page checked with axe."""
    budget, host = park_fund, people["hana"]
    space = budget.space
    page = new_page()
    sign_in(page, visit, follow, "hana@example.org", f"/spaces/{space.slug}/budgets/")
    follow(page, page.get_by_role("link", name="Create a budget"))
    page.get_by_label("Title").fill("Youth fund")
    page.get_by_label("Amount").fill("-5")
    follow(page, page.get_by_role("button", name="Create the budget"))
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    expect(page.get_by_label("Title")).to_have_value("Youth fund")

    visit(page, f"/spaces/{space.slug}/budgets/import/")
    bad = tmp_path / "bad.pb"
    bad.write_text(
        "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\na;ten\n"
        "VOTES\nvoter_id;vote\n1;a\n"
    )
    page.get_by_label("Pabulib file (.pb)").set_input_files(str(bad))
    follow(page, page.get_by_role("button", name="Import the file"))
    expect(page.get_by_role("alert")).to_contain_text("Line 7")

    visit(page, f"/spaces/{space.slug}/budgets/{budget.pk}/projects/")
    follow(page, page.get_by_role("link", name="Benches"))
    expect(page.get_by_role("heading", name="Review this project")).to_be_visible()
    visit(page, f"/spaces/{space.slug}/budgets/{budget.pk}/edit/")

    services.budget_advance_phase(actor=host, budget=budget, to=Phase.REVIEW)
    services.budget_advance_phase(actor=host, budget=budget, to=Phase.VOTE)
    visit(page, f"/spaces/{space.slug}/budgets/{budget.pk}/paper-ballots/")
    expect(page.get_by_label("Member who voted")).to_be_visible()

    for kind, extra in (("ranked", {"max_ranked": 2}), ("cumulative", {"points_total": 10})):
        other = services.budget_create(
            actor=host,
            space=space,
            title=f"A {kind} vote",
            amount=Decimal("100"),
            ballot_type=kind,
            rule="greedy",
            **extra,
        )
        project = services.project_submit(
            actor=people["pat"], budget=other, title="Swings", cost=Decimal("50")
        )
        services.project_review(actor=people["fergus"], project=project, feasible=True)
        services.budget_advance_phase(actor=host, budget=other, to=Phase.REVIEW)
        services.budget_advance_phase(actor=host, budget=other, to=Phase.VOTE)
        visit(page, f"/spaces/{space.slug}/budgets/{other.pk}/vote/")
        expect(page.get_by_label(re.compile("Swings"))).to_be_visible()
        expect(page.get_by_role("checkbox")).to_have_count(0)
        screenshot(page, f"{kind}-ballot")


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 900}])
def test_results_chart_bars_are_drawn_in_proportion(new_page, visit, screenshot, people, park_fund, viewport):
    """Issue 10, point 11: every bar was capped at 60% of its cell, so 19 and 13 votes looked the same. The
    largest value fills its column; every other bar's drawn length is in the ratio of its value."""
    from coproduce.lib.pb import make_election, write

    votes = {"Nineteen": 19, "Thirteen": 13, "Seven": 7, "One": 1}
    costs = {"Nineteen": "1000", "Thirteen": "4000", "Seven": "250", "One": "3000"}
    ids = {title: f"p{k}" for k, title in enumerate(votes)}
    ballots = [[ids[t] for t, n in votes.items() if n > voter] for voter in range(19)]
    election = make_election(100000, {ids[t]: costs[t] for t in votes}, ballots)
    for k, title in enumerate(votes):
        election.projects[k].fields["name"] = title
    budget = services.budget_import(actor=people["hana"], space=park_fund.space, text=write(election))

    page = new_page(viewport=viewport)
    visit(page, f"/spaces/{park_fund.space.slug}/budgets/{budget.pk}/results/")
    page.locator("table.chart").scroll_into_view_if_needed()
    screenshot(page, "chart")
    for kind, values in (("votes", votes), ("cost", {t: int(c) for t, c in costs.items()})):
        largest = max(values.values())
        drawn = {}
        for title in values:
            row = page.locator("table.chart tbody tr").filter(has=page.get_by_role("rowheader", name=title))
            cell = row.locator(f".chart-bar--{kind}")
            bar = cell.locator("rect").bounding_box()
            column = cell.bounding_box()
            assert bar and column and column["width"] > 40, f"{title}: the {kind} column is too narrow"
            drawn[title] = (bar["width"], column["width"])
        widths = {column for _bar, column in drawn.values()}
        assert max(widths) - min(widths) < 1, "every cell of a column is as wide as the others"
        for title, (bar, column) in drawn.items():
            # One pixel of rounding either way, no more.
            assert bar == pytest.approx(column * values[title] / largest, abs=1), (kind, title, drawn)
    first, second = drawn_votes = (
        page.locator("tr", has_text="Nineteen").locator(".chart-bar--votes rect").bounding_box()["width"],
        page.locator("tr", has_text="Thirteen").locator(".chart-bar--votes rect").bounding_box()["width"],
    )
    assert second / first == pytest.approx(13 / 19, abs=0.02), drawn_votes
