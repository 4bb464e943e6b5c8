"""The demo network loads once, through the services, with spaces at different stages and content in every
module: ideas, meetings, actions, participatory budgets and the timebank."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from coproduce.actions.models import Action, ActionStatus
from coproduce.budgets.models import Ballot, Budget, Phase, ProjectStatus
from coproduce.budgets.selectors import last_count
from coproduce.core.models import AuditEvent
from coproduce.demo.loader import DEMO_HOST_EMAIL, load_demo
from coproduce.ideas.models import Comment, Idea, IdeaStatus
from coproduce.meetings.models import AgendaItemStatus, Attendance, CreditStatus, Decision, Meeting
from coproduce.meetings.selectors import NETWORK_EVENTS_SLUG
from coproduce.people.models import Organisation, User
from coproduce.spaces.models import JoinRequest, Space, StageStatus
from coproduce.timebank import selectors as timebank_selectors
from coproduce.timebank.models import Account, Exchange, ExchangeStatus, Listing, TimebankMember


@pytest.fixture
def migrations(monkeypatch):
    """The test database is migrated already; the command's own `migrate` is noted, not run (it takes seconds)."""
    from coproduce.demo.management.commands import demo

    calls = []
    monkeypatch.setattr(demo, "call_command", lambda name, *args, **options: calls.append(name))
    return calls


def content_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            User,
            Organisation,
            Space,
            Idea,
            Comment,
            Meeting,
            Decision,
            Action,
            Budget,
            Ballot,
            TimebankMember,
            Listing,
            Exchange,
            AuditEvent,
        )
    }


def test_demo_loads_a_small_network_once(db, fast_passwords, migrations):
    out = StringIO()
    call_command("demo", stdout=out)
    assert migrations == ["migrate"]  # an empty database gets its tables first

    # The network's events space (network events, made by the demo's events) is not one of the demo's spaces.
    initiatives = Space.objects.exclude(slug=NETWORK_EVENTS_SLUG)
    people, organisations, spaces = User.objects.count(), Organisation.objects.count(), initiatives.count()
    assert 35 <= people <= 45
    assert (organisations, spaces) == (5, 5)
    assert f"Demo loaded: {people} people, 5 organisations, 5 spaces; " in out.getvalue()
    assert "3 participatory budgets" in out.getvalue()  # the library consultation votes on a fixed list

    open_kinds = []
    for space in initiatives.prefetch_related("stages"):
        stages = list(space.stages.order_by("position"))
        assert len(stages) == 4
        opened = [s.kind for s in stages if s.status == StageStatus.OPEN]
        assert len(opened) == 1, space.title
        open_kinds += opened
        assert all(s.starts_on and s.ends_on and s.starts_on <= s.ends_on for s in stages)
        assert space.memberships.filter(role="host").count() == 1
        assert space.memberships.count() >= 8
    # The four stages, and the library consultation (at co-commissioning) beside the carers' budget.
    assert sorted(open_kinds) == sorted(
        ["co_commissioning", "co_commissioning", "co_design", "co_delivery", "co_assessment"]
    )
    assert {s.status for s in Space.objects.get(title__startswith="Review").stages.all()} == {
        "closed",
        "open",
    }
    assert JoinRequest.objects.filter(status="pending").count() == 8  # something for hosts to answer
    assert User.objects.filter(email__isnull=True).count() == 1  # someone who takes part with help
    assert User.objects.filter(is_superuser=True).count() == 1
    made = AuditEvent.objects.filter(action="space.created").exclude(space__slug=NETWORK_EVENTS_SLUG)
    assert made.count() == 5  # made through the services

    before = content_counts()
    again = StringIO()
    call_command("demo", stdout=again)
    assert "already has data" in again.getvalue()
    assert content_counts() == before  # loaded once: the second run adds nothing, not even to the audit log


