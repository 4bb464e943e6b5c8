"""/api/v1/case-studies: the network's case studies, with the same rules as the pages; a host drafts one
from a space's records with POST /spaces/{slug}/case-studies/draft."""

from __future__ import annotations

from typing import Any

from ninja import Router, Status

from coproduce.core.api import PUBLIC
from coproduce.people.models import Organisation
from coproduce.spaces import access as space_access
from coproduce.spaces.models import Perspective, StageKind

from . import access, selectors, services
from .models import CaseStudy
from .schemas import CaseStudyIn, CaseStudyOut, CaseStudyPatch

router = Router(tags=["case studies"])


def _case_study(c: CaseStudy) -> dict[str, Any]:
    return {
        "id": c.pk,
        "title": c.title,
        "place": c.place,
        "organisations": [o.name for o in c.organisations.all()],
        "organisations_text": c.organisations_text,
        "stages": c.stage_list,
        "perspectives": c.perspective_list,
        "topics": c.topic_list,
        "what_happened": c.what_happened,
        "what_changed": c.what_changed,
        "evidence": c.evidence,
        "what_was_hard": c.what_was_hard,
        "what_it_cost": c.what_it_cost,
        "licence": c.licence,
        "status": c.status,
        "space": c.space.slug if c.space else None,
        "generated": c.generated,
        "published_at": c.published_at,
        "created_at": c.created_at,
    }


def _fields(data: dict[str, Any]) -> dict[str, Any]:
    if "organisation_ids" in data:
        ids = data.pop("organisation_ids") or []
        data["organisations"] = list(Organisation.objects.filter(pk__in=ids))
    for name in ("stages", "perspectives"):
        if name in data:
            data[name] = [str(getattr(v, "value", v)) for v in data[name] or []]
    if "licence" in data and data["licence"] is not None:
        data["licence"] = str(getattr(data["licence"], "value", data["licence"]))
    return data


@router.get("/case-studies", response=list[CaseStudyOut], auth=PUBLIC, summary="Case studies, with filters")
def case_study_list(
    request,
    stage: StageKind | None = None,
    perspective: Perspective | None = None,
    topic: str = "",
    place: str = "",
    outcome: str = "",
    limit: int = 50,
    offset: int = 0,
):
    found = selectors.case_studies(
        request.user,
        stage=stage or "",
        perspective=perspective or "",
        topic=topic,
        place=place,
        outcome=outcome,
    )
    start = max(0, offset)
    rows = found.prefetch_related("organisations")[start : start + max(1, min(limit, 100))]
    return [_case_study(c) for c in rows]


@router.get("/case-studies/{case_study_id}", response=CaseStudyOut, auth=PUBLIC, summary="One case study")
def case_study_detail(request, case_study_id: int):
    return _case_study(access.get_case_study_for(request.user, case_study_id))


@router.post("/case-studies", response={201: CaseStudyOut}, summary="Write a case study, as a draft")
def case_study_create(request, payload: CaseStudyIn):
    case_study = services.case_study_create(actor=request.user, **_fields(payload.dict()))
    return Status(201, _case_study(case_study))


@router.patch(
    "/case-studies/{case_study_id}", response=CaseStudyOut, summary="Change a case study (its author)"
)
def case_study_edit(request, case_study_id: int, payload: CaseStudyPatch):
    case_study = access.get_case_study_for(request.user, case_study_id)
    case_study = services.case_study_edit(
        actor=request.user, case_study=case_study, **_fields(payload.dict(exclude_unset=True))
    )
    return _case_study(case_study)


@router.post("/case-studies/{case_study_id}/publish", response=CaseStudyOut, summary="Publish a draft")
def case_study_publish(request, case_study_id: int):
    case_study = access.get_case_study_for(request.user, case_study_id)
    return _case_study(services.case_study_publish(actor=request.user, case_study=case_study))


@router.post(
    "/spaces/{slug}/case-studies/draft",
    response={201: CaseStudyOut},
    summary="Draft a case study from the space's records (hosts)",
)
def case_study_generate(request, slug: str):
    space = space_access.get_space_for(request.user, slug)
    access.require_role(access.can_generate(request.user, space))
    return Status(201, _case_study(services.case_study_generate(actor=request.user, space=space)))
