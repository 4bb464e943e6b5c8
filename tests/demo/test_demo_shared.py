"""What is kept because many people see it alike (core/shared.py) never changes what anyone sees.

On the demo network, every page that keeps a part (each space's page and idea list, the ballot paper of every
budget open for voting, the timebank's offers and requests, and the API's ideas and offers) is asked for by
people in every position: hosts, facilitators, members, people who belong to other spaces, timebank members
and coordinators, staff, and nobody signed in. First with keeping on, so that whoever comes first in each
audience fills it and the others are given what was kept; then each again with keeping off. Each person must
be given exactly the same page both times (apart from the CSRF token and the CSP nonce, new on every response).
A personal detail left in a kept part, or an audience that puts together people shown different things, fails.
"""

from __future__ import annotations

import re

from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from tests.api_client import Api

from coproduce.budgets.models import Budget, Phase
from coproduce.core import shared
from coproduce.people.models import User
from coproduce.spaces.models import Membership, Role, Space
from coproduce.timebank.models import TimebankMember

NEW_EACH_TIME = [
    re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"'),
    re.compile(r'"X-CSRFToken": "[^"]+"'),
    re.compile(r'nonce="[^"]+"'),
]


def _same(text: str) -> str:
    for pattern in NEW_EACH_TIME:
        text = pattern.sub("", text)
    return text


def _people() -> list[User | None]:
    chosen: dict[int, User] = {}

    def take(users, n):
        for user in list(users)[:n]:
            chosen.setdefault(user.pk, user)

    for role in (Role.HOST, Role.FACILITATOR, Role.MEMBER):
        take(User.objects.filter(memberships__role=role, is_active=True).distinct().order_by("pk"), 3)
    take(User.objects.filter(is_active=True).exclude(memberships__isnull=False).order_by("pk"), 2)
    take(User.objects.filter(is_staff=True, is_active=True).order_by("pk"), 1)
    take(User.objects.filter(timebank_member__isnull=False, is_active=True).order_by("-pk"), 3)
    # A host and a member of each space whose budget is voting or counted: the budget pages differ for them.
    for budget in Budget.objects.filter(phase__in=[Phase.VOTE, Phase.CLOSED, Phase.RESULTS]).order_by("pk"):
        for role in (Role.HOST, Role.MEMBER):
            take(
                User.objects.filter(
                    memberships__space=budget.space_id, memberships__role=role, is_active=True
                ).order_by("pk"),
                1,
            )
    return [*chosen.values(), None]


def _pages() -> list[tuple[str, bool]]:
    pages = [("/timebank/listings/", False), ("/timebank/listings/?kind=offer", False)]
    pages += [("/api/v1/timebank/listings?kind=request", True)]
    for space in Space.objects.order_by("pk"):
        pages += [
            (reverse("spaces:detail", args=[space.slug]), False),
            (reverse("ideas:list", args=[space.slug]), False),
            (reverse("ideas:list", args=[space.slug]) + "?sort=supported", False),
            (f"/api/v1/spaces/{space.slug}/ideas", True),
        ]
    for budget in Budget.objects.filter(phase=Phase.VOTE).select_related("space"):
        pages.append((reverse("budgets:vote", args=[budget.space.slug, budget.pk]), False))
    for budget in Budget.objects.filter(phase__in=[Phase.CLOSED, Phase.RESULTS]).select_related("space"):
        pages.append((reverse("budgets:results", args=[budget.space.slug, budget.pk]), False))
    return pages


def _clients(people) -> list[tuple[str, Client | Api]]:
    clients = []
    for person in people:
        name = person.display_name if person else "nobody signed in"
        page_client = Client()
        if person is not None:
            page_client.force_login(person, backend="coproduce.people.backends.ModelBackend")
        clients.append((name, page_client, Api(person) if person else Api()))
    return clients


def _seen(path: str, api: bool, page_client: Client, api_client: Api) -> tuple[int, str]:
    """What one person is given at `path`: the status and the page, less what is new on every response."""
    response = api_client.client.get(path, headers=api_client.headers) if api else page_client.get(path)
    return response.status_code, _same(response.content.decode())


