"""Budget pages: forms that keep what was typed and explain errors, the ballot with and without JavaScript, the
confirmation step, paper ballots, results in plain words, images, uploads, and bounded queries on lists."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from tests.conftest import make_members

from coproduce.budgets import selectors, services
from coproduce.budgets.models import Ballot, Budget, Phase, Project, ProjectStatus, Voter
from coproduce.core.models import AuditEvent
from coproduce.lib.pb import make_election, write

from .conftest import add_projects, counted, make_budget, move_to
from .helpers import text

FIXTURES = Path(__file__).parent / "fixtures"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def url(name, budget, *extra):
    return reverse(f"budgets:{name}", args=[budget.space.slug, budget.pk, *extra])


# --- Budgets ------------------------------------------------------------------------------------------


def test_a_host_creates_a_budget_from_the_form(client_for, host, space):
    response = client_for(host).post(
        reverse("budgets:create", args=[space.slug]),
        {
            "title": "Health fund",
            "amount": "25000",
            "currency": "GBP",
            "eligibility": "members",
            "ballot_type": "knapsack",
            "min_projects": "1",
            "min_share_percent": "70",
            "rule": "mes-add1",
            "tie_break": "cost_then_submission",
            "threshold": "0",
            "vote_from": "2026-03-01",
        },
    )
    budget = Budget.objects.get()
    assert response.status_code == 302 and response.url == budget.get_absolute_url()
    page = text(client_for(None).get(response.url))
    assert "£25,000 to spend" in page and "Spend at least £17,500 (70% of it)." in page
    assert "from 1 Mar 2026" in page


def test_bad_budget_input_keeps_the_form_explains_and_saves_nothing(client_for, host, space):
    response = client_for(host).post(
        reverse("budgets:create", args=[space.slug]),
        {
            "title": "Health fund",
            "amount": "-3",
            "currency": "GBP",
            "eligibility": "residents",
            "area": "",
            "ballot_type": "cumulative",
            "min_projects": "1",
            "min_share_percent": "0",
            "rule": "mes-add1",
            "tie_break": "cost_then_submission",
            "threshold": "0",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and 'value="Health fund"' in page
    assert (
        "Say how many points each voter shares out." in page
        and "Say which area voters live or work in." in page
    )
    assert not Budget.objects.exists()


def test_the_space_page_lists_the_budget_on_co_commissioning(client_for, budget, host, member):
    page = client_for(None).get(budget.space.get_absolute_url()).content.decode()
    assert budget.get_absolute_url() in page and "Participatory budgeting" in page
    assert "Create or import a budget" not in page
    assert (
        "Create or import a budget"
        not in client_for(member).get(budget.space.get_absolute_url()).content.decode()
    )
    assert (
        "Create or import a budget" in client_for(host).get(budget.space.get_absolute_url()).content.decode()
    )


def test_the_host_moves_the_budget_forward_from_its_page(client_for, host, budget, projects):
    client = client_for(host)
    assert "Stop collecting projects and start the review" in text(client.get(budget.get_absolute_url()))
    client.post(url("phase", budget), {"to": "review"})
    response = client.post(url("phase", budget), {"to": "results"}, follow=True)  # cannot skip voting
    budget.refresh_from_db()
    assert budget.phase == Phase.REVIEW and "one phase forward at a time" in text(response)


def test_settings_are_locked_once_voting_opens(client_for, host, voting):
    page = client_for(host).get(url("edit", voting)).content.decode()
    assert "can no longer change" in page
    assert 'name="amount"' in page and "disabled" in page.split('name="amount"')[1].split(">")[0]


# --- Projects -----------------------------------------------------------------------------------------


def test_a_member_proposes_a_project_with_an_image(client_for, member, budget):
    client = client_for(member)
    response = client.post(
        url("project_create", budget),
        {
            "title": "River benches",
            "description": "Six benches.",
            "cost": "3200",
            "category": "green spaces",
            "area": "Riverside",
            "image": SimpleUploadedFile("bench.png", PNG, content_type="image/png"),
            "image_description": "A wooden bench by the water",
        },
    )
    project = Project.objects.get()
    assert response.status_code == 302 and project.image_description == "A wooden bench by the water"
    page = client_for(None).get(project.get_absolute_url()).content.decode()
    assert 'alt="A wooden bench by the water"' in page and "£3,200" in page
    image = client_for(None).get(url("project_image", budget, project.pk))
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert b"".join(image.streaming_content) == PNG


@pytest.mark.parametrize(
    ("upload", "problem"),
    [
        (
            SimpleUploadedFile("bench.exe", b"MZ...", content_type="image/png"),
            "Upload a JPEG, PNG, GIF or WebP image.",
        ),
        (
            SimpleUploadedFile("bench.png", b"<html>not an image</html>", content_type="image/png"),
            "This file is not a PNG image.",
        ),
    ],
)
def test_only_images_are_accepted(client_for, member, budget, upload, problem):
    response = client_for(member).post(
        url("project_create", budget),
        {
            "title": "River benches",
            "cost": "3200",
            "image": upload,
            "image_description": "A bench",
        },
    )
    assert response.status_code == 400 and problem in response.content.decode()
    assert 'value="River benches"' in response.content.decode() and not Project.objects.exists()


def test_an_image_needs_a_description(client_for, member, budget):
    response = client_for(member).post(
        url("project_create", budget),
        {
            "title": "River benches",
            "cost": "3200",
            "image": SimpleUploadedFile("b.png", PNG, content_type="image/png"),
        },
    )
    assert response.status_code == 400 and "Describe the image" in response.content.decode()


def test_bad_project_input_is_explained(client_for, member, budget):
    response = client_for(member).post(url("project_create", budget), {"title": "", "cost": "0"})
    page = text(response)
    assert response.status_code == 400 and "There is a problem" in page
    assert not Project.objects.exists()


def test_a_review_with_a_new_cost_is_shown_on_the_project_page(client_for, facilitator, budget, member):
    project = services.project_submit(actor=member, budget=budget, title="Garden", cost=Decimal("4000"))
    client = client_for(facilitator)
    response = client.post(
        url("project_review", budget, project.pk),
        {"feasible": "yes", "cost": "3500", "reason": "Tools are lent by the council."},
    )
    assert response.status_code == 302
    page = text(client_for(None).get(project.get_absolute_url()))
    assert "the cost changed from £4,000 to £3,500" in page and "Tools are lent by the council." in page
    assert "Feasible: on the ballot" in page


def test_not_feasible_needs_a_reason_on_the_form(client_for, facilitator, budget, projects):
    response = client_for(facilitator).post(url("project_review", budget, projects[0].pk), {"feasible": "no"})
    assert response.status_code == 400 and "Say why the project cannot be done" in response.content.decode()
    projects[0].refresh_from_db()
    assert projects[0].status == ProjectStatus.FEASIBLE


def test_the_author_edits_and_a_cost_change_needs_a_reason(client_for, member, budget):
    project = services.project_submit(actor=member, budget=budget, title="Garden", cost=Decimal("4000"))
    client = client_for(member)
    data = {
        "title": "Garden",
        "cost": "4500",
        "description": "",
        "category": "",
        "area": "",
        "image_description": "",
    }
    response = client.post(url("project_edit", budget, project.pk), data)
    assert response.status_code == 400 and "Say why the cost changed" in response.content.decode()
    response = client.post(
        url("project_edit", budget, project.pk), {**data, "cost_reason": "Soil is dearer."}
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.cost == Decimal("4500")


def test_project_list_filters_and_bounded_queries(
    client_for, budget, host, member, facilitator, django_assert_max_num_queries
):
    for n, proposer in enumerate(make_members(budget.space, host, 30)):  # one proposer each
        add_projects(budget, proposer, facilitator, [str(100 + n)])
    services.project_submit(
        actor=member, budget=budget, title="Waiting one", cost=Decimal("5"), category="youth"
    )
    client = client_for(member)
    with django_assert_max_num_queries(12):
        page = text(client.get(url("projects", budget)))
    assert "31 projects" in page and "Page 1 of 2" in page
    page = text(client.get(url("projects", budget) + "?status=submitted"))
    assert "1 project" in page and "Waiting one" in page
    assert "Waiting one" in text(client.get(url("projects", budget) + "?category=YOUTH"))


def test_budget_list_has_bounded_queries(client_for, space, host, member, django_assert_max_num_queries):
    for n in range(20):
        make_budget(space, host, title=f"Budget {n}")
    client = client_for(member)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("budgets:list", args=[space.slug]))
    assert "Budget 19" in text(response)


# --- Voting -------------------------------------------------------------------------------------------


def _ids(budget):
    return [str(pid) for pid in selectors.on_ballot(budget)]


def test_voting_without_javascript_keeps_choices_explains_errors_and_confirms(client_for, member, knapsack):
    client = client_for(member)
    a, b, c, d = _ids(knapsack)  # £6,000, £3,000, £2,500, £1,000 of £10,000, at least half of it
    page = client.get(url("vote", knapsack)).content.decode()
    assert "Your ballot so far" in page and "<noscript>" in page and 'name="projects"' in page

    # "Update the total" (no JavaScript): the total is worked out on the server, nothing is saved.
    response = client.post(url("vote", knapsack), {"projects": [a, b], "step": "check"})
    assert "Your projects cost £9,000 of £10,000." in text(response) and "£1,000 is left to spend." in text(
        response
    )
    assert not Voter.objects.exists()

    # Over the budget: explained, the ticks are kept, nothing saved.
    response = client.post(url("vote", knapsack), {"projects": [a, b, c], "step": "review"})
    page = response.content.decode()
    assert response.status_code == 400 and "more than the budget of £10,000" in page
    for pid in (a, b, c):
        assert f'value="{pid}" id="ballot-{pid}" checked' in page
    assert not Voter.objects.exists()

    # A ballot that fits goes to a confirmation page first.
    response = client.post(url("vote", knapsack), {"projects": [a, d], "step": "review"})
    page = text(response)
    assert response.status_code == 200 and "Your ballot is not cast yet" in page and "Project 1" in page
    assert not Voter.objects.exists()
    assert f'name="projects" value="{a}"' in response.content.decode()

    # "Change my choices" goes back with the choices kept; "Cast my ballot" records it.
    back = client.post(url("vote", knapsack), {"projects": [a, d], "step": "change"}).content.decode()
    assert f'value="{d}" id="ballot-{d}" checked' in back
    response = client.post(url("vote", knapsack), {"projects": [a, d], "step": "cast"})
    assert response.status_code == 302 and response.url == url("voted", knapsack)
    page = text(client.get(response.url))
    assert "Your ballot is recorded" in page and "Project 1" in page and "Project 4" in page
    assert Ballot.objects.get().choices == [[int(a), 1], [int(d), 1]]

    # The ballot can be changed: the form shows the saved choices, and the new ballot replaces the old one.
    page = client.get(url("vote", knapsack)).content.decode()
    assert "You have already voted" in page and f'value="{a}" id="ballot-{a}" checked' in page
    client.post(url("vote", knapsack), {"projects": [b, c], "step": "cast"})
    assert Ballot.objects.count() == 1 and Ballot.objects.get().choices == [[int(b), 1], [int(c), 1]]


def test_the_running_total_fragment_for_htmx(client_for, member, knapsack):
    a, b, _c, _d = _ids(knapsack)
    response = client_for(member).post(
        url("vote_total", knapsack), {"projects": [a, b]}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    fragment = response.content.decode()
    assert "<html" not in fragment and "Your projects cost £9,000 of £10,000." in fragment
    assert 'value="9000' in fragment  # the meter
    assert not Voter.objects.exists()


def test_ranked_and_cumulative_ballots_on_the_page(client_for, space, host, member, facilitator):
    ranked = make_budget(space, host, title="Ranked", ballot_type="ranked", max_ranked=2, rule="greedy")
    add_projects(ranked, member, facilitator, ["10", "20", "30"])
    ranked = move_to(ranked, host, Phase.VOTE)
    client = client_for(member)
    a, b, c = _ids(ranked)
    response = client.get(url("vote", ranked))
    page = text(response)
    assert "Borda" in page and "Rank up to 2 projects" in page
    assert re.search(rf'<select name="project_{a}"', response.content.decode())
    assert 'type="checkbox"' not in response.content.decode()
    response = client.post(url("vote", ranked), {f"project_{a}": "2", f"project_{b}": "1", "step": "cast"})
    assert response.status_code == 302
    assert Ballot.objects.get(budget=ranked).choices == [[int(b), 1], [int(a), 2]]
    bad = client.post(url("vote", ranked), {f"project_{a}": "1", f"project_{b}": "1", "step": "review"})
    assert bad.status_code == 400 and "different rank" in text(bad)

    points = make_budget(space, host, title="Points", ballot_type="cumulative", points_total=5, rule="greedy")
    add_projects(points, member, facilitator, ["10", "20"])
    points = move_to(points, host, Phase.VOTE)
    a, b = _ids(points)
    bad = client.post(url("vote", points), {f"project_{a}": "4", f"project_{b}": "3", "step": "review"})
    assert bad.status_code == 400 and "You gave 7 points, but you have 5 to share." in text(bad), text(bad)
    page = bad.content.decode()
    assert 'type="checkbox"' not in page
    assert re.search(rf'<input type="number" name="project_{a}" value="4"', page), page
    client.post(url("vote", points), {f"project_{a}": "4", f"project_{b}": "1", "step": "cast"})
    assert Ballot.objects.get(budget=points).choices == [[int(a), 4], [int(b), 1]]


def test_residents_confirm_on_the_voting_page(client_for, space, host, member, facilitator, outsider):
    budget = make_budget(space, host, eligibility="residents", area="Ferguslie Park", minimum_age=16)
    add_projects(budget, member, facilitator, ["10"])
    budget = move_to(budget, host, Phase.VOTE)
    (a,) = _ids(budget)
    client = client_for(outsider)
    assert "Ferguslie Park and are 16 or older" in text(client.get(url("vote", budget)))
    response = client.post(url("vote", budget), {"projects": [a], "step": "review"})
    assert response.status_code == 400 and "Confirm that you live or work in Ferguslie Park" in text(response)
    response = client.post(url("vote", budget), {"projects": [a], "confirm": "on", "step": "cast"})
    assert response.status_code == 302 and Voter.objects.get(budget=budget).confirmed_eligibility


def test_a_facilitator_records_a_paper_ballot(client_for, facilitator, margaret, voting):
    client = client_for(facilitator)
    a, _b, _c = _ids(voting)
    page = client.get(url("paper", voting)).content.decode()
    assert "Margaret Brown" in page
    response = client.post(url("paper", voting), {"member": str(margaret.pk), "projects": [a]})
    assert response.status_code == 302
    voter = Voter.objects.get(user=margaret)
    assert (
        voter.method == "paper"
        and AuditEvent.objects.get(action="ballot.paper_recorded").on_behalf_of == margaret
    )
    response = client.post(url("paper", voting), {"reference": "P-1", "projects": [a]})
    assert response.status_code == 400 and "Only members vote in this budget" in text(response)


def test_the_paper_ballot_form_offers_only_people_who_may_be_helped(
    client_for, facilitator, member, practitioner, margaret, voting
):
    client = client_for(facilitator)
    a, b, _c = _ids(voting)
    page = client.get(url("paper", voting)).content.decode()
    assert "Margaret Brown" in page and "Pat Practitioner" not in page and "Lena Lived" not in page
    response = client.post(url("paper", voting), {"member": str(practitioner.pk), "projects": [a]})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_member_error"' in page and "Choose someone from the list" in text(response)
    assert not Voter.objects.exists() and not Ballot.objects.exists()
    # Once Pat asks for help on their own page, they are offered; once they vote online, no longer.
    client_for(practitioner).post(
        reverse("people:on_my_behalf"), {"where": voting.space.slug, "accepts": "yes"}
    )
    assert "Pat Practitioner" in client.get(url("paper", voting)).content.decode()
    assert (
        client.post(url("paper", voting), {"member": str(practitioner.pk), "projects": [a]}).status_code
        == 302
    )
    services.ballot_submit(actor=practitioner, budget=voting, choices=[(b, 1)])
    assert "Pat Practitioner" not in client.get(url("paper", voting)).content.decode()
    response = client.post(url("paper", voting), {"member": str(practitioner.pk), "projects": [a]})
    assert response.status_code == 400 and "Choose someone from the list" in text(response)
    assert selectors.ballot_of(voting, f"user:{practitioner.pk}").choices == [[int(b), 1]]


# --- Results ------------------------------------------------------------------------------------------


def test_results_explain_every_project_and_compare_the_rules(
    client_for, space, host, member, facilitator, practitioner, django_assert_max_num_queries
):
    budget = services.budget_import(actor=host, space=space, text=(FIXTURES / "approval.pb").read_text())
    client = client_for(None)
    counted(budget)  # as the task queued by the import does; the page then reads the count
    with django_assert_max_num_queries(12):
        response = client.get(url("results", budget))
    page = text(response)
    assert "Funded projects" in page and "Projects not funded, and why" in page
    assert "What each rule would have funded" in page and "Votes and spending" in page
    for rule in ("Greedy by votes", "Method of Equal Shares", "Sequential Phragmén"):
        assert rule in page
    assert "voters got at least one project they voted for" in page
    assert "could pay for it together from their equal shares" in page
    assert "<table" in response.content.decode() and 'aria-hidden="true"' in response.content.decode()


def test_results_in_plain_words_for_a_greedy_count(
    client_for, space, host, member, facilitator, practitioner
):
    budget = make_budget(space, host, rule="greedy", amount=Decimal("500"), threshold=1)
    add_projects(budget, member, facilitator, ["400", "300", "50"])
    budget = move_to(budget, host, Phase.VOTE)
    a, b, c = selectors.on_ballot(budget)
    services.ballot_submit(actor=member, budget=budget, choices=[(a, 1), (b, 1)])
    services.ballot_submit(actor=practitioner, budget=budget, choices=[(a, 1)])
    budget = move_to(budget, host, Phase.RESULTS)
    page = text(client_for(member).get(url("results", budget)))
    assert "It costs £300, but only £100 was left when its turn came." in page
    assert "It had 0 votes" not in page  # the project nobody chose: that is the reason to give
    assert re.search(r"£50 · 0 supporters Nobody voted for it\.", page)
    assert "Funded in turn, by votes." in page


def test_a_project_nobody_voted_for_is_explained_as_such_whatever_the_rule(
    client_for, space, host, member, facilitator, practitioner
):
    """Issue 10, point 17: "0 supporters — only £1,700 was left" blamed the money, not the lack of votes."""
    budget = make_budget(space, host, rule="greedy", amount=Decimal("500"))
    add_projects(budget, member, facilitator, ["400", "300"])
    budget = move_to(budget, host, Phase.VOTE)
    a, _b = selectors.on_ballot(budget)
    services.ballot_submit(actor=member, budget=budget, choices=[(a, 1)])
    budget = move_to(budget, host, Phase.RESULTS)
    page = text(client_for(member).get(url("results", budget)))
    assert "£300 · 0 supporters Nobody voted for it." in page
    assert "only £100 was left" not in page


def _bars(html: str, kind: str) -> list[tuple[str, float]]:
    """(project title, drawn width in % of the column) for every row of the results chart."""
    rows = re.findall(r'<tr class="[^"]*">\s*<th scope="row">([^<]+)</th>(.*?)</tr>', html, re.S)
    widths = []
    for title, cells in rows:
        found = re.search(rf'chart-bar--{kind}"[^>]*><rect width="([0-9.]+)%"', cells)
        assert found, f"no {kind} bar for {title}"
        widths.append((title.strip(), float(found.group(1))))
    return widths


def test_the_chart_draws_bars_in_proportion_to_the_votes_and_costs(client_for, space, host):
    """Issue 10, point 11: 19 votes and 13 votes were drawn the same length (every bar capped at 60%)."""
    votes = {"Nineteen": 19, "Thirteen": 13, "Seven": 7, "One": 1, "None": 0}
    costs = {"Nineteen": 1000, "Thirteen": 4000, "Seven": 250, "One": 3000, "None": 500}
    ids = {title: f"p{k}" for k, title in enumerate(votes)}
    ballots = [[ids[t] for t, n in votes.items() if n > voter] for voter in range(19)]
    election = make_election(100000, {ids[t]: costs[t] for t in votes}, ballots)
    for k, title in enumerate(votes):
        election.projects[k].fields["name"] = title
    budget = services.budget_import(actor=host, space=space, text=write(election))
    counted(budget)
    html = client_for(None).get(url("results", budget)).content.decode()
    drawn_votes, drawn_costs = dict(_bars(html, "votes")), dict(_bars(html, "cost"))
    assert drawn_votes["Nineteen"] == 100 and drawn_votes["None"] == 0
    for title, n in votes.items():
        assert drawn_votes[title] == pytest.approx(100 * n / 19, abs=0.01)
        assert drawn_costs[title] == pytest.approx(100 * costs[title] / 4000, abs=0.01)
    assert drawn_votes["Thirteen"] / drawn_votes["Nineteen"] == pytest.approx(13 / 19, abs=1e-3)


def test_results_wait_for_the_vote_to_close(client_for, voting):
    assert "published when voting closes" in text(client_for(None).get(url("results", voting)))


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"a;10\x00", "Line 7: the line contains a NUL character"),
        (f"a;{2**64}".encode(), "Line 7: the cost of project &#x27;a&#x27; is too large"),
        (b"a;10\nVOTES\nvoter_id;vote;points\n1;a;" + str(2**64).encode(), "Line 10: points"),
    ],
)
def test_a_pabulib_upload_with_a_nul_byte_or_huge_numbers_is_refused_naming_the_line(
    client_for, host, space, content, words
):
    head = b"META\nkey;value\nbudget;100\nvote_type;cumulative\nPROJECTS\nproject_id;cost\n"
    body = content if b"VOTES" in content else content + b"\nVOTES\nvoter_id;vote;points\n1;a;1"
    upload = SimpleUploadedFile("bad.pb", head + body + b"\n")
    response = client_for(host).post(reverse("budgets:import", args=[space.slug]), {"file": upload})
    assert response.status_code == 400
    assert words in response.content.decode() and "Nothing was imported" in response.content.decode()
    assert not Budget.objects.exists() and not Ballot.objects.exists()


def test_a_host_uploads_a_pabulib_file_and_a_bad_one_is_explained(client_for, host, space):
    client = client_for(host)
    bad = SimpleUploadedFile(
        "bad.pb",
        b"META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\n"
        b"a;ten\nVOTES\nvoter_id;vote\n1;a\n",
    )
    response = client.post(reverse("budgets:import", args=[space.slug]), {"file": bad})
    assert response.status_code == 400
    assert (
        "Line 7: the cost of project &#x27;a&#x27;, &#x27;ten&#x27;, is not a number"
        in response.content.decode()
    )
    assert not Budget.objects.exists()
    good = SimpleUploadedFile("approval.pb", (FIXTURES / "approval.pb").read_bytes())
    response = client.post(reverse("budgets:import", args=[space.slug]), {"file": good, "title": "Riverside"})
    budget = Budget.objects.get()
    assert response.status_code == 302 and budget.title == "Riverside"
    download = client.get(url("export", budget))
    assert download["Content-Disposition"] == f'attachment; filename="budget-{budget.pk}.pb"'
    assert download.content.decode().startswith("META\n")


def test_the_kept_voting_page_is_each_voters_own(voting, member, practitioner, client_for, keeping):
    """The voting page is kept whole for everyone asked the same question (core/kept_pages.py); each voter
    is given their own ticks, their running total and "You have already voted", and a non-voter none."""
    first, second, _third = selectors.on_ballot(voting)
    services.ballot_submit(actor=member, budget=voting, choices=[(first, 1)])
    for _ in range(2):  # the second round from what the first kept
        for person, voted in ((practitioner, False), (member, True), (practitioner, False)):
            page = client_for(person).get(url("vote", voting)).content.decode()
            assert ("You have already voted" in page) is voted, person
            assert (f'value="{first}" id="ballot-{first}" checked' in page) is voted, person
            assert f'value="{second}" id="ballot-{second}" checked' not in page
            assert ("Your ballot can be cast." in page) is voted, "the running total is the voter's own"


def test_a_voter_s_kept_voting_page_asks_the_database_once(voting, member, client_for, keeping):
    """On a voting evening most requests are this page: the session with the person, the space with the
    person's membership, the budget, their ballot and their voter record, in one statement (core/prepared.py
    `Together`, read ahead: core/ahead.py). Each round trip cost a page about a sixth of its throughput on
    PostgreSQL (bench/load.py)."""
    first, _second, _third = selectors.on_ballot(voting)
    services.ballot_submit(actor=member, budget=voting, choices=[(first, 1)])
    client = client_for(member)
    client.get(url("vote", voting))  # kept from here on
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url("vote", voting)).content.decode()
    assert "You have already voted" in page and f'value="{first}" id="ballot-{first}" checked' in page
    assert len(queries.captured_queries) == 1, [q["sql"][:120] for q in queries.captured_queries]


def test_a_voting_page_read_ahead_for_someone_else_is_the_voters_own(
    voting, member, practitioner, client_for, keeping
):
    """The process guesses wrongly whom the session names (core/ahead.py): what it read ahead for that other
    voter is not used, and the page shows the voter's own ballot."""
    from coproduce.people import sessions

    first, second, _third = selectors.on_ballot(voting)
    services.ballot_submit(actor=member, budget=voting, choices=[(first, 1)])
    services.ballot_submit(actor=practitioner, budget=voting, choices=[(second, 1)])
    client = client_for(member)
    client.get(url("vote", voting))
    sessions._named.put(client.cookies["sessionid"].value, practitioner.pk)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url("vote", voting)).content.decode()
    assert f'value="{first}" id="ballot-{first}" checked' in page
    assert f'id="ballot-{second}" checked' not in page
    assert len(queries.captured_queries) == 3, "the guess, the person, the page's own read"


