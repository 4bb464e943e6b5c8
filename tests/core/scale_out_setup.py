"""Run by tests/core/test_scale_out.py in a subprocess, against the test's own database: a public space, a
member who can sign in, and an approval budget open for voting with two projects. Prints the ids as JSON.
Whatever it queues (notifications' emails) is flushed by the test before the task consumer starts."""

from __future__ import annotations

import json
import os
import sys
from decimal import Decimal

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduce.settings")
django.setup()

from coproduce.budgets import services as budgets  # noqa: E402
from coproduce.budgets.models import Phase  # noqa: E402
from coproduce.people.models import User  # noqa: E402
from coproduce.spaces import services as spaces  # noqa: E402
from coproduce.spaces.models import Perspective, Role  # noqa: E402

email, password = sys.argv[1], sys.argv[2]
host = User.objects.create_user(email="host@example.org", password=password, display_name="Hana Host")
member = User.objects.create_user(email=email, password=password, display_name="Mo Member")
space = spaces.space_create(actor=host, title="Scale-out", purpose="Two app processes.", place="Paisley")
spaces._membership_add(actor=host, space=space, user=member, role=Role.MEMBER, perspective=Perspective.CARER)
budget = budgets.budget_create(
    actor=host,
    space=space,
    title="Community fund",
    amount=Decimal("10000"),
    currency="GBP",
    ballot_type="approval",
    min_projects=1,
    max_projects=2,
)
projects = []
for n, cost in enumerate(["4000", "3000"], start=1):
    project = budgets.project_submit(
        actor=member,
        budget=budget,
        title=f"Project {n}",
        cost=Decimal(cost),
        description="It helps.",
        category="health",
    )
    budgets.project_review(actor=host, project=project, feasible=True)
    projects.append(project.pk)
order = [p.value for p in Phase]
while order.index(budget.phase) < order.index(Phase.VOTE):
    budget = budgets.budget_advance_phase(
        actor=host, budget=budget, to=order[order.index(budget.phase) + 1], confirm=True
    )
print(json.dumps({"budget": budget.pk, "projects": projects}))
