"""Benchmark: the quality check of a big space, worked out (as the task does) and its page served.

Builds one space with 2,000 members, 10,000 ideas, 200 meetings (agenda items, attendance, decisions with
views, access needs), 5,000 actions, 25 participatory budgets with 50,000 ballots (and their voters) and a
survey with 20,000 answers, bulk-inserted, in a scratch SQLite database (in a temporary directory, never
./var) or in the PostgreSQL database given with --postgres (flushed first: give it a scratch database). Then:

- "check, computed": `quality.services.check_compute` (what the task `compute_quality` runs): every module's
  evidence queries, the judgement and the stored row; beside it a minimal peer on the same database, raw SQL
  GROUP BY over the same tables (the counts alone, no stages, no judging, no storing);
- "check page": /spaces/<slug>/quality/ through the Django test client (the full middleware stack, signed in
  as the host), which reads the stored check; beside it a minimal view on the same stack.

The survey answers are built but not read: the surveys app offers no evidence to the check yet (see
docs/ARCHITECTURE.md, "The quality check's evidence"); they are there so that the tables are the size a real
space's would be when it does.

    .venv/bin/python bench/quality.py [--runs 15] [--postgres postgres://…/scratch] [--keep DIR]

Exits non-zero when the check takes more than 2 s (median), the page more than 200 ms (median), or either needs
more queries than its bound.
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

COMPUTE_MS, PAGE_MS = 2000.0, 200.0
COMPUTE_QUERIES, PAGE_QUERIES = 40, 15
MEMBERS, IDEAS, MEETINGS, ACTIONS, BUDGETS, BALLOTS_PER_BUDGET = 2_000, 10_000, 200, 5_000, 25, 2_000
SURVEY_QUESTIONS, SURVEY_RESPONDENTS = 10, 2_000  # 20,000 answers
TITLE = "Quality bench space"


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

    urls = types.ModuleType("bench_quality_urls")
    urls.urlpatterns = [  # type: ignore[attr-defined]
        path("bench/minimal/", lambda request: HttpResponse("ok")),
        path("", include("coproduce.urls")),
    ]
    sys.modules["bench_quality_urls"] = urls
    from django.conf import settings

    settings.ROOT_URLCONF = "bench_quality_urls"
    settings.WHITENOISE_USE_FINDERS = False


def build(postgres: bool):
    import datetime as dt
    from decimal import Decimal

    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from coproduce.actions.models import Action, ActionStatus
    from coproduce.budgets import services as budget_services
    from coproduce.budgets.models import Ballot, Budget, BudgetResult, Phase, Project, ProjectStatus, Voter
    from coproduce.core.models import AuditEvent
    from coproduce.ideas.models import Comment, Idea, IdeaStatus
    from coproduce.meetings.models import (
        AgendaItem,
        AgendaItemStatus,
        Attendance,
        Decision,
        DecisionVoice,
        Meeting,
        Registration,
        RegistrationStatus,
        Stance,
    )
    from coproduce.people.models import User
    from coproduce.quality import services as quality
    from coproduce.spaces import services as space_services
    from coproduce.spaces.models import Membership, MembershipChange, Perspective, Role, StageStatus
    from coproduce.surveys import services as surveys
    from coproduce.surveys.models import Answer, Response, Survey, SurveyStatus

    call_command("migrate", interactive=False, verbosity=0)
    if postgres:
        call_command("flush", interactive=False, verbosity=0)
    rng = random.Random(14)
    started = time.perf_counter()
    host = User.objects.create(email="host@bench.example", display_name="Bench Host")
    host.set_unusable_password()
    host.save()
    space = space_services.space_create(
        actor=host, title=TITLE, purpose="A benchmark space.", perspective=Perspective.FACILITATOR
    )
    today = timezone.localdate()
    # Four stages of 90 days over the last year, the last one open: every record's stage is a real CASE.
    for i, stage in enumerate(space.stages.order_by("position")):
        starts = today - dt.timedelta(days=360 - 90 * i)
        space_services.stage_update(
            actor=host,
            stage=stage,
            status=StageStatus.OPEN if i == 3 else StageStatus.CLOSED,
            starts_on=starts,
            ends_on=starts + dt.timedelta(days=89),
        )
    perspectives = Perspective.values
    now = timezone.now()

    def ago(days: int) -> dt.datetime:
        return now - dt.timedelta(days=days, hours=rng.randint(0, 8))

    unusable = make_password(None)
    with transaction.atomic():
        people = User.objects.bulk_create(
            [
                User(email=f"p{i}@bench.example", display_name=f"Person {i}", password=unusable)
                for i in range(MEMBERS)
            ],
            batch_size=1000,
        )
        perspective_of = {p.pk: perspectives[i % len(perspectives)] for i, p in enumerate(people)}
        Membership.objects.bulk_create(
            [
                Membership(space=space, user=p, role=Role.MEMBER, perspective=perspective_of[p.pk])
                for p in people
            ],
            batch_size=1000,
        )
        MembershipChange.objects.bulk_create(
            [
                MembershipChange(
                    space=space, user=p, kind="joined", role=Role.MEMBER, perspective=perspective_of[p.pk]
                )
                for p in people
            ],
            batch_size=1000,
        )
        MembershipChange.objects.filter(space=space).update(at=now - dt.timedelta(days=365))
        Membership.objects.filter(space=space).update(joined_at=now - dt.timedelta(days=365))

        statuses = [IdeaStatus.UNDER_DISCUSSION] * 7 + [IdeaStatus.ADOPTED, IdeaStatus.NOT_TAKEN_FORWARD]
        ideas = Idea.objects.bulk_create(
            [
                Idea(
                    space=space,
                    author=(author := rng.choice(people)),
                    author_perspective=perspective_of[author.pk],
                    title=f"Idea {i}",
                    body="A benchmark idea.",
                    status=(status := rng.choice(statuses)),
                    status_reason="" if status == IdeaStatus.UNDER_DISCUSSION else "Decided at a meeting.",
                )
                for i in range(IDEAS)
            ],
            batch_size=2000,
        )
        Comment.objects.bulk_create(
            [
                Comment(
                    idea=rng.choice(ideas),
                    author=(author := rng.choice(people)),
                    author_perspective=perspective_of[author.pk],
                    body="A comment.",
                )
                for _ in range(IDEAS)
            ],
            batch_size=2000,
        )

        meetings = Meeting.objects.bulk_create(
            [
                Meeting(
                    space=space,
                    title=f"Meeting {i}",
                    starts_at=(start := ago(360 - i * 360 // MEETINGS)),
                    ends_at=start + dt.timedelta(hours=2),
                    capacity=60,
                    agenda_published_at=start - dt.timedelta(days=3),
                    attendance_confirmed_at=start + dt.timedelta(days=1),
                    created_by=host,
                )
                for i in range(MEETINGS)
            ]
        )
        items, attendances, registrations = [], [], []
        for meeting in meetings:
            for j in range(5):
                who = rng.choice(people)
                items.append(
                    AgendaItem(
                        meeting=meeting,
                        title=f"Item {j}",
                        proposed_by=who,
                        proposer_perspective=perspective_of[who.pk],
                        status=AgendaItemStatus.ON_AGENDA,
                        position=j,
                    )
                )
            for who in rng.sample(people, 30):
                attendances.append(Attendance(meeting=meeting, user=who, perspective=perspective_of[who.pk]))
                registrations.append(
                    Registration(
                        meeting=meeting,
                        user=who,
                        status=RegistrationStatus.REGISTERED,
                        access_needs=rng.choice(["", "", "", "Large print please."]),
                    )
                )
        items = AgendaItem.objects.bulk_create(items, batch_size=2000)
        Attendance.objects.bulk_create(attendances, batch_size=2000)
        Registration.objects.bulk_create(registrations, batch_size=2000)
        decisions = Decision.objects.bulk_create(
            [
                Decision(meeting=item.meeting, agenda_item=item, text="Agreed.", created_by=host)
                for item in items[::5]
            ]
            + [
                Decision(meeting=item.meeting, agenda_item=item, text="Agreed too.", created_by=host)
                for item in items[1::5]
            ]
        )
        there: dict[int, list] = {}
        for a in attendances:
            there.setdefault(a.meeting_id, []).append(a.user)
        DecisionVoice.objects.bulk_create(
            [
                DecisionVoice(
                    decision=d,
                    user=who,
                    perspective=perspective_of[who.pk],
                    stance=rng.choice([Stance.AGREE] * 4 + [Stance.DISAGREE, Stance.ABSTAIN]),
                )
                for d in decisions
                for who in there[d.meeting_id][:20]
            ],
            batch_size=2000,
        )

        action_statuses = [
            ActionStatus.PLANNED,
            ActionStatus.IN_PROGRESS,
            ActionStatus.DONE,
            ActionStatus.DROPPED,
        ]
        Action.objects.bulk_create(
            [
                Action(
                    space=space,
                    title=f"Action {i}",
                    owner=(owner := rng.choice(people)),
                    owner_perspective=perspective_of[owner.pk],
                    status=(state := rng.choice(action_statuses)),
                    progress=100 if state == ActionStatus.DONE else 0,
                    status_reason="No longer needed." if state == ActionStatus.DROPPED else "",
                    due_on=today + dt.timedelta(days=rng.randint(-60, 60)),
                    created_by=host,
                )
                for i in range(ACTIONS)
            ],
            batch_size=2000,
        )
        # Things done with a helper, in the audit log.
        AuditEvent.objects.bulk_create(
            [
                AuditEvent(
                    actor=host,
                    on_behalf_of=rng.choice(people),
                    space=space,
                    action="idea.supported",
                    target_type="ideas.idea",
                    target_id=rng.choice(ideas).pk,
                    summary="Supported an idea with a helper",
                )
                for _ in range(1000)
            ],
            batch_size=2000,
        )

    # Budgets: made through the service (25 of them), then projects, voters and ballots in bulk.
    stage_dates = {
        "collect_from": today - dt.timedelta(days=300),
        "review_from": today - dt.timedelta(days=290),
    }
    for b in range(BUDGETS):
        budget = budget_services.budget_create(
            actor=host,
            space=space,
            title=f"Budget {b}",
            amount=Decimal(100000),
            description="A benchmark budget.",
            vote_from=today - dt.timedelta(days=280),
            results_from=today - dt.timedelta(days=270),
            eligibility="residents",
            area="Bench",
            ballot_type="approval",
            **stage_dates,
        )
        with transaction.atomic():
            projects = Project.objects.bulk_create(
                [
                    Project(
                        budget=budget,
                        title=f"Project {b}.{j}",
                        cost=Decimal(10000),
                        submitted_by=(who := rng.choice(people)),
                        submitter_perspective=perspective_of[who.pk],
                        status=ProjectStatus.FEASIBLE,
                    )
                    for j in range(12)
                ]
            )
            voters = rng.sample(people, BALLOTS_PER_BUDGET)
            Voter.objects.bulk_create(
                [Voter(budget=budget, user=v, confirmed_eligibility=True) for v in voters], batch_size=2000
            )
            Ballot.objects.bulk_create(
                [
                    Ballot(
                        budget=budget,
                        voter_key=f"{b}-{i}",
                        choices=[[p.pk, 1] for p in rng.sample(projects, 3)],
                    )
                    for i in range(len(voters))
                ],
                batch_size=2000,
            )
            Budget.objects.filter(pk=budget.pk).update(phase=Phase.RESULTS)
            BudgetResult.objects.create(
                budget=budget,
                rule=budget.rule,
                ballots=len(voters),
                data={"selected": [p.pk for p in projects[:6]]},
            )

    # A named survey of 10 questions answered by 2,000 members: 20,000 answers.
    survey = surveys.survey_create(actor=host, space=space, title="Bench survey", anonymous=False)
    section = survey.sections.get()
    questions = [
        surveys.question_add(
            actor=host,
            survey=survey,
            section=section,
            kind="scale5",
            text=f"Question {i + 1}",
            required=False,
        )
        for i in range(SURVEY_QUESTIONS)
    ]
    Survey.objects.filter(pk=survey.pk).update(status=SurveyStatus.CLOSED)
    with transaction.atomic():
        responses = Response.objects.bulk_create(
            [
                Response(survey=survey, respondent=p, perspective=perspective_of[p.pk], submitted_at=now)
                for p in people[:SURVEY_RESPONDENTS]
            ],
            batch_size=2000,
        )
        Answer.objects.bulk_create(
            [
                Answer(
                    response=r,
                    question=q,
                    number=rng.randint(1, 5),
                    counted=True,
                    perspective=r.perspective,
                )
                for r in responses
                for q in questions
            ],
            batch_size=5000,
        )
    quality.target_mix_set(
        actor=host, space=space, shares={"lived_experience": 30, "carer": 20, "community": 30}
    )
    if postgres:
        # What autovacuum does soon after a load this size: statistics for the planner.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(
        f"built: {MEMBERS:,} members, {Idea.objects.count():,} ideas, {Meeting.objects.count():,} meetings, "
        f"{Action.objects.count():,} actions, {Ballot.objects.count():,} ballots, "
        f"{Answer.objects.count():,} survey answers in {time.perf_counter() - started:.1f} s"
    )
    return space, host


# The minimal peer of the check: the same counts, as plain GROUP BY queries, with no stage, no judging and no
# storing. What a hand-written report over these tables would cost at the least.
PEER_SQL = [
    "SELECT author_perspective, author_id, COUNT(*) FROM ideas_idea WHERE space_id = %s "
    "GROUP BY author_perspective, author_id",
    "SELECT c.author_perspective, c.author_id, COUNT(*) FROM ideas_comment c JOIN ideas_idea i ON i.id = c.idea_id "
    "WHERE i.space_id = %s GROUP BY c.author_perspective, c.author_id",
    "SELECT owner_perspective, owner_id, COUNT(*) FROM actions_action WHERE space_id = %s "
    "GROUP BY owner_perspective, owner_id",
    "SELECT m.perspective, v.user_id, COUNT(*) FROM budgets_voter v JOIN budgets_budget b ON b.id = v.budget_id "
    "JOIN spaces_membership m ON m.space_id = b.space_id AND m.user_id = v.user_id WHERE b.space_id = %s "
    "GROUP BY m.perspective, v.user_id",
    "SELECT a.perspective, a.user_id, COUNT(*) FROM meetings_attendance a JOIN meetings_meeting m "
    "ON m.id = a.meeting_id WHERE m.space_id = %s GROUP BY a.perspective, a.user_id",
    "SELECT v.perspective, v.user_id, v.stance, COUNT(*) FROM meetings_decisionvoice v JOIN meetings_decision d "
    "ON d.id = v.decision_id JOIN meetings_meeting m ON m.id = d.meeting_id WHERE m.space_id = %s "
    "GROUP BY v.perspective, v.user_id, v.stance",
    "SELECT i.proposer_perspective, i.proposed_by_id, COUNT(*) FROM meetings_agendaitem i JOIN meetings_meeting m "
    "ON m.id = i.meeting_id WHERE m.space_id = %s GROUP BY i.proposer_perspective, i.proposed_by_id",
    "SELECT perspective, COUNT(*) FROM spaces_membership WHERE space_id = %s GROUP BY perspective",
]


def timed(fn, runs: int) -> tuple[list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()
    with CaptureQueriesContext(connection) as queries:
        fn()
    count = len(queries.captured_queries)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times, count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--postgres", default="", help="a scratch PostgreSQL database URL (flushed first)")
    parser.add_argument(
        "--keep", metavar="DIR", help="build once in DIR and keep it; later runs reuse it (SQLite)"
    )
    options = parser.parse_args()
    scratch = (
        Path(options.keep) if options.keep else Path(tempfile.mkdtemp(prefix="coproduce-bench-quality-"))
    )
    scratch.mkdir(parents=True, exist_ok=True)
    configure(scratch, options.postgres)

    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from coproduce.quality import services
    from coproduce.quality.models import QualityCheck
    from coproduce.spaces.models import Role, Space

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    built = None
    if options.keep and not options.postgres:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        built = Space.objects.filter(title=TITLE).first()
    if built is not None:
        space, host = built, built.memberships.get(role=Role.HOST).user
    else:
        space, host = build(bool(options.postgres))

    def peer() -> None:
        with connection.cursor() as cursor:
            for sql in PEER_SQL:
                cursor.execute(sql, [space.pk])
                cursor.fetchall()

    client = Client()
    client.force_login(host, backend="coproduce.people.backends.ModelBackend")
    compute_runs = max(3, options.runs // 3)
    rows = [
        ("peer: raw GROUP BYs", peer, compute_runs, None, None),
        (
            "check, computed",
            lambda: services.check_compute(space=space),
            compute_runs,
            COMPUTE_QUERIES,
            COMPUTE_MS,
        ),
        ("minimal view", lambda: client.get("/bench/minimal/"), options.runs, None, None),
        (
            "check page",
            lambda: client.get(f"/spaces/{space.slug}/quality/"),
            options.runs,
            PAGE_QUERIES,
            PAGE_MS,
        ),
    ]
    failures = []
    where = "PostgreSQL" if options.postgres else "SQLite"
    print(f"\n{where}\n{'what':20} {'queries':>7} {'median ms':>10} {'p95 ms':>8} {'× base':>8}")
    baseline = None
    for name, fn, runs, bound, target in rows:
        times, queries = timed(fn, runs)
        median = statistics.median(times)
        p95 = sorted(times)[max(0, int(len(times) * 0.95) - 1)]
        if name.startswith(("peer", "minimal")):
            baseline = median
            ratio = ""
        else:
            ratio = f"{median / baseline:.0f}×" if baseline else ""
        print(f"{name:20} {queries:>7} {median:>10.1f} {p95:>8.1f} {ratio:>8}")
        if bound is not None and queries > bound:
            failures.append(f"{name}: {queries} queries, bound {bound}")
        if target is not None and median > target:
            failures.append(f"{name}: median {median:.0f} ms, target {target:.0f} ms")
    stored = QualityCheck.objects.get(space=space)
    page = client.get(f"/spaces/{space.slug}/quality/")
    if page.status_code != 200:
        failures.append(f"check page: HTTP {page.status_code}")
    print(
        f"\nlevel: {stored.judgement['level']}; targets: the check under {COMPUTE_MS:.0f} ms and the page under "
        f"{PAGE_MS:.0f} ms (median); '× base': the check against the peer, the page against the minimal view; "
        "'peer' is the counts alone as raw SQL, 'minimal view' a view that returns 'ok' on the same stack"
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
