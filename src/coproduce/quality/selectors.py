"""Reads for the quality check: the evidence gathered from every module's records (for the task that works out
the check), the last stored check, the records behind a number, and the self-assessments.

Evidence comes from the space's own records without importing other capabilities: each module's manifest
offers `evidence(space)` (its counts by stage and perspective, in GROUP BY queries) and
`evidence_records(...)` (the records behind a count). Membership, stages and the audit log are read here
(spaces and core are below this app). A new module (surveys, outcomes) joins the check by adding those two
functions to its manifest.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Min, Q
from django.utils.translation import gettext_lazy as _l

from coproduce.core import registry
from coproduce.core.models import AuditEvent
from coproduce.core.registry import EvidenceCount, EvidenceRecord
from coproduce.lib.quality.evidence import Evidence, Measure, Milestone, PersonTally, Tally, build_evidence
from coproduce.people.models import User
from coproduce.spaces.evidence import ALL_STAGES, in_figure, perspective_in, stage_of, tally
from coproduce.spaces.models import Membership, MembershipChange, Space, Stage, StageStatus

from .models import QualityCheck, SelfAssessment, TargetShare

RECORDS_LIMIT = 500
# Measures that say who was there, not that they took part.
NOT_TAKING_PART = {Measure.MEMBERS, Measure.ACTIVE, Measure.ACCESS_NEEDS_STATED, Measure.ACCESS_NEEDS_MET}
# Where a few people may write most of it.
PER_PERSON = (Measure.AGENDA_ITEMS, Measure.IDEAS_WRITTEN)


def _assisted(space: Space):
    """Things done for someone by a helper (the audit log's `on_behalf_of`), in the stage open that day."""
    return AuditEvent.objects.filter(space=space, on_behalf_of__isnull=False).annotate(
        q_stage=stage_of(space, "at", among=ALL_STAGES, default="co_design"),
        q_perspective=perspective_in(space, "on_behalf_of"),
        q_person=F("on_behalf_of_id"),
    )


def _members_by_stage(space: Space) -> list[Tally]:
    """Members while each stage was open: those who joined before it ended (any time, while it has no end);
    nobody for a stage not started with no dates. One query for the stages, one for the members."""
    stages = list(Stage.objects.filter(space=space).only("kind", "status", "starts_on", "ends_on"))
    counts = {}
    for stage in stages:
        if stage.status == StageStatus.NOT_STARTED and stage.starts_on is None:
            continue
        condition = Q(joined_at__date__lte=stage.ends_on) if stage.ends_on else Q()
        counts[stage.kind] = Count("pk", filter=condition)
    if not counts:
        return []
    rows = Membership.objects.filter(space=space).values("perspective").annotate(**counts).order_by()
    return [
        Tally(Measure.MEMBERS, kind, row["perspective"], row[kind])
        for row in rows
        for kind in counts
        if row[kind]
    ]


def _lines(space: Space) -> tuple[list[EvidenceCount], dict[Milestone, date]]:
    """Every module's counts (one line per person) and the dates plans were first made, with the things done
    with a helper."""
    lines: list[EvidenceCount] = [*tally(_assisted(space), Measure.ASSISTED)]
    milestones: dict[Milestone, date] = {}
    for manifest in registry.manifests():
        if manifest.evidence is None:
            continue
        report = manifest.evidence(space)
        lines.extend(report.counts)
        for name, when in report.milestones.items():
            key = Milestone(name)
            milestones[key] = min(when, milestones.get(key, when))
    return lines, milestones


def gather_evidence(space: Space) -> Evidence:
    """Everything the rules read about `space`, from its records, in a bounded number of queries (a few per
    module, whatever the size of the space)."""
    lines, milestones = _lines(space)
    tallies = [Tally(Measure(line.measure), line.stage, line.perspective, line.n) for line in lines]
    tallies.extend(_members_by_stage(space))

    # Active: the distinct people who took part in a stage in any recorded way, by their perspective.
    active: dict[tuple[str, int], str] = {}
    per_person: dict[Measure, dict[int, list]] = defaultdict(dict)
    for line in lines:
        if line.person is None:
            continue
        if line.measure not in NOT_TAKING_PART:
            active.setdefault((line.stage, line.person), line.perspective)
        if line.measure in PER_PERSON:
            found = per_person[Measure(line.measure)].setdefault(line.person, [line.perspective, 0])
            found[1] += line.n
    tallies.extend(Tally(Measure.ACTIVE, stage, p) for (stage, _person), p in active.items())

    members = dict(
        Membership.objects.filter(space=space).values_list("perspective").annotate(n=Count("pk")).order_by()
    )
    first_joined = {
        row["perspective"]: row["first"].date()
        for row in MembershipChange.objects.filter(
            space=space, kind__in=[MembershipChange.Kind.JOINED, MembershipChange.Kind.CHANGED]
        )
        .values("perspective")
        .annotate(first=Min("at"))
        .order_by()
    }
    target = {t.perspective: t.percent / 100 for t in TargetShare.objects.filter(space=space)}
    return build_evidence(
        tallies,
        members=members,
        target_mix=target,
        first_joined=first_joined,
        milestones=milestones,
        per_person={m: [PersonTally(p, n) for p, n in people.values()] for m, people in per_person.items()},
    )


# --- What pages and the API read ------------------------------------------------------------------


def last_check(space: Space) -> QualityCheck | None:
    """The stored check (possibly still being worked out), or None when none was ever asked for."""
    return QualityCheck.objects.filter(space=space).first()


def target_mix(space: Space) -> dict[str, int]:
    return {t.perspective: t.percent for t in TargetShare.objects.filter(space=space)}


@dataclass(frozen=True)
class Listed:
    records: list[EvidenceRecord]
    more: bool  # there were more than the limit


def records_for(
    space: Space,
    measure: Measure,
    stages: Iterable[str],
    perspectives: Iterable[str],
    *,
    names: bool,
    limit: int = RECORDS_LIMIT,
) -> Listed:
    """The records behind one number: those of every module that counts `measure`, the members (members and
    active people are the people, by name where names are shown), and the assisted contributions. Names are
    blanked when `names` is False."""
    stages, perspectives = tuple(stages), tuple(perspectives)
    found: list[EvidenceRecord] = []
    if measure == Measure.ACTIVE:
        found = _active(space, stages, perspectives, limit=limit)
    elif measure == Measure.MEMBERS:
        members = Membership.objects.filter(space=space, perspective__in=perspectives).select_related("user")
        found = [
            EvidenceRecord(
                title=m.get_perspective_display(),
                url="",
                stage="",
                perspective=m.perspective,
                person=m.user.display_name,
                when=m.joined_at.date(),
            )
            for m in members.order_by("joined_at", "id")[: limit + 1]
        ]
    elif measure == Measure.ASSISTED:
        events = in_figure(_assisted(space), stages, perspectives).select_related("on_behalf_of")
        found = [
            EvidenceRecord(
                title=e.summary,
                url="",
                stage=e.q_stage,
                perspective=e.q_perspective,
                person=e.on_behalf_of.display_name if e.on_behalf_of else "",
                when=e.at.date(),
            )
            for e in events.order_by("at", "id")[: limit + 1]
        ]
    else:
        for manifest in registry.manifests():
            if manifest.evidence_records is not None:
                found.extend(manifest.evidence_records(space, measure, stages, perspectives, limit=limit + 1))
    more = len(found) > limit
    found = found[:limit]
    if not names:
        found = [EvidenceRecord(r.title, r.url, r.stage, r.perspective, "", r.when) for r in found]
    return Listed(found, more)


# How a person took part, in a few words, for the list of active people.
TOOK_PART = {
    Measure.AGENDA_ITEMS: _l("proposed agenda items"),
    Measure.IDEAS_WRITTEN: _l("wrote ideas"),
    Measure.IDEAS_ADOPTED: _l("wrote an adopted idea"),
    Measure.COMMENTS: _l("commented"),
    Measure.BUDGET_VOTERS: _l("voted in a budget"),
    Measure.PROJECTS_FUNDED: _l("proposed a funded project"),
    Measure.MEETING_ATTENDANCE: _l("came to meetings"),
    Measure.DECISION_AGREE: _l("agreed in decisions"),
    Measure.DECISION_DISSENT: _l("dissented in decisions"),
    Measure.ACTIONS_OWNED: _l("owned actions"),
    Measure.ACTIONS_COMPLETED: _l("completed actions"),
    Measure.SURVEY_RESPONDENTS: _l("answered a survey"),
    Measure.TIME_CREDITS_PAID: _l("was paid time credits"),
    Measure.ASSISTED: _l("took part with a helper"),
}


def _active(space: Space, stages: tuple[str, ...], perspectives: tuple[str, ...], *, limit: int):
    """The people an "active" figure counted: those with a line of taking part in `stages`, by the perspective
    on the line, each with how they took part (the same module queries as the check, not every member)."""
    lines, _milestones = _lines(space)
    people: dict[tuple[int, str], set[str]] = defaultdict(set)
    for line in lines:
        if (
            line.person is not None
            and line.measure not in NOT_TAKING_PART
            and line.stage in stages
            and line.perspective in perspectives
        ):
            people[(line.person, line.perspective)].add(line.measure)
    users = User.objects.in_bulk({person for person, _p in people})
    found = []
    for (person, perspective), measures in sorted(
        people.items(), key=lambda kv: (users[kv[0][0]].display_name if kv[0][0] in users else "", kv[0])
    )[: limit + 1]:
        ways = [str(TOOK_PART[m]) for m in TOOK_PART if m in measures]
        found.append(
            EvidenceRecord(
                title=", ".join(ways).capitalize(),
                url="",
                stage=stages[0] if len(stages) == 1 else "",
                perspective=perspective,
                person=users[person].display_name if person in users else "",
            )
        )
    return found


def assessments(space: Space) -> list[SelfAssessment]:
    """Every self-assessment round, newest first, with ratings and who took part (three queries)."""
    return list(SelfAssessment.objects.filter(space=space).prefetch_related("ratings", "participants"))


def disagreements(check: QualityCheck, ratings: dict[str, int]) -> list:
    """Where a self-assessment and the stored check disagree (`standards.compare` on the stored evidence:
    the rules are cheap once the evidence is counted; only counting is slow)."""
    from coproduce.lib.quality import serialise
    from coproduce.lib.quality.rules import evaluate
    from coproduce.lib.quality.standards import compare

    results = evaluate(serialise.evidence_from_dict(check.evidence))
    return list(compare(ratings, results))


def quality_level(space: Space) -> dict | None:
    """The "quality_level" hook: the level of the space's last worked-out check, in words, for other
    modules (a case study drafted from the space), or None when no check has been worked out."""
    from django.urls import reverse

    from .presenters import Step, band_label

    found = last_check(space)
    if found is None or not found.computed_at or not found.judgement:
        return None
    return {
        "level": str(Step(found.judgement["level"]).label),
        "band": str(band_label(found.judgement["arnstein"])),
        "computed_at": found.computed_at,
        "url": reverse("quality:check", args=[space.slug]),
    }