def test_the_kept_results_ask_the_database_once_on_the_page_and_in_the_api(
    voting, member, practitioner, host, client_for, api_for, keeping
):
    """The session (or API token) with the person, the space, the membership, the budget and its counts, in
    one statement (read ahead: core/ahead.py); the results themselves are kept under their count's time."""
    first, second, third = selectors.on_ballot(voting)
    services.ballot_submit(actor=member, budget=voting, choices=[(first, 1), (second, 1)])
    services.ballot_submit(actor=practitioner, budget=voting, choices=[(third, 1)])
    budget = move_to(move_to(voting, host, Phase.CLOSED), host, Phase.RESULTS)
    counted(budget)
    client, api = client_for(member), api_for(member)
    for ask in (lambda: client.get(url("results", budget)), lambda: api.get(f"/budgets/{budget.pk}/results")):
        assert ask().status_code == 200  # kept from here on
        with CaptureQueriesContext(connection) as queries:
            response = ask()
        assert response.status_code == 200
        assert len(queries.captured_queries) == 1, [q["sql"][:120] for q in queries.captured_queries]
    assert api.get(f"/budgets/{budget.pk}/results").json()["voters"] == 2
    page = client.get(url("results", budget)).content.decode()
    assert all(Project.objects.get(pk=pk).title in page for pk in (first, second, third))
