"""/api/v1/quality/spaces/{slug}...: the stored check, the records behind a number, the community mix and the
National Standards self-assessments, with the same rules as the pages (quality/access.py)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from ninja import Router, Status

from coproduce.core.api import PUBLIC
from coproduce.lib.quality.evidence import PERSPECTIVES, STAGES, Measure
from coproduce.people.models import User

from . import access, selectors, services
from .models import SelfAssessment
from .schemas import (
    ImpactReportOut,
    QualityCheckOut,
    QualityDisagreementOut,
    QualityRecordsOut,
    SaidOut,
    SelfAssessmentIn,
    SelfAssessmentOut,
    TargetMixIn,
    TargetMixOut,
    TrailStepOut,
)

router = Router(tags=["quality"])


def _check(space, found) -> dict[str, Any]:
    if found is None:
        status = "not_asked"
    elif found.pending:
        status = "being_worked_out"
    else:
        status = "ready"
    ready = found is not None and found.computed_at is not None
    return {
        "space": space.slug,
        "status": status,
        "computed_at": found.computed_at if found else None,
        "requested_at": found.requested_at if found else None,
        "judgement": found.judgement if ready else None,
        "evidence": found.evidence if ready else None,
    }


@router.get(
    "/spaces/{slug}", response=QualityCheckOut, auth=PUBLIC, summary="The last quality check of a space"
)
def quality_check(request, slug: str):
    space = access.get_space_for(request.user, slug)
    return _check(space, selectors.last_check(space))


@router.post(
    "/spaces/{slug}/recompute",
    response={202: QualityCheckOut},
    summary="Ask for the check to be worked out again (hosts and facilitators)",
)
def quality_recompute(request, slug: str):
    space = access.get_space_for(request.user, slug)
    access.require_role(access.can_manage(request.user, space))
    services.check_request(actor=request.user, space=space)
    return Status(202, _check(space, selectors.last_check(space)))


def _split(value: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    found = tuple(v for v in value.split(",") if v) if value else allowed
    if any(v not in allowed for v in found):
        raise Http404
    return found


@router.get(
    "/spaces/{slug}/records",
    response=QualityRecordsOut,
    auth=PUBLIC,
    summary="The records behind one number (measure, stages and perspectives, comma separated)",
)
def quality_records(request, slug: str, measure: Measure, stages: str = "", perspectives: str = ""):
    space = access.get_space_for(request.user, slug)
    names = access.shows_names(request.user, space)
    listed = selectors.records_for(
        space, measure, _split(stages, STAGES), _split(perspectives, PERSPECTIVES), names=names
    )
    return {
        "measure": str(measure),
        "more": listed.more,
        "records": [
            {
                "title": r.title,
                "url": r.url,
                "stage": r.stage,
                "perspective": r.perspective,
                "person": r.person if names else None,
                "when": r.when,
            }
            for r in listed.records
        ],
    }


def _assessment(a: SelfAssessment, *, names: bool) -> dict[str, Any]:
    people = list(a.participants.all())
    return {
        "id": a.pk,
        "agreed_on": a.agreed_on,
        "participants": len(people),
        "participant_names": [p.display_name for p in people] if names else None,
        "ratings": [{"standard": r.standard, "rating": r.rating, "notes": r.notes} for r in a.ratings.all()],
        "created_at": a.created_at,
    }


@router.get(
    "/spaces/{slug}/self-assessments",
    response=list[SelfAssessmentOut],
    auth=PUBLIC,
    summary="The National Standards self-assessment rounds, newest first",
)
def self_assessment_list(request, slug: str):
    space = access.get_space_for(request.user, slug)
    names = access.shows_names(request.user, space)
    return [_assessment(a, names=names) for a in selectors.assessments(space)]


@router.post(
    "/spaces/{slug}/self-assessments",
    response={201: SelfAssessmentOut},
    summary="Record a round agreed with members (hosts and facilitators)",
)
def self_assessment_create(request, slug: str, payload: SelfAssessmentIn):
    space = access.get_space_for(request.user, slug)
    access.require_role(access.can_manage(request.user, space))
    people = list(User.objects.filter(pk__in=payload.participant_ids))
    if len(people) != len(set(payload.participant_ids)):
        from django.core.exceptions import ValidationError

        raise ValidationError({"participant_ids": ["No such person."]})
    assessment = services.self_assessment_create(
        actor=request.user,
        space=space,
        agreed_on=payload.agreed_on,
        participants=people,
        ratings=payload.ratings,
        notes=payload.notes,
    )
    return Status(201, _assessment(assessment, names=True))


@router.get(
    "/spaces/{slug}/disagreements",
    response=list[QualityDisagreementOut],
    auth=PUBLIC,
    summary="Where the latest self-assessment and the last check disagree",
)
def quality_disagreements(request, slug: str):
    space = access.get_space_for(request.user, slug)
    found = selectors.last_check(space)
    rounds = selectors.assessments(space)
    if not rounds or found is None or not found.evidence:
        return []
    ratings = {r.standard: r.rating for r in rounds[0].ratings.all()}
    return [
        {"standard": d.standard, "rating": d.rating, "direction": str(d.direction), "message": d.message}
        for d in selectors.disagreements(found, ratings)
    ]


@router.put("/spaces/{slug}/community", response=TargetMixOut, summary="State the community mix (hosts)")
def target_mix_set(request, slug: str, payload: TargetMixIn):
    space = access.get_space_for(request.user, slug)
    access.require_role(access.can_state_mix(request.user, space))
    shares = services.target_mix_set(actor=request.user, space=space, shares=dict(payload.shares))
    return {"shares": shares}


# --- /api/v1/impact/...: the trail and the impact report, with the same rules as the pages -------------

impact_router = Router(tags=["impact"])


def _step(shown) -> dict[str, Any]:
    s = shown.step
    return {
        "depth": shown.depth,
        "module": s.module,
        "kind": s.kind,
        "id": s.pk,
        "what": s.what,
        "title": s.title,
        "url": s.url,
        "when": s.when,
        "status": s.status,
        "person": s.person or None,
        "progress": s.progress,
        "reached": s.reached,
    }


def _said(row) -> dict[str, Any]:
    c = row.contribution
    return {
        "kind": c.source.kind,
        "id": c.source.pk,
        "space": c.space_slug,
        "title": c.source.title,
        "url": c.source.url,
        "when": c.when,
        "status": c.status,
        "perspective": c.perspective,
        "trail": [_step(s) for s in row.steps],
    }


@impact_router.get(
    "/spaces/{slug}/report", response=ImpactReportOut, auth=PUBLIC, summary="A space's impact report"
)
def impact_report(request, slug: str):
    from . import impact

    space = access.get_space_for(request.user, slug)
    return impact.figures_json(impact.report(space, request.user))


@impact_router.get(
    "/spaces/{slug}/trail/{kind}/{pk}",
    response=list[TrailStepOut],
    auth=PUBLIC,
    summary="What became of an idea, agenda item or budget project",
)
def impact_trail(request, slug: str, kind: str, pk: int):
    from coproduce.core import registry

    from . import trail

    space = access.get_space_for(request.user, slug)
    if kind not in trail.START_KINDS:
        raise Http404
    if registry.source(kind, request.user, pk).space_id != space.pk:
        raise Http404
    names = access.shows_names(request.user, space)
    return [_step(s) for s in trail.flatten(trail.walk(kind, [pk], request.user)[pk], names=names)]


@impact_router.get(
    "/spaces/{slug}/you-said-we-did",
    response=list[SaidOut],
    auth=PUBLIC,
    summary="What people said in a space, newest first, and what became of it",
)
def impact_you_said(request, slug: str):
    from . import trail

    space = access.get_space_for(request.user, slug)
    names = access.shows_names(request.user, space)
    return [_said(r) for r in trail.space_you_said(space, request.user, names=names)]


@impact_router.get("/me/trail", response=list[SaidOut], summary="What became of what I said")
def impact_my_trail(request):
    from . import trail

    return [_said(r) for r in trail.person_you_said(request.user, request.user)]
