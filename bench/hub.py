"""Benchmark: the hub's home page (`/hub/`) with 100,000 posts.

Builds a scratch SQLite database (in a temporary directory, never ./var; or the PostgreSQL database named by
`--database-url`, which it migrates and fills), bulk-inserts the posts across the six categories with 200
authors, then renders `/hub/` through the Django test client (the full middleware stack, a signed-in member)
and prints the number of queries, the median and the 95th percentile.

    .venv/bin/python bench/hub.py [--posts 100000] [--runs 30] [--database-url postgres://...]

Exits non-zero when the median is above 150 ms or the page's queries grow with the posts (counted with 1,000
posts, then with all of them).

`measure_hub_home(n_posts)` is the same measure for another benchmark (bench/search.py) that has already set
Django up on its own database: it adds posts until there are `n_posts` and returns the figures as a dict.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

TARGET_MS = 150.0
AUTHORS = 200
BATCH = 5_000


def configure(var_dir: Path, database_url: str | None) -> None:
    os.environ["COPRODUCE_VAR_DIR"] = str(var_dir)
    if database_url:
        os.environ["COPRODUCE_DATABASE_URL"] = database_url
    else:
        os.environ.pop("COPRODUCE_DATABASE_URL", None)  # the scratch SQLite file
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduce.settings")
    os.environ.setdefault("COPRODUCE_TASKS_IMMEDIATE", "1")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
    from django.conf import settings

    settings.WHITENOISE_USE_FINDERS = False
    settings.ALLOWED_HOSTS = ["*"]
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _authors():
    from django.contrib.auth.hashers import make_password

    from coproduce.people.models import User

    found = list(User.objects.filter(email__endswith="@hub-bench.example").order_by("pk"))
    if len(found) < AUTHORS:
        unusable = make_password(None)
        User.objects.bulk_create(
            [
                User(email=f"a{i}@hub-bench.example", display_name=f"Author {i}", password=unusable)
                for i in range(len(found), AUTHORS)
            ]
        )
        found = list(User.objects.filter(email__endswith="@hub-bench.example").order_by("pk"))
    return found


def seed_posts(n_posts: int) -> int:
    """Bulk-insert public posts until the hub holds `n_posts` (1 in 50 held, 1 in 100 hidden besides)."""
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone

    from coproduce.hub.models import Category, Post, PostKind, PostStatus
    from coproduce.hub.selectors import recount

    have = Post.objects.filter(status=PostStatus.PUBLISHED).count()
    if have >= n_posts:
        return 0
    authors = _authors()
    categories = list(Category.objects.all())
    kinds = PostKind.values
    now = timezone.now()
    body = "A benchmark post about co-production, with a few sentences of text. " * 6
    made = 0
    with transaction.atomic():
        for start in range(have, n_posts, BATCH):
            rows = []
            for i in range(start, min(start + BATCH, n_posts)):
                rows.append(
                    Post(
                        category=categories[i % len(categories)],
                        author=authors[i % len(authors)],
                        kind=kinds[i % len(kinds)],
                        title=f"Post {i}: what we learned",
                        body=body,
                        status=PostStatus.PUBLISHED,
                        published_at=now - dt.timedelta(minutes=n_posts - i),
                        comment_count=i % 7,
                        helped_count=i % 5,
                    )
                )
                if i % 50 == 0:
                    rows.append(
                        Post(
                            category=categories[0],
                            author=authors[0],
                            kind="news",
                            title="Held",
                            body="b",
                            status=PostStatus.HELD,
                        )
                    )
                if i % 100 == 0:
                    rows.append(
                        Post(
                            category=categories[0],
                            author=authors[0],
                            kind="news",
                            title="Hidden",
                            body="b",
                            status=PostStatus.HIDDEN,
                            hidden_at=now,
                            hidden_reason="Spam",
                        )
                    )
            Post.objects.bulk_create(rows, batch_size=1000)
            made += len(rows)
        recount()  # bulk_create bypasses the services that keep the categories' counts
    return made


def _render(runs: int) -> tuple[list[float], int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    reader = _authors()[1]
    client = Client()
    client.force_login(reader, backend="coproduce.people.backends.ModelBackend")
    assert client.get("/hub/").status_code == 200  # warm: templates, connections
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get("/hub/")
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get("/hub/?page=2")
    return times, len(queries)


def measure_hub_home(n_posts: int, runs: int = 30) -> dict:
    """The hub home's median and p95 (ms) and its query count, with `n_posts` public posts (added here when
    fewer), and the query count with what there was before, for the "bounded queries" check."""
    from coproduce.hub.models import Post

    _, queries_before = _render(1)
    before = Post.objects.count()
    started = time.perf_counter()
    seed_posts(n_posts)
    seeded_s = time.perf_counter() - started
    times, queries = _render(runs)
    times.sort()
    return {
        "posts": Post.objects.count(),
        "posts_before": before,
        "seed_seconds": round(seeded_s, 1),
        "runs": runs,
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
        "queries": queries,
        "queries_before": queries_before,
        "target_ms": TARGET_MS,
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument(
        "--database-url", default=None, help="a PostgreSQL database to fill (default: scratch SQLite)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hub-bench-") as var:
        configure(Path(var), args.database_url)
        seed_posts(1_000)
        result = measure_hub_home(args.posts, runs=args.runs)
        from django.db import connection

        print(f"database: {connection.vendor}")
        for key, value in result.items():
            print(f"{key}: {value}")
    failed = []
    if result["median_ms"] > TARGET_MS:
        failed.append(f"median {result['median_ms']} ms is above {TARGET_MS} ms")
    if result["queries"] > result["queries_before"]:
        failed.append(f"queries grew with posts: {result['queries_before']} -> {result['queries']}")
    for line in failed:
        print("FAIL:", line)
    print("OK" if not failed else "FAILED")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
