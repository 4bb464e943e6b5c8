"""Benchmark: the results page and the CSV export of a survey of 30 questions with 20,000 responses.

Builds the survey in a scratch SQLite database (in a temporary directory, never ./var), or in the PostgreSQL
database given with --postgres (it is flushed first: give it a scratch database), then asks for the results
page and the CSV export through the Django test client — the full middleware stack, signed in as the host —
and prints the number of queries, the median and 95th percentile time, and the ratio to a minimal view on
the same stack.

    .venv/bin/python bench/surveys.py [--runs 15] [--responses 20000] [--postgres postgres://…/scratch]

The results page caches its counts until something changes them (an answer, a question, a hidden text):
"results, counted" is the first view after a change, which counts again; printed beside the cached page.
The cache is emptied after the build (it outlives a flush, and an earlier run's counts for survey 1 would
otherwise be served), and the run fails if that row needed no more queries than the cached page (it did
not count).

Exits non-zero when the results page's median (cached or counted) is above 300 ms, the CSV's above 3 s, or
either needs more queries than its bound.
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

RESULTS_MS, CSV_MS = 300.0, 3000.0
RESULTS_QUERIES, CSV_QUERIES = 20, 15


def configure(var_dir: Path, postgres: str) -> None:
    os.environ["COPRODUCE_VAR_DIR"] = str(var_dir)
    if postgres:
        os.environ["COPRODUCE_DATABASE_URL"] = postgres
    else:
        os.environ.pop("COPRODUCE_DATABASE_URL", None)  # the scratch SQLite file
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduce.settings")
    os.environ.setdefault("COPRODUCE_TASKS_IMMEDIATE", "1")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
    from django.http import HttpResponse
    from django.urls import include, path

    urls = types.ModuleType("bench_surveys_urls")
    urls.urlpatterns = [  # type: ignore[attr-defined]
        path("bench/minimal/", lambda request: HttpResponse("ok")),
        path("", include("coproduce.urls")),
    ]
    sys.modules["bench_surveys_urls"] = urls
    from django.conf import settings

    settings.ROOT_URLCONF = "bench_surveys_urls"
    settings.WHITENOISE_USE_FINDERS = False


# 30 questions: what a long real survey asks.
KINDS = (
    ["single"] * 8 + ["multiple"] * 6 + ["scale5"] * 8 + ["scale7"] * 4 + ["text"] * 2 + ["number", "matrix"]
)


def build(responses: int, postgres: bool):
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from coproduce.people.models import User
    from coproduce.spaces import services as space_services
    from coproduce.spaces.models import Perspective
    from coproduce.surveys import services
    from coproduce.surveys.models import Answer, Response, Survey, SurveyStatus

    call_command("migrate", interactive=False, verbosity=0)
    if postgres:
        call_command("flush", interactive=False, verbosity=0)
    rng = random.Random(13)
    started = time.perf_counter()
    host = User.objects.create(email="host@bench.example", display_name="Bench Host")
    host.set_unusable_password()
    host.save()
    space = space_services.space_create(actor=host, title="Survey space", purpose="A benchmark space.")
    survey = services.survey_create(actor=host, space=space, title="Big survey", anonymous=True)
    sections = [
        survey.sections.get(),
        *(services.section_add(actor=host, survey=survey, title=f"Part {i}") for i in (2, 3)),
    ]
    questions = []
    for i, kind in enumerate(KINDS):
        options = {"single": 4, "multiple": 5, "matrix": 3}.get(kind, 0)
        questions.append(
            services.question_add(
                actor=host,
                survey=survey,
                section=sections[i // 10],
                kind=kind,
                text=f"Question {i + 1} ({kind})",
                options=[f"Choice {j + 1}" for j in range(options)],
                required=False,
            )
        )
    options = {q.pk: [o.pk for o in q.options.all()] for q in questions}
    Survey.objects.filter(pk=survey.pk).update(status=SurveyStatus.CLOSED)
    perspectives = Perspective.values
    now = timezone.now()
    with transaction.atomic():
        made = Response.objects.bulk_create(
            [
                Response(survey=survey, perspective=perspectives[r % len(perspectives)], submitted_at=now)
                for r in range(responses)
            ],
            batch_size=5000,
        )
        batch: list[Answer] = []
        for response in made:
            p = response.perspective
            for q in questions:
                common = {"response_id": response.pk, "question_id": q.pk, "counted": True, "perspective": p}
                first = len(batch)
                if q.kind == "single":
                    batch.append(Answer(option_id=rng.choice(options[q.pk]), **common))
                elif q.kind == "multiple":
                    for option in rng.sample(options[q.pk], rng.randint(1, 3)):
                        batch.append(Answer(option_id=option, **common))
                elif q.kind in ("scale5", "scale7"):
                    batch.append(Answer(number=rng.randint(1, 5 if q.kind == "scale5" else 7), **common))
                elif q.kind == "text":
                    batch.append(
                        Answer(
                            text=rng.choice(["=SUM(A1)", "Friendly staff", "More evening hours"]), **common
                        )
                    )
                elif q.kind == "number":
                    batch.append(Answer(number=rng.randint(0, 30), **common))
                else:
                    for row in options[q.pk]:
                        batch.append(Answer(option_id=row, number=rng.randint(1, 5), **common))
                for later in batch[first + 1 :]:
                    later.first_row = False
            if len(batch) > 20000:
                Answer.objects.bulk_create(batch, batch_size=5000)
                batch = []
        Answer.objects.bulk_create(batch, batch_size=5000)
    if postgres:
        from django.db import connection

        # What autovacuum does soon after a load this size: statistics for the planner, and the visibility
        # map that lets it read the covering index alone.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE surveys_answer")
            cursor.execute("VACUUM ANALYZE surveys_response")
    # The cache outlives a flush (its table is no model's, and Redis is apart): counts left by an earlier
    # run must not be served as this one's.
    from django.core.cache import cache

    cache.clear()
    print(
        f"built: {len(questions)} questions, {responses:,} responses, {Answer.objects.count():,} answer rows "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return space, survey, host


def measure(client, url: str, runs: int, *, stream: bool = False, cold=None) -> tuple[list[float], int, int]:
    """`cold`: a survey whose cached counts are made stale before each request (a new answer does that)."""
    from django.db import connection
    from django.db.models import F
    from django.test.utils import CaptureQueriesContext

    from coproduce.surveys.models import Survey

    def fetch():
        if cold is not None:
            Survey.objects.filter(pk=cold.pk).update(results_version=F("results_version") + 1)
        response = client.get(url)
        if stream:
            b"".join(response.streaming_content)
        return response

    fetch()
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        response = fetch()
    count = len(queries.captured_queries)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fetch()
        times.append((time.perf_counter() - start) * 1000)
    return times, count, response.status_code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--responses", type=int, default=20_000)
    parser.add_argument("--postgres", default="", help="a scratch PostgreSQL database URL (flushed first)")
    parser.add_argument(
        "--keep", metavar="DIR", help="build once in DIR and keep it; later runs reuse it (SQLite)"
    )
    options = parser.parse_args()
    scratch = (
        Path(options.keep) if options.keep else Path(tempfile.mkdtemp(prefix="coproduce-bench-surveys-"))
    )
    scratch.mkdir(parents=True, exist_ok=True)
    configure(scratch, options.postgres)

    from django.conf import settings
    from django.test import Client

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    from coproduce.surveys.models import Survey

    built = None
    if options.keep and not options.postgres:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        built = Survey.objects.select_related("space", "created_by").filter(title="Big survey").first()
    if built is not None:
        space, survey, host = built.space, built, built.created_by
    else:
        space, survey, host = build(options.responses, bool(options.postgres))
    client = Client()
    client.force_login(host, backend="coproduce.people.backends.ModelBackend")
    base = f"/spaces/{space.slug}/surveys/{survey.pk}"
    pages = [
        ("minimal view", "/bench/minimal/", None, None, False),
        ("results page", f"{base}/results/", RESULTS_QUERIES, RESULTS_MS, False),
        # The first view after a new answer counts again (the counts are cached until something changes).
        ("results, counted", f"{base}/results/", RESULTS_QUERIES, RESULTS_MS, False),
        ("CSV export", f"{base}/results.csv", CSV_QUERIES, CSV_MS, True),
    ]
    failures, baseline, cached_queries = [], None, 0
    where = "PostgreSQL" if options.postgres else "SQLite"
    print(f"\n{where}\n{'page':18} {'queries':>7} {'median ms':>10} {'p95 ms':>8} {'× minimal':>10}")
    for name, url, bound, target, stream in pages:
        runs = options.runs if name != "CSV export" else max(3, options.runs // 3)
        times, queries, status = measure(
            client, url, runs, stream=stream, cold=survey if name == "results, counted" else None
        )
        median = statistics.median(times)
        p95 = sorted(times)[max(0, int(len(times) * 0.95) - 1)]
        baseline = baseline or median
        print(f"{name:18} {queries:>7} {median:>10.1f} {p95:>8.1f} {median / baseline:>9.0f}×")
        if name == "results page":
            cached_queries = queries
        if name == "results, counted" and queries <= cached_queries:
            # Then the counts came from the cache, and this row measured nothing.
            failures.append(f"{name}: {queries} queries, no more than the cached page: it did not count")
        if status != 200:
            failures.append(f"{name}: HTTP {status}")
        if bound is not None and queries > bound:
            failures.append(f"{name}: {queries} queries, bound {bound}")
        if target is not None and median > target:
            failures.append(f"{name}: median {median:.0f} ms, target {target:.0f} ms")
    print(
        f"\ntargets: results under {RESULTS_MS:.0f} ms, CSV under {CSV_MS:.0f} ms (median); "
        "'results, counted' is the first view after a new answer, which counts again (same target)"
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
