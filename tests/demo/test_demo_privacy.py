"""Privacy, proven on the whole demo network (loaded once): every person's download holds their data and
nobody else's address; special category data goes when its retention period ends; and every person can be
erased (by themself on the page, through the API, or by deleting them in the Django admin, which refused 31 of
them before) while votes are counted the same, the ledger balances and no name or address is left where
the site copies them."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from io import StringIO

import time_machine
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.db.models import Q
from django.test import Client
from django.utils import timezone
from tests.api_client import Api

from coproduce.budgets.models import Ballot, Budget, BudgetResult, Phase
from coproduce.budgets.tasks import count_budget
from coproduce.core.models import AuditEvent
from coproduce.meetings.models import Registration
from coproduce.outcomes.models import Conversation as OutcomesConversation
from coproduce.people.models import User
from coproduce.people.services import ERASED_NAME
from coproduce.timebank import selectors as timebank_selectors
from coproduce.timebank.models import Account, MemberStatus, TimebankMember

# Where the site itself copies a person's name or address: their account, the audit log, what others were
# told, the admin's log, a plan's history, and the search index. (Free text other people wrote about them,
# such as "thanks to Morag" in a comment, is theirs and is not searched for names.)
COPIES = [
    ("people.User", ["email", "display_name", "bio", "what_i_bring", "accessibility_needs"]),
    ("core.AuditEvent", ["summary", "changes"]),
    ("notifications.Notification", ["text", "params"]),
    ("admin.LogEntry", ["object_repr", "change_message"]),
    ("outcomes.PlanChange", ["changed_by_name"]),
    ("search.Document", ["title", "body"]),
    ("account.EmailAddress", ["email"]),
]


def _results() -> dict:
    return {(r.budget_id, r.rule): r.data for r in BudgetResult.objects.all()}


def _left_behind(names: list[str]) -> list[str]:
    """Every copy of one of `names` (whole words) still in the places the site copies them."""
    found = []
    for label, fields in COPIES:
        model = apps.get_model(label)
        for field in fields:
            column = field if not isinstance(model._meta.get_field(field), models.JSONField) else None
            rows = (
                model.objects.all()
                if column is None
                else model.objects.filter(
                    Q(*[Q(**{f"{field}__icontains": n}) for n in names], _connector=Q.OR)
                )
            )
            for value in rows.values_list(field, flat=True):
                text = json.dumps(value) if not isinstance(value, str) else value
                found += [
                    f"{label}.{field}: {n}"
                    for n in names
                    if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text or "", re.I)
                ]
    return found


def test_everyone_in_the_demo_downloads_their_data_and_is_erased_with_results_and_ledger_unchanged(
    demo,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.HUEY = {**settings.HUEY, "immediate": True}
    people = list(User.objects.order_by("pk"))
    emails = {p.pk: p.email for p in people if p.email}
    names = sorted({p.display_name for p in people if len(p.display_name) >= 3}, key=len, reverse=True)
    results, ballots = _results(), Ballot.objects.count()
    assert results and ballots
    balances = dict(Account.objects.values_list("pk", "balance"))
    assert timebank_selectors.verify() == []

    # 1. Each person's download (JSON through the API; the zip of CSVs for one) has their data, no other address.
    for person in people:
        data = Api(person).get("/me/data")
        assert data.status_code == 200, person
        text = json.dumps(data.json())
        assert data.json()["sections"][0]["rows"][0]["display_name"] == person.display_name
        others = [e for pk, e in emails.items() if pk != person.pk and e in text]
        assert others == [], (person, others)
    voter = User.objects.filter(budget_votes__isnull=False).first()
    zipped = Client()
    zipped.force_login(voter, backend="coproduce.people.backends.ModelBackend")
    response = zipped.get("/me/data/download.zip")
    assert response["Content-Type"] == "application/zip" and b"budgets-votes.csv" in response.content

    # 2. Retention: access needs go a set time after their meeting, safeguarding notes after leaving, outcomes
    # conversations after they were held; what is not yet due stays.
    with_needs = Registration.objects.exclude(access_needs="")
    ends = sorted(with_needs.values_list("meeting__ends_at", flat=True))
    left = TimebankMember.objects.filter(status=MemberStatus.APPROVED).first()
    TimebankMember.objects.filter(pk=left.pk).update(
        status=MemberStatus.LEFT, decided_at=timezone.now(), safeguarding_note="Met at the library only."
    )
    assert ends and OutcomesConversation.objects.exists()
    keep_needs = timedelta(days=settings.RETENTION_DAYS["access_needs"])
    later = ends[0] + keep_needs + timedelta(minutes=1)  # the first meeting's needs are due, not all of them
    with time_machine.travel(later, tick=False):
        call_command("privacy", "expire", stdout=StringIO())
    cutoff = later - keep_needs
    assert not with_needs.filter(meeting__ends_at__lt=cutoff).exists()
    assert 0 < with_needs.count() == sum(1 for end in ends if end >= cutoff) < len(ends)
    assert TimebankMember.objects.get(pk=left.pk).safeguarding_note  # not due yet
    assert OutcomesConversation.objects.exists()
    much_later = timezone.now() + timedelta(days=max(settings.RETENTION_DAYS.values()) + 1)
    with time_machine.travel(much_later, tick=False):
        from coproduce.people.tasks import expire_special_category

        done = expire_special_category.call_local()
    assert done["safeguarding_notes"] == 1 and done["outcomes"] > 0
    assert TimebankMember.objects.get(pk=left.pk).safeguarding_note == ""
    assert not OutcomesConversation.objects.exists()

    # 3. Erasure of everyone: one on the page, one through the API, the rest by the Django admin's delete.
    # The search is told after each erasure commits (registry.search_changed): run those callbacks here.
    with django_capture_on_commit_callbacks(execute=True):
        first, second, *rest = people
        first.set_password("a-long-test-password-1")  # the demo's people have none they could type
        first.save(update_fields=["password"])
        page = Client()
        page.force_login(first, backend="coproduce.people.backends.ModelBackend")
        assert page.post("/me/erase/", {"confirm": "on", "password": "wrong"}).status_code == 400
        assert page.post("/me/erase/", {"confirm": "on", "password": "a-long-test-password-1"}).url == "/"
        assert Api(second).post("/me/erase", {"confirm": True}).status_code == 200
        admin = User.objects.create(
            email="dpo@example.org", display_name="Data officer", is_staff=True, is_superuser=True
        )
        console = Client()
        console.force_login(admin, backend="coproduce.people.backends.ModelBackend")
        changelist = "/admin/people/user/"
        ids = [str(p.pk) for p in rest]
        confirm = console.post(changelist, {"action": "delete_selected", "_selected_action": ids})
        assert confirm.status_code == 200 and b"Cannot delete" not in confirm.content
        done = console.post(changelist, {"action": "delete_selected", "_selected_action": ids, "post": "yes"})
        assert done.status_code == 302

    erased = User.objects.filter(pk__in=[p.pk for p in people])
    assert erased.count() == len(people)  # the rows stay, nameless
    assert set(erased.values_list("display_name", flat=True)) == {ERASED_NAME}
    assert not erased.filter(Q(email__isnull=False) | Q(is_active=True) | Q(erased_at__isnull=True)).exists()
    assert AuditEvent.objects.filter(action="person.erased").count() == len(people)

    # Votes count the same (counted again from the ballots), and the ledger still balances.
    for budget in Budget.objects.filter(phase__in=[Phase.CLOSED, Phase.RESULTS]):
        count_budget.call_local(budget.pk)
    assert Ballot.objects.count() == ballots and _results() == results
    assert dict(Account.objects.values_list("pk", "balance")) == balances
    assert timebank_selectors.verify() == []
    call_command("timebank", "verify", stdout=StringIO())
    # Special category data about them is gone.
    assert not Registration.objects.exclude(access_needs="").exists()
    assert not TimebankMember.objects.exclude(safeguarding_note="").exists()
    # No name or address is left where the site copies them.
    assert _left_behind(names + list(emails.values())) == []
    # An erased person can no longer download anything, nor be handled by an administrator.
    assert Api(admin).get(f"/network/members/{first.pk}/data").status_code == 404
