"""Benchmark: the idea list and the action tracker of a big space, against a minimal Django view.

Builds a scratch SQLite database (in a temporary directory, never ./var) with one space holding 10,000 ideas,
50,000 comments, 30,000 supports and 2,000 actions (with updates), then renders the pages through the Django
test client — the full middleware stack, a signed-in member — and prints, for each page, the number of
queries, the median and 95th percentile time, and the ratio to a minimal view on the same stack.

    .venv/bin/python bench/pages.py [--runs 30] [--keep]

Exits non-zero when a page needs more queries than its bound or its median is above 150 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import types
from pathlib import Path

TARGET_MS = 150.0
QUERY_BOUND = 12
IDEAS, COMMENTS, SUPPORTS, ACTIONS, MEMBERS = 10_000, 50_000, 30_000, 2_000, 60


def configure(var_dir: Path) -> None:
    os.environ["COPRODUCE_VAR_DIR"] = str(var_dir)
    os.environ.pop("COPRODUCE_DATABASE_URL", None)  # always the scratch SQLite file
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduce.settings")
    os.environ.setdefault("COPRODUCE_TASKS_IMMEDIATE", "1")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()

    # A minimal view on the same server (same middleware), for the ratio.
    from django.http import HttpResponse
    from django.urls import include, path

    urls = types.ModuleType("bench_pages_urls")
    urls.urlpatterns = [
        path("bench/minimal/", lambda request: HttpResponse("ok")),
        path("", include("coproduce.urls")),
    ]
    sys.modules["bench_pages_urls"] = urls
    from django.conf import settings

    settings.ROOT_URLCONF = "bench_pages_urls"
    settings.WHITENOISE_USE_FINDERS = False


def build() -> tuple:
    """One space, many members, and bulk-inserted ideas, comments, supports, actions and updates."""
    import datetime as dt

    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import transaction
    from django.db.models import Count, OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce
    from django.utils import timezone

    from coproduce.actions.models import Action, ActionStatus, ActionUpdate
    from coproduce.ideas.models import Comment, Idea, IdeaStatus, Support
    from coproduce.people.models import User
    from coproduce.spaces import services as space_services
    from coproduce.spaces.models import Membership, MembershipChange, Perspective, Role

    call_command("migrate", interactive=False, verbosity=0)
    rng = random.Random(6)
    started = time.perf_counter()
    host = User.objects.create(email="host@bench.example", display_name="Bench Host")
    host.set_unusable_password()
    host.save()
    space = space_services.space_create(actor=host, title="Big space", purpose="A benchmark space.")
    perspectives = Perspective.values
    unusable = make_password(None)
    with transaction.atomic():
        people = User.objects.bulk_create(
            [
                User(email=f"p{i}@bench.example", display_name=f"Person {i}", password=unusable)
                for i in range(MEMBERS)
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
        MembershipChange.objects.bulk_create(
            [
                MembershipChange(
                    space=space,
                    user=p,
                    kind="joined",
                    role=Role.MEMBER,
                    perspective=perspectives[i % len(perspectives)],
                )
                for i, p in enumerate(people)
            ]
        )
        statuses = [IdeaStatus.UNDER_DISCUSSION] * 7 + [IdeaStatus.ADOPTED, IdeaStatus.NOT_TAKEN_FORWARD]
        ideas = []
        for i in range(IDEAS):
            status = rng.choice(statuses)
            author = people[i % MEMBERS]
            ideas.append(
                Idea(
                    space=space,
                    author=author,
                    author_perspective=perspectives[i % len(perspectives)],
                    title=f"Idea {i}: {rng.choice(['opening hours', 'transport', 'food', 'peer support'])}",
                    body="A benchmark idea. " * 8,
                    status=status,
                    status_reason="" if status == IdeaStatus.UNDER_DISCUSSION else "Decided at a meeting.",
                )
            )
        ideas = Idea.objects.bulk_create(ideas, batch_size=2000)
        comments = [
            Comment(
                idea=ideas[rng.randrange(IDEAS)],
                author=people[j % MEMBERS],
                author_perspective=perspectives[j % len(perspectives)],
                body="A benchmark comment.",
            )
            for j in range(COMMENTS)
        ]
        Comment.objects.bulk_create(comments, batch_size=5000)
        pairs = set()
        while len(pairs) < SUPPORTS:
            pairs.add((rng.randrange(IDEAS), rng.randrange(MEMBERS)))
        Support.objects.bulk_create(
            [
                Support(idea=ideas[i], user=people[u], perspective=perspectives[u % len(perspectives)])
                for i, u in pairs
            ],
            batch_size=5000,
        )
        # bulk_create bypasses the support service, which keeps this counter: set it the same way once.
        counted = (
            Support.objects.filter(idea=OuterRef("pk")).order_by().values("idea").annotate(n=Count("pk"))
        )
        Idea.objects.filter(space=space).update(
            support_count=Coalesce(Subquery(counted.values("n")), Value(0))
        )
        today = timezone.localdate()
        actions = []
        for k in range(ACTIONS):
            status = rng.choice(ActionStatus.values)
            actions.append(
                Action(
                    space=space,
                    title=f"Action {k}",
                    owner=people[k % MEMBERS],
                    owner_perspective=perspectives[k % len(perspectives)],
                    due_on=today + dt.timedelta(days=rng.randrange(-60, 120)),
                    status=status,
                    status_reason="No longer needed." if status == ActionStatus.DROPPED else "",
                    progress=100 if status == ActionStatus.DONE else rng.randrange(0, 100),
                    idea=ideas[k] if k % 3 == 0 else None,
                )
            )
        actions = Action.objects.bulk_create(actions, batch_size=1000)
        ActionUpdate.objects.bulk_create(
            [
                ActionUpdate(
                    action=a,
                    author=a.owner,
                    text="Progress as planned.",
                    progress=a.progress,
                    status=a.status,
                )
                for a in actions
                for _ in range(2)
            ],
            batch_size=2000,
        )
    print(
        f"built: {IDEAS:,} ideas, {COMMENTS:,} comments, {SUPPORTS:,} supports, {ACTIONS:,} actions "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return space, people[0]


def measure(client, url: str, runs: int) -> tuple[list[float], int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):  # warm caches, templates, the query planner
        client.get(url)
    connection.queries_log.clear()  # a full log (it keeps 9,000) would hide what this page runs
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    count = len(queries.captured_queries)  # now: the next request clears the log
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return times, count, response.status_code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory and say where it is")
    parser.add_argument("--profile", metavar="URL", help="print a cProfile of one request to URL, then stop")
    options = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="coproduce-bench-pages-"))
    configure(scratch)

    from django.conf import settings
    from django.test import Client

    # Not setup_test_environment(): it instruments template rendering (copies every context for the test
    # client), which would measure the test harness rather than the page.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    space, member = build()
    client = Client()
    client.force_login(member, backend="coproduce.people.backends.ModelBackend")
    anonymous = Client()
    if options.profile:
        import cProfile
        import pstats

        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.get(options.profile.format(slug=space.slug))
        with CaptureQueriesContext(connection) as queries:
            profile = cProfile.Profile()
            profile.runcall(client.get, options.profile.format(slug=space.slug))
        for query in queries.captured_queries:
            print(f"{float(query['time']) * 1000:7.1f} ms  {query['sql'][:160]}")
        pstats.Stats(profile).sort_stats(os.environ.get("BENCH_SORT", "cumulative")).print_stats(30)
        return 0
    pages = [
        ("minimal view", client, "/bench/minimal/", None),
        ("idea list, page 1", client, f"/spaces/{space.slug}/ideas/", QUERY_BOUND),
        ("idea list, most supported", client, f"/spaces/{space.slug}/ideas/?sort=supported", QUERY_BOUND),
        ("idea list, page 200", client, f"/spaces/{space.slug}/ideas/?page=200", QUERY_BOUND),
        ("idea list, anonymous", anonymous, f"/spaces/{space.slug}/ideas/", QUERY_BOUND),
        ("action tracker", client, f"/spaces/{space.slug}/actions/", QUERY_BOUND),
        ("action tracker, overdue", client, f"/spaces/{space.slug}/actions/?overdue=on", QUERY_BOUND),
        ("action tracker, anonymous", anonymous, f"/spaces/{space.slug}/actions/", QUERY_BOUND),
    ]
    failures, baseline = [], None
    print(f"\n{'page':30} {'queries':>7} {'median ms':>10} {'p95 ms':>8} {'× minimal':>10}")
    for name, who, url, bound in pages:
        times, queries, status = measure(who, url, options.runs)
        median = statistics.median(times)
        p95 = sorted(times)[max(0, int(len(times) * 0.95) - 1)]
        if baseline is None:
            baseline = median
        print(f"{name:30} {queries:>7} {median:>10.1f} {p95:>8.1f} {median / baseline:>9.1f}×")
        if status != 200:
            failures.append(f"{name}: HTTP {status}")
        if bound is not None and queries > bound:
            failures.append(f"{name}: {queries} queries, bound {bound}")
        if bound is not None and median > TARGET_MS:
            failures.append(f"{name}: median {median:.1f} ms, target {TARGET_MS:.0f} ms")
    print(
        f"\ntarget: median under {TARGET_MS:.0f} ms and at most {QUERY_BOUND} queries per page (SQLite, {scratch})"
    )
    if not options.keep:
        import shutil

        from django.db import connections

        connections.close_all()
        shutil.rmtree(scratch, ignore_errors=True)
    for failure in failures:
        print(f"FAILED: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
