"""Benchmark: the report page of a conversation of 2,000 participants x 600 statements, from its stored analysis.

Builds a scratch SQLite database (in a temporary directory, never ./var) with one space of 2,000 members,
one conversation of 600 accepted statements and about 240,000 votes (each person votes on a fifth of the
statements, in three planted opinion groups), works the analysis out once (as the task queue does), then
renders the report page through the Django test client — the full middleware stack, a signed-in participant,
so "where I sit" is worked out too — and prints the number of queries, the median and 95th percentile.

    .venv/bin/python bench/conversation_page.py [--runs 30] [--keep]

Exits non-zero when the median is above 200 ms or the page needs more than 14 queries.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

TARGET_MS = 200.0
QUERY_BOUND = 14
PEOPLE, STATEMENTS, SHARE = 2_000, 600, 0.2


def configure(var_dir: Path) -> None:
    os.environ["COPRODUCE_VAR_DIR"] = str(var_dir)
    os.environ.pop("COPRODUCE_DATABASE_URL", None)  # always the scratch SQLite file
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduce.settings")
    os.environ.setdefault("COPRODUCE_TASKS_IMMEDIATE", "1")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
    from django.conf import settings

    settings.WHITENOISE_USE_FINDERS = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


def build():
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from coproduce.conversations import services
    from coproduce.conversations.models import Conversation, Participant, Statement, Vote
    from coproduce.people.models import User
    from coproduce.spaces import services as space_services
    from coproduce.spaces.models import Membership, Perspective, Role

    call_command("migrate", interactive=False, verbosity=0)
    rng = random.Random(15)
    started = time.perf_counter()
    host = User.objects.create(email="host@bench.example", display_name="Bench Host")
    space = space_services.space_create(actor=host, title="Big conversation", purpose="A benchmark space.")
    perspectives = Perspective.values
    unusable = make_password(None)
    now = timezone.now()
    with transaction.atomic():
        people = User.objects.bulk_create(
            [
                User(email=f"p{i}@bench.example", display_name=f"Person {i}", password=unusable)
                for i in range(PEOPLE)
            ]
        )
        Membership.objects.bulk_create(
            [
                Membership(
                    space=space, user=p, role=Role.MEMBER, perspective=perspectives[i % len(perspectives)]
                )
                for i, p in enumerate(people)
            ]
        )
        conversation = Conversation.objects.create(
            space=space, question="What should replace it?", created_by=host
        )
        statements = Statement.objects.bulk_create(
            [
                Statement(
                    conversation=conversation, text=f"Statement {j}: " + "words " * 20, status="accepted"
                )
                for j in range(STATEMENTS)
            ],
            batch_size=1000,
        )
        participants = Participant.objects.bulk_create(
            [
                Participant(
                    conversation=conversation, user=p, perspective=perspectives[i % len(perspectives)]
                )
                for i, p in enumerate(people)
            ],
            batch_size=2000,
        )
        votes = []
        per_person = int(STATEMENTS * SHARE)
        for i, participant in enumerate(participants):
            group = i % 3
            for j in rng.sample(range(STATEMENTS), per_person):
                leaning = 1 if j % 3 == group else -1
                value = leaning if rng.random() < 0.8 else rng.choice([-1, 0, 1])
                votes.append(
                    Vote(
                        conversation=conversation,
                        participant=participant,
                        statement=statements[j],
                        value=value,
                        voted_at=now,
                    )
                )
        Vote.objects.bulk_create(votes, batch_size=10_000)
    print(
        f"built: {PEOPLE:,} people, {STATEMENTS} statements, {len(votes):,} votes in {time.perf_counter() - started:.1f} s"
    )
    started = time.perf_counter()
    services.analysis_compute(conversation)
    print(f"analysed in {time.perf_counter() - started:.1f} s (in the task queue, never in a request)")
    return space, conversation, people[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--keep", action="store_true")
    options = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="coproduce-bench-conversation-"))
    try:
        configure(scratch)
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from django.urls import reverse

        space, conversation, person = build()
        client = Client()
        client.force_login(person)
        url = reverse("conversations:report", args=[space.slug, conversation.pk])
        for _ in range(3):
            response = client.get(url)
            assert response.status_code == 200, response.status_code
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        count = len(queries.captured_queries)
        times = []
        for _ in range(options.runs):
            start = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        median = statistics.median(times)
        p95 = sorted(times)[int(len(times) * 0.95) - 1]
        print(
            f"report page: {count} queries, median {median:.1f} ms, p95 {p95:.1f} ms (target: median under {TARGET_MS:.0f} ms)"
        )
        ok = median <= TARGET_MS and count <= QUERY_BOUND
        print("OK" if ok else "TOO SLOW" if median > TARGET_MS else "TOO MANY QUERIES")
        return 0 if ok else 1
    finally:
        if options.keep:
            print(f"kept: {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