def test_every_module_has_content(demo):
    # Ideas in the space at co-design: supported, discussed, and three decided on with a reason.
    assert demo.stages.get(kind="co_design").status == StageStatus.OPEN
    ideas = Idea.objects.filter(space=demo)
    assert ideas.count() >= 6
    assert all(idea.support_count == idea.supports.count() for idea in ideas)
    assert ideas.filter(support_count__gte=5).count() >= 3
    assert Comment.objects.filter(idea__space=demo, parent__isnull=False).exists()  # a reply
    adopted = ideas.get(status=IdeaStatus.ADOPTED)
    assert adopted.status_reason and adopted.status_changed_by is not None
    assert ideas.filter(status=IdeaStatus.MERGED, merged_into__isnull=False).count() == 1
    assert ideas.exclude(status=IdeaStatus.UNDER_DISCUSSION).exclude(status_reason="").count() == 3
    assert AuditEvent.objects.filter(action="idea.supported", on_behalf_of__isnull=False).exists()

    # A meeting held last week, with its agenda, attendance (time credits paid), minutes and decisions.
    # (The first meeting, months ago, is the review of the old drop-in: see test_demo_quality.)
    review, past, upcoming = Meeting.objects.filter(space=demo).order_by("starts_at")
    assert review.title == "Looking back at the old drop-in"
    assert past.has_started and not upcoming.has_started
    assert past.agenda_is_published and past.attendance_confirmed_at is not None
    on_agenda = past.agenda_items.filter(status=AgendaItemStatus.ON_AGENDA)
    assert on_agenda.count() >= 4 and all(item.minutes for item in on_agenda)
    assert past.agenda_items.filter(status=AgendaItemStatus.LEFT_OFF).exclude(left_off_reason="").count() == 1
    attendance = Attendance.objects.filter(meeting=past)
    assert attendance.count() >= 12
    assert {a.credit_status for a in attendance} == {CreditStatus.PAID}
    decisions = Decision.objects.filter(meeting=past)
    assert decisions.count() >= 2
    perspectives = {voice.perspective for d in decisions for voice in d.voices.all()}
    assert {"lived_experience", "carer", "practitioner", "commissioner"} <= perspectives
    assert decisions.exclude(dissent="").exists()
    # ... and the next one, with places taken and an agenda still being set.
    assert not upcoming.agenda_is_published and upcoming.agenda_items.count() >= 3
    assert upcoming.registrations.filter(status="registered").count() >= 8

    # Actions: done, in progress, overdue, each with updates from its owner.
    actions = Action.objects.all()
    assert actions.filter(status=ActionStatus.DONE).exists()
    assert actions.filter(status=ActionStatus.IN_PROGRESS).exists()
    assert any(action.is_overdue for action in actions)
    assert actions.filter(decision__isnull=False).exists() and actions.filter(idea=adopted).exists()
    assert all(action.updates.exists() for action in actions.exclude(status=ActionStatus.PLANNED))

    # Participatory budgets: one with its results, one open for voting.
    fund = Budget.objects.get(title="Strathbrae Carers' Fund 2026")
    assert fund.phase == Phase.RESULTS and fund.space.stages.get(kind="co_commissioning").status == "open"
    assert 6 <= fund.projects.filter(status=ProjectStatus.FEASIBLE).count() <= 10
    assert fund.projects.filter(status=ProjectStatus.NOT_FEASIBLE).exclude(review_reason="").exists()
    assert 25 <= Ballot.objects.filter(budget=fund).count() <= 35
    results = last_count(fund).data
    equal_shares = results[fund.rule]
    funded = set(equal_shares["selected"])
    assert funded and len(funded) < fund.projects.filter(status=ProjectStatus.FEASIBLE).count()
    assert sum(p.cost for p in fund.projects.filter(pk__in=funded)) <= fund.amount
    # Equal Shares funds the small project a group of carers backed, which a count by votes leaves out.
    languages = fund.projects.get(title__startswith="Polish")
    assert languages.pk in funded and languages.pk not in results["greedy"]["selected"]
    breaks = Budget.objects.get(title="Short breaks 2027")
    assert breaks.phase == Phase.VOTE and Ballot.objects.filter(budget=breaks).count() >= 10

    # The timebank: members, offers and requests, confirmed exchanges, and a ledger that adds up.
    assert TimebankMember.objects.filter(status="approved").count() >= 15
    assert TimebankMember.objects.filter(is_coordinator=True).count() == 1
    assert (
        Listing.objects.filter(kind="offer").count() >= 8
        and Listing.objects.filter(kind="request").count() >= 5
    )
    assert Exchange.objects.filter(status=ExchangeStatus.CONFIRMED).count() >= 10
    assert Exchange.objects.filter(
        status=ExchangeStatus.PENDING, parties__account__user__email=DEMO_HOST_EMAIL
    )
    assert Account.objects.exclude(balance=0).count() >= 15
    assert timebank_selectors.verify() == []
    out = StringIO()
    call_command("timebank", "verify", stdout=out)
    assert "ledger OK" in out.getvalue()