def test_keeping_never_changes_what_anyone_sees(demo, settings):
    people = _people()
    assert len(people) >= 8
    assert Membership.objects.filter(user__in=[p for p in people if p], role=Role.HOST).exists()
    assert TimebankMember.objects.filter(user__in=[p for p in people if p]).exists()
    clients = _clients(people)
    pages = _pages()
    assert len([p for p, _api in pages if "/vote/" in p]) >= 1
    assert len([p for p, _api in pages if "/results/" in p]) >= 1
    compared = 0
    for path, api in pages:
        settings.SHARED_SECONDS = 3600
        shared.forget_all()
        kept = {}
        for name, page_client, api_client in clients:
            kept[name] = _seen(path, api, page_client, api_client)
        settings.SHARED_SECONDS = 0
        for name, page_client, api_client in clients:
            fresh = _seen(path, api, page_client, api_client)
            assert kept[name] == fresh, f"{path} as {name}: kept differs from fresh"
            compared += fresh[0] == 200
    assert compared >= len(pages) * 3  # most pages are open to several people


def _seen_by_everyone(clients, pages) -> dict:
    seen = {}
    for path, api in pages:
        for name, page_client, api_client in clients:
            seen[path, name] = _seen(path, api, page_client, api_client)
    return seen


CHECKED_BOX = re.compile(r'<input type="checkbox" name="projects" value="(\d+)"[^>]*\bchecked\b')


def test_a_ballot_changes_nothing_kept(demo, settings):
    """Casting a ballot keeps its voter on kept pages (`shared.only_own_changed`): that is right only while a
    ballot shows in no kept part. Every page that keeps a part, as everyone else sees it, is the same before and
    after the ballot; the voter's own ballot paper shows their choices at once, keeping on."""
    budget = Budget.objects.filter(phase=Phase.VOTE, ballot_type="approval").select_related("space").first()
    assert budget is not None
    voters = set(budget.voters.values_list("user_id", flat=True))
    voter, api_voter = (
        User.objects.filter(memberships__space=budget.space, is_active=True)
        .exclude(pk__in=[v for v in voters if v])
        .order_by("pk")[:2]
    )
    others = [p for p in _people() if p is None or p.pk not in (voter.pk, api_voter.pk)]
    clients = _clients(others)
    pages = _pages()
    settings.SHARED_SECONDS = 0
    before = _seen_by_everyone(clients, pages)

    settings.SHARED_SECONDS = 3600
    shared.forget_all()
    own = Client()
    own.force_login(voter, backend="coproduce.people.backends.ModelBackend")
    vote_path = reverse("budgets:vote", args=[budget.space.slug, budget.pk])
    paper = own.get(vote_path).content.decode()
    assert not CHECKED_BOX.search(paper)
    project = re.search(r'name="projects" value="(\d+)"', paper).group(1)
    form = {"step": "cast", "projects": [project], "confirm": "on"}
    response = own.post(vote_path, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert shared.FRESH_COOKIE not in response.cookies  # the voter goes on being given kept pages
    assert CHECKED_BOX.findall(own.get(vote_path).content.decode()) == [project]
    api = Api(api_voter)
    cast = api.put(
        f"/budgets/{budget.pk}/ballot",
        {"choices": [{"project": int(project), "value": 1}], "confirm_eligibility": True},
    )
    assert cast.status_code == 200, cast.content
    assert cache.get(f"shared:wrote:{api_voter.pk}") is None  # nor through the API

    settings.SHARED_SECONDS = 0
    assert _seen_by_everyone(clients, pages) == before


def test_a_voters_ticks_put_into_the_kept_paper_match_the_paper_built_for_them(demo, settings, monkeypatch):
    """A voter's own page is the kept paper with their ticks and running total put in (views/voting.py): it
    must be exactly the page built for them alone, for every demo voter of every budget open for voting."""
    from coproduce.budgets.views import voting

    settings.SHARED_SECONDS = 3600
    compared = 0
    for budget in Budget.objects.filter(phase=Phase.VOTE, ballot_type__in=voting.MARKABLE).select_related(
        "space"
    ):
        path = reverse("budgets:vote", args=[budget.space.slug, budget.pk])
        for person in User.objects.filter(budget_votes__budget=budget, is_active=True).order_by("pk"):
            client = Client()
            client.force_login(person, backend="coproduce.people.backends.ModelBackend")
            marked = client.get(path)
            monkeypatch.setattr(voting, "MARKABLE", ())
            built = client.get(path)
            monkeypatch.undo()
            assert marked.status_code == built.status_code == 200
            assert _same(marked.content.decode()) == _same(built.content.decode()), f"{path} as {person}"
            compared += " checked" in built.content.decode()
    assert compared >= 3