def test_the_demo_pages_render(demo):
    host = User.objects.get(email=DEMO_HOST_EMAIL)
    fund = Budget.objects.get(title="Strathbrae Carers' Fund 2026")
    breaks = Budget.objects.get(title="Short breaks 2027")
    past = Meeting.objects.filter(space=demo).order_by("starts_at").first()
    idea = Idea.objects.get(space=demo, status=IdeaStatus.ADOPTED)
    action = Action.objects.filter(space=demo).first()
    public = [
        reverse("ideas:list", args=[demo.slug]),
        idea.get_absolute_url(),
        reverse("meetings:list", args=[demo.slug]),
        past.get_absolute_url(),
        reverse("actions:tracker", args=[demo.slug]),
        action.get_absolute_url(),
        reverse("budgets:list", args=[fund.space.slug]),
        fund.get_absolute_url(),
        reverse("budgets:results", args=[fund.space.slug, fund.pk]),
        breaks.get_absolute_url(),
        reverse("timebank:home"),
    ]
    members_only = [
        reverse("timebank:listings"),
        reverse("timebank:exchanges"),
        reverse("timebank:me"),
        reverse("budgets:vote", args=[breaks.space.slug, breaks.pk]),
    ]
    signed_in = Client()
    signed_in.force_login(host)
    for url in public + members_only:
        assert signed_in.get(url).status_code == 200, url
    anonymous = Client()
    for url in public:
        assert anonymous.get(url).status_code == 200, url
    for url in members_only:
        assert anonymous.get(url).status_code == 302, url  # to sign in

    results = anonymous.get(reverse("budgets:results", args=[fund.space.slug, fund.pk])).content.decode()
    assert "Polish and Urdu-speaking carers" in results
    assert "could pay for it together from their equal shares" in results  # why a project was funded
    assert "not enough for its cost" in results  # and why another was not
    page = signed_in.get(reverse("timebank:home")).content.decode()
    assert "Set up online GP appointments" in page  # an exchange waiting for the host to confirm


def test_demo_is_not_loaded_over_existing_data(host, migrations):
    out = StringIO()
    call_command("demo", stdout=out)
    assert "already has data" in out.getvalue()
    assert not Space.objects.exists() and User.objects.count() == 1


def test_the_demo_people_are_told_in_their_inboxes_and_never_emailed(db, fast_passwords, mailoutbox):
    """Loading the demo makes real notifications (requests approved, voting open, exchanges to confirm), but
    its people are invented: nothing is emailed, then or by a later digest, and the inboxes keep them all."""
    from coproduce.notifications import mailing
    from coproduce.notifications.kinds import Delivery
    from coproduce.notifications.models import Notification

    with transaction.atomic():
        load_demo()
    assert Notification.objects.count() > 50
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    for pk in Notification.objects.values_list("pk", flat=True)[:20]:
        assert mailing.send_one(pk) is False
    assert mailing.send_digests(Delivery.DAILY) == 0
    assert mailoutbox == []
